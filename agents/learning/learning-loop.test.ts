import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineFields, type InspectionReport } from '../../domain/index.ts';
import type { KnowledgeBaseIndex } from '../../knowledge-base/knowledge-base.ts';
import {
  createReplaceableClassifierSource,
  loadClassifierModel,
  type ClassifierModel,
} from '../models/offline/classifier/classifier.ts';
import {
  readCorpusExamples,
  readTrainingReports,
  type TrainingExample,
} from '../models/offline/classifier/training-data.ts';
import { createLearningLoop, type LearningLogger } from './learning-loop.ts';
import { createInProcessRetrainer, type Retrainer, type RetrainRequest } from './retrain.ts';
import { openOfflineSystem, type OfflineSystem } from './testing/offline-system.ts';
import { reviewAnalysis } from './testing/review.ts';
import { createWorkerRetrainer } from './worker-retrainer.ts';

const LEARNED: InspectionReport = {
  description:
    'Paring knife edges have small notches. Before grinding, the stamped blank outline is ragged and torn on the edge side; blanking die overdue for regrind.',
  product_sku: 'WK-KN-100',
  facility: 'hongkong',
  batch_id: 'HK-2611-020',
};
const SIMILAR: InspectionReport = {
  description:
    'Paring knife edges have small notches. Before grinding, the stamped blank outline was ragged and torn on the edge side; the blanking die is overdue for regrind.',
  product_sku: 'WK-KN-100',
  facility: 'hongkong',
};
/** What a reviewer says about LEARNED: chips from torn stamped blanks, not a grinding fault. */
const CORRECTION = {
  defect_type: 'blade_chip',
  probable_stage: 'blade_stamp',
  category_6m: 'machine',
  severity: 'critical',
  disposition: 'SCRAP',
} as const;

function silentLogger(): LearningLogger & { errors: object[] } {
  const errors: object[] = [];
  return { info: () => undefined, warn: () => undefined, error: (object) => errors.push(object), errors };
}

/** Counts retrainings and reports when one starts and ends. */
function observed(inner: Retrainer): Retrainer & {
  calls: number;
  started: Promise<void>;
  running: () => boolean;
} {
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let running = false;
  const wrapper = {
    calls: 0,
    started,
    running: () => running,
    async retrain(request: RetrainRequest): Promise<ClassifierModel> {
      wrapper.calls += 1;
      running = true;
      markStarted();
      try {
        return await inner.retrain(request);
      } finally {
        running = false;
      }
    },
    close: () => inner.close(),
  };
  return wrapper;
}

/** A retrainer that answers at once with the committed model, for tests that are not about the fit. */
function instantRetrainer(): Retrainer {
  return {
    retrain: async (request) => ({
      ...loadClassifierModel(),
      trained_on: { examples: request.examples.length, digest: request.digest },
    }),
    close: async () => undefined,
  };
}

