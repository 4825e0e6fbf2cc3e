import type { ClassifiedType, ConsolidatedAnalysis, ProductionStage } from '../../domain/index.ts';
import type { CaseResult, Metrics, RunResult } from '../result.ts';

/** A consolidated analysis that answers the given type and (when not null) stage. */
export function fixtureAnalysis({
  type,
  stage,
}: {
  type: ClassifiedType;
  stage: ProductionStage | null;
}): ConsolidatedAnalysis {
  const agent = { status: 'complete' as const, duration_ms: 400, usage: null, error: null };
  return {
    defect_id: 'DEF-20250301-0A1B2C3D',
    status: 'complete',
    created_at: '2025-03-01T10:00:00.000Z',
    completed_at: '2025-03-01T10:00:02.000Z',
    report: { description: 'Orange spots on the blade after quench.' },
    classification: {
      defect_detected: type !== 'none',
      defect_type: type,
      secondary_types: [],
      severity: type === 'none' ? 'none' : 'major',
      confidence: 0.8,
      recommended_action: type === 'none' ? 'PASS' : 'SCRAP',
      escalate: false,
      escalation_reason: null,
      affected_area: null,
      bounding_box: null,
      evidence: [],
      citations: [],
    },
    root_cause:
      stage === null
        ? null
        : {
            probable_stage: stage,
            stage_confidence: 0.7,
            five_why_chain: [
              {
                step: 1,
                question: 'Why?',
                answer: 'Because.',
                evidence: [],
                verified: false,
                hypothesis: true,
                citations: [],
              },
            ],
            ishikawa: { man: [], machine: [], method: [], material: [], measurement: [], environment: [] },
            root_cause: {
              occurrence: 'o',
              escape: 'e',
              systemic: 's',
              category_6m: 'machine',
              citations: [],
            },
            similar_defects: [],
          },
    corrective_actions: null,
    citations: [],
    agents: { classifier: agent, root_cause: agent, corrective_action: agent },
    usage: { input_tokens: 4000, output_tokens: 1000, total_tokens: 5000 },
    timings: { total_ms: 2000 },
    failure: null,
  };
}

/** A case result; the answer is built from `got` unless the outcome is not ok. */
export function fixtureCase({
  id,
  expected,
  got,
  outcome = 'ok',
  error = null,
  latencyMs = 1000,
}: {
  id: string;
  expected: { type: ClassifiedType; stage: ProductionStage | null };
  got: { type: ClassifiedType; stage: ProductionStage | null } | null;
  outcome?: CaseResult['outcome'];
  error?: string | null;
  latencyMs?: number;
}): CaseResult {
  return {
    id,
    tags: ['concrete', expected.type],
    labels: {
      defect_detected: expected.type !== 'none',
      defect_type: expected.type,
      severity: expected.type === 'none' ? 'none' : 'major',
      disposition: expected.type === 'none' ? 'PASS' : 'SCRAP',
      escalate: false,
      stage: expected.stage,
      category_6m: expected.stage === null ? null : 'machine',
      root_cause_keywords: [],
      action_types: [],
      action_keywords: [],
    },
    outcome,
    error,
    schemaIssues: [],
    analysis: got === null || outcome !== 'ok' ? null : fixtureAnalysis(got),
    latencyMs,
    checks: {},
  };
}

