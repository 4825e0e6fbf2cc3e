import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBedrockKnowledgeBase } from '../../knowledge-base/bedrock/bedrock-knowledge-base.ts';
import { createBedrockKnowledgeBaseIndex } from '../../knowledge-base/bedrock/bedrock-knowledge-base-index.ts';
import {
  bedrockError,
  startFakeBedrock,
  type FakeBedrock,
} from '../../knowledge-base/bedrock/testing/fake-bedrock.ts';
import { createHashingEmbedder } from '../../knowledge-base/embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../../knowledge-base/testing/fixtures.ts';
import { healthRoutes, READINESS_PROBE_QUERY, Readiness } from './health.ts';

const KNOWLEDGE_BASE_ID = 'KBREADY001';
const DATA_SOURCE_ID = 'DSREADY001';
const BUCKET = 'kb-corpus';

const clientSettings = (url: string) => ({
  region: 'us-east-1',
  endpoint: url,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: new NodeHttpHandler(),
  maxAttempts: 1,
});

describe('GET /ready with a Bedrock knowledge base (Retrieve only: its counts are -1)', () => {
  let fake: FakeBedrock;
  let server: Server;
  let baseUrl: string;

  beforeEach(async () => {
    fake = await startFakeBedrock({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      dataSourceId: DATA_SOURCE_ID,
      bucket: BUCKET,
      embedder: createHashingEmbedder({ dimensions: 64 }),
      pollsUntilComplete: 0,
    });
    const knowledgeBase = createBedrockKnowledgeBase({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      client: new BedrockAgentRuntimeClient(clientSettings(fake.url)),
    });
    expect(await knowledgeBase.describe()).toMatchObject({ documents: -1, chunks: -1 });
    const app = express();
    app.use(pinoHttp({ logger: pino({ level: 'silent' }) }));
    app.use(healthRoutes({ knowledgeBase, store: { ping: async () => undefined } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
  });

  async function ready(): Promise<{ status: number; body: Readiness }> {
    const response = await fetch(`${baseUrl}/ready`);
    return { status: response.status, body: Readiness.parse(await response.json()) };
  }

  async function ingestOneDocument(): Promise<void> {
    const index = createBedrockKnowledgeBaseIndex({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      dataSourceId: DATA_SOURCE_ID,
      bucket: BUCKET,
      client: new BedrockAgentRuntimeClient(clientSettings(fake.url)),
      agentClient: new BedrockAgentClient(clientSettings(fake.url)),
      s3Client: new S3Client({ ...clientSettings(fake.url), forcePathStyle: true }),
      pollIntervalMs: 1,
    });
    const embedder = createHashingEmbedder({ dimensions: 64 });
    const documents = await indexedDocuments([fixtureDocument('rust')], embedder);
    await index.upsertDocuments({ documents, embedderId: embedder.id });
    await index.flush();
  }

  it('is not ready before anything was ingested, and ready once a retrieval finds a passage', async () => {
    expect(await ready()).toEqual({
      status: 503,
      body: { status: 'not_ready', checks: { knowledge_base: { ok: false }, store: { ok: true } } },
    });
    await ingestOneDocument();
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', checks: { knowledge_base: { ok: true }, store: { ok: true } } },
    });
    const retrieves = fake.requests.filter((request) => request.path.endsWith('/retrieve'));
    expect(retrieves.at(-1)?.body.toString()).toContain(READINESS_PROBE_QUERY);
  });

  it('is not ready when Retrieve is refused (a missing permission, say)', async () => {
    await ingestOneDocument();
    fake.failNext((response) => bedrockError(response, 403, 'AccessDeniedException', 'not authorized'));
    expect(await ready()).toMatchObject({ status: 503, body: { checks: { knowledge_base: { ok: false } } } });
  });
});
