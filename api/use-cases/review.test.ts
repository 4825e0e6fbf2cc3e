import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  draftReview,
  type ActionStatus,
  type ReviewedAnalysis,
  type ReviewState,
} from '../../domain/index.ts';
import { makeAnalysis } from '../persistence/testing/fixtures.ts';
import { addAction, changeAction, decide, dropAction, type ReviewDecision } from './review.ts';

const actor = { name: 'Li Wei', api_key_id: 'key-1', api_key_name: 'qa' };
const at = '2026-11-22T08:00:00.000Z';
const base = makeAnalysis({ n: 1 });

/** An analysis in `state` whose actions all have `status` (and one correction when corrected). */
function inState(state: ReviewState, status: ActionStatus = 'open'): ReviewedAnalysis {
  const review = draftReview(base, 3);
  return {
    ...base,
    review: {
      ...review,
      state,
      corrections:
        state === 'corrected'
          ? [{ field: 'severity', before: 'critical', after: 'major', reason: 'checked', by: 'x', at }]
          : [],
      actions: review.actions.map((action) => ({ ...action, status })),
    },
  };
}

const DECISIONS: Record<ReviewDecision['decision'], ReviewDecision> = {
  confirm: { decision: 'confirm' },
  correct: { decision: 'correct', changes: { severity: 'minor' }, reason: 'measured again' },
  reject: { decision: 'reject', reason: 'not a defect' },
  close: { decision: 'close' },
  reopen: { decision: 'reopen', reason: 'came back' },
};

/** The state each decision leads to from each state (with every action verified), or 409. */
const TRANSITIONS: Record<ReviewState, Record<ReviewDecision['decision'], ReviewState | 409>> = {
  draft: { confirm: 'confirmed', correct: 'corrected', reject: 'rejected', close: 409, reopen: 409 },
  confirmed: { confirm: 409, correct: 'corrected', reject: 'rejected', close: 'closed', reopen: 409 },
  corrected: { confirm: 409, correct: 'corrected', reject: 'rejected', close: 'closed', reopen: 409 },
  closed: { confirm: 409, correct: 409, reject: 409, close: 409, reopen: 'confirmed' },
  rejected: { confirm: 409, correct: 409, reject: 409, close: 409, reopen: 'draft' },
};

describe('review decisions', () => {
  for (const [state, row] of Object.entries(TRANSITIONS) as Array<
    [ReviewState, (typeof TRANSITIONS)['draft']]
  >) {
    for (const [name, expected] of Object.entries(row) as Array<
      [ReviewDecision['decision'], ReviewState | 409]
    >) {
      it(`${state} + ${name} → ${expected}`, () => {
        const analysis = inState(state, 'verified');
        const run = () => decide({ analysis, decision: DECISIONS[name], actor, at });
        if (expected === 409) {
          expect(run).toThrow(ConflictError);
          return;
        }
        const { review, events } = run();
        expect(review.state).toBe(state === 'closed' && name === 'reopen' ? 'confirmed' : expected);
        expect(review.version).toBe(4);
        expect(events.length).toBeGreaterThan(0);
        expect(events.every((event) => event.state_before === state)).toBe(true);
        expect(events.at(-1)?.state_after).toBe(review.state);
      });
    }
  }

  it('reopens a closed analysis as confirmed, or as corrected when it was corrected', () => {
    expect(
      decide({ analysis: inState('closed', 'verified'), decision: DECISIONS.reopen, actor, at }).review.state,
    ).toBe('confirmed');
    const corrected = inState('corrected', 'verified');
    const closed = { ...corrected, review: { ...corrected.review, state: 'closed' as const } };
    expect(decide({ analysis: closed, decision: DECISIONS.reopen, actor, at }).review.state).toBe(
      'corrected',
    );
  });

  it('refuses to close while an action is not verified, naming it', () => {
    for (const status of ['open', 'in_progress', 'done', 'ineffective'] as const) {
      expect(() =>
        decide({ analysis: inState('confirmed', status), decision: DECISIONS.close, actor, at }),
      ).toThrow(new RegExp(`A1 is ${status}`));
    }
  });

  it('reopening a rejected analysis restores the machine fields and clears the corrections', () => {
    const rejected = decide({ analysis: inState('draft'), decision: DECISIONS.reject, actor, at });
    expect(rejected.review.fields).toMatchObject({ defect_type: 'none', disposition: 'PASS' });
    const reopened = decide({
      analysis: { ...base, review: rejected.review },
      decision: DECISIONS.reopen,
      actor,
      at,
    });
    expect(reopened.review).toMatchObject({ state: 'draft', corrections: [], rejected_reason: null });
    expect(reopened.review.fields.defect_type).toBe(base.classification?.defect_type);
  });
});

