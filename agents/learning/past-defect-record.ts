import { stringify } from 'yaml';
import {
  ConcreteDefectType,
  isConfirmedReviewState,
  type ReviewedAnalysis,
  type TrackedAction,
} from '../../domain/index.ts';
import { PastDefectFrontMatter } from '../../knowledge-base/documents/schema.ts';

/** A past-defect record built from a confirmed analysis, or why none could be built. */
export type PastDefectRecordResult =
  { kind: 'record'; sourceId: string; markdown: string } | { kind: 'none'; reason: string };

function humanize(value: string): string {
  return value.replaceAll('_', ' ');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?。！？]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * How the actions of a closed review worked: all verified → true, some ineffective → partial,
 * none verified → false; undefined while the review is not closed or an action is not checked.
 */
function effectiveness(
  analysis: ReviewedAnalysis,
): { effective: boolean | 'partial'; outcome: string } | undefined {
  const { review } = analysis;
  if (review.state !== 'closed') return undefined;
  const checked = review.actions.filter(
    (action) => action.status === 'verified' || action.status === 'ineffective',
  );
  if (checked.length === 0 || checked.length !== review.actions.length) return undefined;
  const verified = checked.filter((action) => action.status === 'verified').length;
  const effective = verified === checked.length ? true : verified === 0 ? false : ('partial' as const);
  const evidence = checked
    .map((action) => action.effectiveness_evidence?.trim())
    .filter((text): text is string => Boolean(text));
  const summary = `${verified} of ${checked.length} actions verified effective`;
  return {
    effective,
    outcome: evidence.length > 0 ? `${summary}: ${evidence.map(sentence).join(' ')}` : `${summary}.`,
  };
}

/** The first sentence of a text, at most `max` characters: the body lists actions briefly, as the corpus does. */
function brief(text: string, max = 240): string {
  const first = /^[\s\S]*?[.!?。！？](?=\s|$)/.exec(text.trim())?.[0] ?? text.trim();
  return first.length <= max ? sentence(first) : `${first.slice(0, max - 1).trimEnd()}…`;
}

function actionLine(action: TrackedAction): string {
  const status = action.status === 'verified' ? 'verified effective' : humanize(action.status);
  const evidence = action.effectiveness_evidence ? ` Check: ${brief(action.effectiveness_evidence)}` : '';
  return `- ${humanize(action.type)} (${action.owner_role}, ${status}): ${brief(action.description)}${evidence}`;
}

/**
 * The knowledge-base past-defect record of a confirmed analysis, in the shape of the corpus
 * records (`knowledge-base/corpus/past-defects/*.md`): YAML front-matter and `##` sections. Its
 * values are the REVIEWED ones (a correction replaces what the machine said), its facts those of
 * the report, and its front-matter says where it came from (`analysis_id`, `review_state`,
 * `confirmed_by`, `confirmed_at`). `effective` and `outcome` are set only for a closed review whose
 * actions were all checked. The source id is the analysis' defect id, so a later change of the
 * review replaces the record.
 *
 * Returns `none` with a reason for a review that is not confirmed, and for one that lacks what a
 * past defect must state (a concrete type, a stage, a 6M category and causes, a facility and a
 * product: records are scoped by facility and product, and a report without them cannot be).
 */
