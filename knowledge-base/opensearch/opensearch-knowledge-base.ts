import { Client, errors } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { UpstreamError, ValidationError } from '../../domain/index.ts';
import type { PassageMetadata } from '../documents/chunk.ts';
import type { Embedder } from '../embedding/embedder.ts';
import {
  RETRIEVE_LIMITS,
  type IndexedDocument,
  type KnowledgeBase,
  type KnowledgeBaseIndex,
  type Passage,
  type RetrievalFilter,
  type RetrieveParams,
} from '../knowledge-base.ts';
import {
  METADATA_FIELD,
  PASSAGE_FIELD,
  TEXT_FIELD,
  VECTOR_FIELD,
  knowledgeBaseIndexBody,
  type ChunkSource,
  type SpaceType,
} from './index.ts';

/** Settings of the OpenSearch knowledge base. */
export interface OpenSearchKnowledgeBaseConfig {
  /** An injected client; see {@link createOpenSearchClient} for OpenSearch Serverless. */
  client: Client;
  /** Name of the index; created with {@link knowledgeBaseIndexBody} on the first write if missing. */
  index: string;
  embedder: Embedder;
  /** How hybrid rankings are fused: reciprocal rank fusion, computed here because Serverless lacks search pipelines in some regions. */
  fusion?: 'rrf';
  /** Constant k of reciprocal rank fusion. 60 by default. */
  rrfK?: number;
  /** Distance of the vector field when the index is created. `l2` by default. */
  spaceType?: SpaceType;
  /**
   * Sends `refresh=true` with writes so they are searchable at once. OpenSearch Serverless
   * ignores it (new documents become searchable within about ten seconds), so leave it off
   * there; managed or local OpenSearch honours it, which tests use.
   */
  refresh?: boolean;
  /**
   * Uses each chunk id as the document `_id`. Serverless vector search collections may refuse
   * custom ids; with `false` ids are generated, which is safe because a document's old chunks are
   * deleted by `source_id` before its new chunks are indexed. `true` by default.
   */
  chunkIdsAsDocumentIds?: boolean;
  /** Most documents {@link KnowledgeBaseIndex.listDocuments} reports (one terms aggregation). 10,000 by default. */
  maxDocuments?: number;
}

/** The OpenSearch adapter: both the read port and the write side. */
export type OpenSearchKnowledgeBase = KnowledgeBase & KnowledgeBaseIndex;

/** Settings of {@link createOpenSearchClient}. */
export interface OpenSearchClientOptions {
  /** Collection endpoint, e.g. `https://<id>.<region>.aoss.amazonaws.com`. */
  node: string;
  region: string;
  /** `aoss` for OpenSearch Serverless, `es` for a managed domain. */
  service?: 'aoss' | 'es';
  /** Credentials provider; the default Node.js provider chain by default. Called on each signing, never at creation. */
  credentials?: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
  }>;
}

/** A client that signs its requests with AWS SigV4; creating it touches no network. */
export function createOpenSearchClient({
  node,
  region,
  service = 'aoss',
  credentials,
}: OpenSearchClientOptions): Client {
  const getCredentials = credentials ?? fromNodeProviderChain();
  return new Client({ ...AwsSigv4Signer({ region, service, getCredentials }), node });
}

const DEFAULT_RRF_K = 60;
const DEFAULT_MAX_DOCUMENTS = 10_000;
/** Chunks sent per `_bulk` request. */
const BULK_BATCH = 500;

interface Hit {
  _id?: string;
  _score?: number | null;
  _source?: Partial<ChunkSource>;
}

interface Bucket {
  key: string | number;
  doc_count: number;
  [subAggregation: string]: unknown;
}

function clampK(k: number | undefined): number {
  const value = k ?? RETRIEVE_LIMITS.defaultK;
  if (!Number.isInteger(value) || value < 1 || value > RETRIEVE_LIMITS.maxK) {
    throw new ValidationError(`k must be an integer from 1 to ${RETRIEVE_LIMITS.maxK}, got ${value}`);
  }
  return value;
}

/** The bool filter clauses of a retrieval filter; array metadata is matched by membership. */
export function filterClauses(filter: RetrievalFilter | undefined): Array<Record<string, unknown>> {
  const fields: Array<[string, string | undefined]> = [
    ['doc_type', filter?.doc_type],
    ['stage', filter?.stage],
    ['defect_types', filter?.defect_type],
    ['facilities', filter?.facility],
    ['product_sku', filter?.product_sku],
  ];
  return fields
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([field, value]) => ({ term: { [field]: value } }));
}

