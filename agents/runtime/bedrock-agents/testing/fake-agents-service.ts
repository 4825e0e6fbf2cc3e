import { randomUUID } from 'node:crypto';
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { z } from 'zod';
import {
  toFunctionSchema,
  toToolSpec,
  type ActionGroup,
  type BedrockFunctionSchema,
} from '../../../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../../../action-groups/index.ts';
import { ModelThrottledError } from '../../../../domain/index.ts';
import type { AgentDefinition, AgentId } from '../../../definition.ts';
import { classifierAgent, correctiveActionAgent, rootCauseAgent } from '../../../index.ts';
import {
  messageText,
  type ContentBlock,
  type ConverseParams,
  type ConverseResult,
  type Message,
  type Model,
} from '../../../models/model.ts';
import {
  chunk,
  frame,
  startInvokeAgentServer,
  trace,
  type Frame,
  type InvokeAgentServer,
  type RecordedRequest,
  type Script,
} from '../../../testing/invoke-agent-server.ts';
import { agentTools } from '../../local-runtime.ts';
import type { BedrockAgentAlias } from '../bedrock-agents-runtime.ts';

/** The alias every fake agent is deployed under: Bedrock's built-in test alias, which points at `DRAFT`. */
export const TEST_ALIAS_ID = 'TSTALIASID';

/** The agent id the fake service gives one of our agents: its name in capitals, ten characters. */
export function fakeAgentId(name: AgentId): string {
  return name.replaceAll('-', '').toUpperCase().padEnd(10, 'X').slice(0, 10);
}

/** One call the service made to the hosted model, and the invocation it belonged to. */
export interface HostedModelCall {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
  /** What the model was asked (a copy; the signal left out). */
  params: Omit<ConverseParams, 'signal'>;
}

/** One finished exchange of a session: the user's input and the agent's final answer. */
export interface SessionExchange {
  inputText: string;
  answer: string;
}

/** What the service remembers of one session. */
export interface FakeSessionView {
  /** The session attributes sent so far, merged. */
  attributes: Record<string, string>;
  /** The finished exchanges, oldest first: the conversation history the model is shown. */
  history: readonly SessionExchange[];
  /** The invocation id of the RETURN_CONTROL request awaiting its results, if any. */
  pendingInvocationId?: string;
}

/** Options of {@link startFakeAgentsService}. */
export interface FakeAgentsServiceOptions {
  /** The foundation model every deployed agent runs on (e.g. the offline model). */
  model: Model;
  /** The deployed agents; the classifier, root-cause analyst and corrective-action planner by default. */
  agents?: readonly AgentDefinition[];
  /** The action groups the agents' definitions name; all of `action-groups/` by default. */
  actionGroups?: readonly ActionGroup[];
  /** Bytes of the final answer per `chunk` event. 64 by default. */
  chunkBytes?: number;
  /** Model calls one request may make when the model names functions that do not exist. 4 by default. */
  maxModelCallsPerRequest?: number;
}

/**
 * A fake Bedrock Agents service: InvokeAgent over a local HTTP server, for agents whose action
 * groups all return control (RETURN_CONTROL) to the caller. See {@link startFakeAgentsService}.
 */
export interface FakeAgentsService {
  /** The base URL to point a client at. */
  readonly endpoint: string;
  /** The deployed agent and alias of each agent, as `createBedrockAgentsRuntime` takes them. */
  readonly aliases: Partial<Record<AgentId, BedrockAgentAlias>>;
  /** Every InvokeAgent request received, in order, as it arrived. */
  readonly requests: readonly RecordedRequest[];
  /** Every call to the hosted model, in order. */
  readonly modelCalls: readonly HostedModelCall[];
  /**
   * Answers that come before the service's own, in order: queue an error or a stream here to
   * inject a fault (e.g. a throttling exception) into the next request.
   */
  readonly scripts: Script[];
  /** What the service remembers of a session of an agent, or undefined when it has none. */
  session(agent: AgentId, sessionId: string): FakeSessionView | undefined;
  /** A real `BedrockAgentRuntimeClient` pointed at the service, with the SDK's retries off. */
  createClient(): BedrockAgentRuntimeClient;
  /** Forgets requests, model calls, queued scripts and sessions. */
  reset(): void;
  close(): Promise<void>;
}

const AttributeMap = z.record(z.string(), z.string());

