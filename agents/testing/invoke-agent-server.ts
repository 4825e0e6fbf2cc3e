import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One encoded AWS event-stream message. */
export type Frame = Uint8Array;

/** Encodes one event-stream message: an `event` or an `exception` of the given type. */
export function frame({
  messageType,
  type,
  payload,
}: {
  messageType: 'event' | 'exception';
  type: string;
  payload: unknown;
}): Frame {
  const typeHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: messageType },
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/**
 * A `chunk` event: part of the agent's answer, as text or as raw UTF-8 bytes (which may end inside
 * a character, as the service's chunks may).
 */
export function chunk(text: string | Uint8Array): Frame {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  return frame({ messageType: 'event', type: 'chunk', payload: { bytes: bytes.toString('base64') } });
}

/** Who a trace belongs to: the fields of InvokeAgent's `TracePart` around the trace itself. */
export interface TraceEnvelope {
  agentId?: string;
  agentAliasId?: string;
  agentVersion?: string;
  sessionId?: string;
  /** Marks a collaborator's trace (multi-agent collaboration). */
  collaboratorName?: string;
  /** When the step happened, as an RFC 3339 date-time (the wire form of the `eventTime` timestamp). */
  eventTime?: string;
}

/**
 * A `trace` event holding one orchestration trace. The envelope names agent `AGENT1`, alias `ALIAS1`
 * and session `session-1` unless told otherwise; `collaboratorName` marks a collaborator's trace.
 */
export function trace({
  orchestrationTrace,
  ...envelope
}: { orchestrationTrace: Record<string, unknown> } & TraceEnvelope): Frame {
  const { agentId = 'AGENT1', agentAliasId = 'ALIAS1', sessionId = 'session-1', ...rest } = envelope;
  return frame({
    messageType: 'event',
    type: 'trace',
    payload: {
      agentId,
      agentAliasId,
      sessionId,
      ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      trace: { orchestrationTrace },
    },
  });
}

/** A model invocation trace with its token usage (and a 120 ms model time). */
export function modelOutput({
  inputTokens,
  outputTokens,
  collaboratorName,
}: {
  inputTokens: number;
  outputTokens: number;
  collaboratorName?: string;
}): Frame {
  return trace({
    orchestrationTrace: {
      modelInvocationOutput: {
        traceId: `model-${inputTokens}`,
        rawResponse: { content: JSON.stringify({ stop_reason: 'end_turn' }) },
        metadata: { usage: { inputTokens, outputTokens }, totalTimeMs: 120 },
      },
    },
    ...(collaboratorName ? { collaboratorName } : {}),
  });
}

/** A RETURN_CONTROL event asking for function calls; each parameter is `[name, type, value]`. */
export function returnControl({
  invocationId,
  calls,
}: {
  invocationId: string;
  calls: Array<{ actionGroup: string; function: string; parameters: Array<[string, string, string]> }>;
}): Frame {
  return frame({
    messageType: 'event',
    type: 'returnControl',
    payload: {
      invocationId,
      invocationInputs: calls.map((call) => ({
        functionInvocationInput: {
          actionGroup: call.actionGroup,
          function: call.function,
          parameters: call.parameters.map(([name, type, value]) => ({ name, type, value })),
        },
      })),
    },
  });
}

/** What the server answers to one request. */
export interface Script {
  /** The frames of the event stream, written as they come (an async iterable streams them). */
  frames?: Iterable<Frame> | AsyncIterable<Frame>;
  /** Keep the response open after the frames. */
  hang?: boolean;
  /** An HTTP error instead of a stream. */
  error?: { status: number; type: string; message: string };
}

/**
 * One result of a RETURN_CONTROL round trip, as InvokeAgent's `sessionState` carries it (typed as
 * this runtime sends it; the body is recorded as it arrived, unchecked).
 */
export interface RecordedInvocationResult {
  functionResult?: {
    actionGroup: string;
    function: string;
    responseBody: { TEXT: { body: string } };
    responseState?: string;
    agentId?: string;
  };
  apiResult?: {
    actionGroup: string;
    apiPath: string;
    httpMethod: string;
    httpStatusCode?: number;
    responseBody: { TEXT: { body: string } };
    responseState?: string;
    agentId?: string;
  };
}

