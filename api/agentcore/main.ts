import { createAgentCoreServer } from '../../agents/runtime/agentcore/entry-point.ts';
import { createAgentSystem } from '../../agents/system.ts';
import { ConfigError, loadConfig, redactSecrets } from '../../domain/index.ts';
import { formatIngestSummary } from '../../knowledge-base/ingest.ts';
import { ingestIntoConfigured, openConfiguredKnowledgeBase } from '../../knowledge-base/open.ts';
import { createLogger } from '../logging.ts';
import { openConfiguredStore } from '../service.ts';

/**
 * `npm run agentcore`: the agents behind the AgentCore Runtime HTTP contract (`POST /invocations`,
 * `GET /ping`) on `HOST`:`AGENTCORE_PORT` (0.0.0.0:8080 in the image), over the configured
 * model, knowledge base and store (the defect history the tools count recurrences in). The
 * agents run here, on the local runtime: this process is what `AGENT_RUNTIME=agentcore` calls.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.agentRuntime !== 'local') {
    throw new ConfigError(
      `the AgentCore entry point runs the agents itself: AGENT_RUNTIME must be local here, not ${config.agentRuntime}`,
    );
  }
  const logger = createLogger({
    level: config.logLevel,
    config,
    base: { pid: process.pid, component: 'agentcore' },
  });
  const configured = await openConfiguredKnowledgeBase(config);
  if (config.autoIngest) {
    const summary = await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
    if (summary) logger.info({ failed: summary.failed.length }, formatIngestSummary(summary));
  }
  const store = await openConfiguredStore(config);
  const { runtime, orchestrator } = createAgentSystem({
    config,
    knowledgeBase: configured.knowledgeBase,
    defectHistory: store,
    logger,
  });
  const { server } = createAgentCoreServer({ runtime, orchestrator, logger });
  server.listen(config.agentCorePort, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.agentCorePort;
    logger.info(
      { host: config.host, port, model: config.model, knowledgeBase: config.knowledgeBase },
      `AgentCore entry point listening on http://${config.host}:${port} (POST /invocations, GET /ping)`,
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
