import { Facility } from '../domain/index.ts';
import path from 'node:path';
import {
  App,
  Tags,
  Validations,
  aws_bedrockagentcore as agentcore,
  aws_ecr_assets as ecrAssets,
  aws_ecs as ecs,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AgentId } from '../agents/definition.ts';
import { AGENTS } from '../agents/index.ts';
import { PROJECT_ROOT } from './stacks/agents-stack.ts';
import { AgentsStack } from './stacks/agents-stack.ts';
import { AgentCoreStack } from './stacks/agentcore-stack.ts';
import {
  ApiStack,
  HOSTED_AGENT_CALL_TIMEOUT_MS,
  type ApiAgentReference,
  type ApiAgentRuntime,
} from './stacks/api-stack.ts';
import { KnowledgeBaseStack } from './stacks/knowledge-base-stack.ts';

/**
 * Whether the app deploys Bedrock agents (`classic`, for accounts that can use Agents Classic),
 * none (`none`: the API runs the agents in process over Converse), or an AgentCore Runtime that
 * hosts them (`agentcore`: the API invokes it).
 */
export type AgentsMode = 'classic' | 'none' | 'agentcore';

/** The stacks of the service. */
export interface ServiceStacks {
  /** Corpus bucket, vector collection and index, Bedrock knowledge base. */
  readonly knowledgeBase: KnowledgeBaseStack;
  /** Action-group Lambdas, agents, aliases and guardrail; only with `-c agents=classic`. */
  readonly agents?: AgentsStack;
  /** The AgentCore Runtime hosting the agents, its endpoint and guardrail; only with `-c agents=agentcore`. */
  readonly agentCore?: AgentCoreStack;
  /** The API on Fargate behind an Application Load Balancer. */
  readonly api: ApiStack;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The container image of the API; built from the repository unless given (tests pass a registry image). */
  readonly apiImage?: ecs.ContainerImage;
  /** The image of the AgentCore Runtime; built from the repository unless given (tests pass an ECR URI). */
  readonly agentCoreArtifact?: agentcore.AgentRuntimeArtifact;
}

/** What the image builds leave out of the Docker context. */
const IMAGE_EXCLUDES = [
  'node_modules',
  'data',
  'cdk.out',
  '.git',
  'coverage',
  'evals',
  'docs',
  '**/*.test.ts',
];

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The API image, built from `infra/docker/api.Dockerfile` at the repository root for linux/arm64,
 * the task's CPU architecture, whatever the machine that builds it (an x86 workstation or CI
 * runner would otherwise build an amd64 image that cannot start on the task).
 */
export function apiContainerImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(PROJECT_ROOT, {
    file: path.join('infra', 'docker', 'api.Dockerfile'),
    platform: ecrAssets.Platform.LINUX_ARM64,
    exclude: IMAGE_EXCLUDES,
  });
}

/**
 * The AgentCore Runtime image: the same Dockerfile built with `--target agentcore` (the entry
 * point on port 8080) for linux/arm64, the platform AgentCore Runtime requires.
 */
export function agentCoreArtifact(): agentcore.AgentRuntimeArtifact {
  return agentcore.AgentRuntimeArtifact.fromAsset(PROJECT_ROOT, {
    file: path.join('infra', 'docker', 'api.Dockerfile'),
    target: 'agentcore',
    platform: ecrAssets.Platform.LINUX_ARM64,
    exclude: IMAGE_EXCLUDES,
  });
}

