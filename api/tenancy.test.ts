import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
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
  'Orange rust spots on the blade flat after vacuum quench, lot failed salt spray at 400 h; ' +
  'hardness 57 HRC, spots 2 mm wide';

const QUESTIONS = [
  'Has this defect happened before, and how often? Which earlier defects recur?',
  'Which corrective actions should we take and what did similar past cases do?',
  'Why did it happen?',
];

/** The past-defect record ids (DEF-…) a text names. */
function defectIds(text: string): string[] {
  return [...new Set(text.match(/DEF-\d{8}-[0-9A-F]{8}/g) ?? [])];
}

describe('a facility-scoped key sees nothing of another facility through the agents', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let shenzhenKey: string;
  let adminKey: string;
  let yangjiangKey: string;
  const shenzhenIds: string[] = [];
  const data = temporaryDirectory('api-tenancy-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory, auth: 'required' });
    api = `${server.baseUrl}/api/v1`;
    const key = async (name: string, facility: 'shenzhen' | 'yangjiang' | null) =>
      (await createApiKey({ store: server.store, name, facility, now })).key;
    shenzhenKey = await key('shenzhen qa', 'shenzhen');
    adminKey = await key('qa admin', null);
    yangjiangKey = await key('yangjiang qa', 'yangjiang');
    // Four shenzhen reports of the same defect: two with the shenzhen key, two with an unscoped key.
    for (const [index, apiKey] of [shenzhenKey, shenzhenKey, adminKey, adminKey].entries()) {
      const response = await postJson(
        `${api}/analyze`,
        { description: RUST_REPORT, facility: 'shenzhen', batch_id: `SZ-2611-${index}` },
        { 'x-api-key': apiKey },
      );
      expect(response.status).toBe(201);
      const analysis = (await response.json()) as ConsolidatedAnalysis;
      expect(analysis.report.facility).toBe('shenzhen');
      shenzhenIds.push(analysis.defect_id);
      // Recurrence counts confirmed cases: a QA engineer confirms each one.
      const confirmed = await reviewAnalysis({
        api,
        defectId: analysis.defect_id,
        headers: { 'x-api-key': apiKey },
      });
      expect(confirmed.status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it('the shenzhen history is there to leak: an unscoped analysis of shenzhen counts it', async () => {
    const response = await postJson(
      `${api}/analyze`,
      { description: RUST_REPORT, facility: 'shenzhen' },
      { 'x-api-key': adminKey },
    );
    const text = JSON.stringify(await response.json());
    expect(shenzhenIds.some((id) => text.includes(id))).toBe(true);
  });

  it('a yangjiang analysis, its report and its follow-up answers name no shenzhen defect', async () => {
    const headers = { 'x-api-key': yangjiangKey };
    const response = await postJson(`${api}/analyze`, { description: RUST_REPORT }, headers);
    expect(response.status).toBe(201);
    const analysis = (await response.json()) as ConsolidatedAnalysis;
    expect(analysis.report.facility).toBe('yangjiang');
    expect(analysis.corrective_actions?.length).toBeGreaterThan(0);

    const texts: Array<[string, string]> = [
      ['analysis', JSON.stringify(analysis)],
      ['actions', JSON.stringify(analysis.corrective_actions)],
    ];
    for (const format of ['json', 'md', 'html']) {
      const report = await fetch(`${api}/analyses/${analysis.defect_id}/report?format=${format}`, {
        headers,
      });
      expect(report.status).toBe(200);
      texts.push([`report ${format}`, await report.text()]);
    }
    for (const question of QUESTIONS) {
      const answer = await postJson(`${api}/analyses/${analysis.defect_id}/questions`, { question }, headers);
      expect(answer.status).toBe(201);
      texts.push([`answer to "${question}"`, await answer.text()]);
    }
    const stored = await fetch(`${api}/analyses/${analysis.defect_id}/questions`, { headers });
    texts.push(['stored questions', await stored.text()]);

    const shenzhenRecords = new Set(
      (await knowledgeBase.retrieve({ query: RUST_REPORT, k: 100, filter: { facility: 'shenzhen' } })).map(
        (passage) => passage.metadata.source_id,
      ),
    );
    for (const [what, text] of texts) {
      expect(
        shenzhenIds.filter((id) => text.includes(id)),
        what,
      ).toEqual([]);
      expect(
        defectIds(text).filter((id) => shenzhenRecords.has(id)),
        what,
      ).toEqual([]);
    }
  });

  it('a yangjiang key searching the knowledge base finds only yangjiang records', async () => {
    const headers = { 'x-api-key': yangjiangKey };
    const search = await fetch(
      `${api}/knowledge/search?q=${encodeURIComponent(RUST_REPORT)}&doc_type=past_defect&k=50`,
      { headers },
    );
    expect(search.status).toBe(200);
    const { passages } = (await search.json()) as { passages: Array<{ metadata: { facilities: string[] } }> };
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.every((passage) => passage.metadata.facilities.includes('yangjiang'))).toBe(true);
    const other = await fetch(`${api}/knowledge/search?q=rust&facility=shenzhen`, { headers });
    expect(other.status).toBe(403);
  });
});
