import { describe, expect, it } from 'vitest';
import { RcaReport, ReportFormat, renderReport } from './index.ts';
import {
  GENERATED_AT,
  completeAnalysis,
  noDefectAnalysis,
  partialAnalysis,
  photoPng,
  reviewedCase,
} from './testing/fixtures.ts';
import { wellFormednessErrors } from './testing/markup.ts';

describe('renderReport', () => {
  it('returns the JSON model, validated by its schema', () => {
    const { contentType, body } = renderReport({
      analysis: completeAnalysis(),
      format: 'json',
      generatedAt: GENERATED_AT,
    });
    expect(contentType).toBe('application/json; charset=utf-8');
    const parsed = RcaReport.parse(JSON.parse(body));
    expect(parsed.defect_id).toBe('DEF-20261122-0000ABCD');
    expect(parsed.generated_at).toBe(GENERATED_AT.toISOString());
    expect(parsed.review.state).toBe('draft');
    expect(parsed.audit_trail.events).toEqual([]);
  });

  it('returns Markdown, HTML and PDF with their content types', { timeout: 30_000 }, () => {
    const markdown = renderReport({ analysis: completeAnalysis(), format: 'md', generatedAt: GENERATED_AT });
    expect(markdown.contentType).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toContain('## D4 Root causes');
    const html = renderReport({ analysis: completeAnalysis(), format: 'html', generatedAt: GENERATED_AT });
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(wellFormednessErrors({ markup: html.body, html: true })).toEqual([]);
    const pdf = renderReport({ analysis: completeAnalysis(), format: 'pdf', generatedAt: GENERATED_AT });
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('renders the review and the audit trail it is given, in every format', () => {
    const { analysis, review, events } = reviewedCase();
    const json = RcaReport.parse(
      JSON.parse(renderReport({ analysis, review, events, format: 'json', generatedAt: GENERATED_AT }).body),
    );
    expect(json.review).toMatchObject({ state: 'corrected', reviewed_by: 'Li Wei (QA)' });
    expect(json.review.corrected_fields).toEqual(['disposition', 'category_6m', 'occurrence_cause']);
    expect(json.audit_trail.events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const markdown = renderReport({ analysis, review, events, format: 'md', generatedAt: GENERATED_AT }).body;
    expect(markdown).toContain('## Review');
    expect(markdown).toContain('## Audit trail');
    const html = renderReport({ analysis, review, events, format: 'html', generatedAt: GENERATED_AT }).body;
    expect(html).toContain('<section id="audit-trail">');
    expect(wellFormednessErrors({ markup: html, html: true })).toEqual([]);
  });

  it('embeds the photo in the HTML page as a data URI', () => {
    const bytes = photoPng();
    const html = renderReport({
      analysis: {
        ...completeAnalysis(),
        report: { ...completeAnalysis().report, image: { media_type: 'image/png', uri: 'local://x.png' } },
      },
      image: { mediaType: 'image/png', bytes },
      format: 'html',
      generatedAt: GENERATED_AT,
    }).body;
    expect(html).toContain(`<img src="data:image/png;base64,${Buffer.from(bytes).toString('base64')}"`);
    expect(html).toContain('/api/v1/analyses/DEF-20261122-0000ABCD/image');
    expect(wellFormednessErrors({ markup: html, html: true })).toEqual([]);
  });

  it(
    'is deterministic for a fixed generatedAt in every format and analysis state',
    { timeout: 30_000 },
    () => {
      for (const analysis of [completeAnalysis, partialAnalysis, noDefectAnalysis]) {
        for (const format of ReportFormat.options.filter((option) => option !== 'pdf')) {
          const first = renderReport({ analysis: analysis(), format, generatedAt: GENERATED_AT });
          const second = renderReport({ analysis: analysis(), format, generatedAt: new Date(GENERATED_AT) });
          expect(second.body).toBe(first.body);
        }
      }
      const pdf = () =>
        renderReport({ analysis: partialAnalysis(), format: 'pdf', generatedAt: GENERATED_AT }).body;
      expect(pdf().equals(pdf())).toBe(true);
      const later = renderReport({
        analysis: completeAnalysis(),
        format: 'md',
        generatedAt: new Date('2027-01-01T00:00:00Z'),
      });
      expect(later.body).toContain('_Generated 2027-01-01 00:00 UTC');
    },
  );
});
