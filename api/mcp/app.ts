import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ToolResources } from '../../action-groups/action-group.ts';
import { LOG_REDACTION } from '../logging.ts';
import { errorHandler, notFoundHandler } from '../middleware/errors.ts';
import { limitFailedAuthentication } from '../middleware/rate-limit.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { MCP_PATH, mcpEndpoint } from './endpoint.ts';

export { MCP_PATH };

/** What {@link createMcpApp} needs; everything is injected so tests can run it on port 0. */
export interface McpAppDependencies {
  resources: ToolResources;
  store: AnalysisStore;
  auth: 'required' | 'off';
  logger: Logger;
  version: string;
  requestsPerMinute?: number;
  /** Failed authentications a client address may make per window (20 by default). */
  authFailuresPerWindow?: number;
  /** That window, in seconds (900 by default). */
  authFailureWindowSeconds?: number;
  /** Request id generator; random UUIDs by default. */
  createRequestId?: () => string;
}

/**
 * The standalone MCP server's Express app: security headers, request ids and redacted logs, the
 * MCP endpoint at {@link MCP_PATH} ({@link mcpEndpoint}), and the API's error shape for everything
 * else (a 404, a 401, a 429).
 */
export function createMcpApp(dependencies: McpAppDependencies): Express {
  const createRequestId = dependencies.createRequestId ?? randomUUID;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: dependencies.logger,
      redact: LOG_REDACTION,
      genReqId: (_request, response) => {
        const id = createRequestId();
        response.setHeader('x-request-id', id);
        return id;
      },
      customProps: (request) => ({ apiKeyId: request.principal?.keyId ?? null }),
    }),
  );
  app.use(
    MCP_PATH,
    mcpEndpoint({
      resources: dependencies.resources,
      store: dependencies.store,
      auth: dependencies.auth,
      failures: limitFailedAuthentication({
        limit: dependencies.authFailuresPerWindow ?? 20,
        windowMs: (dependencies.authFailureWindowSeconds ?? 900) * 1000,
      }),
      ...(dependencies.requestsPerMinute ? { requestsPerMinute: dependencies.requestsPerMinute } : {}),
      version: dependencies.version,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
