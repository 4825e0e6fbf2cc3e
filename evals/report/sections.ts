import { ClassifiedType } from '../../domain/vocabulary.ts';
import type { RunResult, SliceScores } from '../result.ts';
import { formatRate } from './format.ts';
import { flattenMetrics, formatMetricValue } from './metric-paths.ts';

/** One row of a metric table: a label, the metric's path and its formatted value. */
export interface MetricRow {
  label: string;
  path: string;
  value: string;
}

/** A titled group of metrics, rendered as one table by the Markdown and HTML reports. */
export interface MetricTable {
  title: string;
  rows: MetricRow[];
}

const TABLES: ReadonlyArray<{ title: string; rows: ReadonlyArray<readonly [label: string, path: string]> }> =
  [
    {
      title: 'Classification',
      rows: [
        ['Type accuracy', 'classification.typeAccuracy'],
        ['Type macro-F1', 'classification.typeMacroF1'],
        ['Severity accuracy', 'classification.severityAccuracy'],
        ['Disposition accuracy', 'classification.dispositionAccuracy'],
        ['Escalation precision', 'classification.escalationPrecision'],
        ['Escalation recall', 'classification.escalationRecall'],
        ['Secondary-type recall (two-defect cases)', 'classification.secondaryTypeRecall'],
      ],
    },
    {
      title: 'Safety',
      rows: [
        ['Defect reports given PASS (target 0)', 'safety.defectGivenPass'],
        ['Passing reports given REWORK or SCRAP (target 0)', 'safety.passingGivenReworkOrScrap'],
        ['Unknown or vague reports given HOLD', 'safety.unknownOrVagueGivenHold'],
        ['Defect reports', 'safety.defectReports'],
        ['Passing reports', 'safety.passingReports'],
      ],
    },
    {
      title: 'Root cause',
      rows: [
        ['Stage accuracy', 'rootCause.stageAccuracy'],
        ['6M category accuracy', 'rootCause.category6mAccuracy'],
        ['Keyword recall', 'rootCause.keywordRecall'],
        ['Mean why depth', 'rootCause.whyDepthMean'],
        ['No operator-error terminus', 'rootCause.noOperatorErrorTerminus'],
        ['Escape cause present', 'rootCause.escapeCausePresent'],
      ],
    },
    {
      title: 'Actions',
      rows: [
        ['Action type coverage', 'actions.typeCoverage'],
        ['Keyword recall', 'actions.keywordRecall'],
        ['Owner present', 'actions.ownerPresent'],
        ['Due date present', 'actions.dueDatePresent'],
        ['Effectiveness check present', 'actions.effectivenessCheckPresent'],
      ],
    },
    {
      title: 'Grounding',
      rows: [
        ['Citation validity', 'grounding.citationValidity'],
        ['Whys with citations', 'grounding.whysWithCitations'],
        ['Actions with citations', 'grounding.actionsWithCitations'],
      ],
    },
    {
      title: 'Robustness',
      rows: [
        ['Abstention on off-topic input', 'robustness.abstentionOffTopic'],
        ['Prompt injection resisted (never lowered, escalated)', 'robustness.abstentionInjection'],
        ['Schema-valid rate', 'robustness.schemaValidRate'],
      ],
    },
    {
      title: 'Cost',
      rows: [
        ['Latency p50 (end to end)', 'cost.latencyMs.p50'],
        ['Latency p95 (end to end)', 'cost.latencyMs.p95'],
        ['Tokens per case', 'cost.tokensPerCase'],
        ['Input tokens per case (uncached)', 'cost.inputTokensPerCase'],
        ['Cache write tokens per case', 'cost.cacheWriteTokensPerCase'],
        ['Cache read tokens per case', 'cost.cacheReadTokensPerCase'],
        ['Output tokens per case', 'cost.outputTokensPerCase'],
        ['Cost per case', 'cost.costPerCase'],
      ],
    },
    {
      title: 'Follow-up questions',
      rows: [
        ['Answered on topic', 'followups.onTopicRate'],
        ['Questions', 'followups.questions'],
        ['Answered (no error)', 'followups.answered'],
        ['Canned answers (same as another topic)', 'followups.cannedAnswers'],
      ],
    },
  ];

/** Reads a metric by its dotted path (as in flattenMetrics); undefined when there is no such metric. */
export function metricAt(run: RunResult, path: string): number | null | undefined {
  return flattenMetrics(run.metrics).get(path);
}

/** The scalar metric tables of a run, formatted, in report order. */
export function metricTables({ run }: { run: RunResult }): MetricTable[] {
  return TABLES.map((table) => ({
    title: table.title,
    rows: table.rows.map(([label, path]) => ({
      label,
      path,
      value: formatMetricValue(path, metricAt(run, path) ?? null, run.priceTable.currency),
    })),
  }));
}

/** Orders type labels: the vocabulary's order (12 concrete types, unknown, none), then any others sorted. */
export function orderTypes(labels: Iterable<string>): string[] {
  const known: readonly string[] = ClassifiedType.options;
  const unique = new Set(labels);
  const extras = [...unique].filter((label) => !known.includes(label)).sort();
  return [...known.filter((label) => unique.has(label)), ...extras];
}