/** Reads a boolean context value (`true`/`false`, also as strings from `-c key=value`); undefined when unset. */
function booleanContext(app: App, key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/** Reads the `agents` context: `classic` (the default), `none` or `agentcore`. */
export function agentsModeOf(value: string | undefined): AgentsMode {
  if (value === undefined) return 'classic';
  if (value === 'classic' || value === 'none' || value === 'agentcore') return value;
  throw new Error(`context agents must be "classic", "none" or "agentcore", got ${JSON.stringify(value)}`);
}

/** Reads the `gatewayFacility` context: one of the plant's facilities, or undefined when unset. */
export function gatewayFacilityOf(value: string | undefined): Facility | undefined {
  if (value === undefined) return undefined;
  const parsed = Facility.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `context gatewayFacility must be one of ${Facility.options.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return parsed.data;
}

function orchestrationOf(value: string | undefined): 'pipeline' | 'supervisor' {
  if (value === undefined || value === 'pipeline' || value === 'supervisor') return value ?? 'pipeline';
  throw new Error(`context orchestration must be "pipeline" or "supervisor", got ${JSON.stringify(value)}`);
}

/**
 * Adds the service's stacks to an app and applies the cdk-nag AwsSolutions checks. Context:
 * `region` (default us-east-1), `account`, `certificateArn`, `indexAdminPrincipalArns`,
 * `standbyReplicas` (true by default; false halves the idle OpenSearch Serverless capacity),
 * `orchestration` (`pipeline`, the default, or `supervisor`: the API's ORCHESTRATION), and
 * `agents` (`classic`, the default, deploys the Bedrock agents; `none` deploys no agents stack and
 * the API runs the local runtime over Converse with the guardrail; `agentcore` deploys the agents
 * on an AgentCore Runtime that the API invokes), and `gatewayFacility` (with `agentcore`: the one
 * facility the Gateway's tools may read; unset, every facility).
 */
export function buildApp(app: App, options: BuildAppOptions = {}): ServiceStacks {
  const env = { region: contextString(app, 'region') ?? 'us-east-1', account: contextString(app, 'account') };
  const indexAdmins: unknown = app.node.tryGetContext('indexAdminPrincipalArns');

  const knowledgeBase = new KnowledgeBaseStack(app, 'DefectRcaKnowledgeBase', {
    env,
    description: 'Defect RCA: corpus bucket, OpenSearch Serverless vector index and Bedrock knowledge base.',
    standbyReplicas: booleanContext(app, 'standbyReplicas'),
    indexAdminPrincipalArns: Array.isArray(indexAdmins)
      ? indexAdmins.filter((arn): arn is string => typeof arn === 'string')
      : undefined,
  });
  const kbReference = {
    id: knowledgeBase.knowledgeBase.attrKnowledgeBaseId,
    arn: knowledgeBase.knowledgeBase.attrKnowledgeBaseArn,
  };

  const agentsMode = agentsModeOf(contextString(app, 'agents'));
  const orchestration = orchestrationOf(contextString(app, 'orchestration'));
  if (agentsMode !== 'classic' && orchestration === 'supervisor')
    throw new Error('context orchestration=supervisor needs the deployed supervisor: use agents=classic');

  let agents: AgentsStack | undefined;
  let agentCore: AgentCoreStack | undefined;
  let agentRuntime: ApiAgentRuntime;
  if (agentsMode === 'classic') {
    agents = new AgentsStack(app, 'DefectRcaAgents', {
      env,
      description:
        'Defect RCA: action-group Lambdas, Bedrock agents with the supervisor, aliases and guardrail.',
      knowledgeBase: kbReference,
    });
    const agentReferences: Partial<Record<AgentId, ApiAgentReference>> = {};
    for (const [name, deployed] of agents.agents) {
      agentReferences[name] = {
        agentId: deployed.agent.attrAgentId,
        aliasId: deployed.alias.attrAgentAliasId,
        aliasArn: deployed.alias.attrAgentAliasArn,
        foundationModelId: deployed.definition.foundationModelId,
      };
    }
    agentRuntime = { kind: 'bedrock-agents', agents: agentReferences };
  } else if (agentsMode === 'agentcore') {
    agentCore = new AgentCoreStack(app, 'DefectRcaAgentCore', {
      env,
      description: 'Defect RCA: the agents on an AgentCore Runtime, its endpoint and guardrail.',
      artifact: options.agentCoreArtifact ?? agentCoreArtifact(),
      knowledgeBase: kbReference,
      foundationModelIds: Object.values(AGENTS).map((definition) => definition.foundationModelId),
      agentCallTimeoutMs: HOSTED_AGENT_CALL_TIMEOUT_MS,
      gatewayFacility: gatewayFacilityOf(contextString(app, 'gatewayFacility')),
    });
    agentRuntime = {
      kind: 'agentcore',
      runtimeArn: agentCore.runtime.agentRuntimeArn,
      endpointName: agentCore.endpoint.endpointName,
      endpointArn: agentCore.endpoint.agentRuntimeEndpointArn,
    };
  } else {
    agentRuntime = {
      kind: 'local',
      foundationModelIds: Object.values(AGENTS).map((definition) => definition.foundationModelId),
    };
  }

  const api = new ApiStack(app, 'DefectRcaApi', {
    env,
    description: 'Defect RCA: the HTTP API on Fargate behind an Application Load Balancer.',
    agentRuntime,
    knowledgeBase: kbReference,
    certificateArn: contextString(app, 'certificateArn'),
    environment: { ORCHESTRATION: orchestration },
    image: options.apiImage ?? apiContainerImage(),
  });

  Tags.of(app).add('project', 'defect-rca');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { knowledgeBase, agents, agentCore, api };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = new App();
  buildApp(app);
  app.synth();
}
