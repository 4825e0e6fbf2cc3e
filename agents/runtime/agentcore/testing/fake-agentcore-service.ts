import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ToolResources } from '../../../../action-groups/action-group.ts';
import type { Model } from '../../../models/model.ts';
import { createOrchestrator } from '../../../orchestrator/orchestrator.ts';
import { createRuleRouter } from '../../../orchestrator/router.ts';
import { createLocalRuntime } from '../../local-runtime.ts';
import { createAgentCoreServer, type AgentCoreEntryPoint } from '../entry-point.ts';
import { SESSION_HEADER } from '../invocation.ts';

/** The ARN of the runtime the fake service hosts. */
export const FAKE_RUNTIME_ARN =
  'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/defect_rca-AbCdEf1234';

/** One InvokeAgentRuntime request as the service received it. */
export interface RecordedInvocation {
  agentRuntimeArn: string;
  qualifier: string | undefined;
  sessionId: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  payload: unknown;
}

/**
 * A fake AgentCore service: InvokeAgentRuntime (`POST /runtimes/{arn}/invocations`) over a local
 * HTTP server, forwarding each invocation to the entry point of `agents/runtime/agentcore/`, which
 * it hosts on its own port as AgentCore hosts the container, with the session id header; the
 * entry point's answer (JSON or server-sent events) streams back as the response body, as
 * InvokeAgentRuntime's `response` blob.
 */
export interface FakeAgentCoreService {
  /** The base URL to point a client at. */
  readonly endpoint: string;
  /** The base URL of the hosted entry point (its `/ping` and `/invocations`). */
  readonly entryPointUrl: string;
  readonly entryPoint: AgentCoreEntryPoint;
  /** What the hosted agents' tools read. */
  readonly toolContext: ToolResources;
  /** Every invocation received, in order. */
  readonly invocations: readonly RecordedInvocation[];
  /** Errors the next requests get, in order, after they are recorded. */
  readonly faults: InjectedFault[];
  /** A real `BedrockAgentCoreClient` pointed at the service, with the SDK's retries off. */
  createClient(): BedrockAgentCoreClient;
  close(): Promise<void>;
}

/** Options of {@link startFakeAgentCoreService}. */
export interface FakeAgentCoreServiceOptions {
  /** The model the hosted agents run on (e.g. the offline model). */
  model: Model;
  /** What the hosted agents' tools read: knowledge base, defect history, clock. */
  toolContext: ToolResources;
  /** The hosted runtime's limit on each model and tool call. */
  callTimeoutMs?: number;
  /** The endpoints (qualifiers) the runtime has; `DEFAULT` always exists. */
  qualifiers?: readonly string[];
  /**
   * The `Accept` header forwarded to the entry point in place of the caller's (e.g.
   * `application/json`, as a runtime that does not stream would answer); the caller's by default.
   */
  forwardAccept?: string;
}

/** A service error to answer the next request with, before it reaches the entry point. */
export interface InjectedFault {
  status: number;
  /** The error type (`x-amzn-errortype`), e.g. `ThrottlingException`. */
  type: string;
  message: string;
}

const INVOKE_PATH = /^\/runtimes\/([^/]+)\/invocations$/;

function writeError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Starts a {@link FakeAgentCoreService} on free loopback ports. */
export async function startFakeAgentCoreService({
  model,
  toolContext,
  callTimeoutMs = 30_000,
  qualifiers = [],
  forwardAccept,
}: FakeAgentCoreServiceOptions): Promise<FakeAgentCoreService> {
  const faults: InjectedFault[] = [];
  const runtime = createLocalRuntime({ model, toolContext, callTimeoutMs });
  const orchestrator = createOrchestrator({
    runtime,
    knowledgeBase: toolContext.knowledgeBase,
    router: createRuleRouter(),
    now: toolContext.now,
  });
  const hosted = createAgentCoreServer({ runtime, orchestrator });
  const entryPointUrl = await listen(hosted.server);
  const entryPort = Number(new URL(entryPointUrl).port);
  const invocations: RecordedInvocation[] = [];
  const knownQualifiers = new Set(['DEFAULT', ...qualifiers]);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://service');
    const match = INVOKE_PATH.exec(url.pathname);
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const payload = Buffer.concat(parts);
    if (request.method !== 'POST' || !match) {
      writeError(
        response,
        404,
        'UnknownOperationException',
        `no operation at ${request.method} ${url.pathname}`,
      );
      return;
    }
    const agentRuntimeArn = decodeURIComponent(match[1] ?? '');
    const sessionId = header(request, SESSION_HEADER);
    const qualifier = url.searchParams.get('qualifier') ?? undefined;
    let parsedPayload: unknown = payload.toString('utf8');
    try {
      parsedPayload = JSON.parse(payload.toString('utf8'));
    } catch {
      // recorded as text
    }
    invocations.push({
      agentRuntimeArn,
      qualifier,
      sessionId,
      contentType: header(request, 'content-type'),
      accept: header(request, 'accept'),
      payload: parsedPayload,
    });
    const fault = faults.shift();
    if (fault) {
      writeError(response, fault.status, fault.type, fault.message);
      return;
    }
    if (sessionId === undefined || sessionId.length < 33 || sessionId.length > 256) {
      writeError(response, 400, 'ValidationException', 'runtimeSessionId must have 33 to 256 characters');
      return;
    }
    if (agentRuntimeArn !== FAKE_RUNTIME_ARN) {
      writeError(response, 404, 'ResourceNotFoundException', `no agent runtime ${agentRuntimeArn}`);
      return;
    }
    if (!knownQualifiers.has(qualifier ?? 'DEFAULT')) {
      writeError(response, 404, 'ResourceNotFoundException', `no endpoint ${qualifier ?? ''}`);
      return;
    }

    const forward = httpRequest({
      host: '127.0.0.1',
      port: entryPort,
      method: 'POST',
      path: '/invocations',
      headers: {
        'content-type': header(request, 'content-type') ?? 'application/json',
        accept: forwardAccept ?? header(request, 'accept') ?? 'application/json',
        [SESSION_HEADER]: sessionId,
        'content-length': payload.length,
      },
    });
    response.on('close', () => {
      if (!response.writableFinished) forward.destroy();
    });
    forward.on('error', (error) => {
      if (!response.headersSent) writeError(response, 500, 'InternalServerException', error.message);
      else response.destroy(error);
    });
    forward.on('response', (answer) => {
      const status = answer.statusCode ?? 500;
      if (status >= 400) {
        // A container error before its stream is a RuntimeClientError to the caller, with its body.
        const body: Buffer[] = [];
        answer.on('data', (part: Buffer) => body.push(part));
        answer.on('end', () =>
          writeError(response, 424, 'RuntimeClientError', Buffer.concat(body).toString('utf8')),
        );
        return;
      }
      response.writeHead(200, {
        'content-type': answer.headers['content-type'] ?? 'application/json',
        [SESSION_HEADER]: sessionId,
      });
      response.flushHeaders();
      answer.pipe(response);
    });
    forward.end(payload);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        writeError(
          response,
          500,
          'InternalServerException',
          error instanceof Error ? error.message : String(error),
        );
      } else response.destroy();
    });
  });
  const endpoint = await listen(server);

  return {
    endpoint,
    entryPointUrl,
    entryPoint: hosted.entryPoint,
    toolContext,
    invocations,
    faults,
    createClient: () =>
      new BedrockAgentCoreClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 1,
      }),
    async close() {
      await close(server);
      await close(hosted.server);
    },
  };
}
