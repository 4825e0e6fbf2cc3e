import {
  createActionGroupHandler,
  openDefaultToolContext,
  type ActionGroupHandler,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { similarDefectsGroup } from './tools.ts';

/** Builds the Lambda handler of the similar-defects action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(similarDefectsGroup, createContext);
}

/** The Lambda entry point of the similar-defects action group (find_similar_defects), on the configured knowledge base. */
export const handler: ActionGroupHandler = createHandler(openDefaultToolContext);
