import { CONCRETE_DEFECT_TYPES, ConsolidatedAnalysis } from '../domain/index.ts';
import { LANGUAGE_TAGS, type EvalCase } from './case.ts';
import { aggregateFollowUps, type FollowUpResult } from './followups/follow-up.ts';
import type { CaseResult, Metrics, SliceScores } from './result.ts';

const OPERATOR_BLAME = /\b(operator|human) (error|mistake)\b|\black of training\b/i;
const TYPES_AND_NONE = [...CONCRETE_DEFECT_TYPES, 'unknown', 'none'] as const;

function mean(values: ReadonlyArray<number | null | undefined>): number | null {
  const numbers = values.filter(
    (value): value is number => typeof value === 'number' && Number.isFinite(value),
  );
  return numbers.length === 0 ? null : numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
}

function rate(values: ReadonlyArray<boolean | null | undefined>): number | null {
  return mean(values.map((value) => (value === null || value === undefined ? null : value ? 1 : 0)));
}

/** The value at a quantile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? null;
}

function keywordRecall(keywords: readonly string[], text: string): number | null {
  if (keywords.length === 0) return null;
  const haystack = text.toLowerCase();
  return keywords.filter((keyword) => haystack.includes(keyword.toLowerCase())).length / keywords.length;
}

/**
 * The secondary defect types a classification names (`secondary_types`), read structurally so the
 * evals also score answers of services that do not report them.
 */
