import {
  createActionGroupHandler,
  createLambdaEntryPoint,
  openDefaultToolContext,
  type ActionGroupHandler,
  type LambdaEntryPoint,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { capaDraftGroup } from './tools.ts';

/** Builds the Lambda handler of the capa-draft action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(capaDraftGroup, createContext);
}

/**
 * The Lambda entry point of the capa-draft action group (draft_capa), on the configured knowledge base:
 * for a Bedrock agent's function calls and an AgentCore Gateway Lambda target alike.
 */
export const handler: LambdaEntryPoint = createLambdaEntryPoint(capaDraftGroup, openDefaultToolContext);
