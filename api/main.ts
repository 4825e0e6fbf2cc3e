import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { pino } from 'pino';
import { loadConfig, redactSecrets, type AppConfig } from '../domain/index.ts';
import { formatIngestSummary } from '../knowledge-base/ingest.ts';
import { openConfiguredKnowledgeBase, prepareConfiguredKnowledgeBase } from '../knowledge-base/open.ts';
import { createLearningLoop, readBaseTrainingExamples } from '../agents/learning/index.ts';
import { createReplaceableClassifierSource } from '../agents/models/offline/classifier/classifier.ts';
import { createApp } from './app.ts';
import { WEB_CONSOLE_DIRECTORY } from './web-console.ts';
import { createLogger } from './logging.ts';
import { createDatabaseRateLimitStore } from './middleware/database-rate-limit-store.ts';
import { createServiceDependencies, openConfiguredPersistence, openConfiguredStore } from './service.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Prepares shared state: store migrations and the knowledge-base index. Processes starting together
 * on one data folder ingest one at a time (a lock on the folder); the others find nothing to change.
 */
async function prepare(config: AppConfig, logger: pino.Logger): Promise<void> {
  const store = await openConfiguredStore(config);
  await store.close();
  const summary = await prepareConfiguredKnowledgeBase(config);
  if (summary) {
    const log = summary.failed.length > 0 ? logger.error.bind(logger) : logger.info.bind(logger);
    log(
      {
        ingest: {
          ...summary,
          added: summary.added.length,
          updated: summary.updated.length,
          removed: summary.removed.length,
        },
      },
      formatIngestSummary(summary),
    );
  }
}

/**
 * Serves the API in this process, and runs its share of the WorkQueue: batch items, and analyses
 * whose lease lapsed (their process died), whichever process or machine stored them.
 */
async function serve(config: AppConfig, logger: pino.Logger): Promise<void> {
  const configured = await openConfiguredKnowledgeBase(config);
  const { knowledgeBase } = configured;
  const persistence = await openConfiguredPersistence(config);
  const { store, queue } = persistence;
  // The learning loop writes confirmed cases into this same knowledge-base instance (another handle
  // on the embedded files would not see them) and retrains the offline classifier in a worker.
  const classifierSource = createReplaceableClassifierSource();
  const learning = createLearningLoop({
    index: configured.writable,
    embedder: configured.embedder,
    classifier: classifierSource,
    baseExamples: await readBaseTrainingExamples({ corpusDir: config.corpusDir }),
    logger: logger.child({ component: 'learning-loop' }),
  });
  learning.start({ reviewed: await store.listConfirmedAnalyses() });
  const dependencies = createServiceDependencies({
    config,
    knowledgeBase,
    store,
    logger,
    classifierSource,
    learning,
    queue,
  });
  const app = createApp({
    ...dependencies,
    auth: config.auth,
    corsOrigins: config.corsOrigins,
    analysesPerMinute: config.analysesPerMinute,
    maxEventLoopDelayMs: config.analysisMaxEventLoopDelayMs,
    requestsPerMinute: config.requestsPerMinute,
    authFailuresPerWindow: config.authFailuresPerWindow,
    authFailureWindowSeconds: config.authFailureWindowSeconds,
    version: VERSION,
    mcpEnabled: config.mcpEnabled,
    // Several processes on one database share their limits there, so WORKERS=2 does not double them.
    ...(persistence.shared || config.workers > 1
      ? { rateLimitStores: (prefix: string) => createDatabaseRateLimitStore({ store, prefix }) }
      : {}),
  });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    const consoleNote = existsSync(path.join(WEB_CONSOLE_DIRECTORY, 'index.html'))
      ? `; open ${url}/ for the web console`
      : '; the web console is not built (npm run web:build)';
    logger.info({ host: config.host, port, auth: config.auth }, `listening on ${url}${consoleNote}`);
  });
  server.requestTimeout = 120_000;
  dependencies.worker.start();
  logger.info({ owner: dependencies.worker.owner }, 'claiming batch items and lapsed leases');
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void dependencies.worker
        .stop({ timeoutMs: 10_000 })
        .then(() => learning.close())
        .then(() => Promise.all([knowledgeBase.close(), persistence.close()]))
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, config, base: { pid: process.pid } });
  if (config.workers === 1) {
    await prepare(config, logger);
    await serve(config, logger);
    return;
  }
  if (cluster.isPrimary) {
    await prepare(config, logger);
    for (let index = 0; index < config.workers; index += 1) cluster.fork();
    cluster.on('exit', (worker, code) => {
      logger.error({ worker: worker.id, code }, 'a worker exited; starting another');
      cluster.fork();
    });
    return;
  }
  await serve(config, logger);
}

main().catch((error: unknown) => {
  console.error(redactSecrets(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
