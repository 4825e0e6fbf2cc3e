import {
  createActionGroupHandler,
  createLambdaEntryPoint,
  openDefaultToolContext,
  type ActionGroupHandler,
  type LambdaEntryPoint,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { processWindowsGroup } from './tools.ts';

/** Builds the Lambda handler of the process-windows action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(processWindowsGroup, createContext);
}

/**
 * The Lambda entry point of the process-windows action group (get_process_window, check_measurements), on the configured knowledge base:
 * for a Bedrock agent's function calls and an AgentCore Gateway Lambda target alike.
 */
export const handler: LambdaEntryPoint = createLambdaEntryPoint(processWindowsGroup, openDefaultToolContext);
