import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AnalysisEvent, Orchestrator } from '../../orchestrator/orchestrator.ts';
import {
  CancelledError,
  FollowUpAnswer,
  PayloadTooLargeError,
  ValidationError,
} from '../../../domain/index.ts';
import { AGENTS } from '../../index.ts';
import type { AgentEvent, AgentRuntime } from '../agent-runtime.ts';
import {
  fromWireInput,
  Invocation,
  serverSentEvent,
  SESSION_HEADER,
  toWireError,
  type WireError,
} from './invocation.ts';

/** What the entry point logs to: the part of a pino logger it uses. */
export interface EntryPointLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** What the entry point serves. */
export interface AgentCoreEntryPointConfig {
  /** Runs one agent per `invoke` invocation (the local runtime over the configured model). */
  runtime: AgentRuntime;
  /** Runs `analyze` and `ask` invocations. */
  orchestrator: Orchestrator;
  /** Largest accepted body, in bytes. 32 MiB by default (a photo in base64 and the report). */
  maxBodyBytes?: number;
  /** The clock of `/ping`'s `time_of_last_update`, injected for tests. */
  now?: () => Date;
  logger?: EntryPointLogger;
}

/** `GET /ping`'s answer: `HealthyBusy` while an invocation runs, and when the status last changed. */
export const PingStatus = z.object({
  status: z.enum(['Healthy', 'HealthyBusy']),
  /** Unix time in seconds of the last change of `status` (AgentCore reads it to judge progress). */
  time_of_last_update: z.number().int(),
});
export type PingStatus = z.infer<typeof PingStatus>;

/** The entry point: an HTTP request handler, and what `/ping` answers at the moment of the call. */
export interface AgentCoreEntryPoint {
  handle(request: IncomingMessage, response: ServerResponse): void;
  ping(): PingStatus;
}

const STAGE_EVENTS: Record<string, string> = {
  classifier: 'classification',
  root_cause: 'root_cause',
  corrective_action: 'actions',
};

