import { setTimeout as delay } from 'node:timers/promises';
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type ApiInvocationInput,
  type FunctionInvocationInput,
  type FunctionParameter,
  type InvocationResultMember,
  type InvokeAgentCommandInput,
  type Metadata,
  type RawResponse,
  type ResponseStream,
  type ReturnControlPayload,
  type TracePart,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { z } from 'zod';
import {
  invokeTool,
  toToolInput,
  type ActionGroup,
  type ToolResources,
} from '../../../action-groups/action-group.ts';
import { scopeSessionAttributes } from '../../../action-groups/lambda-scope.ts';
import { UNRESTRICTED, type AccessScope } from '../../../action-groups/scope.ts';
import { ACTION_GROUPS } from '../../../action-groups/index.ts';
import {
  AgentOutputError,
  awsErrorKind,
  AgentStepLimitError,
  CancelledError,
  ConfigError,
  isDomainError,
  ModelThrottledError,
  SupervisorOutput,
  TimeoutError,
  UpstreamError,
  ValidationError,
} from '../../../domain/index.ts';
import type { AgentDefinition, AgentId } from '../../definition.ts';
import { addUsage, NO_USAGE, type ContentBlock, type TokenUsage } from '../../models/model.ts';
import { supervisorAgent } from '../../supervisor/definition.ts';
import { runToCompletion, type AgentEvent, type AgentRuntime, type InvokeParams } from '../agent-runtime.ts';
import { extractJson } from '../local-runtime.ts';
import { withSignal } from '../with-signal.ts';

/** The deployed Bedrock agent and alias that serve one of our agents. */
export interface BedrockAgentAlias {
  agentId: string;
  agentAliasId: string;
}

/** Waits `ms` milliseconds; rejects when the signal aborts. */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Settings of {@link createBedrockAgentsRuntime}. */
export interface BedrockAgentsRuntimeConfig {
  /**
   * The client to send InvokeAgent with. When omitted, one is created for `region` with the SDK's
   * own retries switched off (`maxAttempts: 1`), so that this runtime's retry is the only one.
   */
  client?: BedrockAgentRuntimeClient;
  /** Region of the client created when `client` is omitted. */
  region?: string;
  /** The deployed agent and alias of each of our agents, by agent name. */
  agents: Partial<Record<AgentId, BedrockAgentAlias>>;
  /** What tools get when RETURN_CONTROL is answered in-process. */
  toolContext: ToolResources;
  /** The action groups RETURN_CONTROL requests may name; all of `action-groups/` by default. */
  actionGroups?: readonly ActionGroup[];
  /** Whether the agent streams its traces (model calls, tool calls, retrievals). True by default. */
  enableTrace?: boolean;
  /** Agent memory id, for agents deployed with memory. */
  memoryId?: string;
  /** Session attributes sent with every InvokeAgent call. */
  sessionAttributes?: Record<string, string>;
  /** Retries of one InvokeAgent call on throttling and 5xx errors. 3 by default. */
  maxRetries?: number;
  /** First backoff ceiling in ms; doubled on each retry (full jitter). 250 by default. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. 10,000 by default. */
  maxDelayMs?: number;
  /** RETURN_CONTROL round trips per invocation. 10 by default. */
  maxReturnControlRounds?: number;
  /** Limit of each in-process tool call, in ms. 30,000 by default. */
  toolTimeoutMs?: number;
  /**
   * Limit of each wait on the service, in ms: for an InvokeAgent response to start, and for each
   * event of its stream (a model call of the agent happens between two events). Time spent by the
   * caller between events does not count. 60,000 by default.
   */
  callTimeoutMs?: number;
  /** The backoff wait, injected so tests do not wait. */
  sleep?: SleepFunction;
  /** A number in [0, 1), injected so the jitter is deterministic in tests. */
  random?: () => number;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Iterates an async iterable, stopping at once when the signal aborts, or with the error of
 * `timeout` when one wait for the next item lasts longer than its limit.
 */
async function* abortable<T>(
  iterable: AsyncIterable<T>,
  signal: AbortSignal | undefined,
  timeout: WaitLimit,
): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      const next = await timeout.wait(withSignal(iterator.next(), signal));
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/** A limit on each wait of one InvokeAgent call; when a wait exceeds it, the call is aborted. */
interface WaitLimit {
  /** Aborts when a wait timed out: the request's own signal, besides the caller's. */
  readonly signal: AbortSignal;
  /** Resolves as the promise does, or rejects with the timeout error when the limit passes first. */
  wait<T>(promise: Promise<T>): Promise<T>;
}

function waitLimit(ms: number, timeoutError: () => TimeoutError): WaitLimit {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    wait(promise) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const error = timeoutError();
          controller.abort(error);
          promise.catch(() => undefined);
          reject(error);
        }, ms);
        promise.then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      });
    },
  };
}

