import { describe, expect, it } from 'vitest';
import { similarDefectsForClassifier } from './tool-views.ts';

const pastDefect = {
  source_id: 'DEF-20230214-8B2675B8',
  chunk_id: 'DEF-20230214-8B2675B8#outcome',
  title: 'Orange-brown rust dots after a slow cool',
  defect_type: 'rust_spot',
  stage: 'vacuum_quench',
  severity: 'critical',
  facility: 'yangjiang',
  product_sku: 'WK-KN-200',
  date: '2023-02-14',
  score: 0.97,
  excerpt: 'Orange-brown dots on 9 of 300 chef knives.',
  root_cause: {
    category_6m: 'machine',
    occurrence: 'Door seal leak',
    escape: 'No leak test',
    systemic: 'No PM',
  },
  actions: [{ type: 'corrective', owner_role: 'Maintenance', description: 'Seal replaced.' }],
  effective: 'true',
  outcome: 'No rust in ten weeks.',
};

describe('what the classifier reads of a tool result', () => {
  it('keeps what each past defect was and leaves out how it was caused and fixed', () => {
    const {
      root_cause: _cause,
      actions: _actions,
      effective: _effective,
      outcome: _outcome,
      ...what
    } = pastDefect;

    expect(similarDefectsForClassifier({ defects: [pastDefect] })).toEqual({ defects: [what] });
  });

  it('passes an output it does not recognise through unchanged', () => {
    expect(similarDefectsForClassifier({ unexpected: true })).toEqual({ unexpected: true });
  });
});
