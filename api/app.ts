import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import { errorHandler, notFoundHandler } from './middleware/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { knowledgeRoutes } from './routes/knowledge.ts';

/** What the app needs; everything is injected so tests can run it on port 0. */
export interface AppDependencies {
  knowledgeBase: KnowledgeBase;
  logger: Logger;
  /** Request id generator; a `x-request-id` header of up to 128 safe characters is kept. */
  createRequestId?: () => string;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the Express app: security headers, request ids and logs, routes, one error middleware. */
export function createApp(dependencies: AppDependencies): Express {
  const createRequestId = dependencies.createRequestId ?? randomUUID;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: dependencies.logger,
      genReqId: (request, response) => {
        const header = request.headers['x-request-id'];
        const id = typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : createRequestId();
        response.setHeader('x-request-id', id);
        return id;
      },
    }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRoutes(dependencies));
  app.use('/api/v1', knowledgeRoutes(dependencies));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