/** Metrics with plausible values; each group can be partly overridden. */
export function fixtureMetrics(overrides: { [K in keyof Metrics]?: Partial<Metrics[K]> } = {}): Metrics {
  return {
    counts: { cases: 5, ok: 4, errors: 1, invalid: 0, ...overrides.counts },
    classification: {
      typeAccuracy: 0.6,
      typeMacroF1: 0.55,
      perType: {
        rust_spot: { support: 1, precision: 1, recall: 1, f1: 1 },
        blade_chip: { support: 2, precision: null, recall: 0, f1: null },
        weld_defect: { support: 1, precision: 1, recall: 1, f1: 1 },
        none: { support: 1, precision: 1, recall: 1, f1: 1 },
      },
      confusion: {
        rust_spot: { rust_spot: 1 },
        blade_chip: { blade_scratch: 1 },
        weld_defect: { weld_defect: 1 },
        none: { none: 1 },
      },
      severityAccuracy: 0.9,
      dispositionAccuracy: 0.8,
      escalationPrecision: null,
      escalationRecall: 1,
      secondaryTypeRecall: 0.5,
      ...overrides.classification,
    },
    safety: {
      defectReports: 4,
      passingReports: 1,
      defectGivenPass: 0,
      passingGivenReworkOrScrap: 0,
      unknownOrVagueGivenHold: null,
      ...overrides.safety,
    },
    breakdowns: {
      language: {
        en: { cases: 4, typeAccuracy: 0.5, stageAccuracy: 0.5, category6mAccuracy: 0.75 },
        zh: { cases: 1, typeAccuracy: 1, stageAccuracy: null, category6mAccuracy: null },
        mixed: { cases: 0, typeAccuracy: null, stageAccuracy: null, category6mAccuracy: null },
        chineseOrMixed: { cases: 1, typeAccuracy: 1, stageAccuracy: null, category6mAccuracy: null },
      },
      kind: {
        concrete: { cases: 4, typeAccuracy: 0.5, stageAccuracy: 0.5, category6mAccuracy: 0.75 },
      },
      ...overrides.breakdowns,
    },
    rootCause: {
      stageAccuracy: 0.5,
      category6mAccuracy: 0.75,
      keywordRecall: 0.4,
      whyDepthMean: 4.25,
      noOperatorErrorTerminus: 1,
      escapeCausePresent: 0.75,
      ...overrides.rootCause,
    },
    actions: {
      typeCoverage: 0.8,
      keywordRecall: 0.5,
      ownerPresent: 1,
      dueDatePresent: 1,
      effectivenessCheckPresent: 0.9,
      ...overrides.actions,
    },
    grounding: {
      citationValidity: 0.95,
      whysWithCitations: 0.6,
      actionsWithCitations: 0.7,
      ...overrides.grounding,
    },
    robustness: {
      abstentionOffTopic: null,
      abstentionInjection: null,
      schemaValidRate: 1,
      ...overrides.robustness,
    },
    cost: {
      latencyMs: { p50: 1500, p95: 5000 },
      perAgentLatencyMs: {
        classifier: { p50: 400, p95: 900 },
        root_cause: { p50: 700, p95: 2100 },
        corrective_action: { p50: 500, p95: 1600 },
      },
      tokensPerCase: 5321.4,
      inputTokensPerCase: 2100.2,
      cacheWriteTokensPerCase: 400,
      cacheReadTokensPerCase: 2100.5,
      outputTokensPerCase: 720.7,
      costPerCase: 0.0123,
      ...overrides.cost,
    },
    followups: {
      questions: 0,
      answered: 0,
      onTopicRate: null,
      cannedAnswers: 0,
      perTopic: {},
      perLanguage: {},
      ...overrides.followups,
    },
  };
}

/** A five-case run: one right, one wrong type with `<b>` in its id, one error, one `none`, one wrong stage. */
export function fixtureRun(overrides: Partial<RunResult> = {}): RunResult {
  return {
    runId: 'run-current',
    target: 'local-orchestrator',
    startedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:03:30.000Z',
    casesFile: 'evals/cases/cases.jsonl',
    filter: null,
    model: 'test-model-v1',
    priceTable: { inputPerMillion: 3, outputPerMillion: 15, currency: 'USD' },
    metrics: fixtureMetrics(),
    cases: [
      fixtureCase({
        id: 'rust-001',
        expected: { type: 'rust_spot', stage: 'vacuum_quench' },
        got: { type: 'rust_spot', stage: 'vacuum_quench' },
        latencyMs: 1500,
      }),
      fixtureCase({
        id: 'chip-<b>002</b>',
        expected: { type: 'blade_chip', stage: 'cutting_edge_honing' },
        got: { type: 'blade_scratch', stage: 'blade_glazing' },
        latencyMs: 2300,
      }),
      fixtureCase({
        id: 'err-003',
        expected: { type: 'blade_chip', stage: 'heat_treatment' },
        got: null,
        outcome: 'error',
        error: 'timeout after 60000 ms <script>alert(1)</script> | pipe',
        latencyMs: 60000,
      }),
      fixtureCase({
        id: 'none-004',
        expected: { type: 'none', stage: null },
        got: { type: 'none', stage: null },
        latencyMs: 900,
      }),
      fixtureCase({
        id: 'weld-005',
        expected: { type: 'weld_defect', stage: 'bolster_welding' },
        got: { type: 'weld_defect', stage: 'heat_treatment' },
        latencyMs: 3100,
      }),
    ],
    ...overrides,
  };
}
