import {
  BedrockAgentRuntimeClient,
  RetrieveCommand,
  type KnowledgeBaseRetrievalResult,
  type RetrievalFilter as BedrockRetrievalFilter,
  type SearchType as BedrockSearchType,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { z } from 'zod';
import {
  awsErrorStatus,
  CancelledError,
  isAwsServiceError,
  isRetryableAwsError,
  UpstreamError,
  ValidationError,
  type DomainError,
} from '../../domain/index.ts';
import type { PassageMetadata } from '../documents/chunk.ts';
import {
  RETRIEVE_LIMITS,
  type KnowledgeBase,
  type Passage,
  type RetrievalFilter,
  type RetrieveParams,
  type SearchType,
} from '../knowledge-base.ts';

/** Settings of {@link createBedrockKnowledgeBase}. */
export interface BedrockKnowledgeBaseOptions {
  knowledgeBaseId: string;
  /** The Bedrock agent runtime client; without one, a client for `region` is created. */
  client?: BedrockAgentRuntimeClient;
  /** Region of the client created when none is given. */
  region?: string;
  /** Retrieve calls in flight at once in {@link KnowledgeBase.getPassages}; 4 by default. */
  concurrency?: number;
}

/** What {@link BedrockKnowledgeBase.describe} reports: Retrieve cannot count, so counts are -1. */
export interface BedrockKnowledgeBaseDescription {
  documents: number;
  chunks: number;
  embedderId: string | null;
  knowledgeBaseId: string;
}

/** The KnowledgeBase port over a Bedrock knowledge base; {@link createBedrockKnowledgeBase}. */
export interface BedrockKnowledgeBase extends KnowledgeBase {
  describe(): Promise<BedrockKnowledgeBaseDescription>;
}

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? null);

const stringList = z.union([z.array(z.string()), z.string().transform((value) => [value])]);

/**
 * The metadata attributes each chunk carries in its `.metadata.json` sidecar. Bedrock cannot
 * store nulls, so an absent `product_sku`, `date` or `severity` reads as null.
 */
const metadataSchema = z.object({
  source_id: z.string().min(1),
  chunk_id: z.string().min(1),
  doc_type: z.enum(['past_defect', 'sop']),
  title: z.string(),
  section: z.string(),
  stage: z.string(),
  defect_types: stringList,
  facilities: stringList,
  product_sku: optionalText,
  date: optionalText,
  severity: optionalText,
  root_cause_category: z.string().optional(),
  occurrence: z.string().optional(),
  escape: z.string().optional(),
  systemic: z.string().optional(),
  actions: stringList.optional(),
  effective: z.union([z.string(), z.boolean().transform(String)]).optional(),
  outcome: z.string().optional(),
  recurrence_of: z.string().optional(),
  owner_role: z.string().optional(),
  revision: z.string().optional(),
});

const SEARCH_TYPES: Record<Exclude<SearchType, 'lexical'>, BedrockSearchType> = {
  hybrid: 'HYBRID',
  semantic: 'SEMANTIC',
};

/**
 * Maps our filter to Bedrock metadata filters: `equals` on the scalar attributes,
 * `listContains` on `defect_types` and `facilities`, joined by `andAll` when there are two
 * or more (Bedrock's `andAll` needs at least two members).
 */
export function toBedrockFilter(
  filter: RetrievalFilter | undefined,
  extra: readonly BedrockRetrievalFilter[] = [],
): BedrockRetrievalFilter | undefined {
  const conditions: BedrockRetrievalFilter[] = [...extra];
  if (filter?.doc_type) conditions.push({ equals: { key: 'doc_type', value: filter.doc_type } });
  if (filter?.stage) conditions.push({ equals: { key: 'stage', value: filter.stage } });
  if (filter?.product_sku) conditions.push({ equals: { key: 'product_sku', value: filter.product_sku } });
  if (filter?.defect_type) {
    conditions.push({ listContains: { key: 'defect_types', value: filter.defect_type } });
  }
  if (filter?.facility) conditions.push({ listContains: { key: 'facilities', value: filter.facility } });
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return { andAll: conditions };
}

/** Maps a Retrieve failure to a typed error; throttling and server faults are retryable. */
export function mapRetrieveError(error: unknown, knowledgeBaseId: string, signal?: AbortSignal): DomainError {
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new CancelledError('the retrieval was cancelled', { cause: error });
  }
  if (!isAwsServiceError(error)) {
    return new UpstreamError(`Retrieve on Bedrock knowledge base ${knowledgeBaseId} failed`, {
      cause: error,
      isRetryable: true,
    });
  }
  const status = awsErrorStatus(error);
  return new UpstreamError(
    `Retrieve on Bedrock knowledge base ${knowledgeBaseId} failed with ${error.name}: ${error.message}`,
    { cause: error, isRetryable: isRetryableAwsError(error), details: { name: error.name, status } },
  );
}

function resultLocation(result: KnowledgeBaseRetrievalResult): string {
  const location = result.location;
  return (
    location?.s3Location?.uri ??
    location?.customDocumentLocation?.id ??
    location?.webLocation?.url ??
    location?.type ??
    'an unknown location'
  );
}