function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

function describeResponseError(error: errors.ResponseError): string {
  const body: unknown = error.body;
  if (body && typeof body === 'object' && 'error' in body) {
    const inner = (body as { error: unknown }).error;
    if (inner && typeof inner === 'object') {
      const { type, reason } = inner as { type?: unknown; reason?: unknown };
      return `${error.statusCode} ${String(type ?? '')}: ${String(reason ?? '')}`;
    }
    return `${error.statusCode} ${String(inner)}`;
  }
  return `${error.statusCode}`;
}

function isIndexMissing(error: unknown): boolean {
  if (!(error instanceof errors.ResponseError) || error.statusCode !== 404) return false;
  const body: unknown = error.body;
  return JSON.stringify(body ?? '').includes('index_not_found_exception');
}

function upstream(action: string, index: string, cause: unknown): UpstreamError | ValidationError {
  if (cause instanceof UpstreamError || cause instanceof ValidationError) return cause;
  if (cause instanceof errors.ResponseError) {
    return new UpstreamError(`OpenSearch ${action} on ${index} failed: ${describeResponseError(cause)}`, {
      cause,
      isRetryable: isRetryableStatus(cause.statusCode),
    });
  }
  const retryable = cause instanceof errors.ConnectionError || cause instanceof errors.TimeoutError;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new UpstreamError(`OpenSearch ${action} on ${index} failed: ${message}`, {
    cause,
    isRetryable: retryable,
  });
}

function toPassage(hit: Hit, score: number): Passage | null {
  const source = hit._source;
  if (!source || typeof source[METADATA_FIELD] !== 'string') return null;
  const metadata = JSON.parse(source[METADATA_FIELD]) as PassageMetadata;
  return {
    content: { type: 'TEXT', text: source[PASSAGE_FIELD] ?? source[TEXT_FIELD] ?? '' },
    score: Number(score.toFixed(6)),
    location: { type: 'CUSTOM', customDocumentLocation: { id: metadata.source_id } },
    metadata,
  };
}

function chunkIdOf(hit: Hit): string {
  return String(hit._source?.chunk_id ?? hit._id ?? '');
}

/**
 * The OpenSearch adapter of the knowledge base, for an OpenSearch Serverless vector collection
 * (or any OpenSearch with the k-NN plugin). The index is laid out as a Bedrock knowledge base
 * expects, so Bedrock's Retrieve can serve the same index.
 *
 * Hybrid retrieval runs a k-NN query and a BM25 `match` query with the same filter and fuses the
 * two rankings by reciprocal rank fusion here. `ranking` is ignored: the hits carry no vectors to
 * compare passages with each other, so `varied` and `similar` rank alike (by relevance). Writes go
 * through `_bulk`; a document's old chunks are removed with `_delete_by_query` on `source_id` first.
 */
