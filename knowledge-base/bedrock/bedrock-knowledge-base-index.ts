import { randomUUID } from 'node:crypto';
import {
  BedrockAgentClient,
  GetIngestionJobCommand,
  StartIngestionJobCommand,
  type IngestionJob,
} from '@aws-sdk/client-bedrock-agent';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  describeAwsError,
  isAwsServiceError,
  isRetryableAwsError,
  UpstreamError,
  type DomainError,
} from '../../domain/index.ts';
import type { IndexedDocument, KnowledgeBase, KnowledgeBaseIndex } from '../knowledge-base.ts';
import { createBedrockKnowledgeBase, type BedrockKnowledgeBaseOptions } from './bedrock-knowledge-base.ts';
import { checkSourceId, chunkObjectName, metadataSidecar } from './objects.ts';

/** Progress of a sync: the ingestion job's status and statistics at each poll. */
export interface IngestionProgress {
  ingestionJobId: string;
  status: string;
  statistics: NonNullable<IngestionJob['statistics']>;
}

/** Settings of {@link createBedrockKnowledgeBaseIndex}. */
export interface BedrockKnowledgeBaseIndexOptions extends BedrockKnowledgeBaseOptions {
  /** The data source's S3 bucket. */
  bucket: string;
  dataSourceId: string;
  /** The data source's inclusion prefix, where chunk files go; `chunks/` by default. */
  chunkPrefix?: string;
  /** Where the document manifests go, outside the data source's prefix; `documents/` by default. */
  manifestPrefix?: string;
  s3Client?: S3Client;
  agentClient?: BedrockAgentClient;
  /** Time before the first GetIngestionJob poll; 1 s by default. Each next wait is 1.5 times longer. */
  pollIntervalMs?: number;
  /** The longest wait between polls; 15 s by default. */
  maxPollIntervalMs?: number;
  /** How long a sync may take before it fails; 30 minutes by default. */
  syncTimeoutMs?: number;
  /** S3 requests in flight at once; 16 by default. */
  concurrency?: number;
  onSyncProgress?: (progress: IngestionProgress) => void;
}

/** A Bedrock knowledge base with its write side; see {@link createBedrockKnowledgeBaseIndex}. */
export type BedrockKnowledgeBaseIndex = KnowledgeBase &
  KnowledgeBaseIndex & {
    describe(): Promise<{ documents: number; chunks: number; embedderId: null; knowledgeBaseId: string }>;
  };

/** What a document manifest records: enough to audit the bucket by hand. */
interface Manifest {
  sourceId: string;
  docType: IndexedDocument['docType'];
  contentHash: string;
  chunks: string[];
  embedderId: string;
}