/** The user turn as InvokeAgent's `inputText`: the text blocks, joined. */
export function inputText(input: string | ContentBlock[]): string {
  if (typeof input === 'string') return input;
  return input
    .flatMap((block) => ('text' in block ? [block.text] : []))
    .join('\n')
    .trim();
}

/**
 * The input of an action-group call that a trace reports (the Lambda ran it): converted by the
 * tool's schema when the tool is known (see {@link toToolInput}), else by the declared types; a
 * malformed object parameter is reported as sent, since the Lambda answers it.
 */
function tracedInput(
  groups: readonly ActionGroup[],
  actionGroup: string | undefined,
  functionName: string | undefined,
  parameters: readonly FunctionParameter[] | undefined,
): Record<string, unknown> {
  const tool = groups
    .find((group) => group.name === actionGroup)
    ?.tools.find((candidate) => candidate.name === functionName);
  try {
    return toToolInput({ tool, parameters });
  } catch {
    return toToolInput({ parameters });
  }
}

function toUsage(metadata: Metadata | undefined): TokenUsage {
  const inputTokens = metadata?.usage?.inputTokens ?? 0;
  const outputTokens = metadata?.usage?.outputTokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** The stop reason inside a model's raw response (Anthropic `stop_reason`, Converse `stopReason`). */
function stopReasonOf(raw: RawResponse | undefined): string {
  if (!raw?.content) return 'unknown';
  try {
    const parsed: unknown = JSON.parse(raw.content);
    if (parsed && typeof parsed === 'object') {
      if ('stop_reason' in parsed && typeof parsed.stop_reason === 'string') return parsed.stop_reason;
      if ('stopReason' in parsed && typeof parsed.stopReason === 'string') return parsed.stopReason;
    }
  } catch {
    // raw responses are not always JSON
  }
  return 'unknown';
}

/** Chunk ids of retrieved references: `chunk_id` metadata, else Bedrock KB's own chunk id. */
function referenceChunkIds(references: ReadonlyArray<{ metadata?: Record<string, unknown> }>): string[] {
  const ids = new Set<string>();
  for (const reference of references) {
    const id = reference.metadata?.chunk_id ?? reference.metadata?.['x-amz-bedrock-kb-chunk-id'];
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** Chunk ids anywhere in a tool output (`chunk_id` keys), as the local runtime reports them. */
function collectChunkIds(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectChunkIds(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'chunk_id' && typeof item === 'string') found.add(item);
      else collectChunkIds(item, found);
    }
  }
}

/** Stream exception members that the SDK may hand over as events instead of throwing them. */
function streamException(event: ResponseStream): Error | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('Exception') || value === undefined) continue;
    if (value instanceof Error) return value;
    const message =
      value && typeof value === 'object' && 'message' in value && typeof value.message === 'string'
        ? value.message
        : key;
    const error = new Error(message);
    error.name = key.charAt(0).toUpperCase() + key.slice(1);
    return error;
  }
  return undefined;
}