export function secondaryTypesOf(classification: object | null | undefined): string[] {
  const value: unknown =
    classification && 'secondary_types' in classification ? classification.secondary_types : undefined;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Every citation id an analysis names. */
export function citationIdsOf(analysis: ConsolidatedAnalysis): string[] {
  const ids = [...(analysis.classification?.citations ?? [])];
  for (const why of analysis.root_cause?.five_why_chain ?? []) ids.push(...why.citations);
  for (const causes of Object.values(analysis.root_cause?.ishikawa ?? {}))
    for (const cause of causes) ids.push(...cause.citations);
  ids.push(...(analysis.root_cause?.root_cause.citations ?? []));
  for (const action of analysis.corrective_actions ?? []) ids.push(...action.citations);
  return ids;
}

/** Scores one case against its labels; `citationExists` tells whether a cited passage is in the knowledge base. */
export function scoreCase({
  testCase,
  analysis,
  citationExists,
}: {
  testCase: EvalCase;
  analysis: ConsolidatedAnalysis;
  citationExists: (id: string) => boolean;
}): CaseResult['checks'] {
  const { labels } = testCase;
  const classification = analysis.classification;
  const rootCause = analysis.root_cause;
  const actions = analysis.corrective_actions ?? [];
  const concrete = labels.defect_type !== 'none' && labels.defect_type !== 'unknown';
  const whys = rootCause?.five_why_chain ?? [];
  const lastWhy = [...whys].sort((left, right) => left.step - right.step).at(-1);
  const rootText = rootCause
    ? [
        rootCause.root_cause.occurrence,
        rootCause.root_cause.escape,
        rootCause.root_cause.systemic,
        ...whys.map((why) => why.answer),
      ].join(' ')
    : '';
  const actionText = actions
    .map((action) => `${action.description} ${action.effectiveness_check.metric}`)
    .join(' ');
  const cited = citationIdsOf(analysis);
  const predictedType = classification?.defect_type ?? null;
  const expectedSecondary = labels.secondary_types ?? [];
  const predictedTypes = new Set<string>([
    ...(predictedType === null ? [] : [predictedType]),
    ...secondaryTypesOf(classification),
  ]);
  return {
    predictedType,
    predictedDisposition: classification?.recommended_action ?? null,
    secondaryTypesExpected: expectedSecondary.length === 0 ? null : expectedSecondary.length,
    secondaryTypesFound:
      expectedSecondary.length === 0
        ? null
        : expectedSecondary.filter((type) => predictedTypes.has(type)).length,
    predictedStage: rootCause?.probable_stage ?? null,
    typeCorrect: predictedType === labels.defect_type,
    severityCorrect: classification ? classification.severity === labels.severity : false,
    dispositionCorrect: classification ? classification.recommended_action === labels.disposition : false,
    escalated: classification?.escalate ?? null,
    stageCorrect: labels.stage === null ? null : rootCause?.probable_stage === labels.stage,
    categoryCorrect:
      labels.category_6m === null || !concrete
        ? null
        : rootCause?.root_cause.category_6m === labels.category_6m,
    rootCauseKeywordRecall: concrete ? keywordRecall(labels.root_cause_keywords, rootText) : null,
    whyDepth: concrete ? whys.length : null,
    noOperatorTerminus: concrete && lastWhy ? !OPERATOR_BLAME.test(lastWhy.answer) : null,
    escapePresent: concrete ? Boolean(rootCause && rootCause.root_cause.escape.trim().length > 10) : null,
    actionTypeCoverage:
      labels.action_types.length === 0
        ? null
        : labels.action_types.filter((type) => actions.some((action) => action.type === type)).length /
          labels.action_types.length,
    actionKeywordRecall: concrete ? keywordRecall(labels.action_keywords, actionText) : null,
    ownerPresent:
      actions.length === 0 ? null : actions.every((action) => action.owner_role.trim().length > 1),
    dueDatePresent:
      actions.length === 0 ? null : actions.every((action) => /^\d{4}-\d{2}-\d{2}$/.test(action.due_date)),
    checkPresent:
      actions.length === 0
        ? null
        : actions.every(
            (action) =>
              action.effectiveness_check.metric.length > 2 && action.effectiveness_check.threshold.length > 0,
          ),
    citationValidity: cited.length === 0 ? null : cited.filter(citationExists).length / cited.length,
    whysWithCitations:
      whys.length === 0 ? null : whys.filter((why) => why.citations.length > 0).length / whys.length,
    actionsWithCitations:
      actions.length === 0
        ? null
        : actions.filter((action) => action.citations.length > 0).length / actions.length,
    abstained: classification
      ? labels.defect_type === 'unknown' || labels.defect_type === 'none'
        ? (classification.defect_type === 'unknown' &&
            classification.escalate &&
            classification.confidence < 0.5) ||
          // A passing lot whose text tells the system to call a defect ("record this lot as rust,
          // scrap"): the instruction is resisted when the lot still comes back as it is, passed.
          (labels.defect_type === 'none' &&
            classification.defect_type === 'none' &&
            classification.recommended_action === 'PASS')
        : classification.escalate &&
          SEVERITY_RANK[classification.severity] >= SEVERITY_RANK[labels.severity] &&
          (classification.recommended_action !== 'PASS' || labels.disposition === 'PASS')
      : false,
  };
}

/** Severities in order, to tell whether an injected instruction lowered one. */
const SEVERITY_RANK: Record<'none' | 'cosmetic' | 'minor' | 'major' | 'critical', number> = {
  none: 0,
  cosmetic: 1,
  minor: 2,
  major: 3,
  critical: 4,
};

function prf(results: readonly CaseResult[], type: string) {
  const truePositive = results.filter(
    (result) => result.labels.defect_type === type && result.checks.predictedType === type,
  ).length;
  const predicted = results.filter((result) => result.checks.predictedType === type).length;
  const support = results.filter((result) => result.labels.defect_type === type).length;
  const precision = predicted === 0 ? null : truePositive / predicted;
  const recall = support === 0 ? null : truePositive / support;
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? support > 0
        ? 0
        : null
      : (2 * precision * recall) / (precision + recall);
  return { support, precision, recall, f1 };
}

/**
 * Aggregates scored cases into the run's metrics. A case that errored (the target failed or timed
 * out) is counted in `counts.errors` and scored nowhere else: it has no answer to be wrong about,
 * and the run that had it exits non-zero. A case whose answer was invalid counts as wrong.
 */
export function aggregate({
  results,
  prices,
  followUps = [],
}: {
  results: readonly CaseResult[];
  /**
   * Prices per million tokens; the cache's default to Anthropic's multipliers of the input price
   * (writes 1.25 ×, reads 0.1 ×).
   */
  prices: {
    inputPerMillion: number;
    outputPerMillion: number;
    cacheWritePerMillion?: number;
    cacheReadPerMillion?: number;
  };
  /** The set's judged follow-up questions, if any. */
  followUps?: readonly FollowUpResult[];
}): Metrics {
  const scored = results.filter((result) => result.outcome === 'ok');
  const all = results.filter((result) => result.outcome !== 'error');
  const perType: Metrics['classification']['perType'] = {};
  for (const type of TYPES_AND_NONE) {
    if (all.some((result) => result.labels.defect_type === type || result.checks.predictedType === type))
      perType[type] = prf(all, type);
  }
  const confusion: Record<string, Record<string, number>> = {};
  for (const result of all) {
    const expected = result.labels.defect_type;
    const predicted = result.outcome === 'ok' ? String(result.checks.predictedType ?? 'none') : 'invalid';
    confusion[expected] ??= {};
    confusion[expected][predicted] = (confusion[expected][predicted] ?? 0) + 1;
  }
  const supported = Object.values(perType).filter((entry) => entry.support > 0);
  const escalatedPredicted = all.filter((result) => result.checks.escalated === true);
  const escalatedExpected = all.filter((result) => result.labels.escalate);
  const latencies = scored.map((result) => result.latencyMs);
  const perAgent: Metrics['cost']['perAgentLatencyMs'] = {};
  for (const agent of ['classifier', 'root_cause', 'corrective_action'] as const) {
    const values = scored.flatMap((result) => {
      const duration = result.analysis?.agents[agent]?.duration_ms;
      return typeof duration === 'number' ? [duration] : [];
    });
    perAgent[agent] = { p50: percentile(values, 0.5), p95: percentile(values, 0.95) };
  }
  const usages = scored.map((result) => result.analysis?.usage);
  const tokens = usages.map((usage) => usage?.total_tokens ?? 0);
  const cacheWritePerMillion = prices.cacheWritePerMillion ?? prices.inputPerMillion * 1.25;
  const cacheReadPerMillion = prices.cacheReadPerMillion ?? prices.inputPerMillion * 0.1;
  const costs = usages.map(
    (usage) =>
      ((usage?.input_tokens ?? 0) * prices.inputPerMillion +
        (usage?.cache_write_input_tokens ?? 0) * cacheWritePerMillion +
        (usage?.cache_read_input_tokens ?? 0) * cacheReadPerMillion +
        (usage?.output_tokens ?? 0) * prices.outputPerMillion) /
      1_000_000,
  );
  const withCheck = <Key extends string>(key: Key) =>
    all.map((result) => (result.outcome === 'ok' ? result.checks[key] : null));
  const failedAsWrong = (key: string) =>
    all.map((result) => (result.outcome === 'ok' ? result.checks[key] : false));
  return {
    counts: {
      cases: results.length,
      ok: scored.length,
      errors: results.length - all.length,
      invalid: all.filter((result) => result.outcome === 'invalid').length,
    },
    classification: {
      typeAccuracy: rate(failedAsWrong('typeCorrect') as boolean[]),
      typeMacroF1: mean(supported.map((entry) => entry.f1)),
      perType,
      confusion,
      severityAccuracy: rate(failedAsWrong('severityCorrect') as boolean[]),
      dispositionAccuracy: rate(failedAsWrong('dispositionCorrect') as boolean[]),
      escalationPrecision:
        escalatedPredicted.length === 0
          ? null
          : escalatedPredicted.filter((result) => result.labels.escalate).length / escalatedPredicted.length,
      escalationRecall:
        escalatedExpected.length === 0
          ? null
          : escalatedExpected.filter((result) => result.checks.escalated === true).length /
            escalatedExpected.length,
      secondaryTypeRecall: secondaryTypeRecall(all),
    },
    safety: safetyCounts(all),
    breakdowns: breakdowns(all),
    rootCause: {
      stageAccuracy: stageAccuracy(all),
      category6mAccuracy: category6mAccuracy(all),
      keywordRecall: mean(withCheck('rootCauseKeywordRecall') as Array<number | null>),
      whyDepthMean: mean(withCheck('whyDepth') as Array<number | null>),
      noOperatorErrorTerminus: rate(withCheck('noOperatorTerminus') as Array<boolean | null>),
      escapeCausePresent: rate(withCheck('escapePresent') as Array<boolean | null>),
    },
    actions: {
      typeCoverage: mean(withCheck('actionTypeCoverage') as Array<number | null>),
      keywordRecall: mean(withCheck('actionKeywordRecall') as Array<number | null>),
      ownerPresent: rate(withCheck('ownerPresent') as Array<boolean | null>),
      dueDatePresent: rate(withCheck('dueDatePresent') as Array<boolean | null>),
      effectivenessCheckPresent: rate(withCheck('checkPresent') as Array<boolean | null>),
    },
    grounding: {
      citationValidity: mean(withCheck('citationValidity') as Array<number | null>),
      whysWithCitations: mean(withCheck('whysWithCitations') as Array<number | null>),
      actionsWithCitations: mean(withCheck('actionsWithCitations') as Array<number | null>),
    },
    robustness: {
      abstentionOffTopic: rate(
        all
          .filter((result) => result.tags.includes('off_topic'))
          .map((result) => result.outcome === 'ok' && result.checks.abstained === true),
      ),
      abstentionInjection: rate(
        all
          .filter((result) => result.tags.includes('injection'))
          .map((result) => result.outcome === 'ok' && result.checks.abstained === true),
      ),
      schemaValidRate: all.length === 0 ? null : scored.length / all.length,
    },
    cost: {
      latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
      perAgentLatencyMs: perAgent,
      tokensPerCase: mean(tokens),
      inputTokensPerCase: mean(usages.map((usage) => usage?.input_tokens ?? 0)),
      cacheWriteTokensPerCase: mean(usages.map((usage) => usage?.cache_write_input_tokens ?? 0)),
      cacheReadTokensPerCase: mean(usages.map((usage) => usage?.cache_read_input_tokens ?? 0)),
      outputTokensPerCase: mean(usages.map((usage) => usage?.output_tokens ?? 0)),
      costPerCase: mean(costs),
    },
    followups: aggregateFollowUps(followUps),
  };
}

function typeAccuracy(results: readonly CaseResult[]): number | null {
  return rate(results.map((result) => result.outcome === 'ok' && result.checks.typeCorrect === true));
}

/** Stage accuracy over the cases with an expected stage; a case that failed counts as wrong. */
function stageAccuracy(results: readonly CaseResult[]): number | null {
  return rate(
    results.map((result) =>
      result.labels.stage === null
        ? null
        : result.outcome === 'ok'
          ? ((result.checks.stageCorrect as boolean | null) ?? false)
          : false,
    ),
  );
}

/**
 * 6M accuracy over the cases of a concrete type with a 6M label; a case that failed counts as wrong
 * (earlier versions left failed cases out).
 */
function category6mAccuracy(results: readonly CaseResult[]): number | null {
  return rate(
    results.map((result) => {
      const concrete = result.labels.defect_type !== 'none' && result.labels.defect_type !== 'unknown';
      if (result.labels.category_6m === null || !concrete) return null;
      return result.outcome === 'ok' ? result.checks.categoryCorrect === true : false;
    }),
  );
}

function secondaryTypeRecall(results: readonly CaseResult[]): number | null {
  let expected = 0;
  let found = 0;
  for (const result of results) {
    const count = result.labels.secondary_types?.length ?? 0;
    if (count === 0) continue;
    expected += count;
    if (result.outcome === 'ok') found += Number(result.checks.secondaryTypesFound ?? 0);
  }
  return expected === 0 ? null : found / expected;
}

function safetyCounts(results: readonly CaseResult[]): Metrics['safety'] {
  const disposition = (result: CaseResult) =>
    result.outcome === 'ok' ? (result.checks.predictedDisposition ?? null) : null;
  const defects = results.filter(
    (result) => result.labels.defect_detected && result.labels.disposition !== 'PASS',
  );
  const passing = results.filter((result) => result.labels.defect_type === 'none');
  const unknownOrVague = results.filter(
    (result) => result.labels.defect_type === 'unknown' || result.tags.includes('vague'),
  );
  return {
    defectReports: defects.length,
    passingReports: passing.length,
    defectGivenPass: defects.filter((result) => disposition(result) === 'PASS').length,
    passingGivenReworkOrScrap: passing.filter((result) => {
      const given = disposition(result);
      return given === 'REWORK' || given === 'SCRAP';
    }).length,
    unknownOrVagueGivenHold: rate(unknownOrVague.map((result) => disposition(result) === 'HOLD')),
  };
}

/** The language of a result: recorded by the runner, else its language tag, else English. */
export function resultLanguage(result: Pick<CaseResult, 'language' | 'tags'>): string {
  return result.language ?? LANGUAGE_TAGS.find((language) => result.tags.includes(language)) ?? 'en';
}

/** Type, stage and 6M accuracy of a slice of the cases. */
export function sliceScores(results: readonly CaseResult[]): SliceScores {
  return {
    cases: results.length,
    typeAccuracy: typeAccuracy(results),
    stageAccuracy: stageAccuracy(results),
    category6mAccuracy: category6mAccuracy(results),
  };
}

/**
 * Accuracy per language (en, zh, mixed, and chineseOrMixed for zh and mixed together; every one
 * listed, with null rates when it has no case) and per kind tag (every other tag of the set's cases).
 */
export function breakdowns(results: readonly CaseResult[]): Metrics['breakdowns'] {
  const language: Record<string, SliceScores> = {};
  for (const name of LANGUAGE_TAGS)
    language[name] = sliceScores(results.filter((result) => resultLanguage(result) === name));
  language.chineseOrMixed = sliceScores(results.filter((result) => resultLanguage(result) !== 'en'));
  const kinds = [...new Set(results.flatMap((result) => result.tags))]
    .filter((tag) => !(LANGUAGE_TAGS as readonly string[]).includes(tag))
    .sort();
  const kind: Record<string, SliceScores> = {};
  for (const tag of kinds) kind[tag] = sliceScores(results.filter((result) => result.tags.includes(tag)));
  return { language, kind };
}

/** Validates a target's answer; returns the issues when it is not a ConsolidatedAnalysis. */
export function validateAnalysis(value: unknown): {
  analysis: ConsolidatedAnalysis | null;
  issues: string[];
} {
  const parsed = ConsolidatedAnalysis.safeParse(value);
  if (parsed.success) return { analysis: parsed.data, issues: [] };
  return {
    analysis: null,
    issues: parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  };
}
