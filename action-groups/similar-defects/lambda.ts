import {
  createActionGroupHandler,
  createLambdaEntryPoint,
  openDefaultToolContext,
  type ActionGroupHandler,
  type LambdaEntryPoint,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { similarDefectsGroup } from './tools.ts';

/** Builds the Lambda handler of the similar-defects action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(similarDefectsGroup, createContext);
}

/**
 * The Lambda entry point of the similar-defects action group (find_similar_defects), on the configured knowledge base:
 * for a Bedrock agent's function calls and an AgentCore Gateway Lambda target alike.
 */
export const handler: LambdaEntryPoint = createLambdaEntryPoint(similarDefectsGroup, openDefaultToolContext);
