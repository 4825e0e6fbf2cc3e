import { readFileSync } from 'node:fs';
import { loadConfig, redactSecrets } from '../../domain/index.ts';
import { formatIngestSummary } from '../../knowledge-base/ingest.ts';
import { ingestIntoConfigured, openConfiguredKnowledgeBase } from '../../knowledge-base/open.ts';
import { createLogger } from '../logging.ts';
import { openConfiguredStore } from '../service.ts';
import { createMcpApp, MCP_PATH } from './app.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * `npm run mcp`: the action groups as a standalone MCP server (Streamable HTTP) on `MCP_PORT`,
 * over the knowledge base and the store of the service's configuration, with its API keys.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.logLevel,
    config,
    base: { pid: process.pid, component: 'mcp' },
  });
  const configured = await openConfiguredKnowledgeBase(config);
  if (config.autoIngest) {
    const summary = await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
    if (summary) logger.info({ failed: summary.failed.length }, formatIngestSummary(summary));
  }
  const store = await openConfiguredStore(config);
  const app = createMcpApp({
    resources: { knowledgeBase: configured.knowledgeBase, defectHistory: store, now: () => new Date() },
    store,
    auth: config.auth,
    logger,
    version: VERSION,
    requestsPerMinute: config.requestsPerMinute,
    authFailuresPerWindow: config.authFailuresPerWindow,
    authFailureWindowSeconds: config.authFailureWindowSeconds,
  });
  const server = app.listen(config.mcpPort, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.mcpPort;
    logger.info(
      { host: config.host, port, auth: config.auth },
      `MCP server (Streamable HTTP) listening on http://${config.host}:${port}${MCP_PATH}`,
    );
  });
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void Promise.all([configured.knowledgeBase.close(), store.close()]).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(redactSecrets(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
