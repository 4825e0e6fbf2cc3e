import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import type { InspectionReport } from '../../../domain/index.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../../knowledge-base/open.ts';
import { classifierAgent } from '../../index.ts';
import { formatAgentInput, reportForAgents } from '../../input.ts';
import type { AgentEvent } from '../../runtime/agent-runtime.ts';
import { createLocalRuntime } from '../../runtime/local-runtime.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import type { Model } from '../model.ts';
import { createOfflineModel } from '../offline/offline-model.ts';
import { startConverseServer, type ConverseServer } from '../testing/converse-server.ts';
import { createConverseModel } from './converse-model.ts';

/** An event without its wall-clock duration, which differs from run to run. */
type TimelessEvent = Omit<AgentEvent, 'durationMs'>;

describe('the local runtime with the converse adapter over a local server hosting the offline model', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: ConverseServer;

  beforeAll(async () => {
    const embedder = await createDefaultEmbedder({ dimensions: 384 });
    knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
    server = await startConverseServer({ model: createOfflineModel(), streamChunkLength: 5 });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    knowledgeBase?.close();
  });

  /** Classifies a report on the local runtime and returns every event, without durations. */
  async function classify(model: Model, report: InspectionReport): Promise<TimelessEvent[]> {
    const runtime = createLocalRuntime({
      model,
      toolContext: {
        knowledgeBase,
        defectHistory: createInMemoryDefectHistory(),
        now: () => new Date('2026-11-22T08:00:00Z'),
      },
    });
    const events: TimelessEvent[] = [];
    const input = formatAgentInput({ report: reportForAgents(report) });
    for await (const event of runtime.invoke({ agent: classifierAgent, input, sessionId: 'equivalence' })) {
      const { durationMs: _durationMs, ...timeless } = { durationMs: 0, ...event };
      events.push(timeless);
    }
    return events;
  }

  for (const [index, report] of SAMPLE_REPORTS.entries()) {
    for (const operation of ['Converse', 'ConverseStream'] as const) {
      it(`classifies sample report ${index + 1} over ${operation} exactly as the offline model does directly`, async () => {
        server.reset();
        const overTheWire = createConverseModel({
          modelId: server.modelId,
          client: server.createClient(),
          stream: operation === 'ConverseStream',
          maxRetries: 0,
        });

        const direct = await classify(createOfflineModel(), report);
        const wire = await classify(overTheWire, report);

        const final = wire.at(-1);
        expect(final?.type).toBe('final');
        expect(final).toEqual(direct.at(-1));
        expect(wire).toEqual(direct);
        const modelCalls = wire.filter((event) => event.type === 'model_call');
        expect(modelCalls.length).toBeGreaterThan(1);
        expect(server.requests.map((request) => [request.operation, request.status])).toEqual(
          modelCalls.map(() => [operation, 200]),
        );
      });
    }
  }
});
