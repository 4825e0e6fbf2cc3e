import { ClassifiedType } from '../../domain/vocabulary.ts';
import type { RunResult } from '../result.ts';
import { judgeCase } from './case-verdict.ts';
import type { Comparison, MetricDelta } from './compare.ts';
import { escapeHtml, formatMs, formatRate } from './format.ts';
import { formatMetricDelta, formatMetricValue } from './metric-paths.ts';
import {
  breakdownTables,
  confusionCount,
  confusionLabels,
  metricAt,
  metricTables,
  offTopicFollowUps,
  orderTypes,
  overviewTable,
} from './sections.ts';

const esc = escapeHtml;

const CSS = `
:root { --fg: #1f2933; --muted: #616e7c; --border: #d9e2ec; --accent: #2563eb; --bad: #b91c1c;
  --bad-bg: #fdecec; --good: #15803d; --good-bg: #e8f5ec; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  margin: 24px auto; max-width: 1120px; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--border); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta code { color: var(--fg); }
section.kpis, section.confusion, section.recall, section.latency { break-inside: avoid; page-break-inside: avoid; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; }
.tile .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .label { color: var(--muted); font-size: 12px; }
.tile .delta { font-size: 12px; }
.improved { color: var(--good); }
.regressed { color: var(--bad); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 0 24px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border-bottom: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fail td { background: var(--bad-bg); }
.errored { background: var(--bad-bg); padding: 8px 12px; font-weight: 600; }
td.wrong { color: var(--bad); font-weight: 600; }
.verdict-pass { color: var(--good); font-weight: 600; }
.verdict-fail { color: var(--bad); font-weight: 600; }
.tag { display: inline-block; border: 1px solid var(--border); border-radius: 4px; padding: 0 4px;
  margin: 0 2px 2px 0; font-size: 11px; color: var(--muted); }
.note { color: var(--muted); font-size: 12px; }
svg { max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { margin-top: 16px; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`;

