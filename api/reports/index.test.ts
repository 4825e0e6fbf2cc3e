import { describe, expect, it } from 'vitest';
import { RcaReport, ReportFormat, renderReport } from './index.ts';
import { GENERATED_AT, completeAnalysis, noDefectAnalysis, partialAnalysis } from './testing/fixtures.ts';
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
  });

  it('returns Markdown and HTML with their content types', () => {
    const markdown = renderReport({ analysis: completeAnalysis(), format: 'md', generatedAt: GENERATED_AT });
    expect(markdown.contentType).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toContain('## D4 Root causes');
    const html = renderReport({ analysis: completeAnalysis(), format: 'html', generatedAt: GENERATED_AT });
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(wellFormednessErrors({ markup: html.body, html: true })).toEqual([]);
  });

  it('is deterministic for a fixed generatedAt in every format and analysis state', () => {
    for (const analysis of [completeAnalysis, partialAnalysis, noDefectAnalysis]) {
      for (const format of ReportFormat.options) {
        const first = renderReport({ analysis: analysis(), format, generatedAt: GENERATED_AT });
        const second = renderReport({ analysis: analysis(), format, generatedAt: new Date(GENERATED_AT) });
        expect(second.body).toBe(first.body);
      }
    }
    const later = renderReport({
      analysis: completeAnalysis(),
      format: 'md',
      generatedAt: new Date('2027-01-01T00:00:00Z'),
    });
    expect(later.body).toContain('_Generated 2027-01-01 00:00 UTC');
  });
});
