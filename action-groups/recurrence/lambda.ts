import {
  createActionGroupHandler,
  openDefaultToolContext,
  type ActionGroupHandler,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { recurrenceGroup } from './tools.ts';

/** Builds the Lambda handler of the recurrence action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(recurrenceGroup, createContext);
}

/** The Lambda entry point of the recurrence action group (count_recurrences), on the configured knowledge base. */
export const handler: ActionGroupHandler = createHandler(openDefaultToolContext);