const ResponseBody = z.record(z.string(), z.object({ body: z.string() }));

const FunctionResult = z.object({
  actionGroup: z.string().min(1),
  function: z.string().optional(),
  responseBody: ResponseBody.optional(),
  responseState: z.enum(['FAILURE', 'REPROMPT']).optional(),
  agentId: z.string().optional(),
});

const ApiResult = z.object({
  actionGroup: z.string().min(1),
  apiPath: z.string().optional(),
  httpMethod: z.string().optional(),
  httpStatusCode: z.number().int().optional(),
  responseBody: ResponseBody.optional(),
  responseState: z.enum(['FAILURE', 'REPROMPT']).optional(),
  agentId: z.string().optional(),
});

const InvocationResult = z.union([
  z.object({ functionResult: FunctionResult }),
  z.object({ apiResult: ApiResult }),
]);

/** The parts of an InvokeAgent request body the service reads, with the limits of the API reference. */
const InvokeAgentBody = z.object({
  inputText: z.string().max(25_000_000).optional(),
  enableTrace: z.boolean().optional(),
  endSession: z.boolean().optional(),
  memoryId: z
    .string()
    .regex(/^[0-9a-zA-Z._:-]{2,100}$/)
    .optional(),
  sessionState: z
    .object({
      sessionAttributes: AttributeMap.optional(),
      promptSessionAttributes: AttributeMap.optional(),
      invocationId: z.string().optional(),
      returnControlInvocationResults: z.array(InvocationResult).min(1).max(5).optional(),
    })
    .optional(),
});

type InvokeAgentBody = z.infer<typeof InvokeAgentBody>;
type InvocationResult = z.infer<typeof InvocationResult>;

const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;

/** A tool use of the model, and how it is answered: by the caller (RETURN_CONTROL) or by the service. */
interface PendingToolUse {
  toolUseId: string;
  name: string;
  /** The action group of a known function; absent when the service answers the call itself. */
  actionGroup?: string;
  /** Why the service answered the call itself (the function does not exist). */
  error?: string;
}

/** One InvokeAgent orchestration: from the user's input to the final answer, across RETURN_CONTROL round trips. */
interface Orchestration {
  /** The prefix of its trace ids. */
  id: string;
  inputText: string;
  mode: string;
  messages: Message[];
  nextTrace: number;
  pending?: { invocationId: string; toolUses: PendingToolUse[] };
}

interface Session {
  attributes: Record<string, string>;
  history: SessionExchange[];
  orchestration?: Orchestration;
}

interface DeployedAgent extends BedrockAgentAlias {
  definition: AgentDefinition;
}

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

