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
  reviewedCase,
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

describe('the review in the report', () => {
  it('labels an unreviewed analysis an unconfirmed machine draft, with every action open and no trail', () => {
    const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
    expect(report.review).toMatchObject({
      state: 'draft',
      label: 'Unconfirmed machine draft',
      machine_draft: true,
      reviewed_by: null,
      corrected_fields: [],
      corrections: [],
      action_status_counts: { open: 4, in_progress: 0, done: 0, verified: 0, ineffective: 0 },
    });
    expect(report.review.fields.every((field) => field.value === field.machine_value)).toBe(true);
    expect(report.d6_implementation_and_validation.steps.map((step) => step.status)).toEqual([
      'open',
      'open',
      'open',
      'open',
    ]);
    expect(report.audit_trail).toEqual({
      availability: {
        state: 'not_applicable',
        note: 'Nobody has reviewed the analysis yet: it is an unconfirmed machine draft.',
      },
      events: [],
    });
    expect(report.classification.needs_human_review).toBe(true);
  });

  it('states the reviewed values wherever the report states them, and names the corrected ones', () => {
    const { analysis, review, events } = reviewedCase();
    const report = RcaReport.parse(buildRcaReport({ analysis, review, events, generatedAt: GENERATED_AT }));
    expect(report.review).toMatchObject({
      state: 'corrected',
      label: 'Corrected by a person',
      machine_draft: false,
      version: 10,
      reviewed_by: 'Li Wei (QA)',
      reviewed_at: '2026-11-23T18:00:00.000Z',
      corrected_fields: ['disposition', 'category_6m', 'occurrence_cause'],
    });
    expect(report.review.fields.find((field) => field.field === 'disposition')).toEqual({
      field: 'disposition',
      label: 'Disposition',
      value: 'HOLD',
      machine_value: 'SCRAP',
      corrected: true,
    });
    expect(report.review.corrections[0]).toMatchObject({
      label: 'Disposition',
      before: 'SCRAP',
      after: 'HOLD',
    });
    expect(report.classification.result?.recommended_action).toBe('HOLD');
    expect(report.classification.needs_human_review).toBe(false);
    expect(report.d3_containment.disposition).toBe('HOLD');
    expect(report.d4_root_causes.root_cause).toMatchObject({
      category_6m: 'method',
      occurrence: 'Quench recipe lost its vacuum hold step after the furnace software update.',
      escape: 'Salt spray sampled weekly.',
    });
    expect(report.d0_emergency_response.severity).toBe('critical');
  });

  it('tracks the actions: statuses, dates, evidence and who set them; dropped and added ones', () => {
    const { analysis, review, events } = reviewedCase();
    const report = buildRcaReport({ analysis, review, events, generatedAt: GENERATED_AT });
    expect(report.d3_containment.actions.map((action) => [action.ref, action.status])).toEqual([
      ['A1', 'verified'],
      ['A2', 'done'],
    ]);
    expect(report.d7_prevention.actions.map((action) => [action.ref, action.origin])).toEqual([
      ['A5', 'reviewer'],
    ]);
    expect(report.d6_implementation_and_validation.steps[0]).toMatchObject({
      action_ref: 'A1',
      status: 'verified',
      status_changed_by: 'Li Wei (QA)',
      done_at: '2026-11-23T11:00:00.000Z',
      verified_at: '2026-11-23T12:00:00.000Z',
      effectiveness_evidence: 'All 3 suspect lots caged in Q-2; the count matched the MES record.',
    });
    expect(report.effectiveness_check_plan.checks.find((check) => check.action_ref === 'A3')?.status).toBe(
      'in_progress',
    );
    expect(report.review.action_status_counts).toEqual({
      open: 1,
      in_progress: 1,
      done: 1,
      verified: 1,
      ineffective: 0,
    });
    expect(report.review.dropped_actions).toEqual([
      {
        ref: 'A4',
        description: FULL_ACTIONS[3]?.description,
        reason: 'Replaced by a recipe lock (A5): the seal was not the cause.',
        by: 'Li Wei (QA)',
        at: '2026-11-23T17:00:00.000Z',
      },
    ]);
    const met = Object.fromEntries(
      report.d8_closure.criteria.map((criterion) => [
        criterion.action_ref ?? criterion.criterion,
        criterion.met,
      ]),
    );
    expect(met).toMatchObject({
      'A person confirms or corrects the machine analysis (review)': true,
      A1: true,
      A2: false,
      A5: false,
    });
    expect(report.d8_closure.status).toBe('open');
  });

  it('tables the audit trail with its values as text, oldest first', () => {
    const { analysis, review, events } = reviewedCase();
    const report = buildRcaReport({
      analysis,
      review,
      events: [...events].reverse(),
      generatedAt: GENERATED_AT,
    });
    const trail = report.audit_trail;
    expect(trail.availability.state).toBe('available');
    expect(trail.events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trail.events[0]).toMatchObject({
      label: 'Corrected',
      by: 'Li Wei (QA)',
      api_key_name: 'qa-yangjiang',
      target: 'disposition',
      before: 'SCRAP',
      after: 'HOLD',
      state_before: 'draft',
      state_after: 'corrected',
    });
    expect(trail.events[4]).toMatchObject({
      label: 'Action status changed',
      before: 'done',
      after: 'verified',
    });
    expect(trail.events[7]?.before).toMatch(/^A4 \(preventive\): Revise SOP-VQ-01/);
    expect(trail.events[8]?.after).toMatch(/^A5 \(preventive\): Lock the quench recipe/);
  });

  it('closes D8 when the review is closed, and says a rejected report was not a defect', () => {
    const { analysis, review } = reviewedCase();
    const closedReview = {
      ...review,
      state: 'closed' as const,
      closed_by: 'Li Wei (QA)',
      closed_at: '2026-12-30T09:00:00.000Z',
      actions: review.actions.map((action) => ({ ...action, status: 'verified' as const })),
    };
    const closed = buildRcaReport({ analysis, review: closedReview, generatedAt: GENERATED_AT });
    expect(closed.d8_closure.status).toBe('closed');
    expect(closed.d8_closure.criteria.at(-1)).toMatchObject({ met: true });
    expect(closed.audit_trail.availability.state).toBe('missing');

    const rejected = buildRcaReport({
      analysis,
      review: {
        ...review,
        state: 'rejected',
        rejected_reason: 'Water stains from the washer, wiped off.',
        fields: { ...review.fields, defect_type: 'none', severity: 'none', disposition: 'PASS' },
      },
      generatedAt: GENERATED_AT,
    });
    expect(rejected.review.label).toBe('Rejected: not a defect');
    expect(rejected.title).toBe('RCA report DEF-20261122-0000ABCD: no defect detected');
    expect(rejected.classification.result).toMatchObject({ defect_detected: false, defect_type: 'none' });
    expect(rejected.d8_closure.status).toBe('not_required');
  });

  it('follows a corrected type and stage through the title, D2 and D4', () => {
    const { analysis, review } = reviewedCase();
    const report = buildRcaReport({
      analysis,
      review: {
        ...review,
        fields: { ...review.fields, defect_type: 'heat_treatment_defect', probable_stage: 'heat_treatment' },
      },
      generatedAt: GENERATED_AT,
    });
    expect(report.title).toBe('RCA report DEF-20261122-0000ABCD: Heat treatment defect');
    expect(report.review.corrected_fields).toContain('defect_type');
    expect(report.d4_root_causes.probable_stage).toBe('heat_treatment');
    expect(report.d4_root_causes.stage_needs_review).toBe(false);
    expect(report.d2_problem_statement.statement).toContain('Heat treatment defect');
  });
});
