import {
  createActionGroupHandler,
  createLambdaEntryPoint,
  openDefaultToolContext,
  type ActionGroupHandler,
  type LambdaEntryPoint,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { sopLookupGroup } from './tools.ts';

/** Builds the Lambda handler of the sop-lookup action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(sopLookupGroup, createContext);
}

/**
 * The Lambda entry point of the sop-lookup action group (lookup_sop), on the configured knowledge base:
 * for a Bedrock agent's function calls and an AgentCore Gateway Lambda target alike.
 */
export const handler: LambdaEntryPoint = createLambdaEntryPoint(sopLookupGroup, openDefaultToolContext);
