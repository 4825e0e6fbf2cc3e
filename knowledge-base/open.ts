import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import type { AppConfig } from '../domain/index.ts';
import {
  createBedrockKnowledgeBaseIndex,
  type IngestionProgress,
} from './bedrock/bedrock-knowledge-base-index.ts';
import { createBedrockKnowledgeBase } from './bedrock/bedrock-knowledge-base.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBaseConfig,
} from './embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from './embedding/hashing-embedder.ts';
import type { Embedder } from './embedding/embedder.ts';
import { createTitanEmbedder } from './embedding/titan/titan-embedder.ts';
import { readWordStatistics } from './embedding/word-statistics.ts';
import { withFolderLock } from './folder-lock.ts';
import { ingestCorpus, type IngestSummary } from './ingest.ts';
import type { KnowledgeBase, KnowledgeBaseIndex } from './knowledge-base.ts';
import { discoverCollectionEndpoint } from './opensearch/collection.ts';
import {
  createOpenSearchClient,
  createOpenSearchKnowledgeBase,
} from './opensearch/opensearch-knowledge-base.ts';

/** The default embedder: hashing, IDF-weighted with the statistics fitted on the shipped corpus. */
export async function createDefaultEmbedder({ dimensions }: { dimensions: number }): Promise<Embedder> {
  return createHashingEmbedder({ dimensions, wordStatistics: await readWordStatistics() });
}

/**
 * The knowledge base a configuration selects. `writable` is null where ingestion happens
 * elsewhere (a Bedrock knowledge base without BEDROCK_KNOWLEDGE_BASE_BUCKET); `embedder` is null
 * where the store embeds chunks itself (Bedrock).
 *
 * `writable` is the same instance as `knowledgeBase` (embedded, OpenSearch): runtime writes, such
 * as the learning loop's records, must go through it. The embedded knowledge base keeps its
 * filters, term counts and vector index in memory, so a second `openConfiguredKnowledgeBase` on
 * the same files (another handle, another process) does not see them until it is reopened.
 */
export interface ConfiguredKnowledgeBase {
  knowledgeBase: KnowledgeBase & { close(): Promise<void> };
  writable: (KnowledgeBase & KnowledgeBaseIndex) | null;
  embedder: Embedder | null;
}

type KnowledgeSettings = Pick<
  AppConfig,
  | 'dataDir'
  | 'knowledgeBase'
  | 'embeddingDimensions'
  | 'embedder'
  | 'opensearchEndpoint'
  | 'opensearchCollection'
  | 'opensearchIndex'
  | 'bedrockKnowledgeBaseId'
  | 'bedrockKnowledgeBaseBucket'
  | 'bedrockDataSourceId'
  | 'awsRegion'
>;

/** The configured embedder: the local hashing one, or Titan Text Embeddings V2. */
export async function createConfiguredEmbedder(config: KnowledgeSettings): Promise<Embedder> {
  return config.embedder === 'titan'
    ? createTitanEmbedder({ region: config.awsRegion, dimensions: 1024 })
    : createDefaultEmbedder({ dimensions: config.embeddingDimensions });
}

/** Options of {@link openConfiguredKnowledgeBase}. */
export interface OpenKnowledgeBaseOptions {
  /** Hears the progress of a Bedrock ingestion job. */
  onSyncProgress?: (progress: IngestionProgress) => void;
  /** Looks up the collection endpoint from OPENSEARCH_COLLECTION; one for the region unless given. */
  serverlessClient?: OpenSearchServerlessClient;
  /** Retrieval settings of the embedded knowledge base (ignored by OpenSearch and Bedrock). */
  embedded?: Partial<Omit<EmbeddedKnowledgeBaseConfig, 'directory' | 'embedder' | 'client'>>;
}

/**
 * Opens the knowledge base and embedder the configuration selects. With `opensearch` and no
 * OPENSEARCH_ENDPOINT, the endpoint of the collection named by OPENSEARCH_COLLECTION is looked up
 * (it must be ACTIVE).
 */