function mapS3Error(error: unknown, action: string): DomainError {
  return new UpstreamError(`S3 ${action} failed with ${describeAwsError(error)}`, {
    cause: error,
    isRetryable: isRetryableAwsError(error),
  });
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * A Bedrock knowledge base with an S3 data source, read through Retrieve and written through
 * S3 and ingestion jobs, so that `npm run kb:ingest` keeps it in sync like any other adapter.
 *
 * - Each chunk is one file `<chunk prefix><source id>/<section>.txt` (the data source ingests it
 *   whole, chunking NONE) with its `.metadata.json` sidecar of metadata attributes.
 * - Each document has a manifest `<manifest prefix><source id>/<content hash>.json` listing its
 *   files, outside the data source's prefix; listing manifests lists the documents and their
 *   hashes in one paged call.
 * - Writes go to S3 at once; `flush()` starts one ingestion job and waits for it, so the writes
 *   become searchable together. A job that fails, or that reports failed files, is an
 *   UpstreamError naming Bedrock's reasons.
 * - Bedrock embeds the chunks with the knowledge base's own model: the vectors given to
 *   `upsertDocuments` are not used, and `describe()` reports no embedder.
 */
export function createBedrockKnowledgeBaseIndex(
  options: BedrockKnowledgeBaseIndexOptions,
): BedrockKnowledgeBaseIndex {
  const {
    bucket,
    dataSourceId,
    knowledgeBaseId,
    chunkPrefix = 'chunks/',
    manifestPrefix = 'documents/',
    pollIntervalMs = 1000,
    maxPollIntervalMs = 15_000,
    syncTimeoutMs = 30 * 60_000,
    concurrency = 16,
    onSyncProgress,
  } = options;
  const reader = createBedrockKnowledgeBase(options);
  const s3 = options.s3Client ?? new S3Client({ region: options.region });
  const agent = options.agentClient ?? new BedrockAgentClient({ region: options.region });
  let unsynced = false;

  async function listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
      } catch (error) {
        throw mapS3Error(error, `ListObjectsV2 of s3://${bucket}/${prefix}`);
      }
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async function put(key: string, body: string, contentType: string): Promise<void> {
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (error) {
      throw mapS3Error(error, `PutObject of s3://${bucket}/${key}`);
    }
  }

  async function remove(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      let output;
      try {
        output = await s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      } catch (error) {
        throw mapS3Error(error, `DeleteObjects in s3://${bucket}`);
      }
      const [failure] = output.Errors ?? [];
      if (failure) {
        throw new UpstreamError(
          `S3 could not delete s3://${bucket}/${failure.Key}: ${failure.Code} ${failure.Message}`,
          { isRetryable: failure.Code === 'SlowDown' || failure.Code === 'InternalError' },
        );
      }
    }
  }

  async function documentObjects(sourceId: string): Promise<string[]> {
    const folder = `${checkSourceId(sourceId)}/`;
    const [chunks, manifests] = await Promise.all([
      listKeys(`${chunkPrefix}${folder}`),
      listKeys(`${manifestPrefix}${folder}`),
    ]);
    return [...chunks, ...manifests];
  }

  async function writeDocument(document: IndexedDocument, embedderId: string): Promise<void> {
    if (!/^[A-Za-z0-9]+$/.test(document.contentHash)) {
      throw new UpstreamError(`document ${document.sourceId} has a content hash that cannot name an object`);
    }
    const existing = await documentObjects(document.sourceId);
    const files = document.chunks.map((chunk) => ({ chunk, key: `${chunkPrefix}${chunkObjectName(chunk)}` }));
    const written = new Set<string>();
    await forEachLimited(files, concurrency, async ({ chunk, key }) => {
      await put(key, chunk.indexedText, 'text/plain; charset=utf-8');
      await put(`${key}.metadata.json`, metadataSidecar(chunk), 'application/json');
      written.add(key).add(`${key}.metadata.json`);
    });
    const manifestKey = `${manifestPrefix}${document.sourceId}/${document.contentHash}.json`;
    await put(
      manifestKey,
      JSON.stringify({
        sourceId: document.sourceId,
        docType: document.docType,
        contentHash: document.contentHash,
        chunks: files.map(({ key }) => key),
        embedderId,
      } satisfies Manifest),
      'application/json',
    );
    written.add(manifestKey);
    await remove(existing.filter((key) => !written.has(key)));
  }

  function jobError(job: IngestionJob | undefined, message: string, cause?: unknown): UpstreamError {
    const reasons = job?.failureReasons?.slice(0, 5).join('; ');
    return new UpstreamError(
      `ingestion job ${job?.ingestionJobId ?? ''} of data source ${dataSourceId} ${message}${reasons ? `: ${reasons}` : ''}`,
      {
        cause,
        isRetryable: false,
        details: { statistics: job?.statistics, failureReasons: job?.failureReasons },
      },
    );
  }

  async function startJob(deadline: number): Promise<IngestionJob> {
    let wait = pollIntervalMs;
    for (;;) {
      try {
        const output = await agent.send(
          new StartIngestionJobCommand({
            knowledgeBaseId,
            dataSourceId,
            clientToken: randomUUID(),
            description: 'Sync started by the knowledge base ingestion',
          }),
        );
        if (!output.ingestionJob?.ingestionJobId) throw jobError(output.ingestionJob, 'has no id');
        return output.ingestionJob;
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        const conflict = isAwsServiceError(error) && error.name === 'ConflictException';
        if (conflict && Date.now() + wait < deadline) {
          await sleep(wait);
          wait = Math.min(wait * 1.5, maxPollIntervalMs);
          continue;
        }
        throw new UpstreamError(
          `StartIngestionJob for data source ${dataSourceId} of knowledge base ${knowledgeBaseId} failed` +
            (isAwsServiceError(error) ? ` with ${error.name}: ${error.message}` : ''),
          { cause: error, isRetryable: conflict || isRetryableAwsError(error) },
        );
      }
    }
  }

  async function sync(): Promise<void> {
    const deadline = Date.now() + syncTimeoutMs;
    let job = await startJob(deadline);
    const ingestionJobId = job.ingestionJobId as string;
    let wait = pollIntervalMs;
    for (;;) {
      onSyncProgress?.({
        ingestionJobId,
        status: job.status ?? 'STARTING',
        statistics: job.statistics ?? {},
      });
      if (job.status === 'COMPLETE') {
        if ((job.statistics?.numberOfDocumentsFailed ?? 0) > 0) {
          throw jobError(job, `completed with ${job.statistics?.numberOfDocumentsFailed} failed files`);
        }
        return;
      }
      if (job.status === 'FAILED' || job.status === 'STOPPED' || job.status === 'STOPPING') {
        throw jobError(job, `ended ${job.status}`);
      }
      if (Date.now() + wait > deadline) {
        throw new UpstreamError(
          `ingestion job ${ingestionJobId} of data source ${dataSourceId} did not finish within ${syncTimeoutMs} ms`,
          { isRetryable: true },
        );
      }
      await sleep(wait);
      wait = Math.min(wait * 1.5, maxPollIntervalMs);
      try {
        const output = await agent.send(
          new GetIngestionJobCommand({ knowledgeBaseId, dataSourceId, ingestionJobId }),
        );
        job = output.ingestionJob ?? job;
      } catch (error) {
        if (!isRetryableAwsError(error)) throw jobError(job, 'could not be read', error);
      }
    }
  }

  return {
    embedsChunks: true,
    retrieve: (params) => reader.retrieve(params),
    getPassages: (params) => reader.getPassages(params),

    async describe() {
      const [documents, chunks] = await Promise.all([listKeys(manifestPrefix), listKeys(chunkPrefix)]);
      return {
        documents: documents.filter((key) => key.endsWith('.json')).length,
        chunks: chunks.filter((key) => !key.endsWith('.metadata.json')).length,
        embedderId: null,
        knowledgeBaseId,
      };
    },

    async listDocuments() {
      const keys = await listKeys(manifestPrefix);
      return keys.flatMap((key) => {
        const match = /^([^/]+)\/([A-Za-z0-9]+)\.json$/.exec(key.slice(manifestPrefix.length));
        return match ? [{ sourceId: match[1] as string, contentHash: match[2] as string }] : [];
      });
    },

    async upsertDocuments({ documents, embedderId }) {
      for (const document of documents) checkSourceId(document.sourceId);
      unsynced = true;
      await forEachLimited(documents, Math.max(1, Math.floor(concurrency / 4)), (document) =>
        writeDocument(document, embedderId),
      );
    },

    async removeDocuments({ sourceIds }) {
      if (sourceIds.length === 0) return;
      unsynced = true;
      const keys: string[] = [];
      await forEachLimited(sourceIds, concurrency, async (sourceId) => {
        keys.push(...(await documentObjects(sourceId)));
      });
      await remove(keys);
    },

    async clear() {
      unsynced = true;
      const [chunks, manifests] = await Promise.all([listKeys(chunkPrefix), listKeys(manifestPrefix)]);
      await remove([...chunks, ...manifests]);
    },

    async flush() {
      if (!unsynced) return;
      await sync();
      unsynced = false;
    },
  };
}
