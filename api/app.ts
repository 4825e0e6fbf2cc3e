import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authenticate, markEvaluationRuns, refuseReadOnlyWrites } from './auth/middleware.ts';
import {
  admitAnalysisRequests,
  processEventLoopDelay,
  refuseAnalysesEarly,
  type EventLoopDelayProbe,
} from './middleware/admission.ts';
import { redactStrings } from '../domain/index.ts';
import { LOG_REDACTION } from './logging.ts';
import { MCP_PATH, mcpEndpoint } from './mcp/endpoint.ts';
import { errorHandler, notFoundHandler } from './middleware/errors.ts';
import type { RateLimitStoreFactory } from './middleware/database-rate-limit-store.ts';
import { methodNotAllowedHandler } from './middleware/method-not-allowed.ts';
import {
  limitAnalysesPerMinute,
  limitFailedAuthentication,
  limitPerMinute,
} from './middleware/rate-limit.ts';
import { analysisRoutes } from './routes/analyses.ts';
import { batchRoutes } from './routes/batch.ts';
import { defectRoutes } from './routes/defects.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { knowledgeRoutes } from './routes/knowledge.ts';
import { questionRoutes } from './routes/questions.ts';
import { reviewRoutes } from './routes/review.ts';
import { vocabularyRoutes } from './routes/vocabulary.ts';
import { webConsoleRoutes } from './web-console.ts';
import type { JobRunner } from './use-cases/batch.ts';
import type { ServiceDependencies } from './use-cases/dependencies.ts';

/** What the app needs; everything is injected so tests can run it on port 0. */
export interface AppDependencies extends ServiceDependencies {
  jobs: JobRunner;
  auth: 'required' | 'off';
  /** Origins allowed by CORS; none by default. */
  corsOrigins?: readonly string[];
  analysesPerMinute?: number;
  requestsPerMinute?: number;
  /** Failed authentications a client address may make per window (20 by default). */
  authFailuresPerWindow?: number;
  /** That window, in seconds (900 by default). */
  authFailureWindowSeconds?: number;
  version?: string;
  /** Request id generator; a `x-request-id` header of up to 128 safe characters is kept. */
  createRequestId?: () => string;
  /** The built web console served at `/` (`web/dist` by default; nothing when it is not built). */
  webConsoleDirectory?: string;
  /** Serve the action groups over MCP at `/mcp` (`MCP_ENABLED`); off by default. */
  mcpEnabled?: boolean;
  /**
   * Where the rate limits count, one store per limiter: the database when several processes
   * serve (`WORKERS` > 1, or PostgreSQL); this process' memory when absent.
   */
  rateLimitStores?: RateLimitStoreFactory;
  /**
   * Analysis submissions are refused with a 503 while the event loop stalls longer than this, in
   * milliseconds (`ANALYSIS_MAX_EVENT_LOOP_DELAY_MS`); never when 0 or absent.
   */
  maxEventLoopDelayMs?: number;
  /** Where the event loop's stalls are read; this process' `perf_hooks` probe by default. */
  eventLoopDelay?: EventLoopDelayProbe;
}

const NO_DELAY: EventLoopDelayProbe = { delayMs: () => 0 };

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A serialised request with secrets (e.g. an API key sent in the query string) taken out of its
 * URL, query and path parameters; its headers are censored by {@link LOG_REDACTION}.
 */
function withoutUrlSecrets(request: Record<string, unknown>): Record<string, unknown> {
  return {
    ...request,
    url: redactStrings(request.url),
    query: redactStrings(request.query),
    params: redactStrings(request.params),
  };
}

/**
 * Builds the Express app: security headers, CORS allowlist, request ids and logs, auth, rate
 * limits, body limits, thin routes over the use cases, and one error middleware.
 */
