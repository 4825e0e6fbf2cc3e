import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolidatedAnalysis, type ConsolidatedAnalysis as Analysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
  reviewAnalysis,
} from './testing/harness.ts';

const RUST = {
  description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
  facility: 'yangjiang',
  product_sku: 'WK-KN-200',
  batch_id: 'YJ-2611-014',
};
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Array<{ path: string }> };
}

describe('HTTP API', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  const data = temporaryDirectory('api-test-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory });
    api = `${server.baseUrl}/api/v1`;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  async function analyze(body: unknown = RUST): Promise<Analysis> {
    const response = await postJson(`${api}/analyze`, body);
    expect(response.status).toBe(201);
    return ConsolidatedAnalysis.parse(await response.json());
  }

  it('answers liveness and readiness', async () => {
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${server.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { knowledge_base: { ok: true }, store: { ok: true } },
    });
  });

  it('analyses a report, stores it and returns it by id', async () => {
    const response = await postJson(`${api}/analyze`, RUST);
    expect(response.status).toBe(201);
    const analysis = ConsolidatedAnalysis.parse(await response.json());
    expect(analysis.defect_id).toMatch(/^DEF-20261122-[0-9A-F]{8}$/);
    expect(response.headers.get('location')).toBe(`/api/v1/analyses/${analysis.defect_id}`);
    expect(analysis.status).toBe('complete');
    expect(analysis.classification?.defect_type).toBe('rust_spot');
    expect(analysis.root_cause?.probable_stage).toBe('vacuum_quench');
    expect(analysis.corrective_actions?.length).toBeGreaterThanOrEqual(4);
    const stored = await fetch(`${api}/analyses/${analysis.defect_id}`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({
      ...analysis,
      review: expect.objectContaining({ state: 'draft', version: 1 }),
    });
  });

  it.each<[string, RequestInit, number, string]>([
    [
      'an unknown facility',
      {
        body: JSON.stringify({ description: 'chip', facility: 'berlin' }),
        headers: { 'content-type': 'application/json' },
      },
      400,
      'validation_error',
    ],
    [
      'no description and no image',
      { body: JSON.stringify({ facility: 'yangjiang' }), headers: { 'content-type': 'application/json' } },
      400,
      'validation_error',
    ],
    [
      'broken JSON',
      { body: '{"description": ', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    ],
    [
      'a text body',
      { body: 'rust on blades', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    [
      'a body over 1 MB',
      {
        body: JSON.stringify({ description: 'x'.repeat(1_100_000) }),
        headers: { 'content-type': 'application/json' },
      },
      413,
      'payload_too_large',
    ],
  ])('rejects %s', async (_name, init, status, code) => {
    const response = await fetch(`${api}/analyze`, { method: 'POST', ...init });
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    expect(body.error.requestId).toMatch(/^req-\d+$/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('returns the same analysis for a retried Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'retry-test-0001' };
    const first = await postJson(`${api}/analyze`, RUST, headers);
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as Analysis;
    const retry = await postJson(`${api}/analyze`, RUST, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as Analysis).defect_id).toBe(firstBody.defect_id);
    const page = (await (await fetch(`${api}/defects?limit=200`)).json()) as {
      items: Array<{ defect_id: string }>;
    };
    expect(page.items.filter((item) => item.defect_id === firstBody.defect_id)).toHaveLength(1);
    const conflict = await postJson(`${api}/analyze`, { ...RUST, batch_id: 'OTHER' }, headers);
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as ErrorBody).error.code).toBe('conflict');
  });

  it('streams stage events in order with Accept: text/event-stream', async () => {
    const response = await postJson(`${api}/analyze`, RUST, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(events).toEqual(['accepted', 'classification', 'root_cause', 'actions', 'done']);
    const done = text.split('event: done\ndata: ')[1] ?? '';
    expect(ConsolidatedAnalysis.parse(JSON.parse(done.trim())).status).toBe('complete');
  });

  it('accepts a photo with the report as multipart, checked by its magic bytes', async () => {
    const form = new FormData();
    form.set('report', JSON.stringify(RUST));
    form.set('image', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const response = await fetch(`${api}/analyze`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const analysis = (await response.json()) as Analysis;
    expect(analysis.report.image).toMatchObject({ media_type: 'image/png' });
    expect(analysis.report.image?.uri).toMatch(/^local:\/\/[0-9a-f]{64}\.png$/);

    const fake = new FormData();
    fake.set('description', 'rust spots');
    fake.set(
      'image',
      new Blob([new TextEncoder().encode('not an image at all')], { type: 'image/png' }),
      'fake.png',
    );
    const rejected = await fetch(`${api}/analyze`, { method: 'POST', body: fake });
    expect(rejected.status).toBe(415);
  });

  it('answers 422 for an image without text when no vision model is configured', async () => {
    const form = new FormData();
    form.set('facility', 'yangjiang');
    form.set('image', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const response = await fetch(`${api}/analyze`, { method: 'POST', body: form });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/cannot read images/);
  });

  it('refuses an image over 16 MB with 413', async () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 10);
    big.set(PNG);
    const form = new FormData();
    form.set('description', 'photo of scratches');
    form.set('image', new Blob([big], { type: 'image/png' }), 'big.png');
    const response = await fetch(`${api}/analyze`, { method: 'POST', body: form });
    expect(response.status).toBe(413);
  });

  it('runs a batch in the background and reports progress and per-item results', async () => {
    const reports = [
      RUST,
      { description: 'Pinholes in the bolster weld seam' },
      { description: 'no defects found, all within spec' },
    ];
    const response = await postJson(`${api}/analyze/batch`, { reports });
    expect(response.status).toBe(202);
    const job = (await response.json()) as {
      job_id: string;
      total: number;
      items: Array<{ defect_id: string }>;
    };
    expect(job.total).toBe(3);
    const pending = await fetch(`${api}/analyses/${job.items[0]?.defect_id}`);
    expect(pending.status).toBe(200);
    await server.dependencies.jobs.idle();
    const done = (await (await fetch(`${api}/jobs/${job.job_id}`)).json()) as {
      status: string;
      done: number;
      progress: number;
      items: Array<{ status: string }>;
    };
    expect(done).toMatchObject({ status: 'complete', done: 3, progress: 1 });
    expect(done.items.map((item) => item.status)).toEqual(['complete', 'complete', 'complete']);
    const tooMany = await postJson(`${api}/analyze/batch`, {
      reports: Array.from({ length: 51 }, () => RUST),
    });
    expect(tooMany.status).toBe(400);
    expect((await fetch(`${api}/jobs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('renders the full RCA report as JSON, Markdown, standalone HTML with an inline fishbone, and PDF', async () => {
    const analysis = await analyze();
    const json = await fetch(`${api}/analyses/${analysis.defect_id}/report?format=json`);
    expect(json.status).toBe(200);
    const model = (await json.json()) as Record<string, unknown>;
    for (const section of [
      'd0_emergency_response',
      'd2_problem_statement',
      'd3_containment',
      'd4_root_causes',
      'd5_corrective_actions',
      'd7_prevention',
      'd8_closure',
    ]) {
      expect(model).toHaveProperty(section);
    }
    const markdown = await (await fetch(`${api}/analyses/${analysis.defect_id}/report?format=md`)).text();
    expect(markdown).toMatch(/D4/);
    expect(markdown).toMatch(/\|.*Question.*\|/i);
    const html = await fetch(`${api}/analyses/${analysis.defect_id}/report?format=html`);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    expect(page.startsWith('<!doctype html>') || page.startsWith('<!DOCTYPE html>')).toBe(true);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    for (const branch of ['man', 'machine', 'method', 'material', 'measurement', 'environment'])
      expect(svg.toLowerCase()).toContain(branch);
    expect(page).not.toMatch(/<script/i);
    const pdf = await fetch(`${api}/analyses/${analysis.defect_id}/report?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await fetch(`${api}/analyses/${analysis.defect_id}/report?format=docx`)).status).toBe(400);
  });

  it('answers follow-up questions with citations and keeps the conversation', async () => {
    const analysis = await analyze();
    const asked = await postJson(`${api}/analyses/${analysis.defect_id}/questions`, {
      question: 'Why did this happen?',
    });
    expect(asked.status).toBe(201);
    const exchange = (await asked.json()) as {
      answer: string;
      agent: string;
      citations: Array<{ chunk_id: string }>;
    };
    expect(exchange.agent).toBe('root-cause');
    expect(exchange.citations.length).toBeGreaterThan(0);
    await postJson(`${api}/analyses/${analysis.defect_id}/questions`, {
      question: 'Who owns the containment?',
    });
    const list = (await (await fetch(`${api}/analyses/${analysis.defect_id}/questions`)).json()) as {
      questions: Array<{ question: string; agent: string }>;
    };
    expect(list.questions.map((item) => item.agent)).toEqual(['root-cause', 'corrective-action']);
    expect(
      (await postJson(`${api}/analyses/DEF-20261122-FFFFFFFF/questions`, { question: 'Why?' })).status,
    ).toBe(404);
    expect((await postJson(`${api}/analyses/${analysis.defect_id}/questions`, { question: '' })).status).toBe(
      400,
    );
  });

  it('lists defects newest first with filters and cursor pagination, and computes stats', async () => {
    const weld = await analyze({
      description: 'Pinholes and porosity along the bolster weld seam',
      facility: 'shenzhen',
    });
    expect((await reviewAnalysis({ api, defectId: weld.defect_id })).status).toBe(200);
    const first = (await (await fetch(`${api}/defects?limit=2`)).json()) as {
      items: Array<{ created_at: string; defect_id: string }>;
      next_cursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = (await (await fetch(`${api}/defects?limit=2&cursor=${first.next_cursor}`)).json()) as {
      items: Array<{ defect_id: string }>;
    };
    expect(second.items.map((item) => item.defect_id)).not.toContain(first.items[0]?.defect_id);
    const shenzhen = (await (await fetch(`${api}/defects?facility=shenzhen`)).json()) as {
      items: Array<{ facility: string; defect_type: string }>;
    };
    expect(shenzhen.items.length).toBeGreaterThan(0);
    expect(shenzhen.items.every((item) => item.facility === 'shenzhen')).toBe(true);
    const welds = (await (await fetch(`${api}/defects?type=weld_defect`)).json()) as {
      items: Array<{ defect_type: string }>;
    };
    expect(welds.items.every((item) => item.defect_type === 'weld_defect')).toBe(true);
    expect((await fetch(`${api}/defects?since=yesterday`)).status).toBe(400);
    const stats = (await (await fetch(`${api}/stats`)).json()) as {
      total_analyses: number;
      defects_detected: number;
      defect_rate: number;
      by_type: Record<string, number>;
      by_review_state: Record<string, number>;
      confirmed_analyses: number;
      top_root_causes: unknown[];
    };
    expect(stats.by_review_state.confirmed).toBe(1);
    expect(stats.confirmed_analyses).toBe(1);
    expect(stats.total_analyses).toBeGreaterThan(3);
    expect(stats.by_type.rust_spot).toBeGreaterThan(0);
    expect(stats.defect_rate).toBeCloseTo(stats.defects_detected / stats.total_analyses, 3);
    expect(stats.top_root_causes.length).toBeGreaterThan(0);
  });

  it('serves the vocabulary, the OpenAPI document and the docs page', async () => {
    const types = (await (await fetch(`${api}/defect-types`)).json()) as { defect_types: unknown[] };
    expect(types.defect_types).toHaveLength(13);
    const stages = (await (await fetch(`${api}/production-stages`)).json()) as { stages: unknown[] };
    expect(stages.stages).toHaveLength(12);
    expect(
      ((await (await fetch(`${api}/facilities`)).json()) as { facilities: unknown[] }).facilities,
    ).toHaveLength(3);
    const openapi = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/api/v1/analyze');
    expect(openapi.components.schemas).toHaveProperty('ConsolidatedAnalysis');
    const docs = await (await fetch(`${server.baseUrl}/docs`)).text();
    expect(docs).toContain('/api/v1/analyses/{id}/report');
  });

  it('keeps the knowledge search and answers unknown routes with 404', async () => {
    const search = (await (
      await fetch(`${api}/knowledge/search?q=leak+rate+quench&doc_type=sop`)
    ).json()) as { passages: Array<{ doc_type: string }> };
    expect(search.passages.length).toBeGreaterThan(0);
    expect(search.passages.every((passage) => passage.doc_type === 'sop')).toBe(true);
    const missing = await fetch(`${api}/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('not_found');
    expect((await fetch(`${api}/analyses/not-an-id`)).status).toBe(400);
    expect((await fetch(`${api}/analyses/DEF-20261122-FFFFFFFF`)).status).toBe(404);
  });
});