function rgb(from: readonly number[], to: readonly number[], t: number): string {
  const mix = from.map((start, index) => Math.round(start + ((to[index] ?? start) - start) * t));
  return `rgb(${mix.join(',')})`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function tiles(run: RunResult, comparison: Comparison | undefined): string {
  const { counts } = run.metrics;
  const passed = run.cases.filter((result) => judgeCase(result).passed).length;
  const deltas = new Map<string, MetricDelta>((comparison?.metrics ?? []).map((m) => [m.metric, m]));
  const tile = (label: string, value: string, extra = ''): string =>
    `<div class="tile"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div>${extra}</div>`;
  const metricTile = (label: string, path: string): string => {
    const value = formatMetricValue(path, metricAt(run, path) ?? null, run.priceTable.currency);
    const delta = deltas.get(path);
    const deltaLine =
      delta === undefined || delta.delta === null || delta.status === 'unchanged'
        ? ''
        : `<div class="delta ${delta.status === 'changed' ? '' : esc(delta.status)}">${esc(
            formatMetricDelta(path, delta.delta, comparison?.currency ?? ''),
          )} vs baseline</div>`;
    return tile(label, value, deltaLine);
  };
  const errored =
    counts.errors === 0
      ? ''
      : `<p class="errored">${esc(
          `${counts.errors} of ${counts.cases} cases errored (see the failed cases); they are not scored, and the scores below are not valid.`,
        )}</p>\n`;
  return `${errored}<div class="tiles">
${tile('Cases', String(counts.cases), `<div class="delta">${counts.ok} ok, ${counts.errors} errors, ${counts.invalid} invalid</div>`)}
${tile('Passed type and stage', `${passed}/${run.cases.length}`)}
${metricTile('Type accuracy', 'classification.typeAccuracy')}
${metricTile('Type macro-F1', 'classification.typeMacroF1')}
${metricTile('Stage accuracy', 'rootCause.stageAccuracy')}
${metricTile('Citation validity', 'grounding.citationValidity')}
${metricTile('Schema-valid rate', 'robustness.schemaValidRate')}
${metricTile('Latency p50', 'cost.latencyMs.p50')}
${metricTile('Latency p95', 'cost.latencyMs.p95')}
${metricTile('Cost per case', 'cost.costPerCase')}
</div>`;
}

/** The confusion matrix as an SVG heatmap; colour intensity is the count over its row's total. */
function heatmap(run: RunResult): string {
  const labels = orderTypes([...ClassifiedType.options, ...confusionLabels({ run })]);
  const cell = 32;
  const left = 190;
  const top = 150;
  const size = labels.length * cell;
  const width = left + size + 100;
  const height = top + size + 12;
  const white = [248, 250, 252];
  const blue = [29, 78, 216];
  const red = [220, 38, 38];
  const parts: string[] = [];
  parts.push(
    `<text x="${left + size / 2}" y="16" text-anchor="middle" font-size="12" font-weight="600">predicted</text>`,
    `<text transform="translate(16 ${top + size / 2}) rotate(-90)" text-anchor="middle" font-size="12" font-weight="600">expected</text>`,
  );
  labels.forEach((label, column) => {
    const x = left + column * cell + cell / 2;
    parts.push(
      `<text transform="translate(${x} ${top - 6}) rotate(-55)" font-size="11" class="col-label">${esc(label)}</text>`,
    );
  });
  labels.forEach((expected, row) => {
    const counts = labels.map((predicted) => confusionCount({ run, expected, predicted }));
    const total = counts.reduce((sum, count) => sum + count, 0);
    const y = top + row * cell;
    parts.push(
      `<text x="${left - 6}" y="${y + cell / 2 + 4}" text-anchor="end" font-size="11" class="row-label">${esc(expected)} (${total})</text>`,
    );
    counts.forEach((count, column) => {
      const x = left + column * cell;
      const share = total > 0 ? count / total : 0;
      const fill = rgb(white, expected === labels[column] ? blue : red, share);
      const ink = share > 0.5 ? '#ffffff' : count === 0 ? '#b8c2cc' : '#1f2933';
      const predicted = labels[column] ?? '';
      parts.push(
        `<g class="cell"><title>expected ${esc(expected)}, predicted ${esc(predicted)}: ${count}${
          total > 0 ? ` (${formatRate(share)} of row)` : ''
        }</title><rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#d9e2ec"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="11" fill="${ink}">${count}</text></g>`,
      );
    });
  });
  return `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Confusion matrix: expected type by predicted type">
${parts.join('\n')}
</svg>`;
}

/** Per-type recall as horizontal bars, for every type with support. */
function recallBars(run: RunResult): string {
  const perType = run.metrics.classification.perType;
  const types = orderTypes(Object.keys(perType)).filter((type) => (perType[type]?.support ?? 0) > 0);
  if (types.length === 0) return '<p class="note">No per-type scores.</p>';
  const row = 24;
  const left = 190;
  const track = 360;
  const width = left + track + 120;
  const height = types.length * row + 8;
  const parts = types.map((type, index) => {
    const scores = perType[type];
    const recall = scores?.recall ?? null;
    const y = 4 + index * row;
    const barWidth = recall === null ? 0 : Math.max(0, Math.min(1, recall)) * track;
    return (
      `<g class="bar-row"><title>${esc(type)}: recall ${formatRate(recall)} of ${scores?.support ?? 0}</title>` +
      `<text x="${left - 6}" y="${y + 15}" text-anchor="end" font-size="11">${esc(type)}</text>` +
      `<rect x="${left}" y="${y + 3}" width="${track}" height="16" fill="#eef2f6"/>` +
      `<rect class="bar" x="${left}" y="${y + 3}" width="${round(barWidth)}" height="16" fill="#2563eb"/>` +
      `<text x="${left + track + 6}" y="${y + 15}" font-size="11">${formatRate(recall)} (n=${scores?.support ?? 0})</text></g>`
    );
  });
  return `<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Recall per defect type">
${parts.join('\n')}
</svg>`;
}

/** The end-to-end latency of every case as a histogram of 10 to 20 bins, with p50 and p95 marked. */
function latencyHistogram(run: RunResult): string {
  const latencies = run.cases
    .map((result) => result.latencyMs)
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (latencies.length === 0) return '<p class="note">No latency data.</p>';
  const { p50, p95 } = run.metrics.cost.latencyMs;
  const marks = [p50, p95].filter((value): value is number => value !== null && Number.isFinite(value));
  const low = Math.min(...latencies, ...marks);
  let high = Math.max(...latencies, ...marks);
  if (high <= low) high = low + 1;
  const binCount = Math.min(20, Math.max(10, Math.ceil(Math.sqrt(latencies.length))));
  const binWidth = (high - low) / binCount;
  const bins = new Array<number>(binCount).fill(0);
  for (const ms of latencies) {
    const index = Math.min(binCount - 1, Math.floor((ms - low) / binWidth));
    bins[index] = (bins[index] ?? 0) + 1;
  }
  const maxCount = Math.max(...bins);
  const left = 44;
  const right = 16;
  const top = 36;
  const plotWidth = 600;
  const plotHeight = 180;
  const width = left + plotWidth + right;
  const height = top + plotHeight + 44;
  const xOf = (ms: number): number => left + ((ms - low) / (high - low)) * plotWidth;
  const yOf = (count: number): number => top + plotHeight - (count / maxCount) * plotHeight;
  const parts: string[] = [];
  bins.forEach((count, index) => {
    const from = low + index * binWidth;
    const x = xOf(from);
    const y = yOf(count);
    parts.push(
      `<rect class="hist-bin" x="${round(x + 1)}" y="${round(y)}" width="${round(plotWidth / binCount - 2)}" height="${round(
        top + plotHeight - y,
      )}" fill="#94a3b8"><title>${Math.round(from)}-${Math.round(from + binWidth)} ms: ${count} case${count === 1 ? '' : 's'}</title></rect>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#1f2933"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#1f2933"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="11">${maxCount}</text>`,
    `<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" font-size="11">0</text>`,
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const ms = low + tick * (high - low);
    parts.push(
      `<text x="${round(xOf(ms))}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11">${esc(formatMs(ms))}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" font-size="12">end-to-end latency per case</text>`,
  );
  const markers: Array<[string, number | null, string]> = [
    ['p50', p50, '#2563eb'],
    ['p95', p95, '#b91c1c'],
  ];
  markers.forEach(([name, value, colour], index) => {
    if (value === null || !Number.isFinite(value)) return;
    const x = xOf(value);
    const onRight = x > left + plotWidth / 2;
    parts.push(
      `<line class="marker" x1="${round(x)}" y1="${top - 26 + index * 14}" x2="${round(x)}" y2="${top + plotHeight}" stroke="${colour}" stroke-width="2" stroke-dasharray="5 3"/>`,
      `<text x="${round(onRight ? x - 4 : x + 4)}" y="${top - 18 + index * 14}" text-anchor="${onRight ? 'end' : 'start'}" font-size="11" fill="${colour}">${name} ${esc(formatMs(value))}</text>`,
    );
  });
  return `<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Latency histogram">
${parts.join('\n')}
</svg>`;
}

function perAgentTable(run: RunResult): string {
  const perAgent = run.metrics.cost.perAgentLatencyMs;
  const agents = Object.keys(perAgent).sort();
  if (agents.length === 0) return '<p class="note">No per-agent latency.</p>';
  const rows = agents
    .map(
      (agent) =>
        `<tr><td>${esc(agent)}</td><td class="num">${esc(formatMs(perAgent[agent]?.p50))}</td><td class="num">${esc(
          formatMs(perAgent[agent]?.p95),
        )}</td></tr>`,
    )
    .join('\n');
  return `<table class="agents"><thead><tr><th>Agent</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function metricTablesHtml(run: RunResult): string {
  const perType = run.metrics.classification.perType;
  const typeRows = orderTypes(Object.keys(perType))
    .map((type) => {
      const scores = perType[type];
      return `<tr><td>${esc(type)}</td><td class="num">${scores?.support ?? 0}</td><td class="num">${formatRate(
        scores?.precision,
      )}</td><td class="num">${formatRate(scores?.recall)}</td><td class="num">${formatRate(scores?.f1)}</td></tr>`;
    })
    .join('\n');
  const groups = metricTables({ run })
    .map(
      (group) => `<div><h3>${esc(group.title)}</h3><table class="metrics"><tbody>
${group.rows.map((row) => `<tr><td>${esc(row.label)}</td><td class="num">${esc(row.value)}</td></tr>`).join('\n')}
</tbody></table></div>`,
    )
    .join('\n');
  return `<div class="grid">
${groups}
</div>
<h3>Per type</h3>
<table class="per-type"><thead><tr><th>Type</th><th class="num">Support</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th></tr></thead>
<tbody>
${typeRows}
</tbody></table>`;
}

function breakdownsHtml(run: RunResult): string {
  return breakdownTables({ run })
    .map(
      (breakdown) => `<h3>${esc(breakdown.title)}</h3>
<p class="note">${esc(breakdown.note)}</p>
${
  breakdown.rows.length === 0
    ? '<p class="note">None.</p>'
    : `<table class="breakdown"><thead><tr>${breakdown.header
        .map((cell, index) => `<th${index === 0 ? '' : ' class="num"'}>${esc(cell)}</th>`)
        .join('')}</tr></thead>
<tbody>
${breakdown.rows
  .map(
    (row) =>
      `<tr>${row.map((cell, index) => `<td${index === 0 ? '' : ' class="num"'}>${esc(cell)}</td>`).join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>`
}`,
    )
    .join('\n');
}

function followUpsHtml(run: RunResult): string {
  if ((run.followUps ?? []).length === 0) return '';
  const offTopic = offTopicFollowUps({ run });
  const rows = offTopic
    .map(
      (entry) =>
        `<tr class="fail"><td>${esc(entry.id)}</td><td>${esc(entry.caseId)}</td><td>${esc(entry.topic)}</td><td>${esc(
          entry.language,
        )}</td><td class="note">${esc(entry.problem)}</td></tr>`,
    )
    .join('\n');
  return `<section class="follow-ups">
<h2>Follow-ups not answered on topic</h2>
${
  offTopic.length === 0
    ? '<p class="note">All follow-up questions were answered on topic.</p>'
    : `<table class="off-topic"><thead><tr><th>Question</th><th>Case</th><th>Topic</th><th>Language</th><th>Problem</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
}
</section>`;
}

function casesTable(run: RunResult): string {
  const rows = run.cases
    .map((result) => {
      const verdict = judgeCase(result);
      const wrong = (bad: boolean): string => (bad ? ' class="wrong"' : '');
      const tags = result.tags.map((tag) => `<span class="tag">${esc(tag)}</span>`).join('');
      return `<tr${verdict.passed ? '' : ' class="fail"'}><td>${esc(result.id)}</td><td>${tags}</td><td>${esc(
        verdict.expectedType,
      )}</td><td>${esc(verdict.expectedStage ?? '-')}</td><td${wrong(!verdict.typeCorrect)}>${esc(
        verdict.gotType ?? '-',
      )}</td><td${wrong(verdict.stageCorrect === false)}>${esc(verdict.gotStage ?? '-')}</td><td class="${
        verdict.passed ? 'verdict-pass' : 'verdict-fail'
      }">${verdict.passed ? 'pass' : 'fail'}</td><td class="num">${esc(formatMs(result.latencyMs))}</td><td class="note">${esc(
        verdict.problems.join('; '),
      )}</td></tr>`;
    })
    .join('\n');
  return `<table class="cases"><thead><tr><th>Case</th><th>Tags</th><th>Expected type</th><th>Expected stage</th><th>Got type</th><th>Got stage</th><th>Result</th><th class="num">Latency</th><th>Problem</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function comparisonSection(comparison: Comparison): string {
  const { currency } = comparison;
  const metricTable = (status: 'improved' | 'regressed'): string => {
    const entries = comparison.metrics.filter((m) => m.status === status);
    if (entries.length === 0) return `<p class="note">No ${status} metrics.</p>`;
    return `<table class="metric-changes ${status}-metrics"><thead><tr><th>Metric</th><th class="num">Baseline</th><th class="num">Current</th><th class="num">Change</th></tr></thead>
<tbody>
${entries
  .map(
    (m) =>
      `<tr><td>${esc(m.metric)}</td><td class="num">${esc(formatMetricValue(m.metric, m.baseline, currency))}</td><td class="num">${esc(
        formatMetricValue(m.metric, m.current, currency),
      )}</td><td class="num ${status}">${esc(formatMetricDelta(m.metric, m.delta, currency))}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  };
  const caseList = (status: 'improved' | 'regressed'): string => {
    const entries = comparison.cases.filter((change) => change.status === status);
    if (entries.length === 0) return `<p class="note">No ${status} cases.</p>`;
    return `<ul class="${status}-cases">
${entries.map((change) => `<li><strong>${esc(change.id)}</strong>: ${esc(change.changes.join('; '))}</li>`).join('\n')}
</ul>`;
  };
  const changed = comparison.metrics.filter((m) => m.status === 'changed').map((m) => m.metric);
  const only = [
    comparison.onlyInBaseline.length > 0 ? `Only in baseline: ${comparison.onlyInBaseline.join(', ')}.` : '',
    comparison.onlyInCurrent.length > 0 ? `Only in this run: ${comparison.onlyInCurrent.join(', ')}.` : '',
    changed.length > 0 ? `Changed without a better or worse direction: ${changed.join(', ')}.` : '',
  ].filter((line) => line !== '');
  return `<section class="comparison">
<h2>Improved / regressed against baseline ${esc(comparison.baseline.runId)}</h2>
<p class="meta">Baseline: ${esc(comparison.baseline.target)}, ${esc(comparison.baseline.model)}, started ${esc(
    comparison.baseline.startedAt,
  )}</p>
<div class="grid">
<div><h3 class="regressed">Regressed metrics</h3>
${metricTable('regressed')}</div>
<div><h3 class="improved">Improved metrics</h3>
${metricTable('improved')}</div>
</div>
<div class="grid">
<div><h3 class="regressed">Regressed cases</h3>
${caseList('regressed')}</div>
<div><h3 class="improved">Improved cases</h3>
${caseList('improved')}</div>
</div>
${only.map((line) => `<p class="note">${esc(line)}</p>`).join('\n')}
</section>`;
}

/**
 * Renders a standalone, printable HTML5 scorecard of an evals run: headline tiles, the confusion
 * heatmap, recall per type, the latency histogram, per-agent latency, the metric tables and every
 * case; with a comparison, also what improved and regressed against the baseline. The page has
 * inline CSS and SVG only: no scripts, no external assets. All text from the run is escaped.
 */
export function renderHtmlScorecard({
  run,
  comparison,
}: {
  run: RunResult;
  comparison?: Comparison;
}): string {
  const title = `Evals scorecard: ${run.target} (${run.model})${run.set === undefined ? '' : `, ${run.set}`}`;
  return page(title, scorecardBody({ run, comparison, title }));
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function scorecardBody({
  run,
  comparison,
  title,
}: {
  run: RunResult;
  comparison: Comparison | undefined;
  title: string;
}): string {
  return `<header>
<h1>${esc(title)}</h1>
<p class="meta">Run <code>${esc(run.runId)}</code> · started ${esc(run.startedAt)} · finished ${esc(
    run.finishedAt,
  )} · cases <code>${esc(run.casesFile)}</code>${run.filter === null ? '' : ` · filter <code>${esc(run.filter)}</code>`}</p>
</header>
<section class="kpis">
<h2>Headline</h2>
${tiles(run, comparison)}
</section>
${comparison === undefined ? '' : comparisonSection(comparison)}
<section class="confusion">
<h2>Confusion matrix</h2>
<p class="note">Rows are the expected type (with its case count), columns the predicted one; the shade is the share of the row.</p>
${heatmap(run)}
</section>
<section class="recall">
<h2>Accuracy per type (recall)</h2>
${recallBars(run)}
</section>
<section class="latency">
<h2>Latency</h2>
<p class="note">End-to-end latency of all ${run.cases.length} cases; dashed lines mark the run's p50 and p95.</p>
${latencyHistogram(run)}
<h3>Per agent</h3>
${perAgentTable(run)}
</section>
<section class="metric-tables">
<h2>Metrics</h2>
${metricTablesHtml(run)}
</section>
<section class="breakdowns">
<h2>Breakdowns</h2>
${breakdownsHtml(run)}
</section>
${followUpsHtml(run)}
<section class="case-list">
<h2>Cases</h2>
${casesTable(run)}
</section>
`;
}

/**
 * Renders one printable HTML5 page for a multi-set run: an overview of the headline metrics with
 * one column per set (held-out first), then each set's scorecard (as renderHtmlScorecard draws it),
 * each with its comparison when one is given for its set name.
 */
export function renderHtmlScorecards({
  runs,
  comparisons = new Map(),
}: {
  runs: readonly RunResult[];
  comparisons?: ReadonlyMap<string, Comparison>;
}): string {
  const first = runs[0];
  const title = `Evals scorecard: ${first?.target ?? 'no set'} (${first?.model ?? '-'})`;
  const overview = overviewTable({ runs });
  const overviewHtml = `<table class="overview"><thead><tr>${overview.header
    .map((cell, index) => `<th${index === 0 ? '' : ' class="num"'}>${esc(cell)}</th>`)
    .join('')}</tr></thead>
<tbody>
${overview.rows
  .map(
    (row) =>
      `<tr>${row.map((cell, index) => `<td${index === 0 ? '' : ' class="num"'}>${esc(cell)}</td>`).join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>`;
  const sets = runs
    .map(
      (run) => `<article class="set">
${scorecardBody({
  run,
  comparison: comparisons.get(run.set ?? ''),
  title: `Set ${run.set ?? run.casesFile}: ${run.target} (${run.model})`,
})}
</article>`,
    )
    .join('\n');
  return page(
    title,
    `<header>
<h1>${esc(title)}</h1>
<p class="meta">Each set is scored on its own; the held-out set comes first.</p>
</header>
<section class="overview">
<h2>Overview</h2>
${overviewHtml}
</section>
${sets}`,
  );
}