function validationError(message: string): ServiceError {
  return new ServiceError(400, 'ValidationException', message);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The string value of one function parameter as Bedrock sends it: strings as they are, numbers
 * and booleans in their text form, arrays and objects as JSON.
 */
function parameterValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The body of a RETURN_CONTROL result (its first content type, `TEXT` as this service's callers send it). */
function resultBody(result: InvocationResult): string {
  const member = 'functionResult' in result ? result.functionResult : result.apiResult;
  return Object.values(member.responseBody ?? {})[0]?.body ?? '';
}

/**
 * The tool result block the model gets for one RETURN_CONTROL result: a `FAILURE` or `REPROMPT` as a
 * tool error with the body as text, else the body as JSON when it parses, as text when it does not.
 */
function toolResultBlock(toolUseId: string, result: InvocationResult): ContentBlock {
  const member = 'functionResult' in result ? result.functionResult : result.apiResult;
  const body = resultBody(result);
  if (member.responseState) {
    return { toolResult: { toolUseId, content: [{ text: body || member.responseState }], status: 'error' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { toolResult: { toolUseId, content: [{ text: body }], status: 'success' } };
  }
  return { toolResult: { toolUseId, content: [{ json }], status: 'success' } };
}

/** Splits UTF-8 bytes into pieces of `size` bytes; a piece may end inside a character. */
function byteChunks(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  return pieces;
}

/** The conversation history as the orchestration prompt shows it (Bedrock's `$conversation_history$`). */
function historyPrompt(history: readonly SessionExchange[]): string {
  return [
    'Conversation history of this session, oldest first:',
    ...history.map(
      (exchange, index) =>
        `<exchange index="${index + 1}">\nUser: ${exchange.inputText}\nAgent: ${exchange.answer}\n</exchange>`,
    ),
  ].join('\n');
}

/** The exception event a failed model call ends the stream with. */
function modelFailureFrame(error: unknown, modelId: string): Frame {
  const message = error instanceof Error ? error.message : String(error);
  const throttled =
    error instanceof ModelThrottledError || (error instanceof Error && /throttl/i.test(error.name));
  return throttled
    ? frame({ messageType: 'exception', type: 'throttlingException', payload: { message } })
    : frame({
        messageType: 'exception',
        type: 'dependencyFailedException',
        payload: { message: `The foundation model ${modelId} failed: ${message}`, resourceName: modelId },
      });
}

/**
 * Starts a fake Bedrock Agents service on a free loopback port. It speaks InvokeAgent
 * (`POST /agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text`, AWS event-stream
 * frames) for our agent definitions, each deployed under {@link fakeAgentId} and
 * {@link TEST_ALIAS_ID}, with every action group returning control to the caller, and it hosts
 * `model` as their foundation model:
 *
 * - A request with `inputText` starts an orchestration: the model is asked as the local runtime
 *   asks it (the agent's instruction, its action groups' tools as `toToolSpec` gives them, the
 *   agent and the mode in `requestMetadata`), plus the session's earlier exchanges as conversation
 *   history. The mode comes from the prompt session attribute `mode` (`analyze` when absent). As in
 *   the local runtime, the knowledge base is reached through the action groups' tools; the agents'
 *   attached knowledge base is not offered as a tool of its own.
 * - When the model asks for tools, the stream ends with a `returnControl` event whose
 *   `invocationInputs` carry one `functionInvocationInput` per call, its `parameters` as Bedrock
 *   sends them (`[{name, type, value}]`, string values, objects and arrays as JSON, only the
 *   parameters the function schema declares). A function the agent does not have is answered by the
 *   service with an error, as Bedrock reprompts the model.
 * - The next request of the session brings `sessionState.returnControlInvocationResults` with the
 *   same `invocationId`; the results go back to the model (`FAILURE` and `REPROMPT` as tool errors)
 *   and the orchestration goes on.
 * - The final answer is streamed as `chunk` events of {@link FakeAgentsServiceOptions.chunkBytes}
 *   bytes. With `enableTrace`, orchestration traces come first: `modelInvocationInput`,
 *   `modelInvocationOutput` (raw response, usage, time), `rationale`, `invocationInput` for each
 *   returned call, `observation` for each result and for the final answer.
 * - Unknown agents and aliases get a 404 `ResourceNotFoundException`; malformed requests and results
 *   that do not answer the pending invocation a 400 `ValidationException`; a failing model ends the
 *   stream with a `throttlingException` (when throttled) or a `dependencyFailedException`.
 * - Session attributes are kept per session; `endSession` forgets the session after its answer. A
 *   new `inputText` while results are pending abandons the pending invocation.
 *
 * Every request is recorded as it arrived, and every model call with its session. Multi-agent
 * collaboration (the supervisor), Lambda-run action groups and agent memory (beyond echoing the
 * `memoryId`) are not emulated.
 */
export async function startFakeAgentsService(options: FakeAgentsServiceOptions): Promise<FakeAgentsService> {
  const { model } = options;
  const groups = options.actionGroups ?? ACTION_GROUPS;
  const chunkBytes = options.chunkBytes ?? 64;
  const maxModelCalls = options.maxModelCallsPerRequest ?? 4;
  const deployed: DeployedAgent[] = (
    options.agents ?? [classifierAgent, rootCauseAgent, correctiveActionAgent]
  ).map((definition) => ({ definition, agentId: fakeAgentId(definition.name), agentAliasId: TEST_ALIAS_ID }));
  const sessions = new Map<string, Session>();
  const modelCalls: HostedModelCall[] = [];
  const functionSchemas = new Map<string, BedrockFunctionSchema>();

  const sessionKey = (agentId: string, sessionId: string): string => `${agentId}/${sessionId}`;

  function functionSchemaOf(group: ActionGroup): BedrockFunctionSchema {
    let schema = functionSchemas.get(group.name);
    if (!schema) {
      schema = toFunctionSchema(group);
      functionSchemas.set(group.name, schema);
    }
    return schema;
  }

  /** The action group of an agent that holds a function, or undefined. */
  function groupOf(agent: AgentDefinition, functionName: string): ActionGroup | undefined {
    return groups.find(
      (group) =>
        agent.actionGroups.includes(group.name) && group.tools.some((tool) => tool.name === functionName),
    );
  }

  /** The `parameters` of a function invocation, as Bedrock builds them from the model's tool input. */
  function functionParameters(
    group: ActionGroup,
    functionName: string,
    input: unknown,
  ): Array<{ name: string; type: string; value: string }> {
    const declared = functionSchemaOf(group).functions.find((candidate) => candidate.name === functionName);
    if (!declared || !input || typeof input !== 'object') return [];
    return Object.entries(input).flatMap(([name, value]) => {
      const parameter = declared.parameters[name];
      if (!parameter || value === undefined) return [];
      return [{ name, type: parameter.type, value: parameterValue(value) }];
    });
  }

  async function respond(request: RecordedRequest, signal: AbortSignal): Promise<Script> {
    try {
      return { frames: invoke(request, signal) };
    } catch (error) {
      if (error instanceof ServiceError)
        return { error: { status: error.status, type: error.type, message: error.message } };
      throw error;
    }
  }

  /**
   * Checks a request in full before it changes its session (a refused request changes nothing), then
   * returns the frames, which run the model as they are streamed.
   */
  function invoke(request: RecordedRequest, signal: AbortSignal): AsyncIterable<Frame> {
    const { agentId, agentAliasId, sessionId } = request;
    if (request.method !== 'POST' || !agentId || !agentAliasId || sessionId === undefined)
      throw new ServiceError(
        404,
        'UnknownOperationException',
        `no operation at ${request.method} ${request.url}`,
      );
    const agent = deployed.find(
      (candidate) => candidate.agentId === agentId && candidate.agentAliasId === agentAliasId,
    );
    if (!agent)
      throw new ServiceError(
        404,
        'ResourceNotFoundException',
        `Failed to retrieve resource because it doesn't exist. Retry the request with a different resource identifier (agent ${agentId}, alias ${agentAliasId}).`,
      );
    if (!SESSION_ID.test(sessionId))
      throw validationError(`sessionId: must match ${SESSION_ID.source}, got ${JSON.stringify(sessionId)}`);
    const parsed = InvokeAgentBody.safeParse(request.body);
    if (!parsed.success) throw validationError(describeIssues(parsed.error));
    const body = parsed.data;
    const key = sessionKey(agentId, sessionId);
    const session: Session = sessions.get(key) ?? { attributes: {}, history: [] };
    const results = body.sessionState?.returnControlInvocationResults;
    let orchestration: Orchestration;
    let observations: Array<{ toolUse: PendingToolUse; result: InvocationResult }> = [];
    if (results) {
      ({ orchestration, observations } = acceptResults(session, body, results));
    } else {
      const inputText = body.inputText ?? '';
      if (inputText.trim() === '')
        throw validationError('inputText must not be empty unless returnControlInvocationResults are sent');
      orchestration = {
        id: randomUUID(),
        inputText,
        mode: body.sessionState?.promptSessionAttributes?.mode ?? 'analyze',
        messages: [{ role: 'user', content: [{ text: inputText }] }],
        nextTrace: 0,
      };
    }
    Object.assign(session.attributes, body.sessionState?.sessionAttributes ?? {});
    session.orchestration = orchestration;
    sessions.set(key, session);
    return orchestrate({ agent, sessionId, session, orchestration, observations, body, signal });
  }

  /** Matches RETURN_CONTROL results to the pending invocation and adds them to the conversation. */
  function acceptResults(
    session: Session,
    body: InvokeAgentBody,
    results: readonly InvocationResult[],
  ): {
    orchestration: Orchestration;
    observations: Array<{ toolUse: PendingToolUse; result: InvocationResult }>;
  } {
    const orchestration = session.orchestration;
    const pending = orchestration?.pending;
    const invocationId = body.sessionState?.invocationId;
    if (!orchestration || !pending)
      throw validationError(
        'returnControlInvocationResults were sent, but no RETURN_CONTROL request is pending in this session',
      );
    if (invocationId !== pending.invocationId)
      throw validationError(
        `invocationId ${JSON.stringify(invocationId)} does not match the pending RETURN_CONTROL invocation ${pending.invocationId}`,
      );
    const returned = pending.toolUses.filter((toolUse) => toolUse.actionGroup !== undefined);
    if (results.length !== returned.length)
      throw validationError(
        `returnControlInvocationResults holds ${results.length} results for ${returned.length} invocation inputs`,
      );
    const observations = returned.map((toolUse, index) => {
      const result = results[index] as InvocationResult;
      const member = 'functionResult' in result ? result.functionResult : result.apiResult;
      const functionName = 'functionResult' in result ? result.functionResult.function : undefined;
      if (member.actionGroup !== toolUse.actionGroup || functionName !== toolUse.name)
        throw validationError(
          `returnControlInvocationResults.${index} answers ${member.actionGroup}.${functionName ?? '?'}, but the invocation input asked for ${toolUse.actionGroup ?? '?'}.${toolUse.name}`,
        );
      return { toolUse, result };
    });
    const content = pending.toolUses.map((toolUse): ContentBlock => {
      const observation = observations.find((candidate) => candidate.toolUse === toolUse);
      return observation
        ? toolResultBlock(toolUse.toolUseId, observation.result)
        : {
            toolResult: {
              toolUseId: toolUse.toolUseId,
              content: [{ text: toolUse.error ?? 'not answered' }],
              status: 'error',
            },
          };
    });
    orchestration.messages.push({ role: 'user', content });
    orchestration.pending = undefined;
    return { orchestration, observations };
  }

  async function* orchestrate({
    agent,
    sessionId,
    session,
    orchestration,
    observations,
    body,
    signal,
  }: {
    agent: DeployedAgent;
    sessionId: string;
    session: Session;
    orchestration: Orchestration;
    observations: ReadonlyArray<{ toolUse: PendingToolUse; result: InvocationResult }>;
    body: InvokeAgentBody;
    signal: AbortSignal;
  }): AsyncGenerator<Frame> {
    const { definition } = agent;
    const enableTrace = body.enableTrace ?? false;
    const envelope = {
      agentId: agent.agentId,
      agentAliasId: agent.agentAliasId,
      agentVersion: 'DRAFT',
      sessionId,
    };
    const traceFrame = (orchestrationTrace: Record<string, unknown>): Frame =>
      trace({ orchestrationTrace, ...envelope, eventTime: new Date().toISOString() });
    const nextTraceId = (): string => {
      const id = `${orchestration.id}-${orchestration.nextTrace}`;
      orchestration.nextTrace += 1;
      return id;
    };

    if (enableTrace) {
      for (const { result } of observations) {
        yield traceFrame({
          observation: {
            traceId: nextTraceId(),
            type: 'ACTION_GROUP',
            actionGroupInvocationOutput: { text: resultBody(result) },
          },
        });
      }
    }

    const tools = agentTools(definition, groups).map(toToolSpec);
    for (let call = 0; call < maxModelCalls; call += 1) {
      const params: Omit<ConverseParams, 'signal'> = {
        system: [
          { text: definition.instruction },
          ...(session.history.length > 0 ? [{ text: historyPrompt(session.history) }] : []),
        ],
        messages: orchestration.messages,
        tools,
        toolChoice: { auto: {} },
        requestMetadata: { agent: definition.name, mode: orchestration.mode },
      };
      const traceId = nextTraceId();
      if (enableTrace) {
        yield traceFrame({
          modelInvocationInput: {
            traceId,
            type: 'ORCHESTRATION',
            text: JSON.stringify({ system: params.system, messages: params.messages, tools }),
            foundationModel: model.id,
            inferenceConfiguration: {
              maximumLength: 2048,
              temperature: 0,
              topP: 1,
              topK: 250,
              stopSequences: [],
            },
            promptCreationMode: 'DEFAULT',
            parserMode: 'DEFAULT',
          },
        });
      }
      modelCalls.push({
        agentId: agent.agentId,
        agentAliasId: agent.agentAliasId,
        sessionId,
        params: { ...params, messages: structuredClone(params.messages) },
      });
      const started = Date.now();
      let result: ConverseResult;
      try {
        result = await model.converse({ ...params, messages: [...params.messages], signal });
      } catch (error) {
        if (signal.aborted) return;
        yield modelFailureFrame(error, model.id);
        return;
      }
      if (signal.aborted) return;
      const ended = Date.now();
      const message = result.output.message;
      orchestration.messages.push(message);
      if (enableTrace) {
        yield traceFrame({
          modelInvocationOutput: {
            traceId,
            rawResponse: {
              content: JSON.stringify({
                output: result.output,
                stopReason: result.stopReason,
                usage: result.usage,
              }),
            },
            metadata: {
              usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
              totalTimeMs: result.metrics?.latencyMs ?? ended - started,
              startTime: new Date(started).toISOString(),
              endTime: new Date(ended).toISOString(),
            },
          },
        });
      }
      const toolUses = message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
      if (toolUses.length === 0) {
        const answer = messageText(message);
        if (enableTrace) {
          yield traceFrame({
            observation: { traceId, type: 'FINISH', finalResponse: { text: answer } },
          });
        }
        session.history.push({ inputText: orchestration.inputText, answer });
        session.orchestration = undefined;
        if (body.endSession) sessions.delete(sessionKey(agent.agentId, sessionId));
        for (const piece of byteChunks(answer, chunkBytes)) yield chunk(piece);
        return;
      }
      const rationale = messageText(message);
      if (enableTrace && rationale) yield traceFrame({ rationale: { traceId, text: rationale } });

      const pending: PendingToolUse[] = toolUses.map((toolUse) => {
        const group = groupOf(definition, toolUse.name);
        return group
          ? { toolUseId: toolUse.toolUseId, name: toolUse.name, actionGroup: group.name }
          : {
              toolUseId: toolUse.toolUseId,
              name: toolUse.name,
              error: `The function ${toolUse.name} is not defined in any action group of agent ${definition.name}.`,
            };
      });
      const returned = pending.filter((toolUse) => toolUse.actionGroup !== undefined);
      if (returned.length === 0) {
        const reprompt = pending.map((toolUse) => toolUse.error).join(' ');
        if (enableTrace) {
          yield traceFrame({
            observation: {
              traceId,
              type: 'REPROMPT',
              repromptResponse: { text: reprompt, source: 'PARSER' },
            },
          });
        }
        orchestration.messages.push({
          role: 'user',
          content: pending.map((toolUse) => ({
            toolResult: {
              toolUseId: toolUse.toolUseId,
              content: [{ text: toolUse.error ?? '' }],
              status: 'error',
            },
          })),
        });
        continue;
      }
      const invocationId = randomUUID();
      const invocationInputs = returned.map((toolUse) => {
        const group = groups.find((candidate) => candidate.name === toolUse.actionGroup) as ActionGroup;
        const input = toolUses.find((candidate) => candidate.toolUseId === toolUse.toolUseId)?.input;
        return {
          functionInvocationInput: {
            actionGroup: group.name,
            function: toolUse.name,
            parameters: functionParameters(group, toolUse.name, input),
            actionInvocationType: 'RESULT',
          },
        };
      });
      if (enableTrace) {
        for (const { functionInvocationInput } of invocationInputs) {
          yield traceFrame({
            invocationInput: {
              traceId,
              invocationType: 'ACTION_GROUP',
              actionGroupInvocationInput: {
                actionGroupName: functionInvocationInput.actionGroup,
                function: functionInvocationInput.function,
                parameters: functionInvocationInput.parameters,
                executionType: 'RETURN_CONTROL',
                invocationId,
              },
            },
          });
        }
      }
      orchestration.pending = { invocationId, toolUses: pending };
      yield frame({
        messageType: 'event',
        type: 'returnControl',
        payload: { invocationId, invocationInputs },
      });
      return;
    }
    yield frame({
      messageType: 'exception',
      type: 'internalServerException',
      payload: { message: `the model named unknown functions in ${maxModelCalls} calls in a row` },
    });
  }

  const server: InvokeAgentServer = await startInvokeAgentServer({ respond });

  return {
    endpoint: server.endpoint,
    aliases: Object.fromEntries(
      deployed.map((agent) => [
        agent.definition.name,
        { agentId: agent.agentId, agentAliasId: agent.agentAliasId },
      ]),
    ),
    requests: server.requests,
    modelCalls,
    scripts: server.scripts,
    session(agent, sessionId) {
      const found = sessions.get(sessionKey(fakeAgentId(agent), sessionId));
      if (!found) return undefined;
      const pendingInvocationId = found.orchestration?.pending?.invocationId;
      return {
        attributes: { ...found.attributes },
        history: [...found.history],
        ...(pendingInvocationId ? { pendingInvocationId } : {}),
      };
    },
    createClient: () => server.createClient(),
    reset() {
      server.reset();
      modelCalls.length = 0;
      sessions.clear();
    },
    close: () => server.close(),
  };
}
