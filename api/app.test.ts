import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from '../knowledge-base/embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../knowledge-base/testing/fixtures.ts';
import { createApp } from './app.ts';

describe('HTTP API', () => {
  let server: Server;
  let baseUrl: string;
  let knowledgeBase: EmbeddedKnowledgeBase;

  beforeAll(async () => {
    const embedder = createHashingEmbedder({ dimensions: 128 });
    knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(documents, embedder),
      embedderId: embedder.id,
    });
    let counter = 0;
    const app = createApp({
      knowledgeBase,
      logger: pino({ level: 'silent' }),
      createRequestId: () => `req-${++counter}`,
    });
    server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await knowledgeBase.close();
  });

  it('answers liveness and readiness', async () => {
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { knowledge_base: { ok: true, documents: 4 } },
    });
  });

  it('searches the knowledge base with scores and sources', async () => {
    const response = await fetch(
      `${baseUrl}/api/v1/knowledge/search?q=${encodeURIComponent('orange rust after quench')}&k=3`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { passages: Array<Record<string, unknown>> };
    expect(body.passages.length).toBeGreaterThan(0);
    expect(body.passages[0]).toMatchObject({ source_id: 'DEF-20240314-3FA2B91C', doc_type: 'past_defect' });
    expect(typeof body.passages[0]?.score).toBe('number');
    expect(typeof body.passages[0]?.text).toBe('string');
  });

  it('applies the doc_type, stage, defect_type and facility filters', async () => {
    const search = async (filters: string) => {
      const response = await fetch(
        `${baseUrl}/api/v1/knowledge/search?q=rust+scratch+handle+quench&k=20&${filters}`,
      );
      const body = (await response.json()) as { passages: Array<{ source_id: string }> };
      return new Set(body.passages.map((passage) => passage.source_id));
    };
    expect(await search('doc_type=sop')).toEqual(new Set(['SOP-VQ-01', 'SOP-HI-01']));
    expect(await search('stage=blade_glazing')).toEqual(new Set(['DEF-20250102-0BADCAFE']));
    expect(await search('defect_type=handle_discoloration')).toEqual(new Set(['SOP-HI-01']));
    expect(await search('facility=shenzhen&doc_type=past_defect')).toEqual(
      new Set(['DEF-20250102-0BADCAFE']),
    );
  });

  it('rejects bad queries with the error body and the request id', async () => {
    const response = await fetch(`${baseUrl}/api/v1/knowledge/search?q=rust&stage=painting`, {
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const body = (await response.json()) as {
      error: { code: string; requestId: string; details: Array<{ path: string }> };
    };
    expect(body.error.code).toBe('validation_error');
    expect(body.error.requestId).toBe('trace-123');
    expect(body.error.details.map((detail) => detail.path)).toContain('stage');

    const missing = await fetch(`${baseUrl}/api/v1/knowledge/search`);
    expect(missing.status).toBe(400);
    const tooMany = await fetch(`${baseUrl}/api/v1/knowledge/search?q=rust&k=500`);
    expect(tooMany.status).toBe(400);
  });

  it('answers unknown routes with 404 in the same shape, with security headers', async () => {
    const response = await fetch(`${baseUrl}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await response.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toMatch(/^req-\d+$/);
  });
});
