import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  createWorkerRetrainer,
  createLearningLoop,
  readBaseTrainingExamples,
  type LearningLoop,
} from '../agents/learning/index.ts';
import { createReplaceableClassifierSource } from '../agents/models/offline/classifier/classifier.ts';
import { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createDefaultEmbedder } from '../knowledge-base/open.ts';
import {
  corpusKnowledgeBase,
  postJson,
  reviewAnalysis,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

const REPORT = {
  description:
    'Knife handles from press HI-7 show a milky white bloom along the parting line, 14 of 300, wipes do not remove it; mould water chiller found off',
  facility: 'shenzhen' as const,
  product_sku: 'WK-KN-200' as const,
};

describe('the learning loop behind the review API', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let loop: LearningLoop;
  let api: string;
  const data = temporaryDirectory('api-learning-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    const classifierSource = createReplaceableClassifierSource();
    loop = createLearningLoop({
      index: knowledgeBase,
      embedder: await createDefaultEmbedder({ dimensions: 384 }),
      classifier: classifierSource,
      baseExamples: await readBaseTrainingExamples({ corpusDir: 'knowledge-base/corpus' }),
      retrainer: createWorkerRetrainer(),
      logger: pino({ level: 'silent' }),
      retrainDelayMs: 0,
    });
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      learning: loop,
      classifierSource,
    });
    api = `${server.baseUrl}/api/v1`;
  }, 120_000);

  afterAll(async () => {
    await loop.close();
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  async function analyze(): Promise<ConsolidatedAnalysis> {
    const response = await postJson(`${api}/analyze`, REPORT);
    expect(response.status).toBe(201);
    return ConsolidatedAnalysis.parse(await response.json());
  }

  it('a confirmed correction shows up in the next similar analysis, and a rejection takes it back', async () => {
    const first = await analyze();
    const corrected = await reviewAnalysis({
      api,
      defectId: first.defect_id,
      changes: {
        defect_type: 'handle_discoloration',
        probable_stage: 'handle_injection',
        category_6m: 'machine',
      },
    });
    expect(corrected.status).toBe(200);
    await loop.idle();
    expect(loop.status()).toMatchObject({ indexedRecords: 1, learnedExamples: 1, lastError: null });

    const next = await analyze();
    expect(next.root_cause?.similar_defects).toContain(first.defect_id);
    expect(next.classification?.defect_type).toBe('handle_discoloration');
    expect(next.root_cause?.probable_stage).toBe('handle_injection');

    const current = await fetch(`${api}/analyses/${first.defect_id}`);
    const rejected = await postJson(
      `${api}/analyses/${first.defect_id}/review`,
      { decision: 'reject', reason: 'the bloom was release agent and washed off in the lab' },
      { 'if-match': current.headers.get('etag') ?? '' },
    );
    expect(rejected.status).toBe(200);
    await loop.idle();
    expect(loop.status()).toMatchObject({ indexedRecords: 0, learnedExamples: 0 });
    const after = await analyze();
    expect(after.root_cause?.similar_defects ?? []).not.toContain(first.defect_id);
  }, 120_000);
});