interface CallState {
  agent: AgentDefinition;
  /** What the tools answered in-process may read. */
  scope: AccessScope;
  step: number;
  usage: TokenUsage;
  traceCount: number;
}

/** Maps one trace part to our events; model usage is added to the state. */
function* traceEvents(
  part: TracePart,
  state: CallState,
  groups: readonly ActionGroup[],
): Generator<AgentEvent> {
  const trace = part.trace;
  if (!trace) return;
  const agentName = part.collaboratorName ?? state.agent.name;
  const modelOutputs: Array<{ metadata?: Metadata; rawResponse?: RawResponse } | undefined> = [
    trace.preProcessingTrace?.modelInvocationOutput,
    trace.orchestrationTrace?.modelInvocationOutput,
    trace.routingClassifierTrace?.modelInvocationOutput,
    trace.postProcessingTrace?.modelInvocationOutput,
  ];
  for (const output of modelOutputs) {
    if (!output) continue;
    const usage = toUsage(output.metadata);
    state.step += 1;
    state.usage = addUsage(state.usage, usage);
    yield {
      type: 'model_call',
      agent: agentName,
      step: state.step,
      durationMs: output.metadata?.totalTimeMs ?? 0,
      usage,
      stopReason: stopReasonOf(output.rawResponse),
    };
  }
  const step = Math.max(state.step, 1);
  const actionInput = trace.orchestrationTrace?.invocationInput;
  const action = actionInput?.actionGroupInvocationInput;
  // RETURN_CONTROL actions are reported when they run in-process, with their real status.
  if (action && action.executionType !== 'RETURN_CONTROL') {
    state.traceCount += 1;
    yield {
      type: 'tool_call',
      agent: agentName,
      step,
      toolUseId: actionInput.traceId ?? `trace-${state.traceCount}`,
      name: action.function ?? action.apiPath ?? action.actionGroupName ?? 'unknown',
      input: tracedInput(groups, action.actionGroupName, action.function, action.parameters),
      durationMs: 0,
      status: 'success',
    };
  }
  const references = trace.orchestrationTrace?.observation?.knowledgeBaseLookupOutput?.retrievedReferences;
  if (references && references.length > 0) {
    yield {
      type: 'retrieval',
      agent: agentName,
      step,
      tool: 'knowledge_base',
      chunkIds: referenceChunkIds(references),
    };
  }
}

function failureBody(message: string, details?: unknown): string {
  return JSON.stringify(details === undefined ? { error: message } : { error: message, details });
}

/**
 * Creates the `bedrock-agents` AgentRuntime: InvokeAgent on deployed agents. The invocation mode
 * goes to the agent as the prompt session attribute `mode`. Traces are mapped to our events as
 * they stream in; RETURN_CONTROL requests run the named tools in-process (arguments validated,
 * failures sent back as `REPROMPT` for invalid arguments and `FAILURE` otherwise); the final answer
 * is validated against the output schema ({@link AgentOutputError} when it does not match).
 * Throttling and 5xx errors, including those arriving as exception events inside the stream, are
 * retried with exponential backoff and full jitter; a service that goes quiet for longer than
 * `callTimeoutMs` throws a {@link TimeoutError}; cancellation throws a {@link CancelledError}.
 */
