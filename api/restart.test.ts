import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingAnalysis } from '../agents/orchestrator/orchestrator.ts';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { resumePendingAnalyses } from './use-cases/analyses.ts';
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

  it('resumes an analysis a crash left pending', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory, databaseFile });
    const pending = pendingAnalysis({
      defectId: 'DEF-20261122-0C0FFEE0',
      report: { description: 'swirl marks and haze on mirror finished blades after buffing' },
      createdAt: new Date('2026-11-22T07:00:00Z'),
    });
    await server.store.createAnalysis({ analysis: pending, apiKeyId: null });
    const before = (await (
      await fetch(`${server.baseUrl}/api/v1/analyses/${pending.defect_id}`)
    ).json()) as ConsolidatedAnalysis;
    expect(before.status).toBe('pending');
    const outcome = await resumePendingAnalyses(server.dependencies, { concurrency: 2 });
    expect(outcome).toEqual({ resumed: 1, failed: 0, leftToBatchJobs: 0 });
    const after = (await (
      await fetch(`${server.baseUrl}/api/v1/analyses/${pending.defect_id}`)
    ).json()) as ConsolidatedAnalysis;
    expect(after.status).toBe('complete');
    expect(after.classification?.defect_type).toBe('polish_defect');
    expect(await server.store.listPending()).toEqual([]);
    await server.close();
  });

  it('leaves the items of an unfinished batch job to the job, so that each runs once', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory, databaseFile });
    const orphan = pendingAnalysis({
      defectId: 'DEF-20261122-0C0FFEE1',
      report: { description: 'pinholes along the bolster weld seam' },
      createdAt: new Date('2026-11-22T07:00:00Z'),
    });
    const owned = pendingAnalysis({
      defectId: 'DEF-20261122-0C0FFEE2',
      report: { description: 'rivets proud by 2.5 mm on the handle' },
      createdAt: new Date('2026-11-22T07:00:01Z'),
    });
    for (const analysis of [orphan, owned]) await server.store.createAnalysis({ analysis, apiKeyId: null });
    await server.store.createJob({
      job: {
        id: '6f1c2a4e-0c0f-4fee-8000-000000000002',
        status: 'running',
        createdAt: '2026-11-22T07:00:01.000Z',
        updatedAt: '2026-11-22T07:00:01.000Z',
        apiKeyId: null,
        total: 1,
        items: [{ index: 0, defectId: owned.defect_id, status: 'pending', error: null }],
      },
    });
    const analysed: string[] = [];
    const counting = {
      ...server.dependencies.orchestrator,
      analyze: (params: Parameters<typeof server.dependencies.orchestrator.analyze>[0]) => {
        analysed.push(params.defectId);
        return server.dependencies.orchestrator.analyze(params);
      },
    };
    const outcome = await resumePendingAnalyses(
      { ...server.dependencies, orchestrator: counting },
      { concurrency: 2 },
    );
    expect(outcome).toEqual({ resumed: 1, failed: 0, leftToBatchJobs: 1 });
    expect(analysed).toEqual([orphan.defect_id]);
    expect(await server.dependencies.jobs.resumeUnfinished()).toBe(1);
    await server.dependencies.jobs.idle();
    expect(await server.store.listPending()).toEqual([]);
    await server.close();
  });
});
