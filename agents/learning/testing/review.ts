import {
  draftReview,
  type ConsolidatedAnalysis,
  type Correction,
  type ReviewedAnalysis,
  type ReviewedFields,
} from '../../../domain/index.ts';

/**
 * A reviewer's verdict on a machine analysis, as the review API would record it: the fields given
 * in `fields` that differ from the machine's become corrections (state `corrected`), else the
 * analysis is `confirmed` as it is; `rejected` when `reject` is set.
 */
export function reviewAnalysis({
  analysis,
  fields = {},
  reject = false,
  reviewer = 'qa.reviewer',
  at = '2026-12-01T09:00:00.000Z',
  reason = 'checked against the parts',
}: {
  analysis: ConsolidatedAnalysis;
  fields?: Partial<ReviewedFields>;
  reject?: boolean;
  reviewer?: string;
  at?: string;
  reason?: string;
}): ReviewedAnalysis {
  const draft = draftReview(analysis, 1);
  const corrections: Correction[] = [];
  const reviewed: ReviewedFields = { ...draft.fields };
  for (const [field, after] of Object.entries(fields) as Array<[keyof ReviewedFields, string | null]>) {
    const before = draft.fields[field];
    if (after === undefined || after === before) continue;
    corrections.push({ field, before, after, reason, by: reviewer, at });
    Object.assign(reviewed, { [field]: after });
  }
  return {
    ...analysis,
    review: {
      ...draft,
      state: reject ? 'rejected' : corrections.length > 0 ? 'corrected' : 'confirmed',
      version: 2,
      reviewed_by: reviewer,
      reviewed_at: at,
      rejected_reason: reject ? reason : null,
      fields: reject ? draft.fields : reviewed,
      corrections: reject ? [] : corrections,
    },
  };
}