export function createBedrockAgentsRuntime(config: BedrockAgentsRuntimeConfig): AgentRuntime {
  const client =
    config.client ??
    new BedrockAgentRuntimeClient({
      ...(config.region ? { region: config.region } : {}),
      maxAttempts: 1,
    });
  const enableTrace = config.enableTrace ?? true;
  const maxRetries = config.maxRetries ?? 3;
  const baseDelayMs = config.baseDelayMs ?? 250;
  const maxDelayMs = config.maxDelayMs ?? 10_000;
  const maxRounds = config.maxReturnControlRounds ?? 10;
  const toolTimeoutMs = config.toolTimeoutMs ?? 30_000;
  const callTimeoutMs = config.callTimeoutMs ?? 60_000;
  const groups = config.actionGroups ?? ACTION_GROUPS;
  const sleep: SleepFunction = config.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  const random = config.random ?? Math.random;

  const cancelled = (agent: AgentDefinition, signal: AbortSignal): CancelledError =>
    new CancelledError(`${agent.name} was cancelled`, { cause: signal.reason });

  /** Runs the functions of one RETURN_CONTROL request; yields tool events, returns the results. */
  async function* answerReturnControl(
    payload: ReturnControlPayload,
    state: CallState,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<AgentEvent, InvocationResultMember[]> {
    const results: InvocationResultMember[] = [];
    const inputs = payload.invocationInputs ?? [];
    for (const [index, member] of inputs.entries()) {
      const toolUseId = `${payload.invocationId ?? 'return-control'}:${index}`;
      if (member.apiInvocationInput) {
        results.push(apiFailure(member.apiInvocationInput));
        continue;
      }
      const call = member.functionInvocationInput;
      if (!call) continue;
      const result = await runFunction(call, state, signal);
      if (signal?.aborted) throw cancelled(state.agent, signal);
      yield {
        type: 'tool_call',
        agent: call.collaboratorName ?? state.agent.name,
        step: Math.max(state.step, 1),
        toolUseId,
        name: call.function ?? 'unknown',
        input: result.input,
        durationMs: result.durationMs,
        status: result.error === undefined ? 'success' : 'error',
        ...(result.error === undefined ? {} : { error: result.error }),
      };
      if (result.output !== undefined) {
        const chunkIds = new Set<string>();
        collectChunkIds(result.output, chunkIds);
        if (chunkIds.size > 0) {
          yield {
            type: 'retrieval',
            agent: call.collaboratorName ?? state.agent.name,
            step: Math.max(state.step, 1),
            tool: call.function ?? 'unknown',
            chunkIds: [...chunkIds],
          };
        }
      }
      results.push({
        functionResult: {
          actionGroup: call.actionGroup,
          function: call.function,
          responseBody: { TEXT: { body: result.body } },
          ...(result.responseState ? { responseState: result.responseState } : {}),
          ...(call.agentId ? { agentId: call.agentId } : {}),
        },
      });
    }
    return results;
  }

  function apiFailure(call: ApiInvocationInput): InvocationResultMember {
    return {
      apiResult: {
        actionGroup: call.actionGroup,
        apiPath: call.apiPath,
        httpMethod: call.httpMethod,
        httpStatusCode: 501,
        responseState: 'FAILURE',
        responseBody: {
          TEXT: {
            body: failureBody('OpenAPI action groups are not served in-process; use function schemas'),
          },
        },
        ...(call.agentId ? { agentId: call.agentId } : {}),
      },
    };
  }

  async function runFunction(
    call: FunctionInvocationInput,
    state: CallState,
    signal: AbortSignal | undefined,
  ): Promise<{
    input: Record<string, unknown>;
    output?: unknown;
    body: string;
    durationMs: number;
    responseState?: 'FAILURE' | 'REPROMPT';
    error?: string;
  }> {
    // Converted by the declared types until the tool's schema converts them (see toToolInput).
    let input = toToolInput({ parameters: call.parameters });
    const started = performance.now();
    const { agent } = state;
    const allowed =
      (agent.collaborators?.length ?? 0) > 0 || agent.actionGroups.includes(call.actionGroup ?? '');
    const group = allowed ? groups.find((candidate) => candidate.name === call.actionGroup) : undefined;
    const tool = group?.tools.find((candidate) => candidate.name === call.function);
    if (!tool) {
      const error = `unknown function ${call.actionGroup ?? '?'}.${call.function ?? '?'} for agent ${agent.name}`;
      return {
        input,
        body: failureBody(error),
        durationMs: performance.now() - started,
        responseState: 'FAILURE',
        error,
      };
    }
    const timeout = AbortSignal.timeout(toolTimeoutMs);
    const toolSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      input = toToolInput({ tool, parameters: call.parameters });
      const output = await withSignal(
        invokeTool({
          tool,
          input,
          context: { ...config.toolContext, scope: state.scope, signal: toolSignal },
        }),
        toolSignal,
      );
      // What the agent reads of the result (its view), when the call is its own rather than a collaborator's.
      const view = call.collaboratorName ? undefined : agent.toolResultViews?.[tool.name];
      const seen = view ? view(output) : output;
      return { input, output: seen, body: JSON.stringify(seen), durationMs: performance.now() - started };
    } catch (error) {
      if (signal?.aborted) throw cancelled(agent, signal);
      const durationMs = performance.now() - started;
      if (error instanceof ValidationError) {
        return {
          input,
          body: failureBody(error.message, error.details),
          durationMs,
          responseState: 'REPROMPT',
          error: error.message,
        };
      }
      const message = timeout.aborted
        ? `tool ${tool.name} timed out after ${toolTimeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      return { input, body: failureBody(message), durationMs, responseState: 'FAILURE', error: message };
    }
  }

  /**
   * Sends one InvokeAgent request and consumes its stream, retrying throttling and transient
   * failures. Yields trace events; returns the answer text and any RETURN_CONTROL request.
   */
  async function* invokeOnce(
    request: InvokeAgentCommandInput,
    state: CallState,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<AgentEvent, { answer: string; returnControl?: ReturnControlPayload }> {
    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) throw cancelled(state.agent, signal);
      let answer = '';
      let returnControl: ReturnControlPayload | undefined;
      const timeout = waitLimit(
        callTimeoutMs,
        () => new TimeoutError(`${state.agent.name}: InvokeAgent sent nothing for ${callTimeoutMs} ms`),
      );
      const requestSignal = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
      try {
        const response = await timeout.wait(
          client.send(new InvokeAgentCommand(request), { abortSignal: requestSignal }),
        );
        if (!response.completion) throw new Error('InvokeAgent returned no completion stream');
        const decoder = new TextDecoder();
        for await (const event of abortable(response.completion, signal, timeout)) {
          const failure = streamException(event);
          if (failure) throw failure;
          if (event.chunk?.bytes) answer += decoder.decode(event.chunk.bytes, { stream: true });
          else if (event.trace) yield* traceEvents(event.trace, state, groups);
          else if (event.returnControl) returnControl = event.returnControl;
        }
        answer += decoder.decode();
        return returnControl ? { answer, returnControl } : { answer };
      } catch (error) {
        if (signal?.aborted) throw cancelled(state.agent, signal);
        if (isDomainError(error)) throw error;
        const kind = awsErrorKind(error);
        const what = `${state.agent.name}: InvokeAgent`;
        if (kind === 'fatal') throw new UpstreamError(`${what} failed: ${describe(error)}`, { cause: error });
        if (attempt >= maxRetries) {
          const message = `${what} failed after ${attempt + 1} attempts: ${describe(error)}`;
          if (kind === 'throttled') throw new ModelThrottledError(message, { cause: error });
          throw new UpstreamError(message, { cause: error, isRetryable: true });
        }
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
        try {
          await sleep(Math.floor(random() * ceiling), signal);
        } catch (sleepError) {
          if (signal?.aborted) throw cancelled(state.agent, signal);
          throw sleepError;
        }
      }
    }
  }

  return {
    async *invoke({
      agent,
      input,
      sessionId,
      mode = 'analyze',
      outputSchema,
      scope = UNRESTRICTED,
      signal,
    }: InvokeParams): AsyncIterable<AgentEvent> {
      const alias = config.agents[agent.name];
      if (!alias)
        throw new ConfigError(`no deployed Bedrock agent is configured for ${agent.name}`, {
          details: { agent: agent.name },
        });
      const schema: z.ZodType = outputSchema ?? agent.outputSchema;
      const started = performance.now();
      const state: CallState = { agent, scope, step: 0, usage: NO_USAGE, traceCount: 0 };
      const common = {
        agentId: alias.agentId,
        agentAliasId: alias.agentAliasId,
        sessionId,
        enableTrace,
        ...(config.memoryId ? { memoryId: config.memoryId } : {}),
      };
      // The mode reaches the agent's prompt as a prompt session attribute ($prompt_session_attributes$).
      // The scope reaches the action-group Lambdas as a session attribute (see scopeOfEvent).
      const attributes = {
        ...scopeSessionAttributes(config.sessionAttributes, scope),
        promptSessionAttributes: { mode },
      };
      let request: InvokeAgentCommandInput = {
        ...common,
        inputText: inputText(input),
        sessionState: attributes,
      };
      let calls = 0;

      for (let round = 0; round <= maxRounds; round += 1) {
        calls += 1;
        const { answer, returnControl } = yield* invokeOnce(request, state, signal);
        if (returnControl) {
          const results = yield* answerReturnControl(returnControl, state, signal);
          request = {
            ...common,
            sessionState: {
              ...attributes,
              invocationId: returnControl.invocationId,
              returnControlInvocationResults: results,
            },
          };
          continue;
        }

        let json: unknown;
        try {
          json = extractJson(answer);
        } catch (error) {
          throw new AgentOutputError(`${agent.name}: the answer holds no JSON object`, {
            cause: error,
            details: { answer: answer.slice(0, 2000) },
          });
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          const issues = parsed.error.issues
            .slice(0, 12)
            .map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
          throw new AgentOutputError(
            `${agent.name}: the answer does not match the output schema: ${issues
              .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
              .join('; ')}`,
            { cause: parsed.error, details: { issues } },
          );
        }
        yield {
          type: 'final',
          agent: agent.name,
          output: parsed.data,
          usage: state.usage,
          durationMs: performance.now() - started,
          steps: Math.max(state.step, calls),
        };
        return;
      }
      throw new AgentStepLimitError(
        `${agent.name}: no final answer within ${maxRounds} RETURN_CONTROL round trips`,
      );
    },
  };
}

/** Parameters of {@link invokeSupervisor}. */
export interface InvokeSupervisorParams {
  runtime: AgentRuntime;
  input: string | ContentBlock[];
  sessionId: string;
  /** What the tools of the supervisor's collaborators may read; every facility when omitted. */
  scope?: AccessScope;
  signal?: AbortSignal;
  /** Receives every event, the final one included (collaborator traces carry their agent's name). */
  onEvent?: (event: AgentEvent) => void;
}

/** The consolidated answer of the deployed supervisor. */
export type SupervisorResult = Omit<Extract<AgentEvent, { type: 'final' }>, 'output'> & {
  output: SupervisorOutput;
};

/**
 * One call to the deployed supervisor agent (Bedrock multi-agent collaboration): it routes to
 * the classifier, root-cause analyst and corrective-action planner itself and returns the merged
 * answer, validated against {@link SupervisorOutput}. The runtime's `agents` map needs a
 * `supervisor` entry.
 */
export async function invokeSupervisor({
  runtime,
  input,
  sessionId,
  scope,
  signal,
  onEvent,
}: InvokeSupervisorParams): Promise<SupervisorResult> {
  const final = await runToCompletion(
    runtime.invoke({
      agent: supervisorAgent,
      input,
      sessionId,
      outputSchema: SupervisorOutput,
      ...(scope ? { scope } : {}),
      ...(signal ? { signal } : {}),
    }),
    onEvent,
  );
  return { ...final, output: SupervisorOutput.parse(final.output) };
}
