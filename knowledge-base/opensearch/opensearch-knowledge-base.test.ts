import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../domain/index.ts';
import { createHashingEmbedder } from '../embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../testing/fixtures.ts';
import { describeKnowledgeBaseContract } from '../testing/knowledge-base-contract.ts';
import { METADATA_FIELD, TEXT_FIELD, VECTOR_FIELD, knowledgeBaseIndexBody } from './index.ts';
import { createOpenSearchClient, createOpenSearchKnowledgeBase } from './opensearch-knowledge-base.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from './testing/fake-opensearch.ts';

let indexCounter = 0;

describeKnowledgeBaseContract(
  'OpenSearch (local fake)',
  async () => {
    const fake = await startFakeOpenSearch();
    const client = new Client({ node: fake.url });
    const embedder = createHashingEmbedder({ dimensions: 128 });
    indexCounter += 1;
    const knowledgeBase = createOpenSearchKnowledgeBase({
      client,
      index: `kb-contract-${indexCounter}`,
      embedder,
      fusion: 'rrf',
      refresh: true,
    });
    return {
      knowledgeBase,
      embedder,
      async cleanup() {
        await client.close();
        await fake.close();
      },
    };
  },
  { variedRanking: false },
);

describe('OpenSearch knowledge base', () => {
  let fake: FakeOpenSearch;
  let client: Client;

  beforeAll(async () => {
    fake = await startFakeOpenSearch();
    client = new Client({ node: fake.url });
  });

  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  it('maps the index as a Bedrock knowledge base expects', () => {
    const body = knowledgeBaseIndexBody({ dimensions: 1024 });
    expect(body.settings.index.knn).toBe(true);
    const properties = body.mappings.properties;
    expect(properties[VECTOR_FIELD]).toMatchObject({
      type: 'knn_vector',
      dimension: 1024,
      method: { name: 'hnsw', engine: 'faiss', space_type: 'l2' },
    });
    expect(properties[TEXT_FIELD]).toEqual({ type: 'text', index: true });
    expect(properties[METADATA_FIELD]).toEqual({ type: 'text', index: false });
    for (const field of [
      'source_id',
      'chunk_id',
      'doc_type',
      'stage',
      'defect_types',
      'facilities',
      'product_sku',
      'content_hash',
      'embedder_id',
    ] as const) {
      expect(properties[field]).toEqual({ type: 'keyword' });
    }
    expect(
      knowledgeBaseIndexBody({ dimensions: 8, spaceType: 'innerproduct' }).mappings.properties[VECTOR_FIELD]
        .method.space_type,
    ).toBe('innerproduct');
    expect(() => knowledgeBaseIndexBody({ dimensions: 0 })).toThrow(RangeError);
  });

  it('creates the index with the embedder dimension on the first write and stores Bedrock fields', async () => {
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const knowledgeBase = createOpenSearchKnowledgeBase({
      client,
      index: 'kb-create',
      embedder,
      refresh: true,
    });
    expect(await knowledgeBase.retrieve({ query: 'rust', k: 3 })).toEqual([]);
    expect(await knowledgeBase.describe()).toEqual({ documents: 0, chunks: 0, embedderId: null });
    const documents = await indexedDocuments([fixtureDocument('sop')], embedder);
    await knowledgeBase.upsertDocuments({ documents, embedderId: embedder.id });
    const created = fake.indices.get('kb-create');
    expect(created?.settings).toMatchObject({ index: { knn: true } });
    expect(created?.mappings).toMatchObject({ properties: { [VECTOR_FIELD]: { dimension: 64 } } });
    const description = await knowledgeBase.describe();
    expect(description).toEqual({
      documents: 1,
      chunks: documents[0]?.chunks.length,
      embedderId: embedder.id,
    });
    const stored = await client.search({ index: 'kb-create', body: { size: 1, query: { match_all: {} } } });
    const source = stored.body.hits.hits[0]?._source as Record<string, unknown>;
    expect(JSON.parse(String(source[METADATA_FIELD]))).toMatchObject({ source_id: 'SOP-VQ-01' });
    expect(String(source[TEXT_FIELD])).toContain('Vacuum quench');
    expect(stored.body.hits.hits[0]?._id).toBe(source.chunk_id);
    const bulk = fake.requests.find((request) => request.path === '/kb-create/_bulk');
    expect(bulk?.query.get('refresh')).toBe('true');
  });

  it('refuses vectors from another embedder', async () => {
    const embedder = createHashingEmbedder({ dimensions: 32 });
    const knowledgeBase = createOpenSearchKnowledgeBase({ client, index: 'kb-other', embedder });
    const documents = await indexedDocuments([fixtureDocument('sop')], embedder);
    await expect(
      knowledgeBase.upsertDocuments({ documents, embedderId: 'other-embedder' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('surfaces a refused bulk item as an UpstreamError naming the chunk', async () => {
    await client.indices.create({ index: 'kb-mismatch', body: knowledgeBaseIndexBody({ dimensions: 16 }) });
    const embedder = createHashingEmbedder({ dimensions: 32 });
    const knowledgeBase = createOpenSearchKnowledgeBase({ client, index: 'kb-mismatch', embedder });
    const documents = await indexedDocuments([fixtureDocument('sop')], embedder);
    const failure = await knowledgeBase.upsertDocuments({ documents, embedderId: embedder.id }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).message).toContain(documents[0]?.chunks[0]?.chunkId);
    expect((failure as UpstreamError).message).toContain('mapper_parsing_exception');
    expect((failure as UpstreamError).isRetryable).toBe(false);
  });

  it('generates document ids when chunk ids may not be used', async () => {
    const embedder = createHashingEmbedder({ dimensions: 32 });
    const knowledgeBase = createOpenSearchKnowledgeBase({
      client,
      index: 'kb-generated-ids',
      embedder,
      chunkIdsAsDocumentIds: false,
    });
    const [document] = await indexedDocuments([fixtureDocument('sop')], embedder);
    await knowledgeBase.upsertDocuments({ documents: [document!], embedderId: embedder.id });
    await knowledgeBase.upsertDocuments({ documents: [document!], embedderId: embedder.id });
    expect((await knowledgeBase.describe()).chunks).toBe(document?.chunks.length);
    const [passage] = await knowledgeBase.getPassages({ chunkIds: ['SOP-VQ-01#reaction-plan'] });
    expect(passage?.metadata.chunk_id).toBe('SOP-VQ-01#reaction-plan');
  });

  it('reports an unreachable cluster as a retryable UpstreamError', async () => {
    const unreachable = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0 });
    const knowledgeBase = createOpenSearchKnowledgeBase({
      client: unreachable,
      index: 'kb',
      embedder: createHashingEmbedder({ dimensions: 32 }),
    });
    const failure = await knowledgeBase.describe().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).isRetryable).toBe(true);
    await unreachable.close();
  });

  it('signs requests with SigV4 for OpenSearch Serverless, fetching credentials only when sending', async () => {
    let credentialCalls = 0;
    const signed = createOpenSearchClient({
      node: fake.url,
      region: 'eu-west-1',
      service: 'aoss',
      credentials: async () => {
        credentialCalls += 1;
        return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
      },
    });
    expect(credentialCalls).toBe(0);
    await signed.count({ index: 'kb-create' });
    expect(credentialCalls).toBe(1);
    const request = fake.requests.at(-1);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/aoss\/aws4_request/,
    );
    expect(request?.headers['x-amz-security-token']).toBe('token');
    expect(request?.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    await signed.close();
  });

  it('creates a SigV4 client with the default credential chain without network', () => {
    const signed = createOpenSearchClient({
      node: 'https://example.eu-west-1.aoss.amazonaws.com',
      region: 'eu-west-1',
      service: 'aoss',
    });
    expect(signed).toBeInstanceOf(Client);
  });
});
