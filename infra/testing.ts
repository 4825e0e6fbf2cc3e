import { App, aws_ecs as ecs } from 'aws-cdk-lib';
import { buildApp, type ServiceStacks } from './app.ts';

/** A public image, so that tests never stage the repository as a Docker asset. */
export const TEST_API_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm-slim';

/**
 * Builds the service's stacks for tests: bundling is skipped (`aws:cdk:bundling-stacks` is
 * empty) and the API uses a registry image, so nothing is built or copied.
 */
export function buildTestApp(context: Record<string, unknown> = {}): { app: App; stacks: ServiceStacks } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stacks = buildApp(app, { apiImage: ecs.ContainerImage.fromRegistry(TEST_API_IMAGE) });
  return { app, stacks };
}