describe('learning loop', () => {
  let baseExamples: TrainingExample[];
  let directories: string[] = [];
  let systems: OfflineSystem[] = [];
  let counter = 0;

  beforeAll(async () => {
    baseExamples = [...(await readTrainingReports()), ...(await readCorpusExamples('knowledge-base/corpus'))];
  });
  afterAll(async () => {
    await Promise.all(systems.map((system) => system.close()));
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    directories = [];
    systems = [];
  });

  async function setUp({ retrainer = createInProcessRetrainer() }: { retrainer?: Retrainer } = {}) {
    const directory = mkdtempSync(path.join(tmpdir(), 'learning-loop-'));
    directories.push(directory);
    const classifier = createReplaceableClassifierSource();
    const system = await openOfflineSystem({ directory, classifier });
    systems.push(system);
    const logger = silentLogger();
    const loop = createLearningLoop({
      index: system.knowledgeBase,
      embedder: system.embedder,
      classifier,
      baseExamples,
      retrainer,
      logger,
      now: () => new Date('2026-12-01T10:00:00Z'),
      retrainDelayMs: 0,
      retryDelayMs: 1,
    });
    const analyze = (report: InspectionReport) => {
      counter += 1;
      return system.orchestrator.analyze({
        defectId: `DEF-20261201-${counter.toString(16).toUpperCase().padStart(8, '0')}`,
        report,
      });
    };
    return { system, classifier, loop, logger, analyze };
  }

  it('a corrected analysis shows up in the next similar one: as a similar defect, and in its type and stage', async () => {
    const { loop, analyze, classifier } = await setUp();
    const before = await analyze(SIMILAR);
    // The premise: the machine gets this report wrong before it learns.
    expect(machineFields(before).defect_type).not.toBe('blade_chip');

    const wrong = await analyze(LEARNED);
    loop.learn({ analysis: reviewAnalysis({ analysis: wrong, fields: CORRECTION }) });
    await loop.idle();
    expect(classifier.current()).not.toBe(loadClassifierModel());

    const after = await analyze(SIMILAR);
    expect(after.root_cause?.similar_defects).toContain(wrong.defect_id);
    expect(machineFields(after)).toMatchObject({ defect_type: 'blade_chip', probable_stage: 'blade_stamp' });
  }, 60_000);

  it('forgets a rejected or reopened analysis: its record leaves the knowledge base and its example the training set', async () => {
    const { loop, analyze, system, classifier } = await setUp({ retrainer: instantRetrainer() });
    const analysis = await analyze(LEARNED);
    const chunkId = `${analysis.defect_id}#description`;
    loop.learn({ analysis: reviewAnalysis({ analysis, fields: CORRECTION }) });
    await loop.idle();
    expect(await system.knowledgeBase.getPassages({ chunkIds: [chunkId] })).toHaveLength(1);
    expect(loop.status()).toMatchObject({ indexedRecords: 1, learnedExamples: 1 });

    loop.learn({ analysis: reviewAnalysis({ analysis, reject: true }) });
    await loop.idle();
    expect(await system.knowledgeBase.getPassages({ chunkIds: [chunkId] })).toEqual([]);
    expect(loop.status()).toMatchObject({ indexedRecords: 0, learnedExamples: 0, lastTrainedAt: null });
    expect(classifier.current()).toBe(loadClassifierModel());

    loop.learn({ analysis: reviewAnalysis({ analysis }) });
    loop.forget({ defectId: analysis.defect_id });
    await loop.idle();
    expect(await system.knowledgeBase.getPassages({ chunkIds: [chunkId] })).toEqual([]);
  }, 60_000);

  it('reports its queue and retrains once for a burst of reviews', async () => {
    const retrainer = observed(instantRetrainer());
    const { loop, analyze } = await setUp({ retrainer });
    const analyses = [
      await analyze(LEARNED),
      await analyze(SIMILAR),
      await analyze({ ...LEARNED, batch_id: 'X' }),
    ];
    expect(loop.status()).toMatchObject({
      queued: 0,
      indexedRecords: 0,
      lastTrainedAt: null,
      lastError: null,
    });
    for (const analysis of analyses) loop.learn({ analysis: reviewAnalysis({ analysis }) });
    expect(loop.status().queued).toBeGreaterThan(0);
    await loop.idle();
    expect(retrainer.calls).toBe(1);
    expect(loop.status()).toEqual({
      queued: 0,
      indexedRecords: 3,
      trainingExamples: baseExamples.length + 3,
      learnedExamples: 3,
      lastTrainedAt: '2026-12-01T10:00:00.000Z',
      lastError: null,
    });
  }, 60_000);

  it('rebuilds at start-up from the confirmed analyses only', async () => {
    const { loop, analyze, system } = await setUp({ retrainer: instantRetrainer() });
    const [confirmed, rejected] = [await analyze(LEARNED), await analyze(SIMILAR)];
    loop.start({
      reviewed: [
        reviewAnalysis({ analysis: confirmed }),
        reviewAnalysis({ analysis: rejected, reject: true }),
      ],
    });
    await loop.idle();
    expect(loop.status()).toMatchObject({ indexedRecords: 1, learnedExamples: 1 });
    const ids = (await system.knowledgeBase.listDocuments()).map((document) => document.sourceId);
    expect(ids).toContain(confirmed.defect_id);
    expect(ids).not.toContain(rejected.defect_id);
  }, 60_000);

  it('retries a failed write, then logs it and gives up without throwing', async () => {
    const { loop, analyze, system, logger } = await setUp({ retrainer: instantRetrainer() });
    let failures = 0;
    const flaky: KnowledgeBaseIndex = {
      listDocuments: () => system.knowledgeBase.listDocuments(),
      removeDocuments: (params) => system.knowledgeBase.removeDocuments(params),
      clear: () => system.knowledgeBase.clear(),
      flush: () => system.knowledgeBase.flush(),
      upsertDocuments: async (params) => {
        failures += 1;
        if (failures <= 2) throw new Error('disk full');
        return system.knowledgeBase.upsertDocuments(params);
      },
    };
    const retrying = createLearningLoop({
      index: flaky,
      embedder: system.embedder,
      classifier: createReplaceableClassifierSource(),
      baseExamples,
      retrainer: instantRetrainer(),
      logger,
      retrainDelayMs: 0,
      retryDelayMs: 1,
      maxAttempts: 3,
    });
    const analysis = await analyze(LEARNED);
    retrying.learn({ analysis: reviewAnalysis({ analysis }) });
    await retrying.idle();
    expect(retrying.status()).toMatchObject({ indexedRecords: 1, lastError: null });

    const failing = createLearningLoop({
      index: { ...flaky, upsertDocuments: () => Promise.reject(new Error('disk full')) },
      embedder: system.embedder,
      classifier: createReplaceableClassifierSource(),
      baseExamples,
      retrainer: instantRetrainer(),
      logger,
      retrainDelayMs: 0,
      retryDelayMs: 1,
      maxAttempts: 2,
    });
    expect(() => failing.learn({ analysis: reviewAnalysis({ analysis }) })).not.toThrow();
    await failing.idle();
    expect(failing.status().lastError?.message).toMatch(/disk full/);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatchObject({ err: expect.any(Error), attempts: 2 });
    await loop.idle();
  }, 60_000);

  it('retrains in a worker thread: an analysis completes while a retraining runs', async () => {
    const retrainer = observed(createWorkerRetrainer());
    const { loop, analyze } = await setUp({ retrainer });
    try {
      const wrong = await analyze(LEARNED);
      loop.learn({ analysis: reviewAnalysis({ analysis: wrong, fields: CORRECTION }) });
      await retrainer.started;
      const during = await analyze(SIMILAR);
      expect(during.status).toBe('complete');
      expect(retrainer.running()).toBe(true);
      await loop.idle();
      expect(retrainer.running()).toBe(false);
      expect(loop.status().lastTrainedAt).not.toBeNull();
      const after = await analyze(SIMILAR);
      expect(machineFields(after).defect_type).toBe('blade_chip');
    } finally {
      await loop.close();
    }
  }, 60_000);
});
