import {
  createActionGroupHandler,
  createLambdaEntryPoint,
  openDefaultToolContext,
  type ActionGroupHandler,
  type LambdaEntryPoint,
  type ToolContextFactory,
} from '../lambda-handler.ts';
import { defectTaxonomyGroup } from './tools.ts';

/** Builds the Lambda handler of the defect-taxonomy action group over an injected context factory. */
export function createHandler(createContext: ToolContextFactory): ActionGroupHandler {
  return createActionGroupHandler(defectTaxonomyGroup, createContext);
}

/**
 * The Lambda entry point of the defect-taxonomy action group (get_defect_taxonomy, assess_severity), on the configured knowledge base:
 * for a Bedrock agent's function calls and an AgentCore Gateway Lambda target alike.
 */
export const handler: LambdaEntryPoint = createLambdaEntryPoint(defectTaxonomyGroup, openDefaultToolContext);
