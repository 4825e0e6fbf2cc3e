import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../domain/index.ts';
import { createHashingEmbedder } from '../embedding/hashing-embedder.ts';
import { ingestCorpus, KNOWLEDGE_BASE_MODEL } from '../ingest.ts';
import { FIXTURE_SOURCES, fixtureDocument, indexedDocuments } from '../testing/fixtures.ts';
import { describeKnowledgeBaseContract } from '../testing/knowledge-base-contract.ts';
import {
  createBedrockKnowledgeBaseIndex,
  type BedrockKnowledgeBaseIndexOptions,
  type IngestionProgress,
} from './bedrock-knowledge-base-index.ts';
import { bedrockError, s3Error, startFakeBedrock, type FakeBedrock } from './testing/fake-bedrock.ts';

const KNOWLEDGE_BASE_ID = 'KBTEST1234';
const DATA_SOURCE_ID = 'DSTEST0001';
const BUCKET = 'kb-corpus';

const clientSettings = (url: string) => ({
  region: 'us-east-1',
  endpoint: url,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: new NodeHttpHandler(),
  maxAttempts: 1,
});

async function startFake(pollsUntilComplete = 1): Promise<FakeBedrock> {
  return startFakeBedrock({
    knowledgeBaseId: KNOWLEDGE_BASE_ID,
    dataSourceId: DATA_SOURCE_ID,
    bucket: BUCKET,
    embedder: createHashingEmbedder({ dimensions: 256 }),
    pollsUntilComplete,
  });
}

function indexOver(fake: FakeBedrock, options: Partial<BedrockKnowledgeBaseIndexOptions> = {}) {
  return createBedrockKnowledgeBaseIndex({
    knowledgeBaseId: KNOWLEDGE_BASE_ID,
    dataSourceId: DATA_SOURCE_ID,
    bucket: BUCKET,
    client: new BedrockAgentRuntimeClient(clientSettings(fake.url)),
    agentClient: new BedrockAgentClient(clientSettings(fake.url)),
    s3Client: new S3Client({ ...clientSettings(fake.url), forcePathStyle: true }),
    pollIntervalMs: 1,
    ...options,
  });
}

describeKnowledgeBaseContract(
  'Bedrock knowledge base over S3 and ingestion jobs (local fake)',
  async () => {
    const fake = await startFake();
    return {
      knowledgeBase: indexOver(fake),
      embedder: createHashingEmbedder({ dimensions: 64 }),
      cleanup: () => fake.close(),
    };
  },
  { lexicalSearch: false, variedRanking: false },
);