export function pastDefectRecord({ analysis }: { analysis: ReviewedAnalysis }): PastDefectRecordResult {
  const { review, report } = analysis;
  if (!isConfirmedReviewState(review.state))
    return { kind: 'none', reason: `the review is ${review.state}, not confirmed` };
  const fields = review.fields;
  const type = ConcreteDefectType.safeParse(fields.defect_type);
  if (!type.success) return { kind: 'none', reason: `the reviewed type is ${fields.defect_type}` };
  if (fields.severity === 'none') return { kind: 'none', reason: 'the reviewed severity is none' };
  if (!fields.probable_stage) return { kind: 'none', reason: 'the review states no stage' };
  if (!fields.category_6m) return { kind: 'none', reason: 'the review states no 6M category' };
  // When the review changed the type or the stage, the machine's causes and untouched actions
  // were written for the other diagnosis: they are not carried into the record as confirmed.
  const corrected = new Set(review.corrections.map((correction) => correction.field));
  const diagnosisCorrected = corrected.has('defect_type') || corrected.has('probable_stage');
  const causeOf = (field: 'occurrence_cause' | 'escape_cause' | 'systemic_cause'): string =>
    diagnosisCorrected && !corrected.has(field)
      ? `Not restated in the review, which corrected the machine's diagnosis; to be investigated at ${humanize(fields.probable_stage ?? 'the stage')}.`
      : (fields[field]?.trim() ?? '');
  const causes = {
    occurrence: causeOf('occurrence_cause'),
    escape: causeOf('escape_cause'),
    systemic: causeOf('systemic_cause'),
  };
  const keptActions = diagnosisCorrected
    ? review.actions.filter((action) => action.origin === 'reviewer' || action.status !== 'open')
    : review.actions;
  const missingCause = Object.entries(causes).find(([, text]) => text.length < 5);
  if (missingCause) return { kind: 'none', reason: `the review states no ${missingCause[0]} cause` };
  if (!report.facility) return { kind: 'none', reason: 'the report names no facility' };
  if (!report.product_sku) return { kind: 'none', reason: 'the report names no product' };
  if (!report.description) return { kind: 'none', reason: 'the report has no description' };

  const stageLabel = humanize(fields.probable_stage);
  const typeLabel = humanize(type.data);
  const title = `${typeLabel[0]?.toUpperCase()}${typeLabel.slice(1)} on ${report.product_sku} at ${stageLabel} (${fields.severity}, reviewed case)`;
  const measurements = report.measurements ?? {};
  const outcome = effectiveness(analysis);
  const actions = keptActions.map((action) => ({
    type: action.type,
    description: action.description,
    owner_role: action.owner_role,
  }));
  const frontMatter = {
    id: analysis.defect_id,
    doc_type: 'past_defect',
    title,
    date: analysis.created_at.slice(0, 10),
    facility: report.facility,
    product_sku: report.product_sku,
    stage: fields.probable_stage,
    defect_type: type.data,
    severity: fields.severity,
    ...(report.batch_id ? { batch_id: report.batch_id } : {}),
    measurements,
    root_cause: { category_6m: fields.category_6m, ...causes },
    actions,
    ...(outcome ?? {}),
    analysis_id: analysis.defect_id,
    review_state: review.state,
    ...(review.reviewed_by ? { confirmed_by: review.reviewed_by } : {}),
    ...(review.reviewed_at ? { confirmed_at: review.reviewed_at } : {}),
  };
  const valid = PastDefectFrontMatter.safeParse(frontMatter);
  if (!valid.success)
    return {
      kind: 'none',
      reason: `the record would not be valid: ${valid.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    };

  const corrections = review.corrections.map(
    (correction) =>
      `- ${humanize(correction.field)}: ${correction.before ?? 'none'} → ${correction.after ?? 'none'} (${sentence(correction.reason)})`,
  );
  const description = [
    sentence(report.description),
    report.batch_id ? `Batch ${report.batch_id}.` : '',
    `Reviewed as ${type.data}, ${fields.severity}; disposition ${fields.disposition}.`,
  ]
    .filter(Boolean)
    .join(' ');
  const sections = [
    `# ${title}`,
    `## Description\n${description}`,
    ...(Object.keys(measurements).length > 0
      ? [
          `## Measured values\n${Object.entries(measurements)
            .map(([name, value]) => `- ${humanize(name)}: ${value}`)
            .join('\n')}`,
        ]
      : []),
    `## Investigation\n${[
      `Analysed by the service and ${review.state === 'confirmed' ? 'confirmed as it was' : review.state === 'corrected' ? 'corrected' : 'closed'} by ${review.reviewed_by ?? 'a reviewer'}${review.reviewed_at ? ` on ${review.reviewed_at.slice(0, 10)}` : ''}.`,
      ...(corrections.length > 0 ? ['Corrections of the machine analysis:', ...corrections] : []),
    ].join('\n')}`,
    `## Confirmed root cause\n${humanize(fields.category_6m)[0]?.toUpperCase()}${humanize(fields.category_6m).slice(1)}, at ${stageLabel}: ${sentence(causes.occurrence)} Escape: ${sentence(causes.escape)} Systemic: ${sentence(causes.systemic)}`,
    ...(keptActions.length > 0 ? [`## Actions taken\n${keptActions.map(actionLine).join('\n')}`] : []),
    ...(outcome
      ? [
          `## Outcome\n${outcome.effective === true ? 'Effective' : outcome.effective === 'partial' ? 'Partly effective' : 'Not effective'}: ${outcome.outcome}`,
        ]
      : []),
  ];
  const yaml = stringify(frontMatter, { lineWidth: 0 }).trimEnd();
  return {
    kind: 'record',
    sourceId: analysis.defect_id,
    markdown: `---\n${yaml}\n---\n${sections.join('\n\n')}\n`,
  };
}
