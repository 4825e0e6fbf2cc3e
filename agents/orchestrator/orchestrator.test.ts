import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import { ConsolidatedAnalysis as ConsolidatedAnalysisSchema } from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { formatAgentInput, reportForAgents } from '../input.ts';
import { messageText } from '../models/model.ts';
import { readReportFacts, summarizeFacts } from '../report-facts/index.ts';
import { createLocalRuntime } from '../runtime/local-runtime.ts';
import { fixtureKnowledgeBase } from '../testing/knowledge-base.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../testing/outputs.ts';
import { createScriptedModel, textResponse, type ScriptedStep } from '../testing/scripted-model.ts';
import { createOrchestrator, type AnalysisEvent } from './orchestrator.ts';
import { createModelRouter, createRuleRouter } from './router.ts';

describe('orchestrator', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
  });
  afterAll(() => knowledgeBase.close());

  function orchestratorWith(steps: ScriptedStep[]) {
    const model = createScriptedModel({ steps });
    const runtime = createLocalRuntime({
      model,
      toolContext: { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now },
    });
    return {
      model,
      orchestrator: createOrchestrator({ runtime, knowledgeBase, router: createRuleRouter(), now }),
    };
  }

  const report = {
    description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
    facility: 'yangjiang' as const,
  };

  it('runs the three agents in order and consolidates their typed results', async () => {
    const { model, orchestrator } = orchestratorWith([
      textResponse(JSON.stringify(RUST_CLASSIFICATION)),
      textResponse(JSON.stringify(RUST_ROOT_CAUSE)),
      textResponse(JSON.stringify(RUST_PLAN)),
    ]);
    const events: AnalysisEvent[] = [];
    const analysis = await orchestrator.analyze({
      defectId: 'DEF-20261122-0000ABCD',
      report,
      onEvent: (event) => events.push(event),
    });
    expect(ConsolidatedAnalysisSchema.parse(analysis)).toBeTruthy();
    expect(analysis.status).toBe('complete');
    expect(analysis.classification?.defect_type).toBe('rust_spot');
    expect(analysis.root_cause?.probable_stage).toBe('vacuum_quench');
    expect(analysis.corrective_actions).toHaveLength(1);
    expect(Object.values(analysis.agents).map((run) => run.status)).toEqual([
      'complete',
      'complete',
      'complete',
    ]);
    expect(analysis.usage.total_tokens).toBe(3 * (812 + 164));
    expect(analysis.created_at).toBe('2026-11-22T08:00:00.000Z');
    expect(analysis.citations.map((citation) => citation.chunk_id).sort()).toEqual(
      [
        'DEF-20240314-3FA2B91C#confirmed-root-cause',
        'DEF-20240314-3FA2B91C#description',
        'SOP-VQ-01#process-window',
        'SOP-VQ-01#reaction-plan',
      ].sort(),
    );
    expect(model.calls.map((call) => call.requestMetadata?.agent)).toEqual([
      'classifier',
      'root-cause',
      'corrective-action',
    ]);
    const inputOf = (call: number) =>
      messageText(model.calls[call]?.messages[0] ?? { role: 'user', content: [] });
    const agentReport = reportForAgents(report);
    const reportFacts = summarizeFacts(readReportFacts(report));
    expect(inputOf(0)).toBe(formatAgentInput({ report: agentReport, report_facts: reportFacts }));
    expect(inputOf(1)).toBe(
      formatAgentInput({
        report: agentReport,
        report_facts: reportFacts,
        classification: analysis.classification,
      }),
    );
    const planInput = inputOf(2);
    const plannedFrom = JSON.parse(
      /<root_cause>\n(.*)\n<\/root_cause>/.exec(planInput)?.[1] ?? '{}',
    ) as object;
    expect(plannedFrom).toEqual({
      probable_stage: RUST_ROOT_CAUSE.probable_stage,
      stage_confidence: RUST_ROOT_CAUSE.stage_confidence,
      root_cause: RUST_ROOT_CAUSE.root_cause,
      similar_defects: RUST_ROOT_CAUSE.similar_defects,
    });
    expect(planInput).toBe(
      formatAgentInput({
        report: agentReport,
        report_facts: reportFacts,
        classification: analysis.classification,
        root_cause: plannedFrom,
      }),
    );
    expect(
      events
        .filter((event) => event.type === 'stage_completed')
        .map((event) => event.type === 'stage_completed' && event.step),
    ).toEqual(['classifier', 'root_cause', 'corrective_action']);
  });

  it('skips root cause and actions when no defect was detected', async () => {
    const { orchestrator } = orchestratorWith([
      textResponse(
        JSON.stringify({
          ...RUST_CLASSIFICATION,
          defect_detected: false,
          defect_type: 'none',
          severity: 'none',
          recommended_action: 'PASS',
          escalate: false,
          escalation_reason: null,
        }),
      ),
    ]);
    const analysis = await orchestrator.analyze({
      defectId: 'DEF-20261122-0000ABCE',
      report: { description: 'all 40 within spec' },
    });
    expect(analysis.status).toBe('complete');
    expect(analysis.agents.root_cause.status).toBe('skipped');
    expect(analysis.agents.corrective_action.status).toBe('skipped');
    expect(analysis.root_cause).toBeNull();
  });

  it('returns a partial analysis naming the failed step when a later agent fails', async () => {
    const { orchestrator } = orchestratorWith([
      textResponse(JSON.stringify(RUST_CLASSIFICATION)),
      textResponse('{"probable_stage": "moon"}'),
      textResponse('still not valid'),
    ]);
    const analysis: ConsolidatedAnalysis = await orchestrator.analyze({
      defectId: 'DEF-20261122-0000ABCF',
      report,
    });
    expect(analysis.status).toBe('partial');
    expect(analysis.failure).toMatchObject({ step: 'root_cause', code: 'agent_output_invalid' });
    expect(analysis.agents.root_cause.status).toBe('failed');
    expect(analysis.agents.corrective_action.status).toBe('skipped');
    expect(analysis.classification?.defect_type).toBe('rust_spot');
    expect(analysis.citations.map((citation) => citation.chunk_id)).toEqual([
      'DEF-20240314-3FA2B91C#description',
    ]);
  });

  it('marks the analysis failed when the classifier fails', async () => {
    const { orchestrator } = orchestratorWith([new Error('model endpoint unreachable')]);
    const analysis = await orchestrator.analyze({ defectId: 'DEF-20261122-0000ABD0', report });
    expect(analysis.status).toBe('failed');
    expect(analysis.failure).toMatchObject({ step: 'classifier', code: 'upstream_error' });
    expect(analysis.completed_at).not.toBeNull();
  });

  it('routes a follow-up question to the right specialist and resolves its citations', async () => {
    const { model, orchestrator } = orchestratorWith([
      textResponse(JSON.stringify(RUST_CLASSIFICATION)),
      textResponse(JSON.stringify(RUST_ROOT_CAUSE)),
      textResponse(JSON.stringify(RUST_PLAN)),
      textResponse(
        JSON.stringify({
          answer: 'Quarantine lots YJ-2611-1 to 4 today.',
          citations: ['SOP-VQ-01#reaction-plan'],
        }),
      ),
    ]);
    const analysis = await orchestrator.analyze({ defectId: 'DEF-20261122-0000ABD1', report });
    const result = await orchestrator.ask({
      analysis,
      history: [],
      question: 'What should we do with the lots on hold?',
    });
    expect(result.agent).toBe('corrective-action');
    expect(result.answer).toContain('Quarantine');
    expect(result.citations.map((citation) => citation.chunk_id)).toEqual(['SOP-VQ-01#reaction-plan']);
    expect(model.calls.at(-1)?.requestMetadata).toEqual({
      agent: 'corrective-action',
      mode: 'answer',
      session: 'DEF-20261122-0000ABD1:questions',
    });
    expect(JSON.stringify(model.calls.at(-1)?.messages[0])).toContain('<question>');
  });
});

describe('model router', () => {
  it('routes with the model and falls back to the rules on an unusable answer', async () => {
    const model = createScriptedModel({
      steps: [
        textResponse('{"agent": "classifier", "reason": "asks about severity"}'),
        textResponse('I think the root cause one'),
      ],
    });
    const router = createModelRouter({ model });
    expect(await router.route({ question: 'Could we ship it?' })).toEqual({
      agent: 'classifier',
      reason: 'asks about severity',
    });
    expect(model.calls[0]?.system[0]?.text).toMatch(/Follow-up router/);
    expect((await router.route({ question: 'Who owns the containment?' })).agent).toBe('corrective-action');
  });
});

describe('rule router', () => {
  it.each([
    ['Why did this happen?', 'root-cause'],
    ['Which stage did it come from?', 'root-cause'],
    ['Who owns the containment and when is it due?', 'corrective-action'],
    ['Is it really critical? Can we ship with a concession?', 'classifier'],
    ['Tell me more', 'root-cause'],
  ])('routes %s to %s', async (question, agent) => {
    expect((await createRuleRouter().route({ question })).agent).toBe(agent);
  });
});
