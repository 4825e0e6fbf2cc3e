import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../agents/models/model.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

const reports = (count: number, tag: string) => ({
  reports: Array.from({ length: count }, (_, index) => ({
    description: `Pinholes in the bolster weld seam, ${tag} knife ${index + 1}`,
  })),
});

/** A model whose calls wait until `release()`, so that batch items stay queued while the test looks. */
function heldModel(): Model & { release(): void } {
  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    id: 'held',
    supportsImages: false,
    release: () => release(),
    converse: async () => {
      await held;
      throw new Error('released');
    },
  };
}

async function storedAnalyses(server: TestServer): Promise<number> {
  return (await server.store.listAnalyses({ limit: 200, includeEvaluation: true })).items.length;
}

describe('a batch counts as one analysis per report', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const data = temporaryDirectory('api-batch-limits-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
  }, 120_000);

  afterAll(async () => {
    await knowledgeBase.close();
    data.remove();
  });

  it('refuses a batch that would exceed the analyses a minute, storing nothing of it', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory, analysesPerMinute: 30 });
    try {
      const api = `${server.baseUrl}/api/v1`;
      expect((await postJson(`${api}/analyze/batch`, reports(25, 'first'))).status).toBe(202);
      const refused = await postJson(`${api}/analyze/batch`, reports(10, 'second'));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect(await storedAnalyses(server)).toBe(25);
      const single = await postJson(`${api}/analyze`, { description: 'rust spots after quench' });
      expect(single.status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('refuses a batch with 503 when the batch queue is full, whatever arrives at once', async () => {
    const model = heldModel();
    const server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      model,
      settings: { BATCH_QUEUE_LIMIT: '10' },
    });
    try {
      const api = `${server.baseUrl}/api/v1`;
      const answers = await Promise.all([
        postJson(`${api}/analyze/batch`, reports(8, 'a')),
        postJson(`${api}/analyze/batch`, reports(8, 'b')),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([202, 503]);
      const refused = answers.find((answer) => answer.status === 503);
      expect(refused?.headers.get('retry-after')).toBe('1');
      expect(((await refused?.json()) as { error: { message: string } }).error.message).toMatch(
        /batch queue is full/,
      );
      expect(await storedAnalyses(server)).toBe(8);
      // Two items are running (BATCH_CONCURRENCY 2), six wait: room for four more.
      expect((await postJson(`${api}/analyze/batch`, reports(5, 'more'))).status).toBe(503);
      expect((await postJson(`${api}/analyze/batch`, reports(4, 'fits'))).status).toBe(202);
    } finally {
      model.release();
      await server.close();
    }
  });

  it('replays a batch under its Idempotency-Key, refuses the key with other reports, and stores one job for two at once', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory });
    try {
      const api = `${server.baseUrl}/api/v1`;
      const headers = { 'idempotency-key': 'night-shift-batch-0042' };
      const [first, second] = await Promise.all([
        postJson(`${api}/analyze/batch`, reports(3, 'night'), headers),
        postJson(`${api}/analyze/batch`, reports(3, 'night'), headers),
      ]);
      expect([first.status, second.status]).toEqual([202, 202]);
      const bodies = (await Promise.all([first.json(), second.json()])) as Array<{ job_id: string }>;
      expect(bodies[0]?.job_id).toBe(bodies[1]?.job_id);
      expect([first, second].map((answer) => answer.headers.get('idempotent-replayed')).sort()).toEqual([
        'false',
        'true',
      ]);
      const replay = await postJson(`${api}/analyze/batch`, reports(3, 'night'), headers);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(((await replay.json()) as { job_id: string }).job_id).toBe(bodies[0]?.job_id);
      const other = await postJson(`${api}/analyze/batch`, reports(2, 'day'), headers);
      expect(other.status).toBe(409);
      expect(await storedAnalyses(server)).toBe(3);
      await server.dependencies.jobs.idle();
    } finally {
      await server.close();
    }
  });
});
