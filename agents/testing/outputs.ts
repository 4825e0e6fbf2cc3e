import type { ActionPlan, Classification, RootCauseAnalysis } from '../../domain/index.ts';

/** A valid classifier answer for a rust report, citing a fixture passage. */
export const RUST_CLASSIFICATION: Classification = {
  defect_detected: true,
  defect_type: 'rust_spot',
  secondary_types: [],
  severity: 'critical',
  confidence: 0.86,
  recommended_action: 'SCRAP',
  escalate: true,
  escalation_reason: 'critical severity: stop the line',
  affected_area: 'bolster',
  bounding_box: null,
  evidence: ['text mentions "orange spots"'],
  citations: ['DEF-20240314-3FA2B91C#description'],
};

/** A valid root-cause answer. */
export const RUST_ROOT_CAUSE: RootCauseAnalysis = {
  probable_stage: 'vacuum_quench',
  stage_confidence: 0.9,
  five_why_chain: [
    {
      step: 1,
      question: 'Why are there rust spots?',
      answer: 'Chromium carbides formed in a slow quench.',
      evidence: [{ kind: 'passage', detail: 'quench window', source_id: 'SOP-VQ-01' }],
      verified: false,
      hypothesis: false,
      citations: ['SOP-VQ-01#process-window'],
    },
  ],
  ishikawa: {
    man: [{ cause: 'Loading not error-proofed', status: 'untested', citations: [] }],
    machine: [
      {
        cause: 'Door seal worn',
        status: 'supported',
        citations: ['DEF-20240314-3FA2B91C#confirmed-root-cause'],
      },
    ],
    method: [{ cause: 'No leak check before run', status: 'untested', citations: [] }],
    material: [{ cause: 'Steel lot', status: 'ruled_out', citations: [] }],
    measurement: [{ cause: 'Weekly salt spray', status: 'supported', citations: [] }],
    environment: [{ cause: 'Humidity', status: 'untested', citations: [] }],
  },
  root_cause: {
    occurrence: 'Worn door seal slowed the quench.',
    escape: 'Salt spray sampled weekly.',
    systemic: 'Seal run to failure.',
    category_6m: 'machine',
    citations: ['DEF-20240314-3FA2B91C#confirmed-root-cause'],
  },
  similar_defects: ['DEF-20240314-3FA2B91C'],
};

/** A valid action plan. */
export const RUST_PLAN: ActionPlan = {
  corrective_actions: [
    {
      type: 'containment',
      description: 'Quarantine the suspect lots.',
      owner_role: 'Quality engineer',
      due_date: '2026-11-23',
      effectiveness_check: { metric: 'suspect units contained', threshold: '100 %', window_days: 1 },
      citations: ['SOP-VQ-01#reaction-plan', 'NOT-A-PASSAGE#x'],
    },
  ],
};
