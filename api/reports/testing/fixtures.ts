import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../../agents/testing/outputs.ts';
import {
  ConsolidatedAnalysis,
  type Citation,
  type CorrectiveAction,
  type RootCauseAnalysis,
} from '../../../domain/index.ts';

/** Text an attacker could put in a report; the renderers must show it, never run it. */
export const SCRIPT_TEXT = '<script>alert("x")</script> & <b>bold</b>';

/** The fixed generation time of the report tests. */
export const GENERATED_AT = new Date('2026-11-23T09:30:00.000Z');

const CITATIONS: Citation[] = [
  {
    source_id: 'DEF-20240314-3FA2B91C',
    chunk_id: 'DEF-20240314-3FA2B91C#description',
    doc_type: 'past_defect',
    title: 'Rust spots after vacuum quench, line 2',
    section: 'description',
    excerpt:
      'Orange spots on the bolster of 8" chef knives after the vacuum quench; salt spray failed at 300 h.',
    score: 0.91,
  },
  {
    source_id: 'DEF-20240314-3FA2B91C',
    chunk_id: 'DEF-20240314-3FA2B91C#confirmed-root-cause',
    doc_type: 'past_defect',
    title: 'Rust spots after vacuum quench, line 2',
    section: 'confirmed-root-cause',
    excerpt: 'Worn door seal let air into the chamber; the quench took 4 minutes instead of 2.',
  },
  {
    source_id: 'SOP-VQ-01',
    chunk_id: 'SOP-VQ-01#process-window',
    doc_type: 'sop',
    title: 'Vacuum quench SOP',
    section: 'process-window',
    excerpt: 'Cool from 1000 °C to 600 °C within 2 minutes.\nCheck the chamber vacuum before each run.',
  },
  {
    source_id: 'SOP-VQ-01',
    chunk_id: 'SOP-VQ-01#reaction-plan',
    doc_type: 'sop',
    title: 'Vacuum quench SOP',
    section: 'reaction-plan',
    excerpt: 'Stop the furnace, quarantine every lot since the last passed leak test, call the MRB.',
  },
];

/** A root cause with a branched 5-why chain and a cause carrying script text. */
export const FULL_ROOT_CAUSE: RootCauseAnalysis = {
  ...RUST_ROOT_CAUSE,
  five_why_chain: [
    ...RUST_ROOT_CAUSE.five_why_chain,
    {
      step: 2,
      question: 'Why was the quench slow?',
      answer: 'The chamber lost vacuum through the door seal.',
      evidence: [{ kind: 'history', detail: 'same failure in 2024', source_id: 'DEF-20240314-3FA2B91C' }],
      verified: true,
      hypothesis: false,
      citations: ['DEF-20240314-3FA2B91C#confirmed-root-cause'],
    },
    {
      step: 3,
      question: 'Why was the seal worn?',
      answer: `Seal replaced only on failure | ${SCRIPT_TEXT}`,
      evidence: [],
      verified: false,
      hypothesis: true,
      citations: [],
    },
    {
      step: 4,
      question: 'Why did no check catch the leak before the run?',
      answer: 'No leak test is required before each run in the SOP.',
      evidence: [{ kind: 'passage', detail: 'SOP has no pre-run leak test', source_id: 'SOP-VQ-01' }],
      verified: true,
      hypothesis: false,
      citations: ['SOP-VQ-01#process-window'],
    },
  ],
  ishikawa: {
    ...RUST_ROOT_CAUSE.ishikawa,
    machine: [
      ...RUST_ROOT_CAUSE.ishikawa.machine,
      {
        cause: 'Vacuum pump throughput below the specification for a full furnace load at the end of a shift',
        status: 'untested',
        evidence: 'pump log not reviewed',
        citations: [],
      },
    ],
    environment: [
      ...RUST_ROOT_CAUSE.ishikawa.environment,
      { cause: `Coolant ${SCRIPT_TEXT}`, status: 'ruled_out', citations: [] },
    ],
  },
};

