import { crc32, deflateSync } from 'node:zlib';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../../agents/testing/outputs.ts';
import {
  ConsolidatedAnalysis,
  draftReview,
  type Citation,
  type CorrectiveAction,
  type Correction,
  type Review,
  type ReviewEvent,
  type RootCauseAnalysis,
  type TrackedAction,
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

const REVIEWER = { name: 'Li Wei (QA)', api_key_id: 'key-qa-1', api_key_name: 'qa-yangjiang' };

/**
 * A reviewed analysis: the complete analysis, corrected by a person (disposition, 6M category
 * and occurrence cause), with tracked actions in every status, one dropped and one added by the
 * reviewer, and the audit trail of those changes.
 */
export function reviewedCase(): { analysis: ConsolidatedAnalysis; review: Review; events: ReviewEvent[] } {
  const analysis = completeAnalysis();
  const draft = draftReview(analysis, 1);
  const at = (hour: number) =>
    `2026-11-${hour < 24 ? '23' : '24'}T${String(hour % 24).padStart(2, '0')}:00:00.000Z`;
  const occurrence = 'Quench recipe lost its vacuum hold step after the furnace software update.';
  const corrections: Correction[] = [
    {
      field: 'disposition',
      before: 'SCRAP',
      after: 'HOLD',
      reason: 'MRB decides lot by lot after the salt-spray re-test.',
      by: REVIEWER.name,
      at: at(10),
    },
    {
      field: 'category_6m',
      before: 'machine',
      after: 'method',
      reason: 'Furnace log shows the vacuum hold missing since the update of 2026-11-18.',
      by: REVIEWER.name,
      at: at(10),
    },
    {
      field: 'occurrence_cause',
      before: 'Worn door seal slowed the quench.',
      after: occurrence,
      reason: 'Furnace log shows the vacuum hold missing since the update of 2026-11-18.',
      by: REVIEWER.name,
      at: at(10),
    },
  ];
  const [containment, correction, corrective, preventive] = draft.actions;
  if (!containment || !correction || !corrective || !preventive)
    throw new Error('the fixture plan has four actions');
  const added: TrackedAction = {
    id: 'A5',
    origin: 'reviewer',
    type: 'preventive',
    description:
      'Lock the quench recipe; any change needs a QA sign-off and a first-article salt-spray test.',
    owner_role: 'Process engineering manager',
    due_date: '2026-12-15',
    effectiveness_check: { metric: 'unapproved recipe changes', threshold: '0', window_days: 90 },
    citations: [],
    status: 'open',
    status_changed_at: null,
    status_changed_by: null,
    started_at: null,
    done_at: null,
    verified_at: null,
    effectiveness_evidence: null,
  };
  const review: Review = {
    ...draft,
    state: 'corrected',
    version: 10,
    reviewed_by: REVIEWER.name,
    reviewed_at: at(18),
    fields: { ...draft.fields, disposition: 'HOLD', category_6m: 'method', occurrence_cause: occurrence },
    corrections,
    actions: [
      {
        ...containment,
        status: 'verified',
        status_changed_at: at(12),
        status_changed_by: REVIEWER.name,
        done_at: at(11),
        verified_at: at(12),
        effectiveness_evidence: 'All 3 suspect lots caged in Q-2; the count matched the MES record.',
      },
      {
        ...correction,
        status: 'done',
        status_changed_at: at(13),
        status_changed_by: 'Zhang Min',
        done_at: at(13),
      },
      {
        ...corrective,
        status: 'in_progress',
        status_changed_at: at(13),
        status_changed_by: 'Zhang Min',
        started_at: at(13),
      },
      added,
    ],
  };
  const event = (
    sequence: number,
    fields: Pick<ReviewEvent, 'kind' | 'target' | 'before' | 'after' | 'reason'> &
      Partial<Pick<ReviewEvent, 'state_before' | 'state_after'>>,
  ): ReviewEvent => ({
    sequence,
    defect_id: analysis.defect_id,
    at: at(9 + sequence),
    actor: sequence === 6 || sequence === 7 ? { ...REVIEWER, name: 'Zhang Min' } : REVIEWER,
    state_before: 'corrected',
    state_after: 'corrected',
    version: sequence + 1,
    ...fields,
  });
  const events: ReviewEvent[] = [
    ...corrections.map((entry, index) =>
      event(index + 1, {
        kind: 'corrected',
        target: entry.field,
        before: entry.before,
        after: entry.after,
        reason: entry.reason,
        state_before: index === 0 ? 'draft' : 'corrected',
      }),
    ),
    event(4, { kind: 'action_status_changed', target: 'A1', before: 'open', after: 'done', reason: null }),
    event(5, {
      kind: 'action_status_changed',
      target: 'A1',
      before: 'done',
      after: 'verified',
      reason: 'All 3 suspect lots caged in Q-2; the count matched the MES record.',
    }),
    event(6, { kind: 'action_status_changed', target: 'A2', before: 'open', after: 'done', reason: null }),
    event(7, {
      kind: 'action_status_changed',
      target: 'A3',
      before: 'open',
      after: 'in_progress',
      reason: null,
    }),
    event(8, {
      kind: 'action_dropped',
      target: 'A4',
      before: preventive,
      after: null,
      reason: 'Replaced by a recipe lock (A5): the seal was not the cause.',
    }),
    event(9, {
      kind: 'action_added',
      target: 'A5',
      before: null,
      after: added,
      reason: 'Prevents the real cause.',
    }),
  ];
  return { analysis, review, events };
}

/** A complete analysis of a report written in Chinese, with Chinese causes and actions. */
export function chineseAnalysis(): ConsolidatedAnalysis {
  const analysis = completeAnalysis();
  const rootCause = analysis.root_cause;
  if (!rootCause) throw new Error('the complete analysis has a root cause');
  return ConsolidatedAnalysis.parse({
    ...analysis,
    defect_id: 'DEF-20261122-0000ABD1',
    report: {
      ...analysis.report,
      description:
        '真空淬火后，40 件 WK-KN-200 主厨刀中有 3 件在刀枕附近出现橙色锈点。盐雾试验 300 小时即生锈。',
    },
    classification: { ...analysis.classification, evidence: ['描述中提到“橙色锈点”', '盐雾 300 小时'] },
    root_cause: {
      ...rootCause,
      ishikawa: {
        ...rootCause.ishikawa,
        machine: [
          { cause: '真空炉门密封圈磨损，淬火冷却过慢', status: 'supported', citations: [] },
          ...rootCause.ishikawa.machine,
        ],
        method: [{ cause: '每炉运行前没有泄漏检查', status: 'untested', citations: [] }],
      },
      root_cause: {
        ...rootCause.root_cause,
        occurrence: '炉门密封圈磨损，淬火从 1000 °C 冷却到 600 °C 用了 4 分钟。',
      },
    },
    corrective_actions: [
      {
        type: 'containment',
        description: '隔离 B-2026-1122-07 批次及之后所有可疑批次。',
        owner_role: '质量工程师',
        due_date: '2026-11-23',
        effectiveness_check: { metric: '可疑批次隔离率', threshold: '100 %', window_days: 1 },
        citations: [],
      },
    ],
  });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/** A real (decodable) PNG photo: an orange spot on a steel-grey field, `width` × `height` pixels. */
export function photoPng({ width = 96, height = 64 }: { width?: number; height?: number } = {}): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y += 1) {
    rows.push(0);
    for (let x = 0; x < width; x += 1) {
      const spot = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 5) ** 2;
      rows.push(...(spot ? [200, 90, 30] : [150 + (x % 16), 155, 160]));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
