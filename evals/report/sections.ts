import { ClassifiedType } from '../../domain/vocabulary.ts';
import type { RunResult } from '../result.ts';
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
        ['Abstention on prompt injection', 'robustness.abstentionInjection'],
        ['Schema-valid rate', 'robustness.schemaValidRate'],
      ],
    },
    {
      title: 'Cost',
      rows: [
        ['Latency p50 (end to end)', 'cost.latencyMs.p50'],
        ['Latency p95 (end to end)', 'cost.latencyMs.p95'],
        ['Tokens per case', 'cost.tokensPerCase'],
        ['Cost per case', 'cost.costPerCase'],
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
