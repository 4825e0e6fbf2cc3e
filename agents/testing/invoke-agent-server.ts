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

/** A `chunk` event: part of the agent's answer text. */
export function chunk(text: string): Frame {
  return frame({
    messageType: 'event',
    type: 'chunk',
    payload: { bytes: Buffer.from(text, 'utf8').toString('base64') },
  });
}

/** A `trace` event holding one orchestration trace; `collaboratorName` marks a collaborator's trace. */
export function trace({
  orchestrationTrace,
  collaboratorName,
}: {
  orchestrationTrace: Record<string, unknown>;
  collaboratorName?: string;
}): Frame {
  return frame({
    messageType: 'event',
    type: 'trace',
    payload: {
      agentId: 'AGENT1',
      agentAliasId: 'ALIAS1',
      sessionId: 'session-1',
      ...(collaboratorName ? { collaboratorName } : {}),
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

/** What the fake service answers to one request. */
export interface Script {
  frames?: Frame[];
  /** Keep the response open after the frames. */
  hang?: boolean;
  /** An HTTP error instead of a stream. */
  error?: { status: number; type: string; message: string };
}

/** One InvokeAgent request as the fake service received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  body: {
    inputText?: string;
    enableTrace?: boolean;
    memoryId?: string;
    sessionState?: {
      sessionAttributes?: Record<string, string>;
      invocationId?: string;
      returnControlInvocationResults?: Array<{
        functionResult?: {
          actionGroup: string;
          function: string;
          responseBody: { TEXT: { body: string } };
          responseState?: string;
        };
      }>;
    };
  };
}

/** A local HTTP server that speaks InvokeAgent: it answers each request with the next script. */
export interface InvokeAgentServer {
  /** The base URL to point a client at. */
  endpoint: string;
  /** The answers of the next requests, in order; a request with no script left gets a 500. */
  scripts: Script[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** A real `BedrockAgentRuntimeClient` pointed at this server, with the SDK's retries off. */
  createClient(): BedrockAgentRuntimeClient;
  /** Forgets the scripts left and the requests received. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts an {@link InvokeAgentServer} on a free loopback port. */
export async function startInvokeAgentServer(): Promise<InvokeAgentServer> {
  const scripts: Script[] = [];
  const requests: RecordedRequest[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      body: text ? (JSON.parse(text) as RecordedRequest['body']) : {},
    });
    const script = scripts.shift();
    if (!script) {
      response.writeHead(500, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InternalServerException',
      });
      response.end(JSON.stringify({ message: 'no script left' }));
      return;
    }
    if (script.error) {
      response.writeHead(script.error.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': script.error.type,
      });
      response.end(JSON.stringify({ message: script.error.message }));
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-agent-content-type': 'application/json',
      'x-amz-bedrock-agent-session-id': 'session-1',
    });
    for (const item of script.frames ?? []) response.write(item);
    if (!script.hang) response.end();
  }

  const server: Server = createServer((request, response) => {
    void handle(request, response);
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
