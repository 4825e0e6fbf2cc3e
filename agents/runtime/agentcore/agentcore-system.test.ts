import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { parseConfig } from '../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { createAgentSystem } from '../../system.ts';
import { fixtureKnowledgeBase } from '../../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import {
  FAKE_RUNTIME_ARN,
  startFakeAgentCoreService,
  type FakeAgentCoreService,
} from './testing/fake-agentcore-service.ts';

const REPORT = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };
const NOW = () => new Date('2026-12-04T10:00:00Z');

describe('AGENT_RUNTIME=agentcore: the orchestrator of the API over the runtime', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let service: FakeAgentCoreService;

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    service = await startFakeAgentCoreService({
      model: createOfflineModel(),
      toolContext: { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now: NOW },
    });
  });

  afterAll(async () => {
    await service?.close();
    knowledgeBase?.close();
  });

  it('analyses a report as the local runtime does, each agent one InvokeAgentRuntime call in its own session', async () => {
    const agentcore = createAgentSystem({
      config: parseConfig({
        AGENT_RUNTIME: 'agentcore',
        AGENTCORE_RUNTIME_ARN: FAKE_RUNTIME_ARN,
        AGENTCORE_ENDPOINT: service.endpoint,
      }),
      knowledgeBase,
      now: NOW,
      agentCoreClient: service.createClient(),
    });
    const local = createAgentSystem({ config: parseConfig({}), knowledgeBase, now: NOW });
    const before = service.invocations.length;
    const params = { defectId: 'DEF-20261204-0000C001', report: REPORT, createdAt: NOW() };
    const remote = await agentcore.orchestrator.analyze(params);
    const inProcess = await local.orchestrator.analyze(params);

    expect(remote.status).toBe('complete');
    expect(remote.classification).toEqual(inProcess.classification);
    expect(remote.root_cause).toEqual(inProcess.root_cause);
    expect(remote.corrective_actions).toEqual(inProcess.corrective_actions);
    expect(remote.citations).toEqual(inProcess.citations);
    expect(remote.usage).toEqual(inProcess.usage);

    const calls = service.invocations.slice(before);
    expect(calls.map((call) => (call.payload as { agent: string }).agent)).toEqual([
      'classifier',
      'root-cause',
      'corrective-action',
    ]);
    expect(new Set(calls.map((call) => call.sessionId)).size).toBe(3);
  });
});
