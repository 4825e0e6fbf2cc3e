import {
  BedrockAgentFunctionResolver,
  BedrockFunctionResponse,
} from '@aws-lambda-powertools/event-handler/bedrock-agent';
import type {
  BedrockAgentFunctionEvent,
  BedrockAgentFunctionResponse,
} from '@aws-lambda-powertools/event-handler/types';
import type { Context } from 'aws-lambda';
import { isDomainError, loadConfig, ValidationError } from '../domain/index.ts';
import { ingestIntoConfigured, openConfiguredKnowledgeBase } from '../knowledge-base/open.ts';
import { invokeTool, toToolInput, type ActionGroup, type ToolResources } from './action-group.ts';
import { UNRESTRICTED, type AccessScope } from './scope.ts';
import { answerGatewayCall, gatewayToolName } from './gateway.ts';
import { scopeOfSessionAttributes } from './lambda-scope.ts';
import { createInMemoryDefectHistory } from './recurrence/defect-history.ts';

/**
 * Builds what the tools read from; called at most once per warm container (again after a failure).
 * Each call adds the scope of its event (see {@link scopeOfSessionAttributes}).
 */
export type ToolContextFactory = () => Promise<ToolResources>;

/** A Lambda handler answering Bedrock action-group function invocations. */
export type ActionGroupHandler = (event: unknown, context: Context) => Promise<BedrockAgentFunctionResponse>;

/** The JSON body returned to the agent when a tool cannot answer. */
export interface ToolErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * The default context of a deployed Lambda: the configured knowledge base (ingesting the corpus first
 * when `KB_AUTO_INGEST` is on), an empty in-memory defect history (no Lambda group reads it: the
 * recurrence group returns control to the service, which holds the history) and the system clock.
 */
export async function openDefaultToolContext(): Promise<ToolResources> {
  const config = loadConfig();
  const configured = await openConfiguredKnowledgeBase(config);
  if (config.autoIngest) await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
  return {
    knowledgeBase: configured.knowledgeBase,
    defectHistory: createInMemoryDefectHistory(),
    now: () => new Date(),
  };
}

/** The scope of the deployment's Gateway calls: `GATEWAY_FACILITY`, or every facility when unset. */
export function configuredGatewayScope(): AccessScope {
  const facility = loadConfig().gatewayFacility;
  return facility ? { facility } : UNRESTRICTED;
}

/** Memoises a context factory; a failed attempt is forgotten so the next invocation retries. */
function lazily(createContext: ToolContextFactory): ToolContextFactory {
  let pending: Promise<ToolResources> | null = null;
  return () => {
    pending ??= createContext().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

/** The error body of a failed tool call: code, message and, for validation errors, the bad arguments. */
export function toErrorBody(error: unknown): ToolErrorBody {
  if (isDomainError(error)) {
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
  }
  return {
    error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) },
  };
}

function respond(
  event: BedrockAgentFunctionEvent,
  body: unknown,
  responseState?: 'REPROMPT' | 'FAILURE',
): BedrockFunctionResponse {
  return new BedrockFunctionResponse({
    body: JSON.stringify(body),
    ...(responseState ? { responseState } : {}),
    sessionAttributes: event.sessionAttributes,
    promptSessionAttributes: event.promptSessionAttributes,
    ...(event.knowledgeBasesConfiguration
      ? { knowledgeBasesConfiguration: event.knowledgeBasesConfiguration }
      : {}),
  });
}

function isFunctionEvent(
  event: unknown,
): event is Pick<BedrockAgentFunctionEvent, 'function' | 'actionGroup'> & Partial<BedrockAgentFunctionEvent> {
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof (event as { function?: unknown }).function === 'string' &&
    typeof (event as { actionGroup?: unknown }).actionGroup === 'string'
  );
}

/**
 * Builds the Lambda handler of an action group. Every tool is registered with Powertools'
 * BedrockAgentFunctionResolver; a call converts the event's parameters by the tool's schema
 * ({@link toToolInput}, shared with the RETURN_CONTROL path, in place of Powertools' conversion),
 * validates them with the tool's zod schema and returns the output as JSON. A validation error,
 * a malformed JSON object parameter included, comes back as a JSON error body with the REPROMPT
 * state, so the agent can correct its arguments; other errors as a JSON error body. The tool
 * context is created on the first call and reused while the container is warm.
 */
export function createActionGroupHandler(
  group: ActionGroup,
  createContext: ToolContextFactory,
): ActionGroupHandler {
  const getContext = lazily(createContext);
  const resolver = new BedrockAgentFunctionResolver();
  for (const tool of group.tools) {
    resolver.tool(
      async (_params, { event }) => {
        try {
          const input = toToolInput({ tool, parameters: event.parameters });
          const scope = scopeOfSessionAttributes(event.sessionAttributes);
          const context = { ...(await getContext()), scope };
          const output = await invokeTool({ tool, input, context });
          return respond(event, output);
        } catch (error) {
          return respond(
            event,
            toErrorBody(error),
            error instanceof ValidationError ? 'REPROMPT' : undefined,
          );
        }
      },
      { name: tool.name, description: tool.description },
    );
  }
  const names = group.tools.map((tool) => tool.name);
  return async (event, lambdaContext) => {
    if (isFunctionEvent(event) && !names.includes(event.function)) {
      const unknown: ToolErrorBody = {
        error: {
          code: 'not_found',
          message: `the ${group.name} action group has no function "${event.function}"`,
          details: { available: names },
        },
      };
      return new BedrockFunctionResponse({
        body: JSON.stringify(unknown),
        responseState: 'REPROMPT',
        sessionAttributes: event.sessionAttributes ?? {},
        promptSessionAttributes: event.promptSessionAttributes ?? {},
      }).build({ actionGroup: event.actionGroup, func: event.function });
    }
    return resolver.resolve(event, lambdaContext);
  };
}

/**
 * What a Lambda entry point answers: a Bedrock agent's function call gets a Bedrock function
 * response; an AgentCore Gateway call gets the tool's output, or a {@link ToolErrorBody}.
 */
export type LambdaEntryPoint = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The Lambda entry point of an action group: Bedrock Agents function calls go to
 * {@link createActionGroupHandler}; calls from an AgentCore Gateway Lambda target (the tool named
 * in the client context, the arguments as the event; see `gateway.ts`) run the tool directly. One
 * tool context serves both.
 */
export function createLambdaEntryPoint(
  group: ActionGroup,
  createContext: ToolContextFactory,
  options: {
    /**
     * What a Gateway call may read: by default the facility of `GATEWAY_FACILITY`, or every
     * facility when it is unset (a Gateway call carries no caller of its own).
     */
    gatewayScope?: AccessScope;
  } = {},
): LambdaEntryPoint {
  const getContext = lazily(createContext);
  const bedrock = createActionGroupHandler(group, getContext);
  let gatewayScope = options.gatewayScope;
  return async (event, lambdaContext) => {
    const toolName = gatewayToolName(lambdaContext);
    if (toolName === undefined) return bedrock(event, lambdaContext);
    try {
      gatewayScope ??= configuredGatewayScope();
      return await answerGatewayCall({
        group,
        toolName,
        input: event,
        resources: await getContext(),
        scope: gatewayScope,
      });
    } catch (error) {
      return toErrorBody(error);
    }
  };
}
