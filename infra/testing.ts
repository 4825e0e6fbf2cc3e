import { App, aws_bedrockagentcore as agentcore, aws_ecs as ecs } from 'aws-cdk-lib';
import type { AgentsStack } from './stacks/agents-stack.ts';
import { buildApp, type ServiceStacks } from './app.ts';

/** A public image, so that tests never stage the repository as a Docker asset. */
export const TEST_API_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm-slim';

/** An ECR image URI for the AgentCore Runtime, so that tests never stage the repository as a Docker asset. */
export const TEST_AGENTCORE_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/defect-rca-agentcore:test';

/**
 * Budget of a hook or test that synthesises the app (esbuild bundling is skipped, but building
 * the stacks and running cdk-nag take seconds alone and far longer on a loaded 2-core machine).
 */
export const SYNTH_TIMEOUT_MS = 180_000;

/**
 * Builds the service's stacks for tests: bundling is skipped (`aws:cdk:bundling-stacks` is
 * empty) and the API and the AgentCore Runtime use given images, so nothing is built or copied.
 */
export function buildTestApp(context: Record<string, unknown> = {}): { app: App; stacks: ServiceStacks } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stacks = buildApp(app, {
    apiImage: ecs.ContainerImage.fromRegistry(TEST_API_IMAGE),
    agentCoreArtifact: agentcore.AgentRuntimeArtifact.fromImageUri(TEST_AGENTCORE_IMAGE),
  });
  return { app, stacks };
}

/** The agents stack of an app built with `agents=classic`; throws when there is none. */
export function agentsStackOf(stacks: ServiceStacks): AgentsStack {
  if (!stacks.agents) throw new Error('The app has no agents stack (built with agents=none).');
  return stacks.agents;
}
