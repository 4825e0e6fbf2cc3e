import { inflateSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { ConsolidatedAnalysis, type FishboneCause } from '../../domain/index.ts';
import { renderPdf, type PdfPhoto } from './pdf.ts';
import { STANDARD_FONTS, loadReportFonts } from './pdf-fonts.ts';
import { EIGHT_D_SECTIONS, buildRcaReport } from './report-model.ts';
import {
  GENERATED_AT,
  chineseAnalysis,
  completeAnalysis,
  failedAnalysis,
  partialAnalysis,
  photoPng,
  reviewedCase,
} from './testing/fixtures.ts';

const A4_PORTRAIT = '595.28 841.89';
const A4_LANDSCAPE = '841.89 595.28';

/** What a test reads of a PDF: its text as a reader extracts it, its pages and its drawing operators. */
interface ReadPdf {
  text: string;
  pages: number;
  pageSizes: string[];
  fontSizes: number[];
  raw: string;
}

async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  let text: string;
  let pages: number;
  try {
    const result = await parser.getText();
    text = result.text;
    pages = result.total;
  } finally {
    await parser.destroy();
  }
  const raw = pdf.toString('latin1');
  const contents: string[] = [];
  for (const match of raw.matchAll(/\/FlateDecode[^]*?>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      contents.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // Not every compressed stream ends exactly before `endstream` (fonts, images): skip those.
    }
  }
  const operators = contents.join('\n');
  return {
    // Wrapped lines joined: a break inside a table cell is a space, or nothing between Chinese characters.
    text: text.replace(/(\p{Script=Han}|，|。)\n(?=\p{Script=Han})/gu, '$1').replace(/\s+/g, ' '),
    pages,
    pageSizes: [...raw.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map(
      (size) => `${size[1]} ${size[2]}`,
    ),
    fontSizes: [...operators.matchAll(/\/F\d+ ([\d.]+) Tf/g)].map((size) => Number(size[1])),
    raw,
  };
}

const fonts = loadReportFonts();

function render(
  analysis: ConsolidatedAnalysis,
  options: { photo?: PdfPhoto; review?: ReturnType<typeof reviewedCase> } = {},
): Buffer {
  const report = buildRcaReport({
    analysis,
    generatedAt: GENERATED_AT,
    review: options.review?.review,
    events: options.review?.events,
  });
  return renderPdf(report, { fonts, photo: options.photo ?? null });
}

describe('renderPdf', { timeout: 60_000 }, () => {
  it('finds the Noto fonts of the npm package, so Chinese text can be drawn', () => {
    expect(fonts.unicode).toBe(true);
    expect(fonts.limitation).toBeNull();
    expect(fonts.regular).toMatch(/NotoSansHans-Regular\.otf$/);
  });

  it('renders a complete analysis on A4 with every section, the fishbone on one landscape page, no text under 7 pt', async () => {
    const pdf = render(completeAnalysis());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = await readPdf(pdf);
    expect(read.pages).toBe(read.pageSizes.length);
    expect(read.pageSizes.filter((size) => size === A4_LANDSCAPE)).toHaveLength(1);
    expect(read.pageSizes.every((size) => size === A4_PORTRAIT || size === A4_LANDSCAPE)).toBe(true);
    for (const section of EIGHT_D_SECTIONS) expect(read.text).toContain(`${section.code} ${section.title}`);
    for (const heading of [
      'Review',
      'Classification',
      'Unconfirmed machine draft',
      'D4 Fishbone (6M) of DEF-20261122-0000ABCD',
      'Fishbone (6M): every candidate cause',
      '5-why chain',
      'Evidence',
      'Similar past defects',
      'Effectiveness-check plan',
      'Audit trail',
      'Citations',
    ]) {
      expect(read.text).toContain(heading);
    }
    expect(read.text).toContain('Vacuum pump throughput below the');
    expect(read.text).toContain('<script>alert("x")</script>');
    expect(read.text).toContain(`page 1 of ${read.pages}`);
    expect(read.fontSizes.length).toBeGreaterThan(20);
    expect(Math.min(...read.fontSizes)).toBeGreaterThanOrEqual(7);
    expect(read.raw).toContain('/FontFile3');
    expect(read.raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
  });

  it('shows the review: state, corrections with the machine value, action statuses with evidence, and the trail', async () => {
    const reviewed = reviewedCase();
    const { text } = await readPdf(render(reviewed.analysis, { review: reviewed }));
    expect(text).not.toContain('Unconfirmed machine draft');
    expect(text).toContain('State: Corrected by a person (version 10)');
    expect(text).toContain('Reviewed by: Li Wei (QA), 2026-11-23 18:00 UTC');
    expect(text).toContain('SCRAP → HOLD');
    expect(text).toContain('HOLD [corrected]');
    expect(text).toContain('method [corrected]');
    expect(text).toContain('MRB decides lot by lot after the salt-spray re-test.');
    expect(text).toContain('verified effective');
    expect(text).toContain('All 3 suspect lots caged in Q-2; the count matched the MES record.');
    expect(text).toContain('A5 (added by a reviewer)');
    expect(text).toContain('Dropped actions');
    expect(text).toContain('Replaced by a recipe lock (A5): the seal was not the cause.');
    expect(text).toContain('Action status changed');
    expect(text).toContain('Zhang Min');
    expect(text).toMatch(/root-cause category \(method\)/);
  });

  it('says what is missing in a partial and a failed analysis, without a fishbone page', async () => {
    const partial = await readPdf(render(partialAnalysis()));
    expect(partial.text).toContain(
      'The root-cause analyst failed (agent_output_invalid: probable_stage: invalid option).',
    );
    expect(partial.pageSizes).not.toContain(A4_LANDSCAPE);
    const failed = await readPdf(render(failedAnalysis()));
    expect(failed.text).toContain('Analysis failed');
    expect(failed.text).toContain('The classifier failed (upstream_error: model endpoint unreachable).');
    expect(failed.pageSizes).not.toContain(A4_LANDSCAPE);
    for (const section of EIGHT_D_SECTIONS) expect(failed.text).toContain(`${section.code} ${section.title}`);
  });

  it('draws Chinese text with the embedded font', async () => {
    const { text } = await readPdf(render(chineseAnalysis()));
    expect(text).toContain('真空淬火后，40 件 WK-KN-200 主厨刀中有 3 件在刀枕附近出现橙色锈点。');
    expect(text).toContain('真空炉门密封圈磨损，淬火冷却过慢');
    expect(text).toContain('隔离 B-2026-1122-07 批次及之后所有可疑批次。');
  });

  it('falls back to the standard fonts, and says so, when the font package is missing', async () => {
    const report = buildRcaReport({ analysis: chineseAnalysis(), generatedAt: GENERATED_AT });
    const { text, raw } = await readPdf(renderPdf(report, { fonts: STANDARD_FONTS }));
    expect(text).toContain('Chinese text cannot be drawn');
    expect(text).toMatch(/\?{6}/);
    expect(text).toContain('Rust spot');
    expect(raw).toContain('/BaseFont /Helvetica');
  });

  it('cuts long causes on the fishbone page and lists every one in full in the table', async () => {
    const analysis = completeAnalysis();
    const rootCause = analysis.root_cause;
    if (!rootCause) throw new Error('the complete analysis has a root cause');
    const long = (index: number): FishboneCause => ({
      cause: `Candidate cause ${index}: the vacuum chamber door seal and the pump were both checked only after a failure, never on a schedule, so slow quenches went unnoticed for weeks (end ${index})`,
      status: index % 3 === 0 ? 'supported' : index % 3 === 1 ? 'untested' : 'ruled_out',
      citations: [],
    });
    const crowded = ConsolidatedAnalysis.parse({
      ...analysis,
      root_cause: {
        ...rootCause,
        ishikawa: {
          ...rootCause.ishikawa,
          machine: Array.from({ length: 12 }, (_, index) => long(index + 1)),
        },
      },
    });
    const read = await readPdf(render(crowded));
    expect(read.pageSizes.filter((size) => size === A4_LANDSCAPE)).toHaveLength(1);
    expect(read.text).toMatch(/\+\d+ more in the table/);
    expect(read.text).toContain('…');
    expect(read.text).toContain('never on a schedule, so slow quenches went unnoticed for weeks (end 12)');
    expect(Math.min(...read.fontSizes)).toBeGreaterThanOrEqual(7);
  });

  it('draws a JPEG or PNG photo, and says why another one is not drawn', async () => {
    const analysis = completeAnalysis();
    const png = await readPdf(render(analysis, { photo: { mediaType: 'image/png', bytes: photoPng() } }));
    expect(png.raw).toContain('/Subtype /Image');
    expect(png.text).toContain('The photo attached to the report');
    const webp = await readPdf(
      render(analysis, { photo: { mediaType: 'image/webp', bytes: Buffer.from('RIFF\0\0\0\0WEBPVP8 ') } }),
    );
    expect(webp.raw).not.toContain('/Subtype /Image');
    expect(webp.text).toContain('The photo is image/webp, which a PDF cannot embed');
    const broken = await readPdf(
      render(analysis, { photo: { mediaType: 'image/png', bytes: photoPng().subarray(0, 40) } }),
    );
    expect(broken.text).toContain('The photo could not be drawn');
  });
});
