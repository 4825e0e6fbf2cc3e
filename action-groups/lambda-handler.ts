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
import {
  invokeTool,
  toToolSpec,
  type ActionGroup,
  type ToolContext,
  type ToolDefinition,
} from './action-group.ts';
import { createInMemoryDefectHistory } from './recurrence/defect-history.ts';

/** Builds the context the tools run with; called at most once per warm container (again after a failure). */
export type ToolContextFactory = () => Promise<ToolContext>;

/** A Lambda handler answering Bedrock action-group function invocations. */
export type ActionGroupHandler = (event: unknown, context: Context) => Promise<BedrockAgentFunctionResponse>;

/** A parameter value as Powertools hands it to a tool function. */
export type ParameterValue = string | number | boolean | ParameterValue[];

/** The JSON body returned to the agent when a tool cannot answer. */
export interface ToolErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * The default context of a deployed Lambda: the configured knowledge base (ingesting the corpus first
 * when `KB_AUTO_INGEST` is on), an empty in-memory defect history and the system clock.
 */
export async function openDefaultToolContext(): Promise<ToolContext> {
  const config = loadConfig();
  const configured = await openConfiguredKnowledgeBase(config);
  if (config.autoIngest) await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
  return {
    knowledgeBase: configured.knowledgeBase,
    defectHistory: createInMemoryDefectHistory(),
    now: () => new Date(),
  };
}

/** Memoises a context factory; a failed attempt is forgotten so the next invocation retries. */
function lazily(createContext: ToolContextFactory): ToolContextFactory {
  let pending: Promise<ToolContext> | null = null;
  return () => {
    pending ??= createContext().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | undefined;

function jsonType(schema: Record<string, unknown> | undefined): JsonType {
  const type = schema?.type;
  return type === 'string' ||
    type === 'number' ||
    type === 'integer' ||
    type === 'boolean' ||
    type === 'array'
    ? type
    : undefined;
}

function coerceScalar(value: ParameterValue, type: JsonType): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if ((type === 'number' || type === 'integer') && trimmed !== '' && Number.isFinite(Number(trimmed)))
    return Number(trimmed);
  if (type === 'boolean' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return value;
}

/**
 * Parses an array parameter, which Bedrock sends as a string: JSON (`["a","b"]`) or the looser
 * `[a, b]` form. A value that is not an array is returned unchanged for validation to reject.
 */
export function parseArrayParameter(value: string, itemType: JsonType): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    /* not JSON: try the bracketed, comma-separated form below */
  }
  const match = /^\s*\[(.*)\]\s*$/s.exec(value);
  if (!match) return value;
  const body = match[1]?.trim() ?? '';
  if (body === '') return [];
  return body
    .split(',')
    .map((item) => item.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .map((item) => coerceScalar(item, itemType));
}

/**
 * Turns the parameters Powertools hands over into the tool's input: arrays given as strings are
 * parsed, and numbers or booleans declared as strings by the agent are converted where the schema
 * expects them. Anything else is left for the zod schema to judge.
 */
export function coerceParameters(
  tool: ToolDefinition,
  params: Record<string, ParameterValue>,
): Record<string, unknown> {
  const properties = (toToolSpec(tool).inputSchema.json.properties ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const property = properties[name];
    const type = jsonType(property);
    if (type === 'array' && typeof value === 'string') {
      input[name] = parseArrayParameter(
        value,
        jsonType(property?.items as Record<string, unknown> | undefined),
      );
    } else {
      input[name] = coerceScalar(value, type);
    }
  }
  return input;
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
 * BedrockAgentFunctionResolver; a call validates its parameters with the tool's zod schema and
 * returns the output as JSON. A validation error comes back as a JSON error body with the
 * REPROMPT state, so the agent can correct its arguments; other errors as a JSON error body.
 * The tool context is created on the first call and reused while the container is warm.
 */
export function createActionGroupHandler(
  group: ActionGroup,
  createContext: ToolContextFactory,
): ActionGroupHandler {
  const getContext = lazily(createContext);
  const resolver = new BedrockAgentFunctionResolver();
  for (const tool of group.tools) {
    resolver.tool(
      async (params, { event }) => {
        try {
          const context = await getContext();
          const output = await invokeTool({ tool, input: coerceParameters(tool, params), context });
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
