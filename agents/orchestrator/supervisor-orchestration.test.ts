import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { ConsolidatedAnalysis, type Classification, type SupervisorOutput } from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createBedrockAgentsRuntime } from '../runtime/bedrock-agents/bedrock-agents-runtime.ts';
import { createLocalRuntime } from '../runtime/local-runtime.ts';
import {
  chunk,
  modelOutput,
  startInvokeAgentServer,
  trace,
  type InvokeAgentServer,
} from '../testing/invoke-agent-server.ts';
import { fixtureKnowledgeBase } from '../testing/knowledge-base.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../testing/outputs.ts';
import { createScriptedModel, textResponse } from '../testing/scripted-model.ts';
import { UNKNOWN_ESCALATION_REASON } from './assembly.ts';
import { createOrchestrator, type AnalysisEvent } from './orchestrator.ts';
import { createRuleRouter } from './router.ts';

const now = () => new Date('2026-11-22T08:00:00Z');
const report = {
  description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
  facility: 'yangjiang' as const,
};
const CONSOLIDATED: SupervisorOutput = {
  classification: RUST_CLASSIFICATION,
  root_cause: RUST_ROOT_CAUSE,
  corrective_actions: RUST_PLAN.corrective_actions,
};

describe('orchestrator in supervisor mode', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: InvokeAgentServer;

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    server = await startInvokeAgentServer();
  });
  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
  });
  /** What the orchestrator logged about failed steps. */
  let logged: Array<Record<string, unknown>> = [];
  beforeEach(() => {
    server.reset();
    logged = [];
  });

  function supervisorOrchestrator() {
    const runtime = createBedrockAgentsRuntime({
      client: server.createClient(),
      agents: {
        classifier: { agentId: 'CLS1', agentAliasId: 'CLSALIAS' },
        'root-cause': { agentId: 'RC1', agentAliasId: 'RCALIAS' },
        'corrective-action': { agentId: 'CA1', agentAliasId: 'CAALIAS' },
        supervisor: { agentId: 'SUPER1', agentAliasId: 'SALIAS1' },
      },
      toolContext: { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now },
      sleep: async () => {},
    });
    return createOrchestrator({
      runtime,
      knowledgeBase,
      router: createRuleRouter(),
      now,
      orchestration: 'supervisor',
      logger: { warn: (details, message) => logged.push({ ...details, message }) },
    });
  }

  /** The frames of a supervisor that consulted its three collaborators and answered `output`. */
  function supervisorAnswer(output: unknown) {
    return {
      frames: [
        modelOutput({ inputTokens: 10, outputTokens: 2 }),
        modelOutput({ inputTokens: 100, outputTokens: 20, collaboratorName: 'classifier' }),
        trace({
          collaboratorName: 'root-cause',
          orchestrationTrace: {
            observation: {
              type: 'KNOWLEDGE_BASE',
              knowledgeBaseLookupOutput: {
                retrievedReferences: [
                  { content: { text: 'quench' }, metadata: { chunk_id: 'SOP-VQ-01#process-window' } },
                ],
              },
            },
          },
        }),
        modelOutput({ inputTokens: 200, outputTokens: 40, collaboratorName: 'root-cause' }),
        modelOutput({ inputTokens: 300, outputTokens: 60, collaboratorName: 'corrective-action' }),
        modelOutput({ inputTokens: 20, outputTokens: 4 }),
        chunk(JSON.stringify(output)),
      ],
    };
  }

  it('makes one supervisor call and maps its answer into the consolidated analysis', async () => {
    server.scripts.push(supervisorAnswer(CONSOLIDATED));
    const events: AnalysisEvent[] = [];
    const analysis = await supervisorOrchestrator().analyze({
      defectId: 'DEF-20261122-0000ABCD',
      report,
      onEvent: (event) => events.push(event),
    });

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe(
      '/agents/SUPER1/agentAliases/SALIAS1/sessions/DEF-20261122-0000ABCD%3Asupervisor/text',
    );
    expect(server.requests[0]?.body.inputText).toContain('<report>');
    expect(server.requests[0]?.body.inputText).toContain('orange spots');

    expect(ConsolidatedAnalysis.parse(analysis)).toBeTruthy();
    expect(analysis.status).toBe('complete');
    expect(analysis.failure).toBeNull();
    expect(analysis.completed_at).toBe('2026-11-22T08:00:00.000Z');
    expect(analysis.classification).toEqual(RUST_CLASSIFICATION);
    expect(analysis.root_cause).toEqual(RUST_ROOT_CAUSE);
    expect(analysis.corrective_actions).toEqual(RUST_PLAN.corrective_actions);
    expect(analysis.agents.classifier).toEqual({
      status: 'complete',
      duration_ms: 120,
      usage: { input_tokens: 100, output_tokens: 20, total_tokens: 120 },
      error: null,
    });
    expect(analysis.agents.root_cause.usage?.total_tokens).toBe(240);
    expect(analysis.agents.corrective_action.usage?.total_tokens).toBe(360);
    expect(analysis.usage).toEqual({ input_tokens: 630, output_tokens: 126, total_tokens: 756 });
    expect(analysis.timings).toMatchObject({
      classifier_ms: 120,
      root_cause_ms: 120,
      corrective_action_ms: 120,
    });
    expect(analysis.citations.map((citation) => citation.chunk_id).sort()).toEqual(
      [
        'DEF-20240314-3FA2B91C#confirmed-root-cause',
        'DEF-20240314-3FA2B91C#description',
        'SOP-VQ-01#process-window',
        'SOP-VQ-01#reaction-plan',
      ].sort(),
    );

    const stages = events
      .filter((event) => event.type !== 'trace')
      .map((event) => `${event.type}:${event.step}`);
    expect(stages).toEqual([
      'stage_started:classifier',
      'stage_completed:classifier',
      'stage_started:root_cause',
      'stage_completed:root_cause',
      'stage_started:corrective_action',
      'stage_completed:corrective_action',
    ]);
    const traces = events.flatMap((event) =>
      event.type === 'trace' ? [`${event.step}:${event.event.type}:${event.event.agent}`] : [],
    );
    expect(traces).toEqual([
      'supervisor:model_call:supervisor',
      'classifier:model_call:classifier',
      'root_cause:retrieval:root-cause',
      'root_cause:model_call:root-cause',
      'corrective_action:model_call:corrective-action',
      'supervisor:model_call:supervisor',
      'supervisor:final:supervisor',
    ]);
    expect(events.findIndex((event) => event.type === 'trace')).toBeGreaterThan(
      events.findIndex((event) => event.type === 'stage_started'),
    );
    const completed = events.filter((event) => event.type === 'stage_completed');
    expect(completed.map((event) => event.type === 'stage_completed' && event.status)).toEqual([
      'complete',
      'complete',
      'complete',
    ]);
    expect(completed[2]).toMatchObject({ output: { corrective_actions: RUST_PLAN.corrective_actions } });
  });

  it('leaves out cited ids the knowledge base does not hold, exactly as the pipeline does', async () => {
    const classification: Classification = {
      ...RUST_CLASSIFICATION,
      citations: ['DEF-20240314-3FA2B91C#description', 'DEF-20991231-DEADBEEF#invented'],
    };
    server.scripts.push(supervisorAnswer({ ...CONSOLIDATED, classification }));
    const supervised = await supervisorOrchestrator().analyze({ defectId: 'DEF-20261122-0000ABCE', report });

    const pipeline = createOrchestrator({
      runtime: createLocalRuntime({
        model: createScriptedModel({
          steps: [
            textResponse(JSON.stringify(classification)),
            textResponse(JSON.stringify(RUST_ROOT_CAUSE)),
            textResponse(JSON.stringify(RUST_PLAN)),
          ],
        }),
        toolContext: { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now },
      }),
      knowledgeBase,
      router: createRuleRouter(),
      now,
    });
    const piped = await pipeline.analyze({ defectId: 'DEF-20261122-0000ABCE', report });

    const chunkIds = supervised.citations.map((citation) => citation.chunk_id);
    expect(chunkIds).not.toContain('DEF-20991231-DEADBEEF#invented');
    expect(chunkIds).not.toContain('NOT-A-PASSAGE#x');
    expect(chunkIds).toHaveLength(4);
    expect(supervised.citations).toEqual(piped.citations);
    expect(supervised.classification?.citations).toEqual(piped.classification?.citations);
    expect(supervised.status).toBe(piped.status);
  });

  it('escalates an unknown type and skips its root cause and actions', async () => {
    const unknown: Classification = {
      ...RUST_CLASSIFICATION,
      defect_type: 'unknown',
      severity: 'major',
      confidence: 0.3,
      recommended_action: 'REWORK',
      escalate: false,
      escalation_reason: null,
    };
    server.scripts.push(supervisorAnswer({ ...CONSOLIDATED, classification: unknown }));
    const events: AnalysisEvent[] = [];
    const analysis = await supervisorOrchestrator().analyze({
      defectId: 'DEF-20261122-0000ABCF',
      report,
      onEvent: (event) => events.push(event),
    });
    expect(analysis.status).toBe('complete');
    expect(analysis.classification).toMatchObject({
      defect_type: 'unknown',
      escalate: true,
      escalation_reason: UNKNOWN_ESCALATION_REASON,
    });
    expect(analysis.root_cause).toBeNull();
    expect(analysis.corrective_actions).toBeNull();
    expect(analysis.agents.root_cause.status).toBe('skipped');
    expect(analysis.agents.corrective_action.status).toBe('skipped');
    expect(events.filter((event) => event.type === 'stage_completed')).toHaveLength(1);
  });

  it('gives a failed analysis, without throwing, when the supervisor call fails', async () => {
    server.scripts.push({ error: { status: 400, type: 'ValidationException', message: 'bad alias' } });
    const events: AnalysisEvent[] = [];
    const analysis = await supervisorOrchestrator().analyze({
      defectId: 'DEF-20261122-0000ABD0',
      report,
      onEvent: (event) => events.push(event),
    });
    expect(ConsolidatedAnalysis.parse(analysis)).toBeTruthy();
    expect(analysis.status).toBe('failed');
    expect(analysis.failure).toMatchObject({ step: 'classifier', code: 'upstream_error' });
    expect(analysis.failure?.message).toBe(
      'the classifier could not reach the model or a service it needs; try again later',
    );
    expect(JSON.stringify(analysis)).not.toMatch(/ValidationException|bad alias|InvokeAgent/);
    expect(logged).toEqual([
      expect.objectContaining({
        step: 'classifier',
        defectId: 'DEF-20261122-0000ABD0',
        message: 'an agent step failed',
      }),
    ]);
    expect(String(logged[0]?.err)).toMatch(/ValidationException/);
    expect(analysis.completed_at).not.toBeNull();
    expect(analysis.classification).toBeNull();
    expect(Object.values(analysis.agents).map((run) => run.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(events.filter((event) => event.type !== 'trace')).toEqual([
      { type: 'stage_started', step: 'classifier' },
      {
        type: 'stage_completed',
        step: 'classifier',
        status: 'failed',
        output: { code: 'upstream_error', message: analysis.failure?.message },
      },
    ]);
  });

  it('gives a failed analysis when the supervisor answer does not match its schema', async () => {
    server.scripts.push({ frames: [chunk('{"classification": {"defect_detected": "maybe"}}')] });
    const analysis = await supervisorOrchestrator().analyze({ defectId: 'DEF-20261122-0000ABD1', report });
    expect(analysis.status).toBe('failed');
    expect(analysis.failure).toMatchObject({ step: 'classifier', code: 'agent_output_invalid' });
  });

  it('gives a partial analysis naming the step whose part the supervisor left out', async () => {
    server.scripts.push(supervisorAnswer({ ...CONSOLIDATED, root_cause: null, corrective_actions: null }));
    const events: AnalysisEvent[] = [];
    const analysis = await supervisorOrchestrator().analyze({
      defectId: 'DEF-20261122-0000ABD2',
      report,
      onEvent: (event) => events.push(event),
    });
    expect(analysis.status).toBe('partial');
    expect(analysis.failure).toMatchObject({ step: 'root_cause', code: 'agent_output_invalid' });
    expect(analysis.failure?.message).toBe(
      "the root-cause analyst's answer was missing or did not match its schema, so it was not used",
    );
    expect(analysis.classification?.defect_type).toBe('rust_spot');
    expect(Object.values(analysis.agents).map((run) => run.status)).toEqual([
      'complete',
      'failed',
      'skipped',
    ]);
    expect(analysis.citations.map((citation) => citation.chunk_id)).toEqual([
      'DEF-20240314-3FA2B91C#description',
    ]);
    expect(
      events.flatMap((event) => (event.type === 'stage_completed' ? [`${event.step}:${event.status}`] : [])),
    ).toEqual(['classifier:complete', 'root_cause:failed']);

    server.scripts.push(supervisorAnswer({ ...CONSOLIDATED, corrective_actions: [] }));
    const noActions = await supervisorOrchestrator().analyze({ defectId: 'DEF-20261122-0000ABD3', report });
    expect(noActions.status).toBe('partial');
    expect(noActions.failure).toMatchObject({ step: 'corrective_action', code: 'agent_output_invalid' });
    expect(noActions.root_cause?.probable_stage).toBe('vacuum_quench');
  });

  it('sends follow-up questions to the supervisor in the session of the analysis', async () => {
    server.scripts.push(supervisorAnswer(CONSOLIDATED), {
      frames: [
        modelOutput({ inputTokens: 5, outputTokens: 1 }),
        modelOutput({ inputTokens: 50, outputTokens: 10, collaboratorName: 'corrective-action' }),
        chunk(
          JSON.stringify({
            answer: 'Quarantine lots YJ-2611-1 to 4 today.',
            citations: ['SOP-VQ-01#reaction-plan', 'NOT-A-PASSAGE#x'],
          }),
        ),
      ],
    });
    const orchestrator = supervisorOrchestrator();
    const analysis = await orchestrator.analyze({ defectId: 'DEF-20261122-0000ABD4', report });
    const result = await orchestrator.ask({
      analysis,
      history: [],
      question: 'What should we do with the lots on hold?',
    });
    expect(server.requests.map((request) => request.url)).toEqual([
      '/agents/SUPER1/agentAliases/SALIAS1/sessions/DEF-20261122-0000ABD4%3Asupervisor/text',
      '/agents/SUPER1/agentAliases/SALIAS1/sessions/DEF-20261122-0000ABD4%3Asupervisor/text',
    ]);
    expect(server.requests[1]?.body.inputText).toContain('<question>');
    expect(result).toMatchObject({
      agent: 'corrective-action',
      routeReason: 'routed by the deployed supervisor',
      answer: 'Quarantine lots YJ-2611-1 to 4 today.',
      usage: { input_tokens: 55, output_tokens: 11, total_tokens: 66 },
    });
    expect(result.citations.map((citation) => citation.chunk_id)).toEqual(['SOP-VQ-01#reaction-plan']);
  });
});
