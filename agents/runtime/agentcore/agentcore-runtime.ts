import { createHash } from 'node:crypto';
import {
  BedrockAgentCoreClient,
  InvokeAgentRuntimeCommand,
  type InvokeAgentRuntimeCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { z } from 'zod';
import {
  AgentOutputError,
  awsErrorKind,
  CancelledError,
  ConfigError,
  describeAwsError,
  FollowUpAnswer,
  isDomainError,
  ModelThrottledError,
  TimeoutError,
  UpstreamError,
  ValidationError,
} from '../../../domain/index.ts';
import type { AgentEvent, AgentRuntime, InvokeParams } from '../agent-runtime.ts';
import {
  fromWireError,
  InvokableAgent,
  parseServerSentEvents,
  toAgentEvent,
  toWireInput,
  WireError,
  type AgentInvocation,
  type OutputSchemaName,
} from './invocation.ts';

/** Settings of {@link createAgentCoreRuntime}. */
export interface AgentCoreRuntimeConfig {
  /** The client to send InvokeAgentRuntime with; one for `region` (and `endpoint`) when omitted. */
  client?: BedrockAgentCoreClient;
  /** Region of the client created when `client` is omitted. */
  region?: string;
  /** Endpoint override of the client created when `client` is omitted (a local server in tests). */
  endpoint?: string;
  /** ARN of the AgentCore Runtime that hosts the agents (`npm run agentcore` in its image). */
  agentRuntimeArn: string;
  /** The runtime endpoint to invoke; AgentCore's `DEFAULT` endpoint when omitted. */
  qualifier?: string;
  /**
   * Limit of each wait on the runtime, in ms: for the response to start and for each event of
   * its stream (one model call or one tool call happens between two events). 30,000 by default.
   */
  callTimeoutMs?: number;
}

/** Shortest and longest session id InvokeAgentRuntime accepts. */
const SESSION_ID_LENGTH = { min: 33, max: 256 } as const;

/**
 * The runtime session id of one of our session ids: itself when InvokeAgentRuntime accepts it,
 * otherwise a stable id made of its readable part and a hash of it, so that one session of ours
 * is always one AgentCore session (one microVM) and two of ours never share one.
 */
export function runtimeSessionIdOf(sessionId: string): string {
  if (
    sessionId.length >= SESSION_ID_LENGTH.min &&
    sessionId.length <= SESSION_ID_LENGTH.max &&
    /^[\x21-\x7e]+$/.test(sessionId)
  ) {
    return sessionId;
  }
  const readable = sessionId.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 160);
  const digest = createHash('sha256').update(sessionId).digest('hex').slice(0, 40);
  return `${readable}-${digest}`;
}

/** The name of the output schema an invocation asks for; zod schemas do not travel. */
function outputSchemaName(params: InvokeParams): OutputSchemaName {
  if (params.outputSchema === undefined || params.outputSchema === params.agent.outputSchema) return 'agent';
  if (params.outputSchema === FollowUpAnswer) return 'follow-up-answer';
  throw new ValidationError(
    `the agentcore runtime answers with the agent's output schema or FollowUpAnswer; ${params.agent.name} was asked for another`,
  );
}

/** The error of an InvokeAgentRuntime call that failed, typed. */
function invokeError(error: unknown, agent: string): unknown {
  if (isDomainError(error)) return error;
  const message = `InvokeAgentRuntime for ${agent} failed: ${describeAwsError(error)}`;
  const kind = awsErrorKind(error);
  if (kind === 'throttled') return new ModelThrottledError(message, { cause: error });
  if (kind === 'timeout') return new TimeoutError(message, { cause: error });
  return new UpstreamError(message, { cause: error, isRetryable: kind === 'transient' });
}

/**
 * Waits for a promise within `ms`; rejects with a {@link CancelledError} when the signal aborts
 * first (its reason as the cause) and with a {@link TimeoutError} when the limit passes first.
 * Either way `onGiveUp` runs, to abort the request.
 */
