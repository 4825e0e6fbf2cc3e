import { z } from 'zod';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import { renderFishboneSvg } from './fishbone-svg.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { buildRcaReport } from './report-model.ts';

export { renderFishboneSvg, FISHBONE_BRANCHES } from './fishbone-svg.ts';
export { renderHtml, REPORT_HTML_CSP } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { buildRcaReport, RcaReport, REPORT_SCHEMA_VERSION, EIGHT_D_SECTIONS } from './report-model.ts';

/** The formats a report can be rendered in. */
export const ReportFormat = z.enum(['json', 'md', 'html']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** Content type of each report format. */
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** A rendered report, ready to send. */
export interface RenderedReport {
  contentType: string;
  body: string;
}

/**
 * Renders the full RCA report of a stored analysis as JSON (the {@link RcaReport} model),
 * Markdown or a standalone HTML page with the fishbone inline. Pure: the same analysis, format
 * and `generatedAt` always give the same body.
 */
export function renderReport({
  analysis,
  format,
  generatedAt,
}: {
  analysis: ConsolidatedAnalysis;
  format: ReportFormat;
  generatedAt: Date;
}): RenderedReport {
  const report = buildRcaReport({ analysis, generatedAt });
  const contentType = REPORT_CONTENT_TYPES[format];
  if (format === 'json') return { contentType, body: `${JSON.stringify(report, null, 2)}\n` };
  if (format === 'md') return { contentType, body: renderMarkdown(report) };
  const d4 = report.d4_root_causes;
  const fishboneSvg = d4.fishbone
    ? renderFishboneSvg({
        ishikawa: d4.fishbone,
        effect: d4.effect,
        highlight: d4.root_cause?.category_6m ?? null,
      })
    : null;
  return { contentType, body: renderHtml(report, { fishboneSvg }) };
}