describe('actions', () => {
  const plan = {
    type: 'preventive' as const,
    description: 'Weekly leak test of the furnace door seal',
    owner_role: 'Maintenance lead',
    due_date: '2026-12-20',
    effectiveness_check: { metric: 'leak rate', threshold: 'below limit', window_days: 30 },
    reason: 'the seal was the cause',
  };

  it('moves a status only along the allowed transitions, with evidence for verified and ineffective', () => {
    const allowed: Record<ActionStatus, ActionStatus[]> = {
      open: ['in_progress', 'done'],
      in_progress: ['open', 'done'],
      done: ['in_progress', 'verified', 'ineffective'],
      verified: ['ineffective'],
      ineffective: ['in_progress', 'done'],
    };
    for (const [from, targets] of Object.entries(allowed) as Array<[ActionStatus, ActionStatus[]]>) {
      for (const to of ['open', 'in_progress', 'done', 'verified', 'ineffective'] as const) {
        if (to === from) continue;
        const run = () =>
          changeAction({
            analysis: inState('confirmed', from),
            actionId: 'A1',
            change: { status: to, evidence: 'no recurrence in 30 days' },
            actor,
            at,
          });
        if (targets.includes(to)) expect(run().review.actions[0]?.status).toBe(to);
        else expect(run).toThrow(ConflictError);
      }
    }
    expect(() =>
      changeAction({
        analysis: inState('confirmed', 'done'),
        actionId: 'A1',
        change: { status: 'verified' },
        actor,
        at,
      }),
    ).toThrow(/needs the evidence/);
  });

  it('tracks actions only once a person confirmed or corrected the analysis, and not after closing', () => {
    for (const state of ['draft', 'rejected', 'closed'] as const) {
      expect(() =>
        changeAction({
          analysis: inState(state),
          actionId: 'A1',
          change: { status: 'in_progress' },
          actor,
          at,
        }),
      ).toThrow(ConflictError);
    }
  });

  it('adding, editing or dropping an action corrects a draft; action numbers are never reused', () => {
    const added = addAction({ analysis: inState('draft'), action: plan, actor, at, trail: [] });
    expect(added.review.state).toBe('corrected');
    const count = base.corrective_actions?.length ?? 0;
    expect(added.review.actions.at(-1)?.id).toBe(`A${count + 1}`);
    const lastId = `A${count + 1}`;
    const dropped = dropAction({
      analysis: { ...base, review: added.review },
      actionId: lastId,
      drop: { reason: 'duplicate' },
      actor,
      at,
    });
    const trail = dropped.events.map((event, index) => ({
      ...event,
      sequence: index + 1,
      defect_id: base.defect_id,
      version: 5,
    }));
    const again = addAction({
      analysis: { ...base, review: dropped.review },
      action: plan,
      actor,
      at,
      trail,
    });
    expect(again.review.actions.at(-1)?.id).toBe(`A${count + 2}`);
    expect(() =>
      changeAction({
        analysis: inState('confirmed'),
        actionId: 'A1',
        change: { description: 'A new plan for it' },
        actor,
        at,
      }),
    ).toThrow(/give a reason/);
  });
});
