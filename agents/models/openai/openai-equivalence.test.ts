import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { parseConfig, type ConsolidatedAnalysis, type InspectionReport } from '../../../domain/index.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../../knowledge-base/open.ts';
import { createAgentSystem } from '../../system.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import { createOfflineModel } from '../offline/offline-model.ts';
import { startOpenAiServer, type OpenAiServer } from '../testing/openai-server.ts';

/** A copy of an analysis without its wall-clock fields (timings and durations), which differ from run to run. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'timings' && key !== 'duration_ms' && key !== 'durationMs')
        .map(([key, item]) => [key, timeless(item)]),
    );
  }
  return value;
}

describe('MODEL=openai over a local chat completions server hosting the offline model', () => {
  const now = () => new Date('2026-11-22T08:00:00Z');
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: OpenAiServer;

  beforeAll(async () => {
    const embedder = await createDefaultEmbedder({ dimensions: 384 });
    knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
    server = await startOpenAiServer({
      model: createOfflineModel(),
      apiKey: 'sk-local-equivalence-key',
      streamChunkLength: 5,
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    knowledgeBase?.close();
  });

  /** Analyses a report with the agent system the environment configures. */
  async function analyze(
    environment: Record<string, string>,
    report: InspectionReport,
  ): Promise<ConsolidatedAnalysis> {
    const { orchestrator } = createAgentSystem({
      config: parseConfig(environment),
      knowledgeBase,
      defectHistory: createInMemoryDefectHistory(),
      now,
    });
    return orchestrator.analyze({ defectId: 'DEF-20261122-0000A001', report, createdAt: now() });
  }

  for (const [index, report] of SAMPLE_REPORTS.entries()) {
    for (const stream of [false, true]) {
      it(`analyses sample report ${index + 1} (${stream ? 'streamed' : 'not streamed'}) exactly as MODEL=offline does`, async () => {
        server.reset();
        const direct = await analyze({}, report);
        const wire = await analyze(
          {
            MODEL: 'openai',
            MODEL_BASE_URL: server.baseUrl,
            MODEL_NAME: server.modelName,
            MODEL_API_KEY: 'sk-local-equivalence-key',
            MODEL_STREAM: String(stream),
            MODEL_SUPPORTS_IMAGES: 'false',
          },
          report,
        );

        expect(wire.status).toBe(direct.status);
        expect(timeless(wire)).toEqual(timeless(direct));
        expect(server.requests.length).toBeGreaterThan(2);
        expect(server.requests.every((request) => request.status === 200)).toBe(true);
        expect(
          server.requests.every(
            (request) => (request.body as { stream?: boolean }).stream === (stream || undefined),
          ),
        ).toBe(true);
      });
    }
  }
});