/** Validates one result's metadata attributes, naming what is missing or malformed. */
function toPassage(result: KnowledgeBaseRetrievalResult, knowledgeBaseId: string): Passage | null {
  const text = result.content?.text;
  if (result.content?.type !== undefined && result.content.type !== 'TEXT') return null;
  if (text === undefined) return null;
  const raw: Record<string, unknown> =
    typeof result.metadata === 'object' && result.metadata !== null ? { ...result.metadata } : {};
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const [key] = issue.path;
      const path = issue.path.join('.') || '(metadata)';
      return typeof key === 'string' && issue.path.length === 1 && raw[key] === undefined
        ? `${path} is missing`
        : `${path}: ${issue.message}`;
    });
    throw new UpstreamError(
      `Bedrock knowledge base ${knowledgeBaseId} returned a passage from ${resultLocation(result)} with bad metadata: ${problems.join('; ')}`,
      { cause: parsed.error, details: parsed.error.issues },
    );
  }
  const metadata: PassageMetadata = parsed.data;
  return {
    content: { type: 'TEXT', text },
    score: result.score ?? 0,
    location: { type: 'CUSTOM', customDocumentLocation: { id: metadata.source_id } },
    metadata,
  };
}

function checkK(k: number | undefined): number {
  const value = k ?? RETRIEVE_LIMITS.defaultK;
  if (!Number.isInteger(value) || value < 1 || value > RETRIEVE_LIMITS.maxK) {
    throw new ValidationError(`k must be an integer from 1 to ${RETRIEVE_LIMITS.maxK}, got ${value}`);
  }
  return value;
}

/**
 * The KnowledgeBase port over the Bedrock Knowledge Bases Retrieve API.
 *
 * - `retrieve` sends `vectorSearchConfiguration` with `numberOfResults: k`, the search type as
 *   `overrideSearchType` (left to Bedrock when not given) and our filter as metadata filters.
 *   Bedrock has no lexical-only search, so `searchType: 'lexical'` is refused with a ValidationError.
 * - `ranking` is ignored: Retrieve has no diversity setting, so `varied` and `similar` send the
 *   same request and rank alike (by relevance).
 * - Passages are located by their `source_id` attribute (as the embedded adapter does), whatever
 *   the S3 or custom location of the ingested object.
 * - `getPassages`: Retrieve cannot fetch by id, so each id is one Retrieve filtered with
 *   `equals` on the `chunk_id` attribute and `numberOfResults: 1`. This relies on the vector
 *   store applying the filter before the k-NN search (it does for OpenSearch Serverless,
 *   Aurora and S3 Vectors).
 * - `describe` cannot count through Retrieve: both counts are -1 and the embedder is unknown.
 *
 * It expects one ingested object per chunk (chunking strategy NONE) with the chunk's
 * {@link PassageMetadata} as metadata attributes, lists as string lists.
 */
export function createBedrockKnowledgeBase(options: BedrockKnowledgeBaseOptions): BedrockKnowledgeBase {
  const { knowledgeBaseId, concurrency = 4 } = options;
  const client = options.client ?? new BedrockAgentRuntimeClient({ region: options.region });

  async function send(
    text: string,
    numberOfResults: number,
    filter: BedrockRetrievalFilter | undefined,
    searchType: BedrockSearchType | undefined,
    signal?: AbortSignal,
  ): Promise<Passage[]> {
    let output;
    try {
      output = await client.send(
        new RetrieveCommand({
          knowledgeBaseId,
          retrievalQuery: { text },
          retrievalConfiguration: {
            vectorSearchConfiguration: {
              numberOfResults,
              ...(searchType ? { overrideSearchType: searchType } : {}),
              ...(filter ? { filter } : {}),
            },
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw mapRetrieveError(error, knowledgeBaseId, signal);
    }
    return (output.retrievalResults ?? [])
      .flatMap((result) => {
        const passage = toPassage(result, knowledgeBaseId);
        return passage ? [passage] : [];
      })
      .sort((left, right) => right.score - left.score)
      .slice(0, numberOfResults);
  }

  return {
    async retrieve({ query, k, filter, searchType, signal }: RetrieveParams) {
      const count = checkK(k);
      if (query.trim().length === 0) throw new ValidationError('query must not be empty');
      if (searchType === 'lexical') {
        throw new ValidationError(
          'searchType "lexical" is not supported by Bedrock knowledge bases; use "hybrid" or "semantic"',
        );
      }
      if (signal?.aborted) throw new CancelledError('the retrieval was cancelled', { cause: signal.reason });
      return send(
        query,
        count,
        toBedrockFilter(filter),
        searchType ? SEARCH_TYPES[searchType] : undefined,
        signal,
      );
    },

    async getPassages({ chunkIds }) {
      const unique = [...new Set(chunkIds)];
      const found = new Map<string, Passage>();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < unique.length) {
          const chunkId = unique[next] as string;
          next += 1;
          const filter = toBedrockFilter(undefined, [{ equals: { key: 'chunk_id', value: chunkId } }]);
          const [passage] = await send(chunkId, 1, filter, undefined);
          if (passage?.metadata.chunk_id === chunkId) found.set(chunkId, passage);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
      return chunkIds.flatMap((chunkId) => {
        const passage = found.get(chunkId);
        return passage ? [passage] : [];
      });
    },

    async describe() {
      return { documents: -1, chunks: -1, embedderId: null, knowledgeBaseId };
    },
  };
}
