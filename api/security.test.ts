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

describe('API keys, facility scoping and rate limits', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let adminKey: string;
  let shenzhenKey: string;
  const data = temporaryDirectory('api-security-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      auth: 'required',
      analysesPerMinute: 4,
    });
    api = `${server.baseUrl}/api/v1`;
    adminKey = (await createApiKey({ store: server.store, name: 'qa admin', facility: null, now })).key;
    shenzhenKey = (
      await createApiKey({ store: server.store, name: 'shenzhen qa', facility: 'shenzhen', now })
    ).key;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it('requires a valid key and stores only its hash', async () => {
    expect((await fetch(`${api}/defects`)).status).toBe(401);
    const wrong = await fetch(`${api}/defects`, { headers: { 'x-api-key': `${adminKey.slice(0, -4)}AAAA` } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(`${api}/defects`, { headers: { 'x-api-key': 'garbage' } })).status).toBe(401);
    expect((await fetch(`${api}/defects`, { headers: { 'x-api-key': adminKey } })).status).toBe(200);
    const id = adminKey.split('_')[1] ?? '';
    const stored = await server.store.getApiKey({ id });
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(adminKey).not.toContain(stored?.secretHash ?? 'x');
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });

  it('limits a facility-scoped key to its facility', async () => {
    const yangjiang = (await (
      await postJson(
        `${api}/analyze`,
        { description: 'orange rust spots after quench', facility: 'yangjiang' },
        { 'x-api-key': adminKey },
      )
    ).json()) as ConsolidatedAnalysis;
    const scoped = await postJson(
      `${api}/analyze`,
      { description: 'pinholes in the bolster weld' },
      { 'x-api-key': shenzhenKey },
    );
    expect(scoped.status).toBe(201);
    const shenzhen = (await scoped.json()) as ConsolidatedAnalysis;
    expect(shenzhen.report.facility).toBe('shenzhen');

    const headers = { 'x-api-key': shenzhenKey };
    expect((await fetch(`${api}/analyses/${yangjiang.defect_id}`, { headers })).status).toBe(404);
    expect((await fetch(`${api}/analyses/${yangjiang.defect_id}/report`, { headers })).status).toBe(404);
    expect((await fetch(`${api}/analyses/${shenzhen.defect_id}`, { headers })).status).toBe(200);
    const list = (await (await fetch(`${api}/defects`, { headers })).json()) as {
      items: Array<{ facility: string }>;
    };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((item) => item.facility === 'shenzhen')).toBe(true);
    expect((await fetch(`${api}/defects?facility=yangjiang`, { headers })).status).toBe(403);
    expect((await fetch(`${api}/stats?facility=yangjiang`, { headers })).status).toBe(403);
    const stats = (await (await fetch(`${api}/stats`, { headers })).json()) as {
      by_facility: Record<string, number>;
    };
    expect(Object.keys(stats.by_facility)).toEqual(['shenzhen']);
    const foreign = await postJson(`${api}/analyze`, { description: 'chips', facility: 'hongkong' }, headers);
    expect(foreign.status).toBe(403);
  });

  it('rate-limits analyses per key with 429 in the error shape', async () => {
    const key = (await createApiKey({ store: server.store, name: 'burst', facility: null, now })).key;
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push(
        (
          await postJson(
            `${api}/analyze`,
            { description: 'no defects found, all within spec' },
            { 'x-api-key': key },
          )
        ).status,
      );
    }
    expect(statuses.slice(0, 4)).toEqual([201, 201, 201, 201]);
    expect(statuses[4]).toBe(429);
    const limited = await postJson(`${api}/analyze`, { description: 'x' }, { 'x-api-key': key });
    expect(limited.headers.get('ratelimit-policy') ?? limited.headers.get('ratelimit')).toBeTruthy();
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await fetch(`${api}/defects`, { headers: { 'x-api-key': key } })).status).toBe(200);
  });
});
