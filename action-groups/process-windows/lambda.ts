import {
  createActionGroupHandler,
  openDefaultToolContext,
  type ActionGroupHandler,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { processWindowsGroup } from './tools.ts';

/** Builds the Lambda handler of the process-windows action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(processWindowsGroup, createContext);
}

/** The Lambda entry point of the process-windows action group (get_process_window, check_measurements), on the configured knowledge base. */
export const handler: ActionGroupHandler = createHandler(openDefaultToolContext);