export function createOpenSearchKnowledgeBase(
  config: OpenSearchKnowledgeBaseConfig,
): OpenSearchKnowledgeBase {
  const { client, index, embedder } = config;
  const rrfK = config.rrfK ?? DEFAULT_RRF_K;
  const refresh = config.refresh ?? false;
  const chunkIdsAsDocumentIds = config.chunkIdsAsDocumentIds ?? true;
  const maxDocuments = config.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  let indexReady: Promise<void> | null = null;

  async function call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw upstream(action, index, cause);
    }
  }

  /** Reads on a missing index answer as an empty index would. */
  async function read<T>(action: string, run: () => Promise<T>, empty: T): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      if (isIndexMissing(cause)) return empty;
      throw upstream(action, index, cause);
    }
  }

  function ensureIndex(): Promise<void> {
    indexReady ??= call('index creation', async () => {
      const exists = await client.indices.exists({ index });
      if (exists.body === true) return;
      try {
        await client.indices.create({
          index,
          body: knowledgeBaseIndexBody({ dimensions: embedder.dimensions, spaceType: config.spaceType }),
        });
      } catch (cause) {
        if (JSON.stringify((cause as { body?: unknown }).body ?? '').includes('already_exists')) return;
        throw cause;
      }
    }).catch((error: unknown) => {
      indexReady = null;
      throw error;
    });
    return indexReady;
  }

  async function search(body: Record<string, unknown>, action: string, signal?: AbortSignal): Promise<Hit[]> {
    return read(action, async () => {
      const request = client.search({ index, body });
      const abort = (): void => request.abort();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const response = await request;
        return response.body.hits.hits as Hit[];
      } finally {
        signal?.removeEventListener('abort', abort);
      }
    }, []);
  }

  const sourceFields = { excludes: [VECTOR_FIELD] };

  function knnQuery(vector: Float32Array, size: number, filter: RetrievalFilter | undefined) {
    const clauses = filterClauses(filter);
    return {
      size,
      _source: sourceFields,
      query: {
        knn: {
          [VECTOR_FIELD]: {
            vector: Array.from(vector),
            k: size,
            ...(clauses.length > 0 ? { filter: { bool: { filter: clauses } } } : {}),
          },
        },
      },
    };
  }

  function matchQuery(query: string, size: number, filter: RetrievalFilter | undefined) {
    return {
      size,
      _source: sourceFields,
      query: {
        bool: {
          must: [{ match: { [TEXT_FIELD]: { query } } }],
          filter: filterClauses(filter),
        },
      },
    };
  }

  async function embedQuery(query: string, signal: AbortSignal | undefined): Promise<Float32Array> {
    const [vector] = await embedder.embed({ texts: [query], signal });
    if (!vector) throw new UpstreamError('the embedder returned no vector');
    return vector;
  }

  function scored(hits: readonly Hit[]): Passage[] {
    return hits.flatMap((hit) => toPassage(hit, hit._score ?? 0) ?? []);
  }

  async function retrieve({
    query,
    k,
    filter,
    searchType = 'hybrid',
    signal,
  }: RetrieveParams): Promise<Passage[]> {
    const count = clampK(k);
    if (query.trim().length === 0) throw new ValidationError('query must not be empty');
    signal?.throwIfAborted();
    if (searchType === 'lexical')
      return scored(await search(matchQuery(query, count, filter), 'search', signal));
    const vector = await embedQuery(query, signal);
    signal?.throwIfAborted();
    if (searchType === 'semantic')
      return scored(await search(knnQuery(vector, count, filter), 'search', signal));
    const candidates = Math.min(Math.max(count * 3, 30), 150);
    const [lexical, semantic] = await Promise.all([
      search(matchQuery(query, candidates, filter), 'lexical search', signal),
      search(knnQuery(vector, candidates, filter), 'vector search', signal),
    ]);
    const fused = new Map<string, { hit: Hit; score: number }>();
    /** Scaled so a passage ranked first by both searches scores 1. */
    const best = 2 / (rrfK + 1);
    for (const ranking of [lexical, semantic]) {
      ranking.forEach((hit, rank) => {
        const id = chunkIdOf(hit);
        const entry = fused.get(id) ?? { hit, score: 0 };
        entry.score += 1 / (rrfK + rank + 1) / best;
        fused.set(id, entry);
      });
    }
    return [...fused.entries()]
      .sort(([leftId, left], [rightId, right]) => right.score - left.score || leftId.localeCompare(rightId))
      .slice(0, count)
      .flatMap(([, { hit, score }]) => toPassage(hit, score) ?? []);
  }

  function chunkSources(document: IndexedDocument, embedderId: string): ChunkSource[] {
    if (document.vectors.length !== document.chunks.length) {
      throw new ValidationError(
        `${document.sourceId}: ${document.chunks.length} chunks but ${document.vectors.length} vectors`,
      );
    }
    return document.chunks.map((chunk, position) => {
      const vector = document.vectors[position] as Float32Array;
      if (vector.length !== embedder.dimensions) {
        throw new ValidationError(
          `${chunk.chunkId}: vector has ${vector.length} dimensions, expected ${embedder.dimensions}`,
        );
      }
      const metadata = chunk.metadata;
      return {
        [VECTOR_FIELD]: Array.from(vector),
        [TEXT_FIELD]: chunk.indexedText,
        [METADATA_FIELD]: JSON.stringify(metadata),
        [PASSAGE_FIELD]: chunk.text,
        source_id: chunk.sourceId,
        chunk_id: chunk.chunkId,
        doc_type: metadata.doc_type,
        stage: metadata.stage,
        defect_types: [...metadata.defect_types],
        facilities: [...metadata.facilities],
        product_sku: metadata.product_sku,
        content_hash: document.contentHash,
        embedder_id: embedderId,
      };
    });
  }

  async function deleteWhere(query: Record<string, unknown>, action: string): Promise<void> {
    await read(
      action,
      async () => {
        await client.deleteByQuery({ index, body: { query }, conflicts: 'proceed', refresh });
      },
      undefined,
    );
  }

  async function bulkIndex(sources: readonly ChunkSource[]): Promise<void> {
    for (let start = 0; start < sources.length; start += BULK_BATCH) {
      const batch = sources.slice(start, start + BULK_BATCH);
      const body = batch.flatMap((source) => [
        { index: chunkIdsAsDocumentIds ? { _index: index, _id: source.chunk_id } : { _index: index } },
        source,
      ]);
      const response = await call('bulk indexing', () => client.bulk({ index, body, refresh }));
      if (!response.body.errors) continue;
      const failures = response.body.items.flatMap((item, position) => {
        const result = Object.values(item)[0];
        if (!result?.error) return [];
        const reason =
          typeof result.error === 'object' ? `${result.error.type}: ${result.error.reason ?? ''}` : '';
        return [{ chunkId: batch[position]?.chunk_id ?? String(result._id), status: result.status, reason }];
      });
      if (failures.length === 0) continue;
      const [first] = failures;
      throw new UpstreamError(
        `OpenSearch refused ${failures.length} chunk(s) of ${index}, e.g. ${first?.chunkId} (${first?.status} ${first?.reason})`,
        {
          details: failures,
          isRetryable: failures.every((failure) => isRetryableStatus(failure.status)),
        },
      );
    }
  }

  async function documentAggregation(): Promise<{
    documents: Array<{ sourceId: string; contentHash: string }>;
    embedderId: string | null;
  }> {
    return read(
      'document listing',
      async () => {
        const body: Record<string, unknown> = {
          size: 0,
          aggs: {
            sources: {
              terms: { field: 'source_id', size: maxDocuments },
              aggs: { hashes: { terms: { field: 'content_hash', size: 1 } } },
            },
            embedders: { terms: { field: 'embedder_id', size: 1 } },
          },
        };
        const response = await client.search({ index, body });
        const aggregations = (response.body.aggregations ?? {}) as Record<string, { buckets?: Bucket[] }>;
        const documents = (aggregations.sources?.buckets ?? []).map((bucket) => {
          const hashes = (bucket.hashes as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
          return { sourceId: String(bucket.key), contentHash: String(hashes[0]?.key ?? '') };
        });
        documents.sort((left, right) => left.sourceId.localeCompare(right.sourceId));
        const embedderBucket = aggregations.embedders?.buckets?.[0];
        return { documents, embedderId: embedderBucket ? String(embedderBucket.key) : null };
      },
      { documents: [], embedderId: null },
    );
  }

  return {
    retrieve,

    async getPassages({ chunkIds }) {
      if (chunkIds.length === 0) return [];
      const hits = await search(
        {
          size: chunkIds.length,
          _source: sourceFields,
          query: { bool: { filter: [{ terms: { chunk_id: [...new Set(chunkIds)] } }] } },
        },
        'passage lookup',
      );
      const byChunk = new Map(hits.map((hit) => [chunkIdOf(hit), hit]));
      return chunkIds.flatMap((chunkId) => {
        const hit = byChunk.get(chunkId);
        return hit ? (toPassage(hit, 1) ?? []) : [];
      });
    },

    async describe() {
      const chunks = await read('count', async () => Number((await client.count({ index })).body.count), 0);
      const { documents, embedderId } = await documentAggregation();
      return { documents: documents.length, chunks, embedderId };
    },

    async listDocuments() {
      return (await documentAggregation()).documents;
    },

    async upsertDocuments({ documents, embedderId }) {
      if (embedderId !== embedder.id) {
        throw new ValidationError(
          `vectors from embedder ${embedderId} cannot go into an index of ${embedder.id}`,
        );
      }
      if (documents.length === 0) return;
      const sources = documents.flatMap((document) => chunkSources(document, embedderId));
      await ensureIndex();
      await deleteWhere(
        { terms: { source_id: documents.map((document) => document.sourceId) } },
        'removal of old chunks',
      );
      await bulkIndex(sources);
    },

    async removeDocuments({ sourceIds }) {
      if (sourceIds.length === 0) return;
      await deleteWhere({ terms: { source_id: [...sourceIds] } }, 'document removal');
    },

    async clear() {
      await deleteWhere({ match_all: {} }, 'clear');
    },

    /**
     * Nothing to do: every write is sent to OpenSearch when it is made. Serverless makes new
     * documents searchable on its own schedule (it ignores `refresh`), so a search right after
     * ingestion may still miss them for a few seconds.
     */
    async flush() {},
  };
}