function within<T>({
  promise,
  ms,
  signal,
  what,
  onGiveUp,
}: {
  promise: Promise<T>;
  ms: number;
  signal: AbortSignal | undefined;
  what: string;
  onGiveUp: (reason: Error) => void;
}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const giveUp = (error: Error): void => {
      settle();
      promise.catch(() => undefined);
      onGiveUp(error);
      reject(error);
    };
    const onAbort = (): void =>
      giveUp(new CancelledError(`${what} was cancelled`, { cause: signal?.reason }));
    const timer = setTimeout(() => giveUp(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

type Body = NonNullable<InvokeAgentRuntimeCommandOutput['response']>;

/** The response body as an async iterable of bytes (a Node stream with the SDK's helpers). */
function bodyChunks(body: Body): AsyncIterable<Uint8Array> {
  return body as unknown as AsyncIterable<Uint8Array>;
}

/** Destroys the response stream, if it is one, without waiting. */
function destroyBody(body: Body | undefined): void {
  const candidate = body as unknown as { destroy?: (error?: Error) => void } | undefined;
  candidate?.destroy?.();
}

/**
 * The `agentcore` AgentRuntime: each invocation of an agent is one InvokeAgentRuntime call on the
 * AgentCore Runtime that hosts the agents (the entry point of `agents/runtime/agentcore/`), with
 * the session id header, and its events streamed back as server-sent events. The model calls and
 * the tools run in the runtime, with the scope the invocation carries.
 *
 * The caller's signal cancels at once, between events or during a wait (the request is aborted,
 * so the runtime stops the invocation); each wait on the runtime is limited by `callTimeoutMs`.
 * Errors the runtime reports in its stream come back as the typed errors they were; a final output
 * that does not match the schema asked for is an {@link AgentOutputError}.
 */
export function createAgentCoreRuntime(config: AgentCoreRuntimeConfig): AgentRuntime {
  if (!config.agentRuntimeArn) throw new ConfigError('the agentcore runtime needs AGENTCORE_RUNTIME_ARN');
  const client =
    config.client ??
    new BedrockAgentCoreClient({
      ...(config.region ? { region: config.region } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    });
  const callTimeoutMs = config.callTimeoutMs ?? 30_000;

  async function* invoke(params: InvokeParams): AsyncGenerator<AgentEvent> {
    const { agent, signal } = params;
    if (signal?.aborted) {
      throw new CancelledError(`the ${agent.name} invocation was cancelled`, { cause: signal.reason });
    }
    const agentName = InvokableAgent.safeParse(agent.name);
    if (!agentName.success) {
      throw new ConfigError(`the agentcore runtime does not host the ${agent.name} agent`);
    }
    const schema: z.ZodType = params.outputSchema ?? agent.outputSchema;
    const invocation: AgentInvocation = {
      action: 'invoke',
      agent: agentName.data,
      input: toWireInput(params.input),
      mode: params.mode ?? 'analyze',
      output: outputSchemaName(params),
      ...(params.scope ? { scope: { facility: params.scope.facility } } : {}),
    };
    const request = new AbortController();
    const what = `the ${agent.name} invocation on AgentCore`;
    const received: { body?: Body } = {};
    const giveUp = (reason: Error): void => {
      request.abort(reason);
      destroyBody(received.body);
    };

    let output: InvokeAgentRuntimeCommandOutput;
    try {
      output = await within({
        promise: client.send(
          new InvokeAgentRuntimeCommand({
            agentRuntimeArn: config.agentRuntimeArn,
            ...(config.qualifier ? { qualifier: config.qualifier } : {}),
            runtimeSessionId: runtimeSessionIdOf(params.sessionId),
            contentType: 'application/json',
            accept: 'text/event-stream',
            payload: new TextEncoder().encode(JSON.stringify(invocation)),
          }),
          { abortSignal: request.signal },
        ),
        ms: callTimeoutMs,
        signal,
        what,
        onGiveUp: giveUp,
      });
    } catch (error) {
      throw invokeError(error, agent.name);
    }
    const body = output.response;
    received.body = body;
    if (!body) throw new UpstreamError(`${what} answered with no body`, { isRetryable: true });

    const iterator = bodyChunks(body)[Symbol.asyncIterator]();
    const decoder = new TextDecoder();
    let buffered = '';
    let finished = false;
    try {
      if (!(output.contentType ?? '').includes('text/event-stream')) {
        yield* jsonEvents(await readAll());
        finished = true;
        return;
      }
      while (true) {
        const next = await nextChunk();
        if (next.done) break;
        buffered += decoder.decode(next.value, { stream: true });
        const { events, rest } = parseServerSentEvents(buffered);
        buffered = rest;
        for (const event of events) {
          if (signal?.aborted) {
            throw new CancelledError(`${what} was cancelled`, { cause: signal.reason });
          }
          const agentEvent = decode(event.event, event.data);
          yield agentEvent;
          if (signal?.aborted) {
            throw new CancelledError(`${what} was cancelled`, { cause: signal.reason });
          }
          if (agentEvent.type === 'final') {
            finished = true;
            return;
          }
        }
      }
      throw new UpstreamError(`${what} ended without a final event`, { isRetryable: true });
    } finally {
      if (!finished) giveUp(new CancelledError(`${what} was left`));
      else destroyBody(body);
    }

    function nextChunk(): Promise<IteratorResult<Uint8Array>> {
      return within({
        promise: iterator.next(),
        ms: callTimeoutMs,
        signal,
        what,
        onGiveUp: giveUp,
      }).catch((error: unknown) => {
        throw invokeError(error, agent.name);
      });
    }

    async function readAll(): Promise<string> {
      let text = '';
      while (true) {
        const next = await nextChunk();
        if (next.done) return text + decoder.decode();
        text += decoder.decode(next.value, { stream: true });
      }
    }

    function decode(name: string, data: string): AgentEvent {
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch (cause) {
        throw new UpstreamError(`${what} sent an event that is not JSON`, { cause });
      }
      if (name === 'error') {
        const wire = WireError.safeParse(json);
        throw wire.success
          ? fromWireError(wire.data, what)
          : new UpstreamError(`${what} failed`, { cause: json });
      }
      let event: AgentEvent;
      try {
        event = toAgentEvent(json);
      } catch (cause) {
        throw new UpstreamError(`${what} sent an event that does not match the wire schema`, { cause });
      }
      if (event.type === 'final') {
        const parsed = schema.safeParse(event.output);
        if (!parsed.success) {
          throw new AgentOutputError(`${what} answered with output that does not match its schema`, {
            cause: parsed.error,
          });
        }
        return { ...event, output: parsed.data };
      }
      return event;
    }

    function* jsonEvents(text: string): Generator<AgentEvent> {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new UpstreamError(`${what} answered with a body that is not JSON`, { cause });
      }
      const answer = json as { events?: unknown[]; error?: unknown };
      if (answer.error !== undefined) yield decode('error', JSON.stringify(answer.error));
      const events = Array.isArray(answer.events) ? answer.events : [];
      let final = false;
      for (const item of events) {
        const event = decode('event', JSON.stringify(item));
        final = event.type === 'final';
        yield event;
      }
      if (!final) throw new UpstreamError(`${what} ended without a final event`, { isRetryable: true });
    }
  }

  return { invoke };
}