/** Every label in the confusion matrix, as expected or as predicted. */
export function confusionLabels({ run }: { run: RunResult }): string[] {
  const labels: string[] = [];
  for (const [expected, row] of Object.entries(run.metrics.classification.confusion)) {
    labels.push(expected);
    labels.push(...Object.keys(row));
  }
  return orderTypes(labels);
}

/** The confusion count of an expected and a predicted label (0 when absent). */
export function confusionCount({
  run,
  expected,
  predicted,
}: {
  run: RunResult;
  expected: string;
  predicted: string;
}): number {
  return run.metrics.classification.confusion[expected]?.[predicted] ?? 0;
}

/** A breakdown table: one row per slice (a language, a kind tag, a follow-up topic), formatted. */
export interface BreakdownTable {
  title: string;
  note: string;
  header: string[];
  rows: string[][];
}

const LANGUAGE_LABELS: Readonly<Record<string, string>> = {
  en: 'en (English)',
  zh: 'zh (Chinese)',
  mixed: 'mixed',
  chineseOrMixed: 'Chinese or mixed',
};

/**
 * The breakdown tables of a run: type, stage and 6M accuracy per language and per kind tag, and
 * the follow-up on-topic rate per topic and per language (left out when the set has no follow-ups).
 */
export function breakdownTables({ run }: { run: RunResult }): BreakdownTable[] {
  const slices = (entries: Record<string, SliceScores> | undefined, label: (key: string) => string) =>
    Object.entries(entries ?? {}).map(([key, scores]) => [
      label(key),
      String(scores.cases),
      formatRate(scores.typeAccuracy),
      formatRate(scores.stageAccuracy),
      formatRate(scores.category6mAccuracy),
    ]);
  const header = ['Slice', 'Cases', 'Type', 'Stage', '6M'];
  const tables: BreakdownTable[] = [
    {
      title: 'Per language',
      note: 'The language tag of each case (en, zh, mixed), or the language read from its text when it has none.',
      header,
      rows: slices(run.metrics.breakdowns?.language, (key) => LANGUAGE_LABELS[key] ?? key),
    },
    {
      title: 'Per kind',
      note: 'Every other tag of the cases (a case counts in each of its tags).',
      header,
      rows: slices(run.metrics.breakdowns?.kind, (key) => key),
    },
  ];
  const followups = run.metrics.followups;
  if (followups && followups.questions > 0) {
    const groups = (entries: Record<string, { questions: number; onTopicRate: number | null }>) =>
      Object.entries(entries)
        .filter(([, scores]) => scores.questions > 0)
        .map(([key, scores]) => [key, String(scores.questions), formatRate(scores.onTopicRate)]);
    tables.push(
      {
        title: 'Follow-ups per topic',
        note: 'Answered on topic by the rubric of evals/followups/rubric.md.',
        header: ['Topic', 'Questions', 'On topic'],
        rows: groups(followups.perTopic),
      },
      {
        title: 'Follow-ups per language',
        note: 'The language of the question; a Chinese question needs Chinese in the answer.',
        header: ['Language', 'Questions', 'On topic'],
        rows: groups(followups.perLanguage),
      },
    );
  }
  return tables;
}

/** The headline metrics compared across sets at the top of a multi-set report. */
export const OVERVIEW_ROWS: ReadonlyArray<readonly [label: string, path: string]> = [
  ['Cases', 'counts.cases'],
  ['Type accuracy', 'classification.typeAccuracy'],
  ['Type macro-F1', 'classification.typeMacroF1'],
  ['Stage accuracy', 'rootCause.stageAccuracy'],
  ['6M accuracy', 'rootCause.category6mAccuracy'],
  ['Severity accuracy', 'classification.severityAccuracy'],
  ['Disposition accuracy', 'classification.dispositionAccuracy'],
  ['Secondary-type recall', 'classification.secondaryTypeRecall'],
  ['Defect reports given PASS', 'safety.defectGivenPass'],
  ['Passing reports given REWORK or SCRAP', 'safety.passingGivenReworkOrScrap'],
  ['Unknown or vague given HOLD', 'safety.unknownOrVagueGivenHold'],
  ['Type accuracy, Chinese or mixed', 'breakdowns.language.chineseOrMixed.typeAccuracy'],
  ['Follow-ups on topic', 'followups.onTopicRate'],
];

/** The overview of several sets: one row per headline metric, one column per set (formatted values). */
export function overviewTable({ runs }: { runs: readonly RunResult[] }): {
  header: string[];
  rows: string[][];
} {
  return {
    header: ['Metric', ...runs.map((run) => run.set ?? run.casesFile)],
    rows: OVERVIEW_ROWS.map(([label, path]) => [
      label,
      ...runs.map((run) => formatMetricValue(path, metricAt(run, path) ?? null, run.priceTable.currency)),
    ]),
  };
}

/** The follow-up questions of a run that were not answered on topic, with the rubric items they miss. */
export function offTopicFollowUps({ run }: { run: RunResult }): Array<{
  id: string;
  caseId: string;
  topic: string;
  language: string;
  problem: string;
}> {
  return (run.followUps ?? [])
    .filter((result) => !result.verdict.onTopic)
    .map((result) => ({
      id: result.id,
      caseId: result.caseId,
      topic: result.topic,
      language: result.language,
      problem:
        result.outcome === 'ok'
          ? `missing: ${result.verdict.unmet.join('; ')}`
          : `${result.outcome}: ${result.error ?? ''}`,
    }));
}
