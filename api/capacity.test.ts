import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../agents/models/offline/offline-model.ts';
import type { ConverseParams, Model } from '../agents/models/model.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createAnalysisSlots } from './use-cases/analysis-slots.ts';
import { corpusKnowledgeBase, postJson, startTestServer, temporaryDirectory } from './testing/harness.ts';

/** The offline model, held at its first call until `release()`, to keep an analysis running. */
function heldModel(): Model & { release(): void; started: Promise<void> } {
  const offline = createOfflineModel();
  let release = (): void => undefined;
  let markStarted = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  return {
    id: offline.id,
    supportsImages: offline.supportsImages,
    started,
    release,
    async converse(params: ConverseParams) {
      markStarted();
      await gate;
      return offline.converse(params);
    },
  };
}

describe('analysis admission control', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const data = temporaryDirectory('api-capacity-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
  }, 60_000);
  afterAll(async () => {
    await knowledgeBase.close();
    data.remove();
  });

  it('runs the allowed number at once, queues the next and refuses beyond the queue with a 503', async () => {
    const model = heldModel();
    const server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      model,
      settings: { ANALYSIS_CONCURRENCY: '1', ANALYSIS_QUEUE_LIMIT: '1' },
    });
    try {
      const running = postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'orange rust spots near the bolster after quench',
      });
      await model.started;
      const queued = postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'swirl marks and haze on mirror finished blades after buffing',
      });
      await expect
        .poll(() => server.dependencies.analysisSlots.load())
        .toEqual({ running: 1, waiting: 1, admitted: 2 });

      const refused = await postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'rivets stand proud on the wok handle by 2.5 mm',
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('service_unavailable');
      expect(body.error.message).toMatch(/at capacity \(1 analyses running, 1 waiting\)/);
      const listed = (await (await fetch(`${server.baseUrl}/api/v1/defects`)).json()) as {
        items: Array<{ description: string }>;
      };
      expect(listed.items).toHaveLength(2);
      expect(listed.items.map((item) => item.description)).not.toContain(
        'rivets stand proud on the wok handle by 2.5 mm',
      );

      model.release();
      expect((await running).status).toBe(201);
      expect((await queued).status).toBe(201);
      expect(server.dependencies.analysisSlots.load()).toEqual({ running: 0, waiting: 0, admitted: 0 });
    } finally {
      model.release();
      await server.close();
    }
  });

  it('with ANALYSIS_QUEUE_LIMIT=0 runs analyses while a slot is free and refuses only when all are busy', async () => {
    const model = heldModel();
    const server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      model,
      settings: { ANALYSIS_CONCURRENCY: '1', ANALYSIS_QUEUE_LIMIT: '0' },
    });
    try {
      const running = postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'orange rust spots near the bolster after quench',
      });
      // The first analysis reaches the model rather than being answered (refused) before it.
      expect(await Promise.race([model.started.then(() => 'started'), running.then((r) => r.status)])).toBe(
        'started',
      );
      const refused = await postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'rivets stand proud on the wok handle by 2.5 mm',
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');

      model.release();
      expect((await running).status).toBe(201);
      const next = await postJson(`${server.baseUrl}/api/v1/analyze`, {
        description: 'swirl marks and haze on mirror finished blades after buffing',
      });
      expect(next.status).toBe(201);
    } finally {
      model.release();
      await server.close();
    }
  });

  it('starts waiting work in arrival order', async () => {
    const slots = createAnalysisSlots({ concurrency: 1, queueLimit: 10 });
    const order: number[] = [];
    let releaseFirst = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = slots.run(() => gate);
    const rest = [1, 2, 3].map((index) => slots.run(async () => void order.push(index)));
    expect(slots.load()).toEqual({ running: 1, waiting: 3, admitted: 0 });
    releaseFirst();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3]);
  });
});
