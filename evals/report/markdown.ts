import type { RunResult } from '../result.ts';
import { judgeCase } from './case-verdict.ts';
import { escapeMarkdown, formatMs, formatRate, markdownCode } from './format.ts';
import {
  breakdownTables,
  confusionCount,
  confusionLabels,
  metricTables,
  offTopicFollowUps,
  orderTypes,
  overviewTable,
} from './sections.ts';

function table(header: string[], rows: string[][], align: Array<'left' | 'right'> = []): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, index) => (align[index] === 'right' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

function duration(startedAt: string, finishedAt: string): string | null {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

function header(run: RunResult): string {
  const { counts } = run.metrics;
  const passed = run.cases.filter((result) => judgeCase(result).passed).length;
  const took = duration(run.startedAt, run.finishedAt);
  return [
    `# Evals run: ${escapeMarkdown(run.target)}${run.set === undefined ? '' : `, set ${escapeMarkdown(run.set)}`}`,
    '',
    `- Run: ${markdownCode(run.runId)}`,
    `- Target: ${markdownCode(run.target)}`,
    `- Model: ${markdownCode(run.model)}`,
    `- Started: ${escapeMarkdown(run.startedAt)}`,
    `- Finished: ${escapeMarkdown(run.finishedAt)}${took === null ? '' : ` (${took})`}`,
    `- Cases file: ${markdownCode(run.casesFile)}${run.filter === null ? '' : `, filter ${markdownCode(run.filter)}`}`,
    `- Cases: ${counts.cases} (${counts.ok} ok, ${counts.errors} errors, ${counts.invalid} invalid); ` +
      `${passed} of ${run.cases.length} passed type and stage`,
    ...(counts.errors === 0
      ? []
      : [
          '',
          `**${counts.errors} of ${counts.cases} cases errored (see the failed cases); they are not scored, and the scores below are not valid.**`,
        ]),
  ].join('\n');
}

function perTypeTable(run: RunResult): string {
  const perType = run.metrics.classification.perType;
  const rows = orderTypes(Object.keys(perType)).map((type) => {
    const scores = perType[type];
    return [
      markdownCode(type),
      String(scores?.support ?? 0),
      formatRate(scores?.precision),
      formatRate(scores?.recall),
      formatRate(scores?.f1),
    ];
  });
  if (rows.length === 0) return '_No per-type scores._';
  return table(['Type', 'Support', 'Precision', 'Recall', 'F1'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function confusionTable(run: RunResult): string {
  const labels = confusionLabels({ run });
  if (labels.length === 0) return '_No confusion data._';
  const rows = labels.map((expected) => [
    markdownCode(expected),
    ...labels.map((predicted) => String(confusionCount({ run, expected, predicted }))),
  ]);
  return table(['Expected \\ predicted', ...labels.map(markdownCode)], rows, [
    'left',
    ...labels.map((): 'right' => 'right'),
  ]);
}

function perAgentTable(run: RunResult): string {
  const perAgent = run.metrics.cost.perAgentLatencyMs;
  const agents = Object.keys(perAgent).sort();
  if (agents.length === 0) return '_No per-agent latency._';
  const rows = agents.map((agent) => [
    markdownCode(agent),
    formatMs(perAgent[agent]?.p50),
    formatMs(perAgent[agent]?.p95),
  ]);
  return table(['Agent', 'p50', 'p95'], rows, ['left', 'right', 'right']);
}

function failedCases(run: RunResult): string {
  const failed = run.cases
    .map((result) => ({ result, verdict: judgeCase(result) }))
    .filter(({ verdict }) => !verdict.passed);
  if (failed.length === 0) return 'All cases passed type and stage.';
  const pair = (type: string | null, stage: string | null): string =>
    `${markdownCode(type ?? '-')} / ${markdownCode(stage ?? '-')}`;
  const rows = failed.map(({ result, verdict }) => {
    const wrong = [
      verdict.typeCorrect ? null : 'type',
      verdict.stageCorrect === false ? 'stage' : null,
    ].filter((part) => part !== null);
    const problem =
      result.outcome === 'error'
        ? escapeMarkdown(result.error ?? 'unknown error')
        : result.outcome === 'invalid'
          ? escapeMarkdown(`schema: ${result.schemaIssues.join('; ') || 'no details'}`)
          : `wrong ${wrong.join(' and ')}`;
    return [
      markdownCode(result.id),
      result.outcome,
      pair(verdict.expectedType, verdict.expectedStage),
      pair(verdict.gotType, verdict.gotStage),
      problem,
    ];
  });
  return table(['Case', 'Outcome', 'Expected type / stage', 'Got type / stage', 'Problem'], rows);
}

/**
 * Renders the Markdown summary of an evals run: the run's settings and case counts, one table per
 * metric group, per-type scores, per-agent latency, the confusion matrix and the failed cases.
 * Rates are percentages with one decimal; missing values are "n/a".
 */
export function renderMarkdownSummary({ run }: { run: RunResult }): string {
  const parts: string[] = [header(run)];
  for (const group of metricTables({ run })) {
    parts.push(`## ${group.title}`);
    parts.push(
      table(
        ['Metric', 'Value'],
        group.rows.map((row) => [row.label, row.value]),
        ['left', 'right'],
      ),
    );
    if (group.title === 'Classification') parts.push('### Per type', perTypeTable(run));
    if (group.title === 'Cost') parts.push('### Latency per agent', perAgentTable(run));
  }
  for (const breakdown of breakdownTables({ run })) {
    parts.push(
      `## ${breakdown.title}`,
      breakdown.note,
      breakdown.rows.length === 0
        ? '_None._'
        : table(
            breakdown.header,
            breakdown.rows.map((row) => [escapeMarkdown(row[0] ?? ''), ...row.slice(1)]),
            ['left', ...breakdown.header.slice(1).map((): 'right' => 'right')],
          ),
    );
  }
  const offTopic = offTopicFollowUps({ run });
  if ((run.followUps ?? []).length > 0) {
    parts.push(
      '## Follow-ups not answered on topic',
      offTopic.length === 0
        ? 'All follow-up questions were answered on topic.'
        : table(
            ['Question', 'Case', 'Topic', 'Language', 'Problem'],
            offTopic.map((entry) => [
              markdownCode(entry.id),
              markdownCode(entry.caseId),
              entry.topic,
              entry.language,
              escapeMarkdown(entry.problem),
            ]),
          ),
    );
  }
  parts.push(
    '## Confusion matrix',
    'Rows are the expected type, columns the predicted one.',
    confusionTable(run),
  );
  parts.push('## Failed cases', failedCases(run));
  return `${parts.join('\n\n')}\n`;
}

/**
 * Renders the Markdown summary of a multi-set run: an overview table of the headline metrics with
 * one column per set (held-out first), then each set's full summary with its headings one level down.
 */
export function renderMarkdownSets({ runs }: { runs: readonly RunResult[] }): string {
  const first = runs[0];
  const overview = overviewTable({ runs });
  const parts: string[] = [
    `# Evals run: ${escapeMarkdown(first?.target ?? 'no set')}`,
    `Sets: ${runs.map((run) => `${escapeMarkdown(run.set ?? run.casesFile)} (${run.metrics.counts.cases} cases)`).join(', ')}. Each set is scored on its own.`,
    table(overview.header.map(escapeMarkdown), overview.rows, ['left', ...runs.map((): 'right' => 'right')]),
  ];
  for (const run of runs)
    parts.push(
      renderMarkdownSummary({ run })
        .replace(/^(#+) /gm, '#$1 ')
        .trimEnd(),
    );
  return `${parts.join('\n\n')}\n`;
}