/** A full CAPA plan: the fixture containment plus correction, corrective and preventive actions. */
export const FULL_ACTIONS: CorrectiveAction[] = [
  ...RUST_PLAN.corrective_actions,
  {
    type: 'correction',
    description: 'Salt-spray test every quarantined lot; scrap the failing ones.',
    owner_role: 'Quality engineer (MRB)',
    due_date: '2026-11-25',
    effectiveness_check: {
      metric: 'rust found in the re-inspection sample',
      threshold: '0 parts',
      window_days: 14,
    },
    citations: ['SOP-VQ-01#reaction-plan'],
  },
  {
    type: 'corrective',
    description: 'Replace the door seal and add a leak test before each run.',
    owner_role: 'Vacuum quench maintenance lead',
    due_date: '2026-12-07',
    effectiveness_check: {
      metric: 'quench time 1000→600 °C',
      threshold: '≤ 2 min on every run',
      window_days: 30,
    },
    citations: ['DEF-20240314-3FA2B91C#confirmed-root-cause'],
  },
  {
    type: 'preventive',
    description:
      'Revise SOP-VQ-01 with a seal replacement interval, update the PFMEA and the control plan, check the other quench lines at shenzhen and hongkong.',
    owner_role: 'Vacuum quench process engineer',
    due_date: '2026-12-21',
    effectiveness_check: { metric: 'rust spots at vacuum quench', threshold: 'none', window_days: 90 },
    citations: [],
  },
];

const BASE = {
  defect_id: 'DEF-20261122-0000ABCD',
  created_at: '2026-11-22T08:15:00.000Z',
  report: {
    description: `Orange spots on the bolster after quench. ${SCRIPT_TEXT}`,
    product_sku: 'WK-KN-200',
    facility: 'yangjiang',
    batch_id: 'B-2026-1122-07',
    shift: 'B',
    measurements: { hardness_hrc: 56, salt_spray_hours: 300, defect_size_mm: 1.5 },
    production_data: { line: 'VQ-2', affected_units: 40, operator_shift: 'night' },
  },
  usage: { input_tokens: 1200, output_tokens: 800, total_tokens: 2000 },
  timings: { total_ms: 5000 },
};

const done = { status: 'complete', duration_ms: 1000, usage: null, error: null } as const;
const skipped = { status: 'skipped', duration_ms: null, usage: null, error: null } as const;

/** A complete analysis: classification, root cause and a full plan, with resolved citations. */
export function completeAnalysis(): ConsolidatedAnalysis {
  return ConsolidatedAnalysis.parse({
    ...BASE,
    status: 'complete',
    completed_at: '2026-11-22T08:16:00.000Z',
    classification: RUST_CLASSIFICATION,
    root_cause: FULL_ROOT_CAUSE,
    corrective_actions: FULL_ACTIONS,
    citations: CITATIONS,
    agents: { classifier: done, root_cause: done, corrective_action: done },
  });
}

/** A partial analysis: the root-cause analyst failed, so the planner was skipped. */
export function partialAnalysis(): ConsolidatedAnalysis {
  return ConsolidatedAnalysis.parse({
    ...BASE,
    defect_id: 'DEF-20261122-0000ABCF',
    status: 'partial',
    completed_at: '2026-11-22T08:16:00.000Z',
    classification: RUST_CLASSIFICATION,
    citations: CITATIONS.slice(0, 1),
    agents: {
      classifier: done,
      root_cause: {
        status: 'failed',
        duration_ms: 800,
        usage: null,
        error: { code: 'agent_output_invalid', message: 'probable_stage: invalid option' },
      },
      corrective_action: skipped,
    },
    failure: { step: 'root_cause', code: 'agent_output_invalid', message: 'probable_stage: invalid option' },
  });
}

/** A failed analysis: the classifier failed, nothing else ran. */
export function failedAnalysis(): ConsolidatedAnalysis {
  return ConsolidatedAnalysis.parse({
    ...BASE,
    defect_id: 'DEF-20261122-0000ABD0',
    status: 'failed',
    completed_at: '2026-11-22T08:15:30.000Z',
    agents: {
      classifier: {
        status: 'failed',
        duration_ms: 100,
        usage: null,
        error: { code: 'upstream_error', message: 'model endpoint unreachable' },
      },
      root_cause: skipped,
      corrective_action: skipped,
    },
    failure: { step: 'classifier', code: 'upstream_error', message: 'model endpoint unreachable' },
  });
}

/** A no-defect analysis: the classifier found nothing, so the other agents were skipped. */
export function noDefectAnalysis(): ConsolidatedAnalysis {
  return ConsolidatedAnalysis.parse({
    ...BASE,
    defect_id: 'DEF-20261122-0000ABCE',
    status: 'complete',
    completed_at: '2026-11-22T08:15:20.000Z',
    report: {
      description: 'All 40 sampled knives within spec.',
      product_sku: 'WK-KN-150',
      facility: 'shenzhen',
    },
    classification: {
      ...RUST_CLASSIFICATION,
      defect_detected: false,
      defect_type: 'none',
      severity: 'none',
      confidence: 0.95,
      recommended_action: 'PASS',
      escalate: false,
      escalation_reason: null,
      affected_area: null,
      evidence: ['all measurements within spec'],
      citations: [],
    },
    agents: { classifier: done, root_cause: skipped, corrective_action: skipped },
  });
}