export function createApp(dependencies: AppDependencies): Express {
  const createRequestId = dependencies.createRequestId ?? randomUUID;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback');
  const requestIdOf = (request: Request, response: Response): string => {
    const header = request.headers['x-request-id'];
    const id = typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : createRequestId();
    response.setHeader('x-request-id', id);
    return id;
  };
  const origins = new Set(dependencies.corsOrigins ?? []);
  app.use(
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && origins.has(origin)),
      allowedHeaders: [
        'content-type',
        'x-api-key',
        'idempotency-key',
        'x-request-id',
        'accept',
        'if-match',
        'if-none-match',
        'x-evaluation-run',
      ],
      exposedHeaders: [
        'x-request-id',
        'etag',
        'location',
        'idempotent-replayed',
        'ratelimit',
        'ratelimit-policy',
        'retry-after',
      ],
    }),
  );
  const maxEventLoopDelayMs = dependencies.maxEventLoopDelayMs ?? 0;
  const admission = {
    slots: dependencies.analysisSlots,
    eventLoopDelay:
      dependencies.eventLoopDelay ?? (maxEventLoopDelayMs > 0 ? processEventLoopDelay() : NO_DELAY),
    maxEventLoopDelayMs,
  };
  // Under overload most reports are refused: answered here, before any other work.
  app.post(
    '/api/v1/analyze',
    refuseAnalysesEarly({ ...admission, requestIdOf, logger: dependencies.logger }),
  );
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: dependencies.logger,
      // Censors the API key and cookies, and secrets in the URL, whatever logger is injected.
      redact: LOG_REDACTION,
      serializers: { req: withoutUrlSecrets },
      genReqId: requestIdOf,
      customProps: (request) => ({ apiKeyId: request.principal?.keyId ?? null }),
    }),
  );
  const failures = limitFailedAuthentication({
    limit: dependencies.authFailuresPerWindow ?? 20,
    windowMs: (dependencies.authFailureWindowSeconds ?? 900) * 1000,
    ...(dependencies.rateLimitStores ? { store: dependencies.rateLimitStores('auth-failures') } : {}),
  });
  if (dependencies.mcpEnabled) {
    app.use(
      MCP_PATH,
      mcpEndpoint({
        resources: {
          knowledgeBase: dependencies.knowledgeBase,
          defectHistory: dependencies.store,
          now: dependencies.now,
        },
        store: dependencies.store,
        auth: dependencies.auth,
        failures,
        ...(dependencies.requestsPerMinute ? { requestsPerMinute: dependencies.requestsPerMinute } : {}),
        version: dependencies.version ?? '0.0.0',
      }),
    );
  }

  // The API comes before the other routers: a router a request passes through ends in a
  // setImmediate, and an analysis should be counted by admission control before any such turn.
  const api = express.Router();
  api.use(authenticate({ store: dependencies.store, mode: dependencies.auth, failures }));
  api.use(refuseReadOnlyWrites);
  api.use(markEvaluationRuns);
  api.post('/analyze', admitAnalysisRequests(admission));
  const stores = dependencies.rateLimitStores;
  api.use(
    limitPerMinute({
      limit: dependencies.requestsPerMinute ?? 600,
      what: 'requests',
      ...(stores ? { store: stores('requests') } : {}),
    }),
  );
  const analysesLimit = limitAnalysesPerMinute({
    limit: dependencies.analysesPerMinute ?? 60,
    ...(stores ? { store: stores('analyses') } : {}),
  });
  api.post(['/analyze', '/analyze/batch', '/analyses/:id/questions'], analysesLimit.middleware);
  api.use(express.json({ limit: '1mb' }));
  api.use(analysisRoutes(dependencies));
  api.use(reviewRoutes(dependencies));
  api.use(batchRoutes({ jobs: dependencies.jobs, chargeAnalyses: analysesLimit.charge }));
  api.use(questionRoutes(dependencies));
  api.use(defectRoutes(dependencies));
  api.use(vocabularyRoutes());
  api.use(knowledgeRoutes(dependencies));
  app.use('/api/v1', api);
  app.use(healthRoutes(dependencies));
  app.use(docsRoutes({ version: dependencies.version ?? '0.0.0' }));
  app.use(webConsoleRoutes(dependencies.webConsoleDirectory));
  app.use(methodNotAllowedHandler(app));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
