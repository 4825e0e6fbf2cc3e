import { describe, expect, it } from 'vitest';
import { EIGHT_D_SECTIONS, RcaReport, buildRcaReport } from './report-model.ts';
import {
  FULL_ACTIONS,
  FULL_ROOT_CAUSE,
  GENERATED_AT,
  completeAnalysis,
  failedAnalysis,
  noDefectAnalysis,
  partialAnalysis,
} from './testing/fixtures.ts';

const D_KEYS = EIGHT_D_SECTIONS.map((section) => section.key);

describe('buildRcaReport', () => {
  it('builds a report that validates against its schema and has every 8D section', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    const parsed = RcaReport.safeParse(report);
    expect(parsed.error).toBeUndefined();
    expect(D_KEYS).toEqual([
      'd0_emergency_response',
      'd1_team',
      'd2_problem_statement',
      'd3_containment',
      'd4_root_causes',
      'd5_corrective_actions',
      'd6_implementation_and_validation',
      'd7_prevention',
      'd8_closure',
    ]);
    for (const key of D_KEYS) {
      expect(report[key], key).toBeDefined();
      expect(report[key].availability.state, key).toBe('available');
    }
    expect(report.generated_at).toBe('2026-11-23T09:30:00.000Z');
    expect(report.analysis.notes).toEqual([]);
  });

  it('stops the line and staffs the team with the action owners plus QE and MRB for a critical defect', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    expect(report.d0_emergency_response.level).toBe('line_stop');
    expect(report.d0_emergency_response.actions[0]).toMatch(/^Stop the line at Vacuum quench/);
    const roles = report.d1_team.members.map((member) => member.role);
    expect(roles).toEqual([
      'Quality engineer',
      'MRB (Material Review Board)',
      'Quality engineer (MRB)',
      'Vacuum quench maintenance lead',
      'Vacuum quench process engineer',
    ]);
    expect(report.d1_team.members[0]?.responsibilities).toContain('A1 containment');
  });

  it('fills the 5W2H and is / is-not from the report, the classification and the fishbone', () => {
    const d2 = buildRcaReport({
      analysis: completeAnalysis(),
      generatedAt: GENERATED_AT,
    }).d2_problem_statement;
    expect(d2.what).toBe('Rust spot on the bolster of WK-KN-200 (8" chef knife)');
    expect(d2.where).toContain('Facility yangjiang');
    expect(d2.where).toContain('Line VQ-2');
    expect(d2.when).toContain('2026-11-22 08:15 UTC');
    expect(d2.when).toContain('batch B-2026-1122-07');
    expect(d2.why).toContain('critical');
    expect(d2.why).toContain('Salt spray before rust 300 h outside ≥ 1000 h without rust');
    expect(d2.how_many).toBe('Affected units 40');
    expect(d2.is).toContain('Supported cause (machine): Door seal worn');
    expect(d2.is_not).toContain('Ruled out (material): Steel lot');
    expect(d2.is_not).toContain('Not out of spec: Hardness 56 HRC is within 54-58 HRC');
  });

  it('sorts the actions into D3, D5 and D7 and dates their effectiveness checks', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    expect(report.d3_containment.actions.map((action) => [action.ref, action.type])).toEqual([
      ['A1', 'containment'],
      ['A2', 'correction'],
    ]);
    expect(report.d3_containment.disposition).toBe('SCRAP');
    expect(report.d5_corrective_actions.actions.map((action) => action.ref)).toEqual(['A3']);
    expect(report.d7_prevention.actions.map((action) => action.ref)).toEqual(['A4']);
    expect(report.d7_prevention.actions[0]?.hypothesis).toBe(true);
    expect(report.d6_implementation_and_validation.steps).toHaveLength(FULL_ACTIONS.length);
    expect(report.d6_implementation_and_validation.steps[2]).toMatchObject({
      action_ref: 'A3',
      due_date: '2026-12-07',
      verify_by: '2027-01-06',
    });
    expect(report.d6_implementation_and_validation.validated_by).toBe('2027-03-21');
    expect(report.effectiveness_check_plan.checks.map((check) => check.action_ref)).toEqual([
      'A1',
      'A2',
      'A3',
      'A4',
    ]);
  });

  it('lists the SOP, PFMEA and control-plan updates and the other facilities and SKUs', () => {
    const d7 = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }).d7_prevention;
    expect(d7.standardisation.map((entry) => entry.document)).toEqual(['sop', 'pfmea', 'control_plan']);
    expect(d7.standardisation[0]?.update).toContain('SOP-VQ-01');
    expect(d7.standardisation.every((entry) => entry.covered_by.includes('A4'))).toBe(true);
    expect(d7.horizontal_deployment?.other_facilities).toEqual(['shenzhen', 'hongkong']);
    expect(d7.horizontal_deployment?.other_skus).not.toContain('WK-KN-200');
  });

  it('puts D4 together from the root cause and closes on every effectiveness check', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    const d4 = report.d4_root_causes;
    expect(d4.root_cause).toMatchObject({
      category_6m: 'machine',
      occurrence: 'Worn door seal slowed the quench.',
    });
    expect(d4.probable_stage).toBe('vacuum_quench');
    expect(d4.five_why_chain).toHaveLength(FULL_ROOT_CAUSE.five_why_chain.length);
    expect(d4.unverified_steps).toEqual([1, 3]);
    expect(d4.hypothesis_steps).toEqual([3]);
    expect(d4.fishbone).toEqual(FULL_ROOT_CAUSE.ishikawa);
    expect(report.d8_closure.status).toBe('open');
    expect(report.d8_closure.earliest_closure).toBe('2027-03-21');
    expect(report.d8_closure.criteria.filter((criterion) => criterion.action_ref !== null)).toHaveLength(4);
    expect(report.d8_closure.criteria[0]).toMatchObject({
      criterion: 'A person confirms or corrects the machine analysis (review)',
      met: false,
    });
    expect(
      report.d8_closure.criteria.find((criterion) => criterion.action_ref === 'A1')?.criterion,
    ).toContain('suspect units contained, 100 %, within 1 day');
  });

  it('numbers the citations, records who cites them and flags unresolved ids', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    expect(report.citations.map((citation) => citation.number)).toEqual([1, 2, 3, 4]);
    expect(report.citations[1]?.cited_by).toEqual(['why 2', 'fishbone machine', 'root cause', 'A3']);
    expect(report.unresolved_citation_ids).toEqual(['NOT-A-PASSAGE#x']);
    expect(report.similar_past_defects.defects).toEqual([
      expect.objectContaining({
        defect_id: 'DEF-20240314-3FA2B91C',
        title: 'Rust spots after vacuum quench, line 2',
      }),
    ]);
    expect(report.similar_past_defects.defects[0]?.passages).toHaveLength(2);
  });

  it('says what is missing and why in a partial analysis', () => {
    const report = buildRcaReport({ analysis: partialAnalysis(), generatedAt: GENERATED_AT });
    expect(RcaReport.safeParse(report).error).toBeUndefined();
    expect(report.d0_emergency_response.level).toBe('line_stop');
    expect(report.d4_root_causes.availability).toEqual({
      state: 'missing',
      note: 'The root-cause analyst failed (agent_output_invalid: probable_stage: invalid option).',
    });
    expect(report.d4_root_causes.fishbone).toBeNull();
    for (const key of [
      'd3_containment',
      'd5_corrective_actions',
      'd6_implementation_and_validation',
    ] as const) {
      expect(report[key].availability.state, key).toBe('missing');
      expect(report[key].availability.note, key).toContain(
        'corrective-action planner was skipped because the root-cause analyst failed',
      );
    }
    expect(report.d1_team.availability.state).toBe('partial');
    expect(report.d1_team.members.map((member) => member.role)).toEqual([
      'Quality engineer',
      'MRB (Material Review Board)',
    ]);
    expect(report.d2_problem_statement.availability.state).toBe('partial');
    expect(report.d8_closure.status).toBe('open');
    expect(report.d8_closure.criteria[0]?.criterion).toMatch(
      /^Complete the missing analysis\. The root-cause analyst failed/,
    );
    expect(report.analysis.failure).toEqual({
      step: 'root_cause',
      code: 'agent_output_invalid',
      message: 'probable_stage: invalid option',
    });
    expect(report.similar_past_defects.availability.state).toBe('missing');
  });

  it('holds the lot when the classifier failed', () => {
    const report = buildRcaReport({ analysis: failedAnalysis(), generatedAt: GENERATED_AT });
    expect(RcaReport.safeParse(report).error).toBeUndefined();
    expect(report.classification.availability.note).toBe(
      'The classifier failed (upstream_error: model endpoint unreachable).',
    );
    expect(report.d0_emergency_response.level).toBe('undetermined');
    expect(report.d0_emergency_response.actions[0]).toBe(
      'Hold batch B-2026-1122-07 until a person classifies the defect.',
    );
    expect(report.d2_problem_statement.what).toContain('Not classified');
    expect(report.d4_root_causes.availability.note).toContain('skipped because the classifier failed');
    expect(report.title).toBe('RCA report DEF-20261122-0000ABD0');
  });

  it('marks the CAPA sections not applicable when no defect was detected', () => {
    const report = buildRcaReport({ analysis: noDefectAnalysis(), generatedAt: GENERATED_AT });
    expect(RcaReport.safeParse(report).error).toBeUndefined();
    expect(report.d0_emergency_response.level).toBe('none');
    for (const key of D_KEYS.filter((key) => key !== 'd2_problem_statement')) {
      expect(report[key].availability.state, key).toBe('not_applicable');
    }
    expect(report.d2_problem_statement.availability.state).toBe('available');
    expect(report.d2_problem_statement.what).toBe('No defect detected on WK-KN-150 (6" utility knife)');
    expect(report.d8_closure.status).toBe('not_required');
    expect(report.d8_closure.criteria).toEqual([]);
    expect(report.d7_prevention.horizontal_deployment).toBeNull();
    expect(report.title).toBe('RCA report DEF-20261122-0000ABCE: no defect detected');
  });

  it('is deterministic for a fixed generatedAt and does not modify the analysis', () => {
    const analysis = completeAnalysis();
    const before = structuredClone(analysis);
    const first = JSON.stringify(buildRcaReport({ analysis, generatedAt: GENERATED_AT }));
    const second = JSON.stringify(buildRcaReport({ analysis, generatedAt: new Date(GENERATED_AT) }));
    expect(second).toBe(first);
    expect(analysis).toEqual(before);
    const later = buildRcaReport({ analysis, generatedAt: new Date('2027-01-01T00:00:00.000Z') });
    expect(later.generated_at).toBe('2027-01-01T00:00:00.000Z');
  });
});
