import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RcaReport } from './reports/index.ts';
import { photoPng } from './reports/testing/fixtures.ts';
import type { ReviewedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from './auth/api-keys.ts';
import {
  corpusKnowledgeBase,
  postJson,
  reviewAnalysis,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

const RUST_REPORT =
  'Orange rust spots on the bolster of 3 of 40 WK-KN-200 chef knives after vacuum quench; salt spray failed at 300 h';

async function pdfText(bytes: ArrayBuffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total };
  } finally {
    await parser.destroy();
  }
}

describe('the photo and the 8D report of an analysis over HTTP', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let yangjiang: Record<string, string>;
  let shenzhen: Record<string, string>;
  let withPhoto: ReviewedAnalysis;
  let withoutPhoto: ReviewedAnalysis;
  const photo = photoPng();
  const data = temporaryDirectory('api-report-routes-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory, auth: 'required' });
    api = `${server.baseUrl}/api/v1`;
    const key = async (name: string, facility: 'shenzhen' | 'yangjiang') => ({
      'x-api-key': (await createApiKey({ store: server.store, name, facility, now })).key,
    });
    yangjiang = await key('yangjiang qa', 'yangjiang');
    shenzhen = await key('shenzhen qa', 'shenzhen');
    const form = new FormData();
    form.set('description', RUST_REPORT);
    form.set('product_sku', 'WK-KN-200');
    form.set('image', new Blob([photo], { type: 'image/png' }), 'photo.png');
    const created = await fetch(`${api}/analyze`, { method: 'POST', headers: yangjiang, body: form });
    expect(created.status).toBe(201);
    withPhoto = (await created.json()) as ReviewedAnalysis;
    const plain = await postJson(`${api}/analyze`, { description: RUST_REPORT }, yangjiang);
    expect(plain.status).toBe(201);
    withoutPhoto = (await plain.json()) as ReviewedAnalysis;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await knowledgeBase?.close();
    data.remove();
  });

  it('answers the stored photo with its media type', async () => {
    const response = await fetch(`${api}/analyses/${withPhoto.defect_id}/image`, { headers: yangjiang });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const received = Buffer.from(await response.arrayBuffer());
    expect(received.equals(Buffer.from(photo))).toBe(true);
  });

  it('answers 404 in the JSON error shape for an analysis without a photo', async () => {
    const response = await fetch(`${api}/analyses/${withoutPhoto.defect_id}/image`, { headers: yangjiang });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error).toMatchObject({
      code: 'not_found',
      message: `analysis ${withoutPhoto.defect_id} has no photo`,
    });
    expect(body.error.requestId).toBeTruthy();
  });

  it('answers a photo sent inline as base64, and 404 when the inline content is not an image', async () => {
    const inline = async (data: string) => {
      const created = await postJson(
        `${api}/analyze`,
        { description: RUST_REPORT, image: { media_type: 'image/png', data_base64: data } },
        yangjiang,
      );
      expect(created.status).toBe(201);
      const { defect_id: id } = (await created.json()) as ReviewedAnalysis;
      return fetch(`${api}/analyses/${id}/image`, { headers: yangjiang });
    };
    const good = await inline(Buffer.from(photo).toString('base64'));
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await good.arrayBuffer()).equals(Buffer.from(photo))).toBe(true);
    const bad = await inline(Buffer.from('not an image at all').toString('base64'));
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /is not a JPEG, PNG or WebP image$/,
    );
  });

  it("answers 404, as for a missing analysis, to another facility's key", async () => {
    for (const path of ['image', 'report?format=pdf', 'report?format=html']) {
      const response = await fetch(`${api}/analyses/${withPhoto.defect_id}/${path}`, { headers: shenzhen });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: 'not_found', message: `no analysis ${withPhoto.defect_id}` });
    }
  });

  it('shows the photo in the HTML report as a data URI that its CSP allows', async () => {
    const response = await fetch(`${api}/analyses/${withPhoto.defect_id}/report?format=html`, {
      headers: yangjiang,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain('img-src data:');
    const html = await response.text();
    expect(html).toContain(`src="data:image/png;base64,${Buffer.from(photo).toString('base64')}"`);
    expect(html).toContain('Unconfirmed machine draft');
  });

  it(
    'exports a reviewed analysis as a PDF with the review, the corrections and the audit trail',
    { timeout: 60_000 },
    async () => {
      const current = await fetch(`${api}/analyses/${withPhoto.defect_id}`, { headers: yangjiang });
      const analysis = (await current.json()) as ReviewedAnalysis;
      const disposition = analysis.review.fields.disposition === 'HOLD' ? 'SCRAP' : 'HOLD';
      const corrected = await reviewAnalysis({
        api,
        defectId: withPhoto.defect_id,
        headers: yangjiang,
        changes: { disposition },
      });
      expect(corrected.status).toBe(200);

      const response = await fetch(`${api}/analyses/${withPhoto.defect_id}/report?format=pdf`, {
        headers: yangjiang,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        `inline; filename="${withPhoto.defect_id}-rca.pdf"`,
      );
      const bytes = await response.arrayBuffer();
      expect(Buffer.from(bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { text, pages } = await pdfText(bytes);
      expect(pages).toBeGreaterThan(3);
      expect(text).toContain('Corrected by a person');
      expect(text).toContain(`${disposition} [corrected]`);
      expect(text).toContain('checked on the line');
      expect(text).toContain('Audit trail');
      expect(text).toContain('yangjiang qa');
      expect(text).toContain('The photo attached to the report');

      const json = await fetch(`${api}/analyses/${withPhoto.defect_id}/report?format=json`, {
        headers: yangjiang,
      });
      const report = RcaReport.parse(await json.json());
      expect(report.review.state).toBe('corrected');
      expect(report.review.corrections).toMatchObject([{ field: 'disposition', after: disposition }]);
      expect(report.audit_trail.events.map((event) => event.kind)).toContain('corrected');
      expect(report.evidence.image).toEqual({
        media_type: 'image/png',
        url: `/api/v1/analyses/${withPhoto.defect_id}/image`,
      });
    },
  );

  it('refuses a format it does not know with 400', async () => {
    const response = await fetch(`${api}/analyses/${withPhoto.defect_id}/report?format=docx`, {
      headers: yangjiang,
    });
    expect(response.status).toBe(400);
  });
});
