import { pino } from 'pino';
import { loadConfig } from '../domain/index.ts';
import { formatIngestSummary, ingestCorpus } from '../knowledge-base/ingest.ts';
import { openConfiguredKnowledgeBase } from '../knowledge-base/open.ts';
import { createApp } from './app.ts';

/** Starts the service on the configured adapters; ingests the corpus first when it changed. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const { knowledgeBase, embedder } = await openConfiguredKnowledgeBase(config);
  if (config.autoIngest) {
    const summary = await ingestCorpus({ corpusDir: config.corpusDir, knowledgeBase, embedder });
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
  const app = createApp({ knowledgeBase, logger });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ host: config.host, port }, `listening on http://${config.host}:${port}`);
  });
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      knowledgeBase.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
