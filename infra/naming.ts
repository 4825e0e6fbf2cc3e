import { createHash } from 'node:crypto';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Prefix of the physical names (OpenSearch Serverless policies, agents, guardrail). */
export const RESOURCE_PREFIX = 'defect-rca';

/** Geography prefixes of Bedrock cross-region inference profile ids. */
const INFERENCE_PROFILE_PREFIXES = ['us.', 'eu.', 'apac.', 'jp.', 'au.', 'ca.', 'us-gov.', 'global.'];

/** Whether a model id is a cross-region inference profile id (such as `us.anthropic…`). */
export function isInferenceProfileId(modelId: string): boolean {
  return INFERENCE_PROFILE_PREFIXES.some((prefix) => modelId.startsWith(prefix));
}

/** The foundation model id behind a model id: the inference profile's geography prefix removed. */
export function foundationModelIdOf(modelId: string): string {
  const prefix = INFERENCE_PROFILE_PREFIXES.find((candidate) => modelId.startsWith(candidate));
  return prefix ? modelId.slice(prefix.length) : modelId;
}

/** A short, stable hash of JSON-serialisable content, used to roll versions when the content changes. */
export function contentHash(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
}

/** One cdk-nag rule (or `RuleId[finding]`) acknowledged on a construct, with the reason. */
export interface NagAcknowledgement {
  /** Rule id such as `AwsSolutions-S1`, or a single finding such as `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why the finding is acceptable here. */
  readonly reason: string;
  /** Only these findings of the rule (such as `Resource::*`); the whole rule when absent. */
  readonly appliesTo?: readonly string[];
}

/** Acknowledges cdk-nag findings on a construct and everything under it, each with its reason. */
export function acknowledge(scope: IConstruct, acknowledgements: readonly NagAcknowledgement[]): void {
  for (const { id, reason, appliesTo } of acknowledgements) {
    const ids = appliesTo ? appliesTo.map((finding) => `${id}[${finding}]`) : [id];
    for (const ruleId of ids) Validations.of(scope).acknowledge({ id: ruleId, reason });
  }
}
