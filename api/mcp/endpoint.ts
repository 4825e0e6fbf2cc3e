import { localhostHostValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type RequestHandler } from 'express';
import type { ToolResources } from '../../action-groups/action-group.ts';
import { createActionGroupMcpServer } from '../../action-groups/mcp/server.ts';
import { authenticate, principalOf } from '../auth/middleware.ts';
import { limitPerMinute, type FailedAuthenticationLimiter } from '../middleware/rate-limit.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { principalScope } from '../use-cases/analyses.ts';

/** The path at which the MCP endpoint is served, by the service and by the standalone server. */
export const MCP_PATH = '/mcp';

/** What {@link mcpEndpoint} needs. */
export interface McpEndpointOptions {
  /** What the tools read from: the knowledge base, the store's defect history and the clock. */
  resources: ToolResources;
  /** The store that holds the API keys. */
  store: AnalysisStore;
  /** `required`: every request needs a valid `x-api-key`; `off`: anonymous unless a key is sent. */
  auth: 'required' | 'off';
  /** The limit of failed authentications per client address, shared with the REST API. */
  failures?: FailedAuthenticationLimiter;
  /** Requests a key (or, without one, an address) may make a minute; 600 by default. */
  requestsPerMinute?: number;
  /** The version the MCP server reports. */
  version: string;
}

/** The JSON-RPC answer to a GET or DELETE: a stateless server has no stream or session to offer. */
const METHOD_NOT_ALLOWED = {
  jsonrpc: '2.0',
  error: {
    code: -32000,
    message: 'Method not allowed: this MCP server is stateless, POST JSON-RPC messages',
  },
  id: null,
} as const;

/**
 * The action groups over MCP Streamable HTTP, as one handler to mount (e.g. at `/mcp`). Each
 * request is authenticated like the REST API (`x-api-key`, the same failed-authentication limit),
 * then served by a stateless transport and a fresh MCP server whose tools read only the key's
 * facility ({@link principalScope}); so a session can never outlive or widen its key. With
 * `auth: 'off'` (only allowed on a loopback host) the Host header must be a local name, against DNS
 * rebinding. GET and DELETE are answered 405, as the transport has no session stream.
 *
 * It is returned as a plain handler rather than a router: it speaks JSON-RPC, described by MCP's
 * `tools/list`, not REST routes of the OpenAPI document.
 */
export function mcpEndpoint({
  resources,
  store,
  auth,
  failures,
  requestsPerMinute = 600,
  version,
}: McpEndpointOptions): RequestHandler {
  const router = express.Router();
  if (auth === 'off') router.use(localhostHostValidation());
  router.use(authenticate({ store, mode: auth, ...(failures ? { failures } : {}) }));
  router.use(limitPerMinute({ limit: requestsPerMinute, what: 'requests' }));
  router.use(express.json({ limit: '1mb' }));
  router.use(async (request, response, next) => {
    if (request.method !== 'POST') {
      response.status(405).set('allow', 'POST').json(METHOD_NOT_ALLOWED);
      return;
    }
    const server = createActionGroupMcpServer({
      resources,
      scope: principalScope(principalOf(request)),
      version,
      onUnexpectedError: ({ tool, error }) =>
        request.log.error({ err: error, tool }, 'an MCP tool call failed'),
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response, request.body);
    } catch (error) {
      next(new Error('the MCP request could not be served', { cause: error }));
    }
  });
  return (request, response, next) => router(request, response, next);
}
