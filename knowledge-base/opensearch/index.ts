/**
 * The OpenSearch index layout, compatible with an Amazon Bedrock knowledge base on OpenSearch
 * Serverless: Bedrock's vector, text and metadata fields, plus top-level keyword fields that
 * both Bedrock metadata filters and this adapter's filters use.
 */

/** Bedrock's default vector field. */
export const VECTOR_FIELD = 'bedrock-knowledge-base-default-vector';
/** Bedrock's text field: the indexed text of a chunk (contextual header and passage), searched by BM25. */
export const TEXT_FIELD = 'AMAZON_BEDROCK_TEXT_CHUNK';
/** Bedrock's metadata field: the chunk's {@link PassageMetadata} as JSON, stored but not indexed. */
export const METADATA_FIELD = 'AMAZON_BEDROCK_METADATA';
/** The passage returned to callers (the chunk text without its contextual header), stored but not indexed. */
export const PASSAGE_FIELD = 'passage_text';

/** Distance functions of the k-NN field. Vectors are L2-normalised, so both rank like cosine similarity. */
export type SpaceType = 'l2' | 'innerproduct';

/** The stored shape of one chunk. */
export interface ChunkSource {
  [VECTOR_FIELD]: number[];
  [TEXT_FIELD]: string;
  [METADATA_FIELD]: string;
  [PASSAGE_FIELD]: string;
  source_id: string;
  chunk_id: string;
  doc_type: string;
  stage: string;
  defect_types: string[];
  facilities: string[];
  product_sku: string | null;
  content_hash: string;
  embedder_id: string;
}

/** Settings of the index body. */
export interface IndexBodyOptions {
  /** Dimensions of the embedder's vectors. */
  dimensions: number;
  /** `l2` by default, as Bedrock creates it. */
  spaceType?: SpaceType;
}

const keyword = { type: 'keyword' } as const;

/**
 * The body of `PUT <index>`: k-NN enabled, an HNSW (faiss) vector field, and the keyword
 * fields used for filtering, listing and replacing documents.
 */
export function knowledgeBaseIndexBody({ dimensions, spaceType = 'l2' }: IndexBodyOptions) {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  }
  return {
    settings: { index: { knn: true, 'knn.algo_param.ef_search': 512 } },
    mappings: {
      properties: {
        [VECTOR_FIELD]: {
          type: 'knn_vector',
          dimension: dimensions,
          method: {
            name: 'hnsw',
            engine: 'faiss',
            space_type: spaceType,
            parameters: { m: 16, ef_construction: 512 },
          },
        },
        [TEXT_FIELD]: { type: 'text', index: true },
        [METADATA_FIELD]: { type: 'text', index: false },
        [PASSAGE_FIELD]: { type: 'text', index: false },
        source_id: keyword,
        chunk_id: keyword,
        doc_type: keyword,
        stage: keyword,
        defect_types: keyword,
        facilities: keyword,
        product_sku: keyword,
        content_hash: keyword,
        embedder_id: keyword,
      },
    },
  } as const;
}
