import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../../domain/index.ts';
import { formatIngestSummary, ingestCorpus } from '../ingest.ts';
import { openConfiguredKnowledgeBase } from '../open.ts';

const USAGE = `Usage: npm run kb:ingest -- [--corpus <dir>] [--data <dir>] [--quiet]

Parses, chunks, embeds and indexes the knowledge-base corpus. Re-running changes only what
changed. Exits 1 if any file could not be ingested. With KNOWLEDGE_BASE=bedrock the chunks go to
the data source's bucket (BEDROCK_KNOWLEDGE_BASE_BUCKET) and one ingestion job of
BEDROCK_DATA_SOURCE_ID makes them searchable; its progress is printed as it runs.
  --corpus <dir>  corpus folder (KB_CORPUS_DIR, default ./knowledge-base/corpus)
  --data <dir>    data folder holding the index (DATA_DIR, default ./data)
  --quiet         no progress bar`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      data: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const corpusDir = values.corpus ?? config.corpusDir;
  let lastStatus = '';
  const configured = await openConfiguredKnowledgeBase(
    { ...config, dataDir: values.data ?? config.dataDir },
    {
      onSyncProgress: ({ ingestionJobId, status, statistics }) => {
        if (values.quiet || status === lastStatus) return;
        lastStatus = status;
        const scanned = statistics.numberOfDocumentsScanned ?? 0;
        const indexed =
          (statistics.numberOfNewDocumentsIndexed ?? 0) + (statistics.numberOfModifiedDocumentsIndexed ?? 0);
        console.log(
          `sync ${ingestionJobId}: ${status} (${scanned} files scanned, ${indexed} indexed, ` +
            `${statistics.numberOfDocumentsDeleted ?? 0} deleted, ${statistics.numberOfDocumentsFailed ?? 0} failed)`,
        );
      },
    },
  );
  const { knowledgeBase, writable, embedder } = configured;
  if (!writable) {
    await knowledgeBase.close();
    throw new ConfigError(
      `KNOWLEDGE_BASE=${config.knowledgeBase} without BEDROCK_KNOWLEDGE_BASE_BUCKET and BEDROCK_DATA_SOURCE_ID cannot be written; ` +
        'set both (the stack outputs CorpusBucketName and DataSourceId) so that ingestion uploads the chunks and syncs the data source',
    );
  }
  const bar = new cliProgress.SingleBar(
    { format: ' {phase} [{bar}] {value}/{total} documents', hideCursor: true, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const summary = await ingestCorpus({
      corpusDir,
      knowledgeBase: writable,
      embedder,
      onProgress: values.quiet
        ? undefined
        : ({ phase, done, total }) => {
            if (!started) {
              bar.start(total, done, { phase });
              started = true;
            } else {
              bar.setTotal(total);
              bar.update(done, { phase });
            }
          },
    });
    if (started) bar.stop();
    console.log(formatIngestSummary(summary));
    return summary.failed.length > 0 ? 1 : 0;
  } finally {
    if (started) bar.stop();
    await knowledgeBase.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
