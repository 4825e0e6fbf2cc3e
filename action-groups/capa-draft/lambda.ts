import {
  createActionGroupHandler,
  openDefaultToolContext,
  type ActionGroupHandler,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { capaDraftGroup } from './tools.ts';

/** Builds the Lambda handler of the capa-draft action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(capaDraftGroup, createContext);
}

/** The Lambda entry point of the capa-draft action group (draft_capa), on the configured knowledge base. */
export const handler: ActionGroupHandler = createHandler(openDefaultToolContext);