describe('createBedrockKnowledgeBaseIndex', () => {
  let fake: FakeBedrock;

  beforeEach(async () => {
    fake = await startFake(2);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('writes one file and sidecar per chunk under chunks/<source id>/ and a manifest outside it', async () => {
    const knowledgeBase = indexOver(fake);
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const [sop] = await indexedDocuments([fixtureDocument('sop')], embedder);
    await knowledgeBase.upsertDocuments({ documents: [sop!], embedderId: 'hashing-test' });
    const keys = [...fake.objects.keys()].sort();
    const chunkFiles = keys.filter(
      (key) => key.startsWith(`${BUCKET}/chunks/SOP-VQ-01/`) && key.endsWith('.txt'),
    );
    expect(chunkFiles).toHaveLength(sop!.chunks.length);
    for (const file of chunkFiles) expect(keys).toContain(`${file}.metadata.json`);
    expect(keys).toContain(`${BUCKET}/documents/SOP-VQ-01/${sop!.contentHash}.json`);

    const reactionPlan = sop!.chunks.find((chunk) => chunk.chunkId === 'SOP-VQ-01#reaction-plan');
    const sidecar = JSON.parse(
      fake.objects.get(`${BUCKET}/chunks/SOP-VQ-01/reaction-plan.txt.metadata.json`)?.body.toString() ?? '{}',
    ) as { metadataAttributes: Record<string, unknown> };
    expect(sidecar.metadataAttributes).toMatchObject({
      source_id: 'SOP-VQ-01',
      chunk_id: 'SOP-VQ-01#reaction-plan',
      doc_type: 'sop',
      stage: 'vacuum_quench',
    });
    expect(sidecar.metadataAttributes).not.toHaveProperty('product_sku');
    expect(fake.objects.get(`${BUCKET}/chunks/SOP-VQ-01/reaction-plan.txt`)?.body.toString()).toBe(
      reactionPlan?.indexedText,
    );
    const manifest = JSON.parse(
      fake.objects.get(`${BUCKET}/documents/SOP-VQ-01/${sop!.contentHash}.json`)?.body.toString() ?? '{}',
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({ sourceId: 'SOP-VQ-01', docType: 'sop', embedderId: 'hashing-test' });
    expect(fake.ingestionJobs).toHaveLength(0);
  });

  it('syncs once per flush, polling the job and reporting its progress', async () => {
    const progress: IngestionProgress[] = [];
    const knowledgeBase = indexOver(fake, { onSyncProgress: (update) => progress.push(update) });
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const documents = await indexedDocuments([fixtureDocument('rust'), fixtureDocument('sop')], embedder);
    await knowledgeBase.upsertDocuments({ documents, embedderId: 'hashing-test' });
    await knowledgeBase.flush();
    await knowledgeBase.flush();
    expect(fake.ingestionJobs).toHaveLength(1);
    expect(progress.map((update) => update.status)).toEqual([
      'STARTING',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'COMPLETE',
    ]);
    const chunks = documents.reduce((sum, document) => sum + document.chunks.length, 0);
    expect(progress.at(-1)?.statistics).toMatchObject({
      numberOfDocumentsScanned: chunks,
      numberOfNewDocumentsIndexed: chunks,
      numberOfDocumentsFailed: 0,
    });
    const start = fake.requests.find(
      (request) => request.method === 'PUT' && request.path.includes('ingestionjobs'),
    );
    expect(start?.path).toBe(
      `/knowledgebases/${KNOWLEDGE_BASE_ID}/datasources/${DATA_SOURCE_ID}/ingestionjobs/`,
    );
    expect(JSON.parse(start?.body.toString() ?? '{}')).toMatchObject({ clientToken: expect.any(String) });
    expect(await knowledgeBase.describe()).toEqual({
      documents: 2,
      chunks,
      embedderId: null,
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
    });
  });

  it('ingests the corpus without computing vectors, and re-ingesting changes nothing', async () => {
    const corpusDir = await mkdtemp(path.join(tmpdir(), 'bedrock-corpus-'));
    try {
      for (const name of ['rust', 'scratch', 'sop', 'handle'] as const) {
        await writeFile(path.join(corpusDir, `${name}.md`), FIXTURE_SOURCES[name]);
      }
      const knowledgeBase = indexOver(fake);
      let embedded = 0;
      const embedder = createHashingEmbedder({ dimensions: 64 });
      const counting = {
        ...embedder,
        embed: (params: Parameters<typeof embedder.embed>[0]) => {
          embedded += params.texts.length;
          return embedder.embed(params);
        },
      };
      const first = await ingestCorpus({ corpusDir, knowledgeBase, embedder: counting });
      expect(first.added).toHaveLength(4);
      expect(embedded).toBe(0);
      expect(fake.ingestionJobs).toHaveLength(1);
      const manifest = [...fake.objects.keys()].find((key) =>
        key.startsWith(`${BUCKET}/documents/SOP-VQ-01/`),
      );
      expect(JSON.parse(fake.objects.get(manifest ?? '')?.body.toString() ?? '{}')).toMatchObject({
        embedderId: KNOWLEDGE_BASE_MODEL,
      });
      const [passage] = await knowledgeBase.retrieve({ query: 'scratches on a glazed paring knife', k: 1 });
      expect(passage?.metadata.source_id).toBe('DEF-20250102-0BADCAFE');

      const second = await ingestCorpus({ corpusDir, knowledgeBase, embedder: null });
      expect(second.unchanged).toBe(4);
      expect(fake.ingestionJobs).toHaveLength(1);
    } finally {
      await rm(corpusDir, { recursive: true, force: true });
    }
  });

  it('refuses a source id that cannot name an object, writing nothing', async () => {
    const knowledgeBase = indexOver(fake);
    const [sop] = await indexedDocuments([fixtureDocument('sop')], createHashingEmbedder({ dimensions: 64 }));
    const error = await knowledgeBase
      .upsertDocuments({ documents: [{ ...sop!, sourceId: '../escape' }], embedderId: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(fake.objects.size).toBe(0);
  });

  it('waits for a running job to end before starting its own', async () => {
    const knowledgeBase = indexOver(fake);
    const [sop] = await indexedDocuments([fixtureDocument('sop')], createHashingEmbedder({ dimensions: 64 }));
    await knowledgeBase.upsertDocuments({ documents: [sop!], embedderId: 'x' });
    fake.failNext((response) =>
      bedrockError(response, 409, 'ConflictException', 'An ingestion job is already running'),
    );
    await knowledgeBase.flush();
    const starts = fake.requests.filter(
      (request) => request.method === 'PUT' && request.path.includes('ingestionjobs'),
    );
    expect(starts).toHaveLength(2);
    expect(fake.ingestionJobs.at(-1)?.status).toBe('COMPLETE');
  });

  it('fails a sync whose job reports failed files, naming Bedrock’s reasons', async () => {
    const knowledgeBase = indexOver(fake);
    const [sop] = await indexedDocuments([fixtureDocument('sop')], createHashingEmbedder({ dimensions: 64 }));
    await knowledgeBase.upsertDocuments({ documents: [sop!], embedderId: 'x' });
    const s3 = new S3Client({ ...clientSettings(fake.url), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'chunks/SOP-VQ-01/broken.txt', Body: 'text' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'chunks/SOP-VQ-01/broken.txt.metadata.json',
        Body: '{not',
      }),
    );
    const error = await knowledgeBase.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(
      /ended FAILED: .*broken\.txt\.metadata\.json is not valid JSON/,
    );
    expect((error as UpstreamError).isRetryable).toBe(false);
  });

  it('maps S3 throttling to a retryable UpstreamError with the cause', async () => {
    const knowledgeBase = indexOver(fake);
    fake.failNext((response) => s3Error(response, 503, 'SlowDown', 'Please reduce your request rate.'));
    const error = await knowledgeBase.listDocuments().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).message).toContain('SlowDown');
    expect((error as UpstreamError).cause).toMatchObject({ name: 'SlowDown' });
  });

  it('maps an unknown data source to a non-retryable UpstreamError', async () => {
    const knowledgeBase = indexOver(fake, { dataSourceId: 'MISSING' });
    await knowledgeBase.removeDocuments({ sourceIds: ['SOP-VQ-01'] });
    const error = await knowledgeBase.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toMatch(/StartIngestionJob .*ResourceNotFoundException/);
  });
});
