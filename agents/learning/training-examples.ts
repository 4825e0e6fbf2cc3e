import { isConfirmedReviewState, type ReviewedAnalysis } from '../../domain/index.ts';
import type { TrainingExample } from '../models/offline/classifier/training-data.ts';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

function languageOf(text: string): TrainingExample['language'] {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  return (text.match(LATIN_WORD) ?? []).length >= 3 ? 'mixed' : 'zh';
}

/**
 * The classifier's training examples from a confirmed analysis, labelled with the REVIEWED values
 * (a correction replaces the machine's): the report's text with its type, stage and 6M category,
 * and, like a corpus record, a corrected occurrence cause alone for the 6M head. The machine's
 * secondary types are kept only when nobody corrected the type. None for a review that is not
 * confirmed, a report without text, or a type left `unknown`.
 */
export function reviewedTrainingExamples({ analysis }: { analysis: ReviewedAnalysis }): TrainingExample[] {
  const { review, report } = analysis;
  if (!isConfirmedReviewState(review.state) || !report.description) return [];
  const fields = review.fields;
  if (fields.defect_type === 'unknown') return [];
  const typeCorrected = review.corrections.some((correction) => correction.field === 'defect_type');
  const secondary =
    typeCorrected || fields.defect_type === 'none'
      ? []
      : (analysis.classification?.secondary_types ?? []).filter((type) => type !== fields.defect_type);
  const base = {
    product_sku: report.product_sku ?? null,
    types: [fields.defect_type, ...secondary],
    stage: fields.defect_type === 'none' ? null : fields.probable_stage,
    category_6m: fields.defect_type === 'none' ? null : fields.category_6m,
  };
  const examples: TrainingExample[] = [
    {
      id: `review-${analysis.defect_id}`,
      text: report.description,
      ...base,
      language: languageOf(report.description),
      style: 'review',
    },
  ];
  // The cause alone teaches the 6M head only when a person wrote it: a confirmed machine cause
  // is the model's own wording.
  const occurrence = review.corrections.some((correction) => correction.field === 'occurrence_cause')
    ? fields.occurrence_cause?.trim()
    : undefined;
  if (occurrence && base.category_6m)
    examples.push({
      id: `review-cause-${analysis.defect_id}`,
      text: occurrence,
      ...base,
      language: languageOf(occurrence),
      style: 'review_cause',
      cause_only: true,
    });
  return examples;
}
