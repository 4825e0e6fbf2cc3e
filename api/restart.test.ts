import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingAnalysis } from '../agents/orchestrator/orchestrator.ts';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { AnalysisStore } from './persistence/analysis-store.ts';
import { openSqliteStore } from './persistence/sqlite/sqlite-store.ts';
import { corpusKnowledgeBase, postJson, startTestServer, temporaryDirectory } from './testing/harness.ts';

describe('across restarts', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const data = temporaryDirectory('api-restart-');
  const databaseFile = path.join(data.directory, 'rca.db');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
  }, 60_000);
  afterAll(async () => {
    await knowledgeBase.close();
    data.remove();
  });

  it('keeps analyses and follow-up conversations', async () => {
    const first = await startTestServer({ knowledgeBase, dataDir: data.directory, databaseFile });
    const analysis = (await (
      await postJson(`${first.baseUrl}/api/v1/analyze`, {
        description: 'rivets stand proud on the wok handle by 2.5 mm',
      })
    ).json()) as ConsolidatedAnalysis;
    await postJson(`${first.baseUrl}/api/v1/analyses/${analysis.defect_id}/questions`, {
      question: 'What should we do first?',
    });
    await first.close();

    const second = await startTestServer({ knowledgeBase, dataDir: data.directory, databaseFile });
    const stored = await fetch(`${second.baseUrl}/api/v1/analyses/${analysis.defect_id}`);
    expect(stored.status).toBe(200);
    const questions = (await (
      await fetch(`${second.baseUrl}/api/v1/analyses/${analysis.defect_id}/questions`)
    ).json()) as { questions: Array<{ question: string }> };
    expect(questions.questions.map((item) => item.question)).toEqual(['What should we do first?']);
    await second.close();
  });

  it('resumes an analysis a crash left pending, once its lease lapsed, and never one a live process holds', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory, databaseFile });
    const report = { description: 'swirl marks and haze on mirror finished blades after buffing' };
    const unleased = pendingAnalysis({
      defectId: 'DEF-20261122-0C0FFEE0',
      report,
      createdAt: new Date('2026-11-22T07:00:00Z'),
    });
    const lapsed = { ...unleased, defect_id: 'DEF-20261122-0C0FFEE3' };
    const live = { ...unleased, defect_id: 'DEF-20261122-0C0FFEE4' };
    // The test server's clock stands at 2026-11-22T08:00:00Z.
    const at = (seconds: number) =>
      new Date(Date.parse('2026-11-22T08:00:00Z') + seconds * 1000).toISOString();
    await server.store.createAnalysis({ analysis: unleased, apiKeyId: null });
    await server.store.createAnalysis({
      analysis: lapsed,
      apiKeyId: null,
      lease: { owner: 'crashed-task', expiresAt: at(-1) },
    });
    await server.store.createAnalysis({
      analysis: live,
      apiKeyId: null,
      lease: { owner: 'other-live-task', expiresAt: at(600) },
    });
    await server.dependencies.jobs.idle();
    const statusOf = async (defectId: string) =>
      ((await (await fetch(`${server.baseUrl}/api/v1/analyses/${defectId}`)).json()) as ConsolidatedAnalysis)
        .status;
    expect(await statusOf(unleased.defect_id)).toBe('complete');
    expect(await statusOf(lapsed.defect_id)).toBe('complete');
    expect(await statusOf(live.defect_id)).toBe('pending');
    await server.store.releaseLeases({ owner: 'other-live-task', defectIds: [live.defect_id] });
    await server.dependencies.jobs.idle();
    expect(await server.store.listPending()).toEqual([]);
    await server.close();
  });

  it('runs each item of a batch a crash interrupted once, with two processes on one database', async () => {
    const writes = new Map<string, number>();
    const counted = async (): Promise<AnalysisStore> => {
      const store = await openSqliteStore({ url: `file:${databaseFile}` });
      return {
        ...store,
        async saveAnalysis(params) {
          await store.saveAnalysis(params);
          if (params.analysis.status !== 'pending') {
            writes.set(params.analysis.defect_id, (writes.get(params.analysis.defect_id) ?? 0) + 1);
          }
        },
      };
    };
    const setup = await counted();
    const analyses = [0, 1, 2, 3, 4, 5].map((index) =>
      pendingAnalysis({
        defectId: `DEF-20261122-0C0FFE${(16 + index).toString(16).toUpperCase()}`,
        report: { description: `pinholes along the bolster weld seam, knife ${index + 1}` },
        createdAt: new Date('2026-11-22T08:00:00Z'),
      }),
    );
    await setup.createBatch({
      job: {
        id: '6f1c2a4e-0c0f-4fee-8000-000000000003',
        status: 'running',
        createdAt: '2026-11-22T08:00:00.000Z',
        updatedAt: '2026-11-22T08:00:00.000Z',
        apiKeyId: null,
        total: analyses.length,
        items: analyses.map((analysis, index) => ({
          index,
          defectId: analysis.defect_id,
          status: 'pending',
          error: null,
        })),
      },
      analyses,
    });
    await setup.close();
    const [first, second] = await Promise.all([
      startTestServer({ knowledgeBase, dataDir: data.directory, store: await counted() }),
      startTestServer({ knowledgeBase, dataDir: data.directory, store: await counted() }),
    ]);
    if (!first || !second) throw new Error('servers did not start');
    await Promise.all([first.dependencies.jobs.idle(), second.dependencies.jobs.idle()]);
    expect(analyses.map((analysis) => writes.get(analysis.defect_id))).toEqual(analyses.map(() => 1));
    const job = (await (
      await fetch(`${first.baseUrl}/api/v1/jobs/6f1c2a4e-0c0f-4fee-8000-000000000003`)
    ).json()) as { status: string };
    expect(job.status).toBe('complete');
    await Promise.all([first.close(), second.close()]);
  });
});
