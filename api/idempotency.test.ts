import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from './auth/api-keys.ts';
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

describe('idempotency keys are scoped by API key', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let shenzhenKey: string;
  let yangjiangKey: string;
  const data = temporaryDirectory('api-idempotency-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory, auth: 'required' });
    api = `${server.baseUrl}/api/v1`;
    shenzhenKey = (
      await createApiKey({ store: server.store, name: 'shenzhen qa', facility: 'shenzhen', now })
    ).key;
    yangjiangKey = (
      await createApiKey({ store: server.store, name: 'yangjiang qa', facility: 'yangjiang', now })
    ).key;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it('lets two tenants use the same key, and replays each one its own analysis', async () => {
    const report = { description: 'orange rust spots near the bolster after quench' };
    const send = (apiKey: string) =>
      postJson(`${api}/analyze`, report, { 'x-api-key': apiKey, 'idempotency-key': 'shared-key-0001' });

    const shenzhen = await send(shenzhenKey);
    expect(shenzhen.status).toBe(201);
    const yangjiang = await send(yangjiangKey);
    expect(yangjiang.status).toBe(201);
    const first = (await shenzhen.json()) as ConsolidatedAnalysis;
    const second = (await yangjiang.json()) as ConsolidatedAnalysis;
    expect(second.defect_id).not.toBe(first.defect_id);
    expect([first.report.facility, second.report.facility]).toEqual(['shenzhen', 'yangjiang']);

    const retried = await send(yangjiangKey);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as ConsolidatedAnalysis).defect_id).toBe(second.defect_id);
  });
});
