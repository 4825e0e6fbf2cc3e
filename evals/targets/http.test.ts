import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../domain/index.ts';
import { fixtureAnalysis } from '../report/fixtures.ts';
import { StopRunError } from './target.ts';
import { closeTestServers, json, serve, type TestServer } from './test-server.ts';
import {
  backoffMs,
  createHttpTarget,
  evaluationRunIdFor,
  retryAfterMs,
  type HttpTargetOptions,
} from './http.ts';

const ANALYSIS = fixtureAnalysis({ type: 'rust_spot', stage: 'vacuum_quench' });
const REPORT = { description: 'Orange spots on the blade after quench.' };
afterEach(closeTestServers);

const RUN_ID = '2026-12-04T08-39-01-123Z-127.0.0.1_3000';

/** A target on `baseUrl` whose waits are recorded, not slept, with no jitter. */
function target(baseUrl: string, options: Partial<HttpTargetOptions> = {}) {
  const waits: number[] = [];
  const messages: string[] = [];
  const created = createHttpTarget({
    baseUrl,
    apiKey: 'test-key',
    evaluationRunId: RUN_ID,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    onWait: (message) => messages.push(message),
    ...options,
  });
  return { target: created, waits, messages };
}

const signal = () => AbortSignal.timeout(10_000);