/** One InvokeAgent request as the server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** The path parameters of `/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text`. */
  agentId?: string;
  agentAliasId?: string;
  sessionId?: string;
  body: {
    inputText?: string;
    enableTrace?: boolean;
    endSession?: boolean;
    memoryId?: string;
    sessionState?: {
      sessionAttributes?: Record<string, string>;
      promptSessionAttributes?: Record<string, string>;
      invocationId?: string;
      returnControlInvocationResults?: RecordedInvocationResult[];
    };
  };
}

/**
 * Answers a request for which no script is queued. `signal` aborts when the client goes away. A
 * thrown error becomes a 500 `InternalServerException`.
 */
export type InvokeAgentResponder = (
  request: RecordedRequest,
  signal: AbortSignal,
) => Script | Promise<Script>;

/** Options of {@link startInvokeAgentServer}. */
export interface InvokeAgentServerOptions {
  /** Answers the requests that find no script queued; without it they get a 500. */
  respond?: InvokeAgentResponder;
}

/**
 * A local HTTP server that speaks InvokeAgent: it answers each request with the next queued script,
 * or, when none is left, with its responder (a fake service built on it, see `respond`).
 */
export interface InvokeAgentServer {
  /** The base URL to point a client at. */
  endpoint: string;
  /** The answers of the next requests, in order; they come before the responder's. */
  scripts: Script[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** A real `BedrockAgentRuntimeClient` pointed at this server, with the SDK's retries off. */
  createClient(): BedrockAgentRuntimeClient;
  /** Forgets the scripts left and the requests received. */
  reset(): void;
  close(): Promise<void>;
}

const INVOKE_AGENT_PATH = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/;

/** The path parameters of an InvokeAgent URL, decoded; empty for any other path. */
function pathParameters(url: string): Pick<RecordedRequest, 'agentId' | 'agentAliasId' | 'sessionId'> {
  const match = INVOKE_AGENT_PATH.exec(url.split('?')[0] ?? '');
  if (!match) return {};
  const [, agentId = '', agentAliasId = '', sessionId = ''] = match;
  return {
    agentId: decodeURIComponent(agentId),
    agentAliasId: decodeURIComponent(agentAliasId),
    sessionId: decodeURIComponent(sessionId),
  };
}

function writeError(
  response: ServerResponse,
  error: { status: number; type: string; message: string },
): void {
  response.writeHead(error.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': error.type,
  });
  response.end(JSON.stringify({ message: error.message }));
}

/** Starts an {@link InvokeAgentServer} on a free loopback port. */
export async function startInvokeAgentServer(
  options: InvokeAgentServerOptions = {},
): Promise<InvokeAgentServer> {
  const scripts: Script[] = [];
  const requests: RecordedRequest[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const clientLeft = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientLeft.abort(new Error('the client closed the connection'));
    });
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    const url = request.url ?? '';
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      url,
      ...pathParameters(url),
      body: text ? (JSON.parse(text) as RecordedRequest['body']) : {},
    };
    requests.push(recorded);
    let script = scripts.shift();
    if (!script && options.respond) {
      try {
        script = await options.respond(recorded, clientLeft.signal);
      } catch (error) {
        script = {
          error: {
            status: 500,
            type: 'InternalServerException',
            message: error instanceof Error ? error.message : String(error),
          },
        };
      }
    }
    if (!script) {
      writeError(response, { status: 500, type: 'InternalServerException', message: 'no script left' });
      return;
    }
    if (clientLeft.signal.aborted) return;
    if (script.error) {
      writeError(response, script.error);
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-agent-content-type': 'application/json',
      'x-amz-bedrock-agent-session-id': recorded.sessionId ?? 'session-1',
      ...(recorded.body.memoryId ? { 'x-amz-bedrock-agent-memory-id': recorded.body.memoryId } : {}),
    });
    for await (const item of script.frames ?? []) {
      if (clientLeft.signal.aborted) return;
      response.write(item);
    }
    if (!script.hang) response.end();
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        writeError(response, {
          status: 500,
          type: 'InternalServerException',
          message: error instanceof Error ? error.message : String(error),
        });
      } else {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    scripts,
    requests,
    createClient: () =>
      new BedrockAgentRuntimeClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 1,
      }),
    reset() {
      scripts.length = 0;
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