const STATUS_OF_CODE: Record<string, number> = {
  validation_error: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  model_throttled: 429,
  cancelled: 499,
  timeout: 504,
};

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: WireError): void {
  sendJson(response, STATUS_OF_CODE[error.code] ?? 500, { error });
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    const buffer = part as Buffer;
    size += buffer.length;
    if (size > limit) throw new PayloadTooLargeError(`the invocation is larger than ${limit} bytes`);
    parts.push(buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

function parseInvocation(text: string): Invocation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError('the invocation is not valid JSON', { cause });
  }
  const parsed = Invocation.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError('the invocation does not match its schema', {
      details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

function wantsEventStream(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

function startEventStream(response: ServerResponse, sessionId: string): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    [SESSION_HEADER]: sessionId,
  });
  response.flushHeaders();
}

/**
 * The AgentCore Runtime HTTP contract around the agents: `GET /ping` answers `Healthy`, or
 * `HealthyBusy` while an invocation runs, with `time_of_last_update`; `POST /invocations` takes a
 * JSON {@link Invocation} and answers JSON, or server-sent events when the client accepts
 * `text/event-stream`:
 * - `invoke` runs one agent: its {@link AgentEvent}s, each as an event named by its type;
 * - `analyze` runs the orchestrator: the API's stage events (`classification`, `root_cause`,
 *   `actions`, or `<stage>_failed`), then `done` or `failed` with the consolidated analysis;
 * - `ask` answers a follow-up question: one `answer` event.
 *
 * A failure after the stream started is an `error` event (code, message, whether to retry); before
 * it, a JSON error with its status. A client that goes away cancels its invocation. The session id
 * header names the session of the invocation.
 */
export function createAgentCoreEntryPoint({
  runtime,
  orchestrator,
  maxBodyBytes = 32 * 1024 * 1024,
  now = () => new Date(),
  logger,
}: AgentCoreEntryPointConfig): AgentCoreEntryPoint {
  let running = 0;
  let lastUpdate = unixSeconds(now());

  function setRunning(delta: number): void {
    const wasBusy = running > 0;
    running += delta;
    if (wasBusy !== running > 0) lastUpdate = unixSeconds(now());
  }

  function ping(): PingStatus {
    return { status: running > 0 ? 'HealthyBusy' : 'Healthy', time_of_last_update: lastUpdate };
  }

  async function invoke(
    invocation: Extract<Invocation, { action: 'invoke' }>,
    sessionId: string,
    signal: AbortSignal,
    response: ServerResponse,
    stream: boolean,
  ): Promise<void> {
    const events = runtime.invoke({
      agent: AGENTS[invocation.agent],
      input: fromWireInput(invocation.input),
      sessionId,
      mode: invocation.mode,
      ...(invocation.output === 'follow-up-answer' ? { outputSchema: FollowUpAnswer } : {}),
      scope: invocation.scope,
      signal,
    });
    if (!stream) {
      const collected: AgentEvent[] = [];
      for await (const event of events) collected.push(event);
      sendJson(response, 200, { events: collected });
      return;
    }
    startEventStream(response, sessionId);
    for await (const event of events) response.write(serverSentEvent(event.type, event));
  }

  async function analyze(
    invocation: Extract<Invocation, { action: 'analyze' }>,
    sessionId: string,
    signal: AbortSignal,
    response: ServerResponse,
    stream: boolean,
  ): Promise<void> {
    if (stream) startEventStream(response, sessionId);
    const onEvent = (event: AnalysisEvent): void => {
      if (!stream || event.type !== 'stage_completed') return;
      const name = STAGE_EVENTS[event.step] ?? event.step;
      response.write(serverSentEvent(event.status === 'complete' ? name : `${name}_failed`, event.output));
    };
    const analysis = await orchestrator.analyze({
      defectId: invocation.defect_id,
      report: invocation.report,
      ...(invocation.created_at ? { createdAt: new Date(invocation.created_at) } : {}),
      scope: invocation.scope,
      signal,
      onEvent,
    });
    if (stream) response.write(serverSentEvent(analysis.status === 'failed' ? 'failed' : 'done', analysis));
    else sendJson(response, 200, analysis);
  }

  async function ask(
    invocation: Extract<Invocation, { action: 'ask' }>,
    sessionId: string,
    signal: AbortSignal,
    response: ServerResponse,
    stream: boolean,
  ): Promise<void> {
    const answer = await orchestrator.ask({
      analysis: invocation.analysis,
      history: invocation.history,
      question: invocation.question,
      scope: invocation.scope,
      signal,
    });
    if (!stream) {
      sendJson(response, 200, answer);
      return;
    }
    startEventStream(response, sessionId);
    response.write(serverSentEvent('answer', answer));
  }

  async function invocations(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const header = request.headers[SESSION_HEADER];
    const sessionId = (Array.isArray(header) ? header[0] : header) ?? randomUUID();
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) {
        controller.abort(new CancelledError('the caller closed the connection'));
      }
    });
    const stream = wantsEventStream(request);
    setRunning(1);
    const started = Date.now();
    let action = 'unknown';
    try {
      const invocation = parseInvocation(await readBody(request, maxBodyBytes));
      action = invocation.action;
      if (invocation.action === 'invoke')
        await invoke(invocation, sessionId, controller.signal, response, stream);
      else if (invocation.action === 'analyze')
        await analyze(invocation, sessionId, controller.signal, response, stream);
      else await ask(invocation, sessionId, controller.signal, response, stream);
      if (!response.writableEnded) response.end();
      logger?.info({ sessionId, action, durationMs: Date.now() - started }, 'invocation finished');
    } catch (error) {
      const wire = toWireError(error);
      logger?.warn({ sessionId, action, err: error, code: wire.code }, 'invocation failed');
      if (response.destroyed || response.writableEnded) return;
      if (response.headersSent) response.end(serverSentEvent('error', wire));
      else sendError(response, wire);
    } finally {
      setRunning(-1);
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/ping' && request.method === 'GET') {
      sendJson(response, 200, ping());
      return;
    }
    if (path === '/invocations' && request.method === 'POST') {
      void invocations(request, response);
      return;
    }
    sendJson(response, 404, {
      error: { code: 'not_found', message: 'serves GET /ping and POST /invocations', isRetryable: false },
    });
  }

  return { handle, ping };
}

/** An HTTP server around the entry point, not yet listening. */
export function createAgentCoreServer(config: AgentCoreEntryPointConfig): {
  server: Server;
  entryPoint: AgentCoreEntryPoint;
} {
  const entryPoint = createAgentCoreEntryPoint(config);
  return { server: createServer(entryPoint.handle), entryPoint };
}