describe('the HTTP target', () => {
  it('sends X-Evaluation-Run, the API key and an Idempotency-Key, and polls a pending analysis', async () => {
    const server = await serve((request, response, seen) => {
      if (request.method === 'POST') json(response, 202, { ...ANALYSIS, status: 'pending' });
      else json(response, 200, seen.length < 3 ? { ...ANALYSIS, status: 'pending' } : ANALYSIS);
    });
    const { target: http, waits } = target(server.baseUrl);
    expect(await http.analyze({ report: REPORT, signal: signal() })).toEqual(ANALYSIS);

    expect(server.seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /api/v1/analyze',
      `GET /api/v1/analyses/${ANALYSIS.defect_id}`,
      `GET /api/v1/analyses/${ANALYSIS.defect_id}`,
    ]);
    for (const request of server.seen) {
      expect(request.headers['x-evaluation-run']).toBe(RUN_ID);
      expect(request.headers['x-api-key']).toBe('test-key');
    }
    expect(server.seen[0]?.headers['idempotency-key']).toMatch(
      new RegExp(`^${RUN_ID.replace(/\./g, '\\.')}-[0-9a-f-]{36}$`),
    );
    expect(waits).toEqual([500, 500]);
  });

  it('gives each analysis its own Idempotency-Key', async () => {
    const server = await serve((_request, response) => json(response, 201, ANALYSIS));
    const { target: http } = target(server.baseUrl);
    await http.analyze({ report: REPORT, signal: signal() });
    await http.analyze({ report: REPORT, signal: signal() });
    const [first, second] = server.seen.map((request) => request.headers['idempotency-key']);
    expect(first).not.toBe(second);
  });

  it('waits as long as Retry-After says after a 429, then posts again with the same Idempotency-Key', async () => {
    const server = await serve((_request, response, seen) => {
      if (seen.length === 1)
        json(
          response,
          429,
          { error: { code: 'rate_limited', message: 'slow down' } },
          { 'retry-after': '7' },
        );
      else json(response, 201, ANALYSIS);
    });
    const { target: http, waits, messages } = target(server.baseUrl);
    expect(await http.analyze({ report: REPORT, signal: signal() })).toEqual(ANALYSIS);

    expect(waits).toEqual([7000]);
    expect(messages).toEqual(['HTTP 429 for POST /api/v1/analyze; waiting 7.0 s before retry 1 of 5']);
    const [first, retry] = server.seen;
    expect(retry?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(retry?.headers['x-evaluation-run']).toBe(RUN_ID);
  });

  it('reads a Retry-After date against its clock', async () => {
    const now = Date.parse('2026-12-04T09:00:00Z');
    const server = await serve((_request, response, seen) => {
      if (seen.length === 1) json(response, 503, null, { 'retry-after': 'Fri, 04 Dec 2026 09:00:12 GMT' });
      else json(response, 201, ANALYSIS);
    });
    const { target: http, waits } = target(server.baseUrl, { now: () => now });
    await http.analyze({ report: REPORT, signal: signal() });
    expect(waits).toEqual([12_000]);
  });

  it('backs off exponentially after a 503 without Retry-After', async () => {
    const server = await serve((_request, response, seen) => {
      if (seen.length <= 3) json(response, 503, { error: { code: 'unavailable', message: 'at capacity' } });
      else json(response, 201, ANALYSIS);
    });
    const { target: http, waits } = target(server.baseUrl);
    expect(await http.analyze({ report: REPORT, signal: signal() })).toEqual(ANALYSIS);
    // Half of 0.5 s × 2^retry with no jitter.
    expect(waits).toEqual([250, 500, 1000]);
    expect(new Set(server.seen.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it('gives up after --max-retries with a retryable error', async () => {
    const server = await serve((_request, response) => json(response, 429, null, { 'retry-after': '1' }));
    const { target: http, waits } = target(server.baseUrl, { maxRetries: 2 });
    const failure = await http.analyze({ report: REPORT, signal: signal() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).message).toBe(
      'POST /api/v1/analyze: HTTP 429, still after 2 retries; giving up (--max-retries 2)',
    );
    expect((failure as UpstreamError).isRetryable).toBe(true);
    expect(server.seen).toHaveLength(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('gives up without waiting when Retry-After is beyond --max-wait', async () => {
    const server = await serve((_request, response) => json(response, 429, null, { 'retry-after': '900' }));
    const { target: http, waits } = target(server.baseUrl, { maxWaitMs: 60_000 });
    await expect(http.analyze({ report: REPORT, signal: signal() })).rejects.toThrow(
      'POST /api/v1/analyze: HTTP 429, and waiting 900.0 s more would pass the 60 s limit on waiting (--max-wait); giving up',
    );
    expect(waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('retries a refused connection until the service is back', async () => {
    const first = await serve(() => {});
    const { port } = first;
    first.close();
    let restarted: TestServer | undefined;
    const { target: http, messages } = target(first.baseUrl, {
      sleep: async () => {
        restarted ??= await serve((_request, response) => json(response, 201, ANALYSIS), port);
      },
    });
    expect(await http.analyze({ report: REPORT, signal: signal() })).toEqual(ANALYSIS);
    expect(messages[0]).toMatch(
      /^connection refused for POST \/api\/v1\/analyze; waiting 0\.3 s before retry 1 of 5$/,
    );
    expect(restarted?.seen).toHaveLength(1);
  });

  it('posts an analysis again after a reset connection with the same key, but not a question', async () => {
    const server = await serve((request, response, seen) => {
      if (seen.length === 1 || request.url?.endsWith('/questions')) request.socket.destroy();
      else json(response, 201, ANALYSIS);
    });
    const { target: http, waits } = target(server.baseUrl);
    expect(await http.analyze({ report: REPORT, signal: signal() })).toEqual(ANALYSIS);
    expect(waits).toHaveLength(1);
    expect(server.seen[1]?.headers['idempotency-key']).toBe(server.seen[0]?.headers['idempotency-key']);

    await expect(
      http.ask({ analysis: ANALYSIS, question: 'Who owns it?', signal: signal() }),
    ).rejects.toThrow(UpstreamError);
    expect(server.seen.filter((request) => request.url?.endsWith('/questions'))).toHaveLength(1);
  });

  it('retries a question after a 503 and sends the run header with it', async () => {
    const server = await serve((_request, response, seen) => {
      if (seen.length === 1) json(response, 503, null);
      else json(response, 200, { answer: 'The process engineer.', citations: [{ chunk_id: 'SOP-1#a' }] });
    });
    const { target: http } = target(server.baseUrl);
    expect(await http.ask({ analysis: ANALYSIS, question: 'Who owns it?', signal: signal() })).toEqual({
      answer: 'The process engineer.',
      citations: ['SOP-1#a'],
    });
    expect(server.seen.map((request) => request.headers['x-evaluation-run'])).toEqual([RUN_ID, RUN_ID]);
  });

  it('does not retry other errors', async () => {
    const server = await serve((_request, response) =>
      json(response, 400, { error: { code: 'validation_error', message: 'no' } }),
    );
    const { target: http, waits } = target(server.baseUrl);
    await expect(http.analyze({ report: REPORT, signal: signal() })).rejects.toThrow(/^HTTP 400 from /);
    expect(waits).toEqual([]);
  });

  it('stops the run on a 401, naming --api-key', async () => {
    const server = await serve((_request, response) =>
      json(response, 401, { error: { code: 'unauthorized', message: 'missing API key' } }),
    );
    const without = target(server.baseUrl, { apiKey: undefined }).target;
    const failure = await without
      .analyze({ report: REPORT, signal: signal() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StopRunError);
    expect((failure as StopRunError).message).toBe(
      `${server.baseUrl} answered 401 (unauthorized: missing API key): it needs an API key: pass one with --api-key <key> (create one with npm run keys:create -- --name evals)`,
    );
    expect((failure as StopRunError).cause).toBeInstanceOf(UpstreamError);
    await expect(target(server.baseUrl).target.analyze({ report: REPORT, signal: signal() })).rejects.toThrow(
      /the API key given with --api-key is not valid there/,
    );
    expect(server.seen).toHaveLength(2);
  });

  it('stops waiting when the case is cancelled', async () => {
    const server = await serve((_request, response) => json(response, 503, null, { 'retry-after': '5' }));
    const http = createHttpTarget({ baseUrl: server.baseUrl, evaluationRunId: RUN_ID, onWait: () => {} });
    const controller = new AbortController();
    const pending = http.analyze({ report: REPORT, signal: controller.signal });
    while (server.seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toThrow();
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-04T09:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Fri, 04 Dec 2026 09:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Fri, 04 Dec 2026 08:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('backs off between half and all of 0.5 s × 2^retry, at most 30 s', () => {
    expect([0, 1, 2, 3].map((retry) => backoffMs(retry, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect(backoffMs(2, () => 0.999_999)).toBe(2000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
    expect(backoffMs(20, () => 0.999_999)).toBe(30_000);
  });
});

describe('evaluationRunIdFor', () => {
  it('keeps a run id of 1 to 64 of the characters the service accepts', () => {
    expect(evaluationRunIdFor(RUN_ID)).toBe(RUN_ID);
  });

  it('makes a new eval-<timestamp>-<random> id otherwise', () => {
    const now = new Date('2026-12-04T08:39:01.123Z');
    const id = evaluationRunIdFor(`${'x'.repeat(60)}-long-host.example.com`, now);
    expect(id).toMatch(/^eval-20261204T083901Z-[0-9a-f]{8}$/);
    expect(evaluationRunIdFor('run with spaces', now)).toMatch(/^eval-/);
    expect(evaluationRunIdFor('run/with+slash', now)).toMatch(/^eval-/);
  });

  it('is required by the target to be what the service accepts', () => {
    expect(() =>
      createHttpTarget({ baseUrl: 'http://127.0.0.1:1', evaluationRunId: 'x'.repeat(65) }),
    ).toThrow(RangeError);
    expect(() => createHttpTarget({ baseUrl: 'http://127.0.0.1:1', evaluationRunId: 'a b' })).toThrow(
      RangeError,
    );
  });
});
