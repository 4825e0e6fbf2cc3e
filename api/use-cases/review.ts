import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ACTION_STATUS_TRANSITIONS,
  ActionStatus,
  ActionType,
  Category6M,
  ClassifiedType,
  ConflictError,
  CorrectableField,
  Disposition,
  EffectivenessCheck,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ProductionStage,
  Severity,
  isConfirmedReviewState,
  machineFields,
  type Actor,
  type Correction,
  type Review,
  type ReviewedAnalysis,
  type ReviewedFields,
  type ReviewEvent,
  type ReviewState,
  type TrackedAction,
} from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { NewReviewEvent } from '../persistence/analysis-store.ts';
import { canSee } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** The name of a person, when the request names the reviewer rather than the API key. */
const ReviewerName = z.string().trim().min(1).max(120);
/** Why a change was made. */
const Reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(2_000);

/** The fields a correction may change, each optional; at least one. */
export const FieldChanges = z
  .object({
    defect_type: ClassifiedType,
    severity: Severity,
    disposition: Disposition,
    probable_stage: ProductionStage.nullable(),
    category_6m: Category6M.nullable(),
    occurrence_cause: z.string().trim().min(3).max(2_000).nullable(),
    escape_cause: z.string().trim().min(3).max(2_000).nullable(),
    systemic_cause: z.string().trim().min(3).max(2_000).nullable(),
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'change at least one field');
export type FieldChanges = z.infer<typeof FieldChanges>;

/** A review decision: `POST /analyses/:id/review`. */
export const ReviewDecision = z.discriminatedUnion('decision', [
  z
    .object({ decision: z.literal('confirm'), reviewer: ReviewerName.optional(), reason: Reason.optional() })
    .strict()
    .describe('Accept the analysis as it is (draft → confirmed)'),
  z
    .object({
      decision: z.literal('correct'),
      reviewer: ReviewerName.optional(),
      changes: FieldChanges,
      reason: Reason,
    })
    .strict()
    .describe('Change fields of a draft, confirmed or corrected analysis (→ corrected)'),
  z
    .object({ decision: z.literal('reject'), reviewer: ReviewerName.optional(), reason: Reason })
    .strict()
    .describe('The report was not a defect (→ rejected; the type becomes none, the disposition PASS)'),
  z
    .object({ decision: z.literal('close'), reviewer: ReviewerName.optional(), reason: Reason.optional() })
    .strict()
    .describe('Every action is verified effective (confirmed or corrected → closed)'),
  z
    .object({ decision: z.literal('reopen'), reviewer: ReviewerName.optional(), reason: Reason })
    .strict()
    .describe('Closed → confirmed or corrected; rejected → draft with the machine fields'),
]);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** A new corrective action: `POST /analyses/:id/actions`. */
export const NewAction = z
  .object({
    type: ActionType,
    description: z.string().trim().min(3).max(2_000),
    owner_role: z.string().trim().min(2).max(200),
    due_date: z.iso.date(),
    effectiveness_check: EffectivenessCheck,
    reviewer: ReviewerName.optional(),
    reason: Reason,
  })
  .strict();
export type NewAction = z.infer<typeof NewAction>;

/** An edit of an action's plan and/or a change of its status: `PATCH /analyses/:id/actions/:actionId`. */
export const ActionChange = z
  .object({
    type: ActionType.optional(),
    description: z.string().trim().min(3).max(2_000).optional(),
    owner_role: z.string().trim().min(2).max(200).optional(),
    due_date: z.iso.date().optional(),
    effectiveness_check: EffectivenessCheck.optional(),
    status: ActionStatus.optional(),
    /** What the effectiveness check found; required to set `verified` or `ineffective`. */
    evidence: z.string().trim().min(3).max(4_000).optional(),
    reviewer: ReviewerName.optional(),
    /** Required when the plan changes; optional for a status change. */
    reason: Reason.optional(),
  })
  .strict()
  .refine(
    (change) => PLAN_FIELDS.some((field) => change[field] !== undefined) || change.status !== undefined,
    'change the plan of the action (type, description, owner_role, due_date, effectiveness_check) or its status',
  );
export type ActionChange = z.infer<typeof ActionChange>;

/** Dropping an action: `DELETE /analyses/:id/actions/:actionId`. */
export const ActionDrop = z.object({ reviewer: ReviewerName.optional(), reason: Reason }).strict();
export type ActionDrop = z.infer<typeof ActionDrop>;

const PLAN_FIELDS = ['type', 'description', 'owner_role', 'due_date', 'effectiveness_check'] as const;

/** What the learning loop is told about reviews (see agents/learning). */
export interface ReviewLearning {
  /** A confirmed, corrected or closed production analysis: learn from its reviewed values. */
  learn(params: { analysis: ReviewedAnalysis }): void;
  /** A rejected or reopened analysis: forget what was learned from it. */
  forget(params: { defectId: string }): void;
}

/**
 * The ETag of an analysis: its review version and a digest of what the API returns, so that it
 * changes with every write (a running analysis changes without a review write).
 */
export function entityTag(analysis: ReviewedAnalysis): string {
  const digest = createHash('sha256').update(JSON.stringify(analysis)).digest('base64url').slice(0, 16);
  return `"${analysis.review.version}.${digest}"`;
}

/** Reads an analysis with its review, through the principal's facility scope. */
export async function getReviewedAnalysis(
  dependencies: Pick<ServiceDependencies, 'store'>,
  { defectId, principal }: { defectId: string; principal: Principal },
): Promise<ReviewedAnalysis> {
  const stored = await dependencies.store.getReviewedAnalysis({ defectId });
  if (!stored || !canSee(principal, stored.analysis)) throw new NotFoundError(`no analysis ${defectId}`);
  return stored.analysis;
}

/** The audit trail of an analysis' review, oldest first, through the principal's facility scope. */
export async function getReviewTrail(
  dependencies: Pick<ServiceDependencies, 'store'>,
  { defectId, principal }: { defectId: string; principal: Principal },
): Promise<ReviewEvent[]> {
  await getReviewedAnalysis(dependencies, { defectId, principal });
  return dependencies.store.listReviewEvents({ defectId });
}

/** What one review write changes: the next review and the events that record it. */
interface ReviewChange {
  review: Review;
  events: NewReviewEvent[];
}

/** The state a change of fields or actions leads to. */
function correctedState(state: ReviewState): ReviewState {
  return state === 'draft' || state === 'confirmed' || state === 'corrected' ? 'corrected' : state;
}

function refuseIn(states: readonly ReviewState[], current: ReviewState, what: string, hint: string): void {
  if (states.includes(current)) {
    throw new ConflictError(`cannot ${what} an analysis that is ${current}: ${hint}`);
  }
}

function fieldText(value: ReviewedFields[keyof ReviewedFields]): string | null {
  return value === null ? null : String(value);
}

/** The corrections of `changes` that differ from the current fields. */
function corrections({
  fields,
  changes,
  reason,
  by,
  at,
}: {
  fields: ReviewedFields;
  changes: Partial<ReviewedFields>;
  reason: string;
  by: string;
  at: string;
}): Correction[] {
  return CorrectableField.options
    .filter((field) => changes[field] !== undefined && changes[field] !== fields[field])
    .map((field) => ({
      field,
      before: fieldText(fields[field]),
      after: fieldText(changes[field] ?? null),
      reason,
      by,
      at,
    }));
}

/** Applies a review decision to the current review. */
export function decide({
  analysis,
  decision,
  actor,
  at,
}: {
  analysis: ReviewedAnalysis;
  decision: ReviewDecision;
  actor: Actor;
  at: string;
}): ReviewChange {
  const current = analysis.review;
  const state = current.state;
  const next: Review = { ...current, version: current.version + 1 };
  const event = (
    kind: NewReviewEvent['kind'],
    stateAfter: ReviewState,
    extra: Partial<NewReviewEvent> = {},
  ): NewReviewEvent => ({
    at,
    actor,
    kind,
    target: null,
    before: null,
    after: null,
    reason: decision.reason ?? null,
    state_before: state,
    state_after: stateAfter,
    ...extra,
  });
  switch (decision.decision) {
    case 'confirm': {
      if (state !== 'draft') {
        throw new ConflictError(
          `cannot confirm an analysis that is ${state}: only a draft is confirmed (correct it to change it)`,
        );
      }
      return {
        review: { ...next, state: 'confirmed', reviewed_by: actor.name, reviewed_at: at },
        events: [event('confirmed', 'confirmed')],
      };
    }
    case 'correct': {
      refuseIn(['closed', 'rejected'], state, 'correct', 'reopen it first');
      const changed = corrections({
        fields: current.fields,
        changes: decision.changes,
        reason: decision.reason,
        by: actor.name,
        at,
      });
      if (changed.length === 0) {
        throw new ConflictError('the correction changes nothing: every field already has that value');
      }
      const fields = { ...current.fields, ...decision.changes };
      return {
        review: {
          ...next,
          state: 'corrected',
          reviewed_by: actor.name,
          reviewed_at: at,
          fields,
          corrections: [
            ...current.corrections.filter((correction) => !changed.some((c) => c.field === correction.field)),
            ...changed,
          ],
        },
        events: changed.map((correction) =>
          event('corrected', 'corrected', {
            target: correction.field,
            before: correction.before,
            after: correction.after,
          }),
        ),
      };
    }
    case 'reject': {
      refuseIn(['closed', 'rejected'], state, 'reject', 'reopen it first');
      const changes: Partial<ReviewedFields> = { defect_type: 'none', severity: 'none', disposition: 'PASS' };
      const changed = corrections({
        fields: current.fields,
        changes,
        reason: decision.reason,
        by: actor.name,
        at,
      });
      return {
        review: {
          ...next,
          state: 'rejected',
          reviewed_by: actor.name,
          reviewed_at: at,
          rejected_reason: decision.reason,
          fields: { ...current.fields, ...changes },
          corrections: [...current.corrections, ...changed],
        },
        events: [event('rejected', 'rejected', { before: current.fields.defect_type, after: 'none' })],
      };
    }
    case 'close': {
      if (state !== 'confirmed' && state !== 'corrected') {
        throw new ConflictError(
          `cannot close an analysis that is ${state}: confirm or correct it first, then verify its actions`,
        );
      }
      if (current.actions.length === 0) {
        throw new ConflictError('cannot close an analysis without corrective actions: add one first');
      }
      const unverified = current.actions.filter((action) => action.status !== 'verified');
      if (unverified.length > 0) {
        throw new ConflictError(
          `cannot close while actions are not verified effective: ${unverified
            .map((action) => `${action.id} is ${action.status}`)
            .join(', ')}`,
          { details: unverified.map((action) => ({ id: action.id, status: action.status })) },
        );
      }
      return {
        review: { ...next, state: 'closed', closed_by: actor.name, closed_at: at },
        events: [event('closed', 'closed')],
      };
    }
    case 'reopen': {
      if (state === 'closed') {
        const reopened: ReviewState = current.corrections.length > 0 ? 'corrected' : 'confirmed';
        return {
          review: { ...next, state: reopened, closed_by: null, closed_at: null },
          events: [event('reopened', reopened)],
        };
      }
      if (state === 'rejected') {
        return {
          review: {
            ...next,
            state: 'draft',
            reviewed_by: null,
            reviewed_at: null,
            rejected_reason: null,
            fields: machineFields(analysis),
            corrections: [],
          },
          events: [event('reopened', 'draft', { before: current.fields, after: machineFields(analysis) })],
        };
      }
      throw new ConflictError(
        `cannot reopen an analysis that is ${state}: only closed or rejected ones reopen`,
      );
    }
  }
}

function nextActionId(actions: readonly TrackedAction[], dropped: number): string {
  const highest = actions.reduce((max, action) => Math.max(max, Number(action.id.slice(1))), dropped);
  return `A${highest + 1}`;
}

/** The highest action number ever used, dropped actions included (kept in the trail). */
function highestDroppedNumber(trail: readonly ReviewEvent[]): number {
  return trail
    .filter((event) => event.kind === 'action_dropped' && event.target !== null)
    .reduce((max, event) => Math.max(max, Number((event.target ?? 'A0').slice(1))), 0);
}

/** Adds a corrective action. */
export function addAction({
  analysis,
  action,
  actor,
  at,
  trail,
}: {
  analysis: ReviewedAnalysis;
  action: NewAction;
  actor: Actor;
  at: string;
  trail: readonly ReviewEvent[];
}): ReviewChange {
  const current = analysis.review;
  refuseIn(['closed', 'rejected'], current.state, 'add actions to', 'reopen it first');
  const tracked: TrackedAction = {
    type: action.type,
    description: action.description,
    owner_role: action.owner_role,
    due_date: action.due_date,
    effectiveness_check: action.effectiveness_check,
    citations: [],
    id: nextActionId(current.actions, highestDroppedNumber(trail)),
    origin: 'reviewer',
    status: 'open',
    status_changed_at: at,
    status_changed_by: actor.name,
    started_at: null,
    done_at: null,
    verified_at: null,
    effectiveness_evidence: null,
  };
  const state = correctedState(current.state);
  return {
    review: {
      ...current,
      version: current.version + 1,
      state,
      reviewed_by: actor.name,
      reviewed_at: at,
      actions: [...current.actions, tracked],
    },
    events: [
      {
        at,
        actor,
        kind: 'action_added',
        target: tracked.id,
        before: null,
        after: tracked,
        reason: action.reason,
        state_before: current.state,
        state_after: state,
      },
    ],
  };
}

function findAction(review: Review, actionId: string): TrackedAction {
  const action = review.actions.find((candidate) => candidate.id === actionId);
  if (!action) throw new NotFoundError(`no action ${actionId} on this analysis`);
  return action;
}

/** Edits an action's plan and/or moves its status. */
export function changeAction({
  analysis,
  actionId,
  change,
  actor,
  at,
}: {
  analysis: ReviewedAnalysis;
  actionId: string;
  change: ActionChange;
  actor: Actor;
  at: string;
}): ReviewChange {
  const current = analysis.review;
  const action = findAction(current, actionId);
  const events: NewReviewEvent[] = [];
  let updated: TrackedAction = { ...action };
  let state = current.state;

  const planChanges = Object.fromEntries(
    PLAN_FIELDS.filter(
      (field) =>
        change[field] !== undefined && JSON.stringify(change[field]) !== JSON.stringify(action[field]),
    ).map((field) => [field, change[field]]),
  );
  if (Object.keys(planChanges).length > 0) {
    refuseIn(['closed', 'rejected'], current.state, 'edit actions of', 'reopen it first');
    if (!change.reason) throw new ConflictError('give a reason for changing the plan of an action');
    state = correctedState(state);
    updated = { ...updated, ...planChanges };
    events.push({
      at,
      actor,
      kind: 'action_edited',
      target: actionId,
      before: Object.fromEntries(
        Object.keys(planChanges).map((field) => [field, action[field as keyof TrackedAction]]),
      ),
      after: planChanges,
      reason: change.reason,
      state_before: current.state,
      state_after: state,
    });
  }

  if (change.status !== undefined && change.status !== action.status) {
    if (!isConfirmedReviewState(current.state) || current.state === 'closed') {
      throw new ConflictError(
        current.state === 'closed'
          ? 'cannot change the status of an action of a closed analysis: reopen it first'
          : `cannot track actions of an analysis that is ${current.state}: confirm or correct it first`,
      );
    }
    const allowed = ACTION_STATUS_TRANSITIONS[action.status];
    if (!allowed.includes(change.status)) {
      throw new ConflictError(
        `action ${actionId} cannot go from ${action.status} to ${change.status} (allowed: ${allowed.join(', ')})`,
      );
    }
    const needsEvidence = change.status === 'verified' || change.status === 'ineffective';
    if (needsEvidence && !change.evidence) {
      throw new ConflictError(
        `setting ${change.status} needs the evidence of the effectiveness check (${action.effectiveness_check.metric}, ${action.effectiveness_check.threshold})`,
      );
    }
    updated = {
      ...updated,
      status: change.status,
      status_changed_at: at,
      status_changed_by: actor.name,
      started_at: change.status === 'in_progress' ? (updated.started_at ?? at) : updated.started_at,
      done_at: change.status === 'done' ? at : updated.done_at,
      verified_at:
        change.status === 'verified' ? at : change.status === 'ineffective' ? null : updated.verified_at,
      effectiveness_evidence: needsEvidence ? (change.evidence ?? null) : updated.effectiveness_evidence,
    };
    events.push({
      at,
      actor,
      kind: 'action_status_changed',
      target: actionId,
      before: action.status,
      after: change.status,
      reason: change.reason ?? (needsEvidence ? (change.evidence ?? null) : null),
      state_before: state,
      state_after: state,
    });
  } else if (change.evidence !== undefined && change.status === undefined) {
    throw new ConflictError('evidence is recorded with a status change to verified or ineffective');
  }

  if (events.length === 0) throw new ConflictError(`the change leaves action ${actionId} as it is`);
  return {
    review: {
      ...current,
      version: current.version + 1,
      state,
      ...(state !== current.state ? { reviewed_by: actor.name, reviewed_at: at } : {}),
      actions: current.actions.map((candidate) => (candidate.id === actionId ? updated : candidate)),
    },
    events,
  };
}

/** Drops an action (it stays in the audit trail). */
export function dropAction({
  analysis,
  actionId,
  drop,
  actor,
  at,
}: {
  analysis: ReviewedAnalysis;
  actionId: string;
  drop: ActionDrop;
  actor: Actor;
  at: string;
}): ReviewChange {
  const current = analysis.review;
  refuseIn(['closed', 'rejected'], current.state, 'drop actions of', 'reopen it first');
  const action = findAction(current, actionId);
  const state = correctedState(current.state);
  return {
    review: {
      ...current,
      version: current.version + 1,
      state,
      reviewed_by: actor.name,
      reviewed_at: at,
      actions: current.actions.filter((candidate) => candidate.id !== actionId),
    },
    events: [
      {
        at,
        actor,
        kind: 'action_dropped',
        target: actionId,
        before: action,
        after: null,
        reason: drop.reason,
        state_before: current.state,
        state_after: state,
      },
    ],
  };
}

/** Who a change is by: the reviewer the request names, else the API key's name. */
export function actorOf(principal: Principal, reviewer: string | undefined): Actor {
  return {
    name: reviewer ?? principal.name,
    api_key_id: principal.keyId,
    api_key_name: principal.keyId ? principal.name : null,
  };
}

/** A review write as the routes ask for it. */
export type ReviewCommand =
  | { kind: 'decision'; decision: ReviewDecision }
  | { kind: 'add_action'; action: NewAction }
  | { kind: 'change_action'; actionId: string; change: ActionChange }
  | { kind: 'drop_action'; actionId: string; drop: ActionDrop };

function reviewerOf(command: ReviewCommand): string | undefined {
  switch (command.kind) {
    case 'decision':
      return command.decision.reviewer;
    case 'add_action':
      return command.action.reviewer;
    case 'change_action':
      return command.change.reviewer;
    case 'drop_action':
      return command.drop.reviewer;
  }
}

/**
 * Applies one review command to an analysis the principal may see, if its ETag is still
 * `ifMatch` (`*` matches any): PreconditionRequiredError without `ifMatch`,
 * PreconditionFailedError when another write came first, ConflictError for a change the review
 * state does not allow. The write and its audit events are stored together; then the learning
 * loop hears of it (production analyses only).
 */
export async function applyReview(
  dependencies: Pick<ServiceDependencies, 'store' | 'now' | 'logger'> & { learning?: ReviewLearning },
  {
    defectId,
    principal,
    ifMatch,
    command,
  }: { defectId: string; principal: Principal; ifMatch: string | undefined; command: ReviewCommand },
): Promise<ReviewedAnalysis> {
  if (ifMatch === undefined) {
    throw new PreconditionRequiredError(
      'send If-Match with the ETag of the analysis you reviewed (GET /api/v1/analyses/:id returns it)',
    );
  }
  const stored = await dependencies.store.getReviewedAnalysis({ defectId });
  if (!stored || !canSee(principal, stored.analysis)) throw new NotFoundError(`no analysis ${defectId}`);
  const analysis = stored.analysis;
  const tag = entityTag(analysis);
  const matches = ifMatch
    .split(',')
    .map((candidate) => candidate.trim())
    .some((candidate) => candidate === '*' || candidate === tag || candidate === `W/${tag}`);
  if (!matches) {
    throw new PreconditionFailedError(
      `analysis ${defectId} changed since you read it (its ETag is now ${tag}); read it again and repeat the change`,
    );
  }
  if (analysis.status === 'pending') {
    throw new ConflictError(`analysis ${defectId} is still running; review it once it is finished`);
  }
  const actor = actorOf(principal, reviewerOf(command));
  const at = dependencies.now().toISOString();
  let change: ReviewChange;
  switch (command.kind) {
    case 'decision':
      change = decide({ analysis, decision: command.decision, actor, at });
      break;
    case 'add_action':
      change = addAction({
        analysis,
        action: command.action,
        actor,
        at,
        trail: await dependencies.store.listReviewEvents({ defectId }),
      });
      break;
    case 'change_action':
      change = changeAction({ analysis, actionId: command.actionId, change: command.change, actor, at });
      break;
    case 'drop_action':
      change = dropAction({ analysis, actionId: command.actionId, drop: command.drop, actor, at });
      break;
  }
  const saved = await dependencies.store.saveReview({
    defectId,
    expectedVersion: analysis.review.version,
    review: change.review,
    events: change.events,
  });
  if (stored.evaluationRun === null && dependencies.learning) {
    const { state } = saved.review;
    try {
      if (isConfirmedReviewState(state)) dependencies.learning.learn({ analysis: saved });
      else dependencies.learning.forget({ defectId });
    } catch (error) {
      dependencies.logger.error({ err: error, defectId }, 'the learning loop refused a reviewed analysis');
    }
  }
  return saved;
}
