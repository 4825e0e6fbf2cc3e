import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from './auth/api-keys.ts';
import type { ErrorBody } from './middleware/errors.ts';
import {
  corpusKnowledgeBase,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

describe('failed authentication is rate-limited per client address', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let key: string;
  const data = temporaryDirectory('api-auth-limits-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      auth: 'required',
      settings: { RATE_LIMIT_AUTH_FAILURES: '3', RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS: '600' },
    });
    api = `${server.baseUrl}/api/v1`;
    key = (await createApiKey({ store: server.store, name: 'qa', facility: null, now })).key;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it('counts only failures, then refuses the address with 429, Retry-After and the error shape', async () => {
    const valid = await Promise.all(
      Array.from({ length: 8 }, () => fetch(`${api}/defects`, { headers: { 'x-api-key': key } })),
    );
    expect(valid.map((response) => response.status)).toEqual(Array(8).fill(200));

    const guesses: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      const wrong = `${key.slice(0, -4)}${String(index).padStart(4, 'A')}`;
      guesses.push((await fetch(`${api}/defects`, { headers: { 'x-api-key': wrong } })).status);
    }
    expect(guesses).toEqual([401, 401, 401]);

    const limited = await fetch(`${api}/defects`, { headers: { 'x-api-key': 'rca_guess_guess' } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const body = (await limited.json()) as ErrorBody;
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/more than 3 failed authentications/);
    expect(body.error.requestId).toBe(limited.headers.get('x-request-id'));

    // A right key from that address is refused too, so a lucky guess looks like a wrong one.
    const right = await fetch(`${api}/defects`, { headers: { 'x-api-key': key } });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).not.toBeNull();
    expect((await fetch(`${api}/defects`)).status).toBe(429);
    // Health checks are outside the API and stay open.
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });
});
