import type { ConcreteDefectType, DocType, Facility, ProcessStep, ProductSku } from '../domain/index.ts';
import type { Chunk, PassageMetadata } from './documents/chunk.ts';

/** How passages are found: BM25 only, vectors only, or both fused by reciprocal rank. */
export type SearchType = 'hybrid' | 'semantic' | 'lexical';

/** Metadata filters; every field that is set must match. */
export interface RetrievalFilter {
  doc_type?: DocType;
  stage?: ProcessStep;
  defect_type?: ConcreteDefectType;
  facility?: Facility;
  product_sku?: ProductSku;
}

/** A retrieved passage, shaped like one of Bedrock's Retrieve `retrievalResults`. */
export interface Passage {
  content: { type: 'TEXT'; text: string };
  /** Higher is better; comparable only within one call. */
  score: number;
  location: { type: 'CUSTOM'; customDocumentLocation: { id: string } };
  metadata: PassageMetadata;
}

/**
 * What a hybrid ranking favours among passages that resemble each other: `varied` moves a passage
 * much like a better-ranked one down, so that the k passages bring more distinct evidence (SOP
 * lookups, citations, search); `similar` ranks by relevance alone, so that records resembling
 * each other and the query stay at the top (`find_similar_defects`).
 */
export type Ranking = 'varied' | 'similar';

/** Parameters of {@link KnowledgeBase.retrieve}. */
export interface RetrieveParams {
  query: string;
  /** Number of passages to return (1-100). 5 by default. */
  k?: number;
  filter?: RetrievalFilter;
  searchType?: SearchType;
  /**
   * `varied` by default. An adapter whose engine does not compare passages with each other
   * ranks both alike (its documentation says so); the contract tests check either behaviour.
   */
  ranking?: Ranking;
  signal?: AbortSignal;
}

/** The KnowledgeBase port: read access to past defects and SOPs. */
export interface KnowledgeBase {
  retrieve(params: RetrieveParams): Promise<Passage[]>;
  /** The passages with these chunk ids, in the given order; unknown ids are left out. */
  getPassages(params: { chunkIds: readonly string[] }): Promise<Passage[]>;
  /** Counts, for readiness checks and summaries. */
  describe(): Promise<{ documents: number; chunks: number; embedderId: string | null }>;
}

/** One document to index: its chunks and their vectors, in the same order. */
export interface IndexedDocument {
  sourceId: string;
  docType: DocType;
  contentHash: string;
  chunks: readonly Chunk[];
  vectors: readonly Float32Array[];
}

/**
 * The write side of a knowledge base, used by ingestion. Writes are searchable once `flush()`
 * resolves (some adapters make them searchable sooner).
 */
export interface KnowledgeBaseIndex {
  /**
   * True when the store embeds chunks with its own model (a Bedrock knowledge base): ingestion
   * then computes no vectors and sends empty `vectors`.
   */
  readonly embedsChunks?: boolean;
  /** Every indexed document with the hash of the source it was built from. */
  listDocuments(): Promise<Array<{ sourceId: string; contentHash: string }>>;
  /** Replaces each document's chunks (inserting documents that are new). */
  upsertDocuments(params: { documents: readonly IndexedDocument[]; embedderId: string }): Promise<void>;
  removeDocuments(params: { sourceIds: readonly string[] }): Promise<void>;
  /** Drops everything, e.g. when the embedder changed. */
  clear(): Promise<void>;
  /** Persists what is held in memory (the vector index) and makes every write searchable. */
  flush(): Promise<void>;
}

/** Default and maximum of `k`. */
export const RETRIEVE_LIMITS = { defaultK: 5, maxK: 100 } as const;
