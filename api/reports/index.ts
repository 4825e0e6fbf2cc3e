import { z } from 'zod';
import type { ConsolidatedAnalysis, Review, ReviewEvent } from '../../domain/index.ts';
import type { ImageMediaType } from '../images/image-store.ts';
import { renderFishboneSvg } from './fishbone-svg.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderPdf } from './pdf.ts';
import { loadReportFonts, type ReportFonts } from './pdf-fonts.ts';
import { buildRcaReport } from './report-model.ts';

export { renderFishboneSvg, FISHBONE_BRANCHES } from './fishbone-svg.ts';
export { renderHtml, REPORT_HTML_CSP } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { renderPdf } from './pdf.ts';
export { loadReportFonts, STANDARD_FONTS, type ReportFonts } from './pdf-fonts.ts';
export { buildRcaReport, RcaReport, REPORT_SCHEMA_VERSION, EIGHT_D_SECTIONS } from './report-model.ts';

/** The formats a report can be rendered in. */
export const ReportFormat = z.enum(['json', 'md', 'html', 'pdf']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** Content type of each report format. */
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** File extension of each report format, for the name of a downloaded report. */
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = {
  json: 'json',
  md: 'md',
  html: 'html',
  pdf: 'pdf',
};

/** The photo of the analysed report, as the image store returns it. */
export interface ReportImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
}

/** A rendered report, ready to send: text for JSON, Markdown and HTML, bytes for PDF. */
export interface RenderedReport {
  contentType: string;
  body: string | Buffer;
}

/** What {@link renderReport} renders: the stored analysis, its review and trail, the photo. */
export interface RenderReportParams {
  analysis: ConsolidatedAnalysis;
  /** The review of the analysis; without it the report is the unconfirmed machine draft. */
  review?: Review;
  /** The audit trail of the review, in any order; without it the report shows no trail. */
  events?: readonly ReviewEvent[];
  /** The photo of the report, embedded in the HTML page and the PDF. */
  image?: ReportImage | null;
  format: ReportFormat;
  generatedAt: Date;
  /** The PDF's fonts; {@link loadReportFonts} when not given. */
  fonts?: ReportFonts;
}

/**
 * Renders the full RCA report of a stored analysis as JSON (the {@link RcaReport} model),
 * Markdown, a standalone HTML page with the fishbone inline, or an A4 PDF.
 *
 * `review` and `events` are the analysis' review and its audit trail: without a review the
 * report is the unconfirmed machine draft, and without events it has no trail. `image` is the
 * photo of the report, embedded in the HTML page (as a data URI) and the PDF. `fonts` defaults
 * to {@link loadReportFonts}. Deterministic: the same inputs give the same bytes, PDF included.
 * Synchronous, as before: existing callers that pass neither review nor events keep working.
 */
export function renderReport(
  params: RenderReportParams & { format: 'pdf' },
): RenderedReport & { body: Buffer };
export function renderReport(
  params: RenderReportParams & { format: Exclude<ReportFormat, 'pdf'> },
): RenderedReport & { body: string };
export function renderReport(params: RenderReportParams): RenderedReport;
export function renderReport({
  analysis,
  review,
  events,
  image,
  format,
  generatedAt,
  fonts,
}: RenderReportParams): RenderedReport {
  const report = buildRcaReport({ analysis, review, events, generatedAt });
  const contentType = REPORT_CONTENT_TYPES[format];
  if (format === 'json') return { contentType, body: `${JSON.stringify(report, null, 2)}\n` };
  if (format === 'md') return { contentType, body: renderMarkdown(report) };
  const photo = image ?? null;
  if (format === 'pdf') {
    return { contentType, body: renderPdf(report, { fonts: fonts ?? loadReportFonts(), photo }) };
  }
  const d4 = report.d4_root_causes;
  const fishboneSvg = d4.fishbone
    ? renderFishboneSvg({
        ishikawa: d4.fishbone,
        effect: d4.effect,
        highlight: d4.root_cause?.category_6m ?? null,
      })
    : null;
  return { contentType, body: renderHtml(report, { fishboneSvg, photo }) };
}