export async function openConfiguredKnowledgeBase(
  config: KnowledgeSettings,
  options: OpenKnowledgeBaseOptions = {},
): Promise<ConfiguredKnowledgeBase> {
  const { onSyncProgress } = options;
  if (config.knowledgeBase === 'bedrock') {
    const settings = { knowledgeBaseId: config.bedrockKnowledgeBaseId as string, region: config.awsRegion };
    if (config.bedrockKnowledgeBaseBucket && config.bedrockDataSourceId) {
      const writable = createBedrockKnowledgeBaseIndex({
        ...settings,
        bucket: config.bedrockKnowledgeBaseBucket,
        dataSourceId: config.bedrockDataSourceId,
        ...(onSyncProgress ? { onSyncProgress } : {}),
      });
      return { knowledgeBase: { ...writable, close: async () => undefined }, writable, embedder: null };
    }
    const knowledgeBase = createBedrockKnowledgeBase(settings);
    return {
      knowledgeBase: { ...knowledgeBase, close: async () => undefined },
      writable: null,
      embedder: null,
    };
  }
  const embedder = await createConfiguredEmbedder(config);
  if (config.knowledgeBase === 'opensearch') {
    const client = createOpenSearchClient({
      node:
        config.opensearchEndpoint ??
        (await discoverCollectionEndpoint({
          client: options.serverlessClient ?? new OpenSearchServerlessClient({ region: config.awsRegion }),
          name: config.opensearchCollection as string,
        })),
      region: config.awsRegion,
    });
    const knowledgeBase = createOpenSearchKnowledgeBase({ client, index: config.opensearchIndex, embedder });
    const closable = { ...knowledgeBase, close: async () => client.close() };
    return { knowledgeBase: closable, writable: closable, embedder };
  }
  const directory = path.join(config.dataDir, 'knowledge');
  mkdirSync(directory, { recursive: true });
  // Several processes open one data folder (WORKERS, services started together): a write waits
  // for another's lock on the file instead of failing at once.
  const client = createClient({
    url: `file:${path.join(directory, 'knowledge.db')}`,
    timeout: KNOWLEDGE_BASE_BUSY_TIMEOUT_MS,
  });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ ...options.embedded, directory, embedder, client });
  return { knowledgeBase, writable: knowledgeBase, embedder };
}

/** How long a write to the embedded knowledge base waits for another process' lock on its file. */
export const KNOWLEDGE_BASE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the configured knowledge base and ingests the corpus into it (with `autoIngest`), holding
 * a lock on the data folder meanwhile, so that processes starting together on one data folder
 * ingest one after the other (the later ones find nothing to change). Closes it after.
 */
export async function prepareConfiguredKnowledgeBase(
  config: KnowledgeSettings & { autoIngest: boolean; corpusDir: string },
): Promise<IngestSummary | null> {
  const ingest = async (): Promise<IngestSummary | null> => {
    const configured = await openConfiguredKnowledgeBase(config);
    try {
      return config.autoIngest
        ? await ingestIntoConfigured({ configured, corpusDir: config.corpusDir })
        : null;
    } finally {
      await configured.knowledgeBase.close();
    }
  };
  return config.knowledgeBase === 'embedded'
    ? withFolderLock({ directory: path.join(config.dataDir, 'knowledge'), name: 'ingest.lock' }, ingest)
    : ingest();
}

/**
 * Ingests the corpus into a writable knowledge base; returns null for one that is fed
 * elsewhere (a Bedrock knowledge base whose data source is synced by hand).
 */
export async function ingestIntoConfigured({
  configured,
  corpusDir,
}: {
  configured: ConfiguredKnowledgeBase;
  corpusDir: string;
}): Promise<IngestSummary | null> {
  if (!configured.writable) return null;
  return ingestCorpus({ corpusDir, knowledgeBase: configured.writable, embedder: configured.embedder });
}
