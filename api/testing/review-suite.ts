import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewedAnalysis, ReviewEvent, type ConsolidatedAnalysis } from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from '../auth/api-keys.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import type { ReviewLearning } from '../use-cases/review.ts';
import {
  corpusKnowledgeBase,
  postJson,
  sendJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './harness.ts';

const RUST =
  'Orange rust spots on the blade flat after vacuum quench, lot failed salt spray at 400 h; ' +
  'hardness 57 HRC, spots 2 mm wide';

/** Records what the learning loop is told. */
function recordingLearning(): ReviewLearning & { learned: string[]; forgotten: string[] } {
  const learned: string[] = [];
  const forgotten: string[] = [];
  return {
    learned,
    forgotten,
    learn: ({ analysis }) => learned.push(`${analysis.defect_id}:${analysis.review.state}`),
    forget: ({ defectId }) => forgotten.push(defectId),
  };
}

/**
 * The review API over HTTP on one store adapter: every transition it allows and refuses, the
 * 409/412/428 paths, facility scoping, read-only keys and evaluation runs. `openStore` returns an
 * empty store, or undefined for the harness's SQLite one.
 */
export function describeReviewApi({
  name,
  openStore,
}: {
  name: string;
  openStore: () => Promise<{ store?: AnalysisStore; dispose(): Promise<void> }>;
}): void {
  describe(`review of an analysis: the 8D lifecycle over HTTP (${name})`, () => {
    let disposeStore: () => Promise<void> = async () => {};
    let knowledgeBase: EmbeddedKnowledgeBase;
    let server: TestServer;
    let api: string;
    const learning = recordingLearning();
    const keys: Record<'admin' | 'yangjiang' | 'shenzhen' | 'reader' | 'evaluator', string> = {
      admin: '',
      yangjiang: '',
      shenzhen: '',
      reader: '',
      evaluator: '',
    };
    const data = temporaryDirectory('api-review-');
    const now = () => new Date('2026-11-22T08:00:00Z');

    beforeAll(async () => {
      knowledgeBase = await corpusKnowledgeBase();
      const opened = await openStore();
      disposeStore = opened.dispose;
      server = await startTestServer({
        knowledgeBase,
        dataDir: data.directory,
        auth: 'required',
        learning,
        ...(opened.store ? { store: opened.store } : {}),
      });
      api = `${server.baseUrl}/api/v1`;
      const create = async (name: string, options: Partial<Parameters<typeof createApiKey>[0]> = {}) =>
        (await createApiKey({ store: server.store, name, facility: null, now, ...options })).key;
      keys.admin = await create('qa admin');
      keys.yangjiang = await create('yangjiang qa', { facility: 'yangjiang' });
      keys.shenzhen = await create('shenzhen qa', { facility: 'shenzhen' });
      keys.reader = await create('auditor', { readOnly: true });
      keys.evaluator = await create('evals', { evaluation: true });
    }, 120_000);

    afterAll(async () => {
      await server.close();
      await disposeStore();
      await knowledgeBase.close();
      data.remove();
    });

    const as = (key: keyof typeof keys, extra: Record<string, string> = {}) => ({
      'x-api-key': keys[key],
      ...extra,
    });

    async function analyze(
      body: Record<string, unknown>,
      key: keyof typeof keys = 'admin',
      extra: Record<string, string> = {},
    ): Promise<ConsolidatedAnalysis> {
      const response = await postJson(`${api}/analyze`, body, as(key, extra));
      expect(response.status).toBe(201);
      return (await response.json()) as ConsolidatedAnalysis;
    }

    async function read(defectId: string, key: keyof typeof keys = 'admin') {
      const response = await fetch(`${api}/analyses/${defectId}`, { headers: as(key) });
      expect(response.status).toBe(200);
      return {
        analysis: ReviewedAnalysis.parse(await response.json()),
        etag: response.headers.get('etag') ?? '',
      };
    }

    /** Sends one review write with the current ETag; returns the response and the next ETag. */
    async function write(
      method: 'POST' | 'PATCH' | 'DELETE',
      path: string,
      defectId: string,
      body: unknown,
      key: keyof typeof keys = 'admin',
    ) {
      const { etag } = await read(defectId);
      return sendJson(method, `${api}/analyses/${defectId}${path}`, body, as(key, { 'if-match': etag }));
    }

    it('takes an analysis from draft to closed, with every step in the audit trail', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang', product_sku: 'WK-KN-200' });
      const draft = await read(analysis.defect_id);
      expect(draft.etag).toMatch(/^"1\.[A-Za-z0-9_-]{16}"$/);
      expect(draft.analysis.review).toMatchObject({ state: 'draft', version: 1, reviewed_by: null });
      const actionIds = draft.analysis.review.actions.map((action) => action.id);
      expect(actionIds.length).toBeGreaterThan(0);

      const confirmed = await write('POST', '/review', analysis.defect_id, {
        decision: 'confirm',
        reviewer: 'Li Wei',
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers.get('etag')).toMatch(/^"2\./);
      expect(ReviewedAnalysis.parse(await confirmed.json()).review).toMatchObject({
        state: 'confirmed',
        reviewed_by: 'Li Wei',
      });

      const added = await write('POST', '/actions', analysis.defect_id, {
        type: 'preventive',
        description: 'Add a leak-rate check of the vacuum furnace door seal to the weekly PM',
        owner_role: 'Maintenance lead',
        due_date: '2026-12-20',
        effectiveness_check: { metric: 'furnace leak rate', threshold: 'below 5 µbar·l/s', window_days: 60 },
        reason: 'the seal was the cause on the line',
      });
      expect(added.status).toBe(201);
      const withAction = ReviewedAnalysis.parse(await added.json());
      expect(withAction.review.state).toBe('corrected');
      const newId = withAction.review.actions.at(-1)?.id ?? '';
      expect(newId).toBe(`A${actionIds.length + 1}`);

      const dropped = await write('DELETE', `/actions/${actionIds[0]}`, analysis.defect_id, {
        reason: 'duplicate of the containment already done',
      });
      expect(dropped.status).toBe(200);
      const remaining = ReviewedAnalysis.parse(await dropped.json()).review.actions.map(
        (action) => action.id,
      );
      expect(remaining).not.toContain(actionIds[0]);

      const early = await write('POST', '/review', analysis.defect_id, { decision: 'close' });
      expect(early.status).toBe(409);
      expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(
        /not verified effective/,
      );

      const unverifiable = await write('PATCH', `/actions/${newId}`, analysis.defect_id, {
        status: 'verified',
      });
      expect(unverifiable.status).toBe(409);

      for (const id of remaining) {
        expect(
          (await write('PATCH', `/actions/${id}`, analysis.defect_id, { status: 'in_progress' })).status,
        ).toBe(200);
        expect((await write('PATCH', `/actions/${id}`, analysis.defect_id, { status: 'done' })).status).toBe(
          200,
        );
        const verified = await write('PATCH', `/actions/${id}`, analysis.defect_id, {
          status: 'verified',
          evidence: 'no rust in 12 salt-spray lots since the seal change',
          reviewer: 'Chen Jing',
        });
        expect(verified.status).toBe(200);
        const action = ReviewedAnalysis.parse(await verified.json()).review.actions.find(
          (candidate) => candidate.id === id,
        );
        expect(action).toMatchObject({
          status: 'verified',
          status_changed_by: 'Chen Jing',
          effectiveness_evidence: 'no rust in 12 salt-spray lots since the seal change',
        });
        expect(action?.started_at).not.toBeNull();
        expect(action?.done_at).not.toBeNull();
        expect(action?.verified_at).not.toBeNull();
      }

      const closed = await write('POST', '/review', analysis.defect_id, { decision: 'close' });
      expect(closed.status).toBe(200);
      expect(ReviewedAnalysis.parse(await closed.json()).review).toMatchObject({
        state: 'closed',
        closed_by: 'qa admin',
      });
      const afterClose = await write('PATCH', `/actions/${newId}`, analysis.defect_id, {
        description: 'something else',
        reason: 'late idea',
      });
      expect(afterClose.status).toBe(409);

      const trail = await fetch(`${api}/analyses/${analysis.defect_id}/audit`, { headers: as('admin') });
      const events = ReviewEvent.array().parse(((await trail.json()) as { events: unknown }).events);
      expect(events.map((event) => event.kind)).toEqual([
        'confirmed',
        'action_added',
        'action_dropped',
        ...remaining.flatMap(() => [
          'action_status_changed',
          'action_status_changed',
          'action_status_changed',
        ]),
        'closed',
      ]);
      expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
      expect(events[0]?.actor).toEqual({
        name: 'Li Wei',
        api_key_id: expect.any(String),
        api_key_name: 'qa admin',
      });
      expect(events[2]).toMatchObject({
        target: actionIds[0],
        reason: 'duplicate of the containment already done',
      });
      expect(events.at(-1)).toMatchObject({ state_before: 'corrected', state_after: 'closed' });
      expect(learning.learned.at(-1)).toBe(`${analysis.defect_id}:closed`);
    });

    it('records each corrected field with its machine value, reason and author', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang' });
      const response = await write('POST', '/review', analysis.defect_id, {
        decision: 'correct',
        changes: { probable_stage: 'heat_treatment', category_6m: 'environment', disposition: 'HOLD' },
        reason: 'the tempering after quench ran short; the quench itself was fine',
      });
      expect(response.status).toBe(200);
      const { review } = ReviewedAnalysis.parse(await response.json());
      expect(review.state).toBe('corrected');
      expect(review.fields).toMatchObject({
        probable_stage: 'heat_treatment',
        category_6m: 'environment',
        disposition: 'HOLD',
      });
      expect(review.corrections.map((correction) => [correction.field, correction.after])).toEqual([
        ['disposition', 'HOLD'],
        ['probable_stage', 'heat_treatment'],
        ['category_6m', 'environment'],
      ]);
      expect(review.corrections.every((correction) => correction.by === 'qa admin')).toBe(true);
      expect(review.corrections.find((correction) => correction.field === 'probable_stage')?.before).toBe(
        analysis.root_cause?.probable_stage,
      );
      const listed = (await (
        await fetch(`${api}/analyses?review_state=corrected&type=rust_spot`, { headers: as('admin') })
      ).json()) as { items: Array<{ defect_id: string }> };
      expect(listed.items.map((item) => item.defect_id)).toContain(analysis.defect_id);
      const same = await write('POST', '/review', analysis.defect_id, {
        decision: 'correct',
        changes: { probable_stage: 'heat_treatment' },
        reason: 'again',
      });
      expect(same.status).toBe(409);
      expect(learning.learned).toContain(`${analysis.defect_id}:corrected`);
    });

    it('refuses a write without If-Match (428), on a stale ETag (412), and a second confirmation (409)', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang' });
      const url = `${api}/analyses/${analysis.defect_id}/review`;
      const missing = await sendJson('POST', url, { decision: 'confirm' }, as('admin'));
      expect(missing.status).toBe(428);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
        'precondition_required',
      );
      const { etag } = await read(analysis.defect_id);
      expect(
        (await sendJson('POST', url, { decision: 'confirm' }, as('admin', { 'if-match': etag }))).status,
      ).toBe(200);
      const stale = await sendJson(
        'POST',
        url,
        { decision: 'reject', reason: 'not a defect' },
        as('admin', { 'if-match': etag }),
      );
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('precondition_failed');
      const twice = await write('POST', '/review', analysis.defect_id, { decision: 'confirm' });
      expect(twice.status).toBe(409);
      const trail = await fetch(`${api}/analyses/${analysis.defect_id}/audit`, { headers: as('admin') });
      expect(((await trail.json()) as { events: unknown[] }).events).toHaveLength(1);
    });

    it('answers 304 to If-None-Match with the current ETag', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang' });
      const { etag } = await read(analysis.defect_id);
      const cached = await fetch(`${api}/analyses/${analysis.defect_id}`, {
        headers: as('admin', { 'if-none-match': etag }),
      });
      expect(cached.status).toBe(304);
    });

    it('rejects a report that was not a defect, tells the learning loop to forget it, and reopens it as a draft', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang' });
      const rejected = await write('POST', '/review', analysis.defect_id, {
        decision: 'reject',
        reason: 'the spots were oil residue and wiped off',
      });
      expect(rejected.status).toBe(200);
      expect(ReviewedAnalysis.parse(await rejected.json()).review).toMatchObject({
        state: 'rejected',
        rejected_reason: 'the spots were oil residue and wiped off',
        fields: { defect_type: 'none', severity: 'none', disposition: 'PASS' },
      });
      expect(learning.forgotten).toContain(analysis.defect_id);
      expect((await write('POST', '/review', analysis.defect_id, { decision: 'confirm' })).status).toBe(409);
      const reopened = await write('POST', '/review', analysis.defect_id, {
        decision: 'reopen',
        reason: 'lab found corrosion under the residue',
      });
      expect(reopened.status).toBe(200);
      expect(ReviewedAnalysis.parse(await reopened.json()).review).toMatchObject({
        state: 'draft',
        fields: { defect_type: analysis.classification?.defect_type },
      });
    });

    it('refuses bad review input with 400 and an unknown action with 404', async () => {
      const analysis = await analyze({ description: RUST, facility: 'yangjiang' });
      const bad = [
        { decision: 'approve' },
        { decision: 'correct', changes: {}, reason: 'nothing' },
        { decision: 'correct', changes: { defect_type: 'rusty' }, reason: 'typo' },
        { decision: 'reject' },
        { decision: 'confirm', extra: true },
      ];
      for (const body of bad) {
        expect((await write('POST', '/review', analysis.defect_id, body)).status).toBe(400);
      }
      expect((await write('PATCH', '/actions/A99', analysis.defect_id, { status: 'done' })).status).toBe(404);
      expect((await write('PATCH', '/actions/first', analysis.defect_id, { status: 'done' })).status).toBe(
        400,
      );
      expect((await write('PATCH', '/actions/A1', analysis.defect_id, { status: 'done' })).status).toBe(409);
    });

    it('lets a facility key review only its facility, and refuses every write of a read-only key', async () => {
      const shenzhen = await analyze({ description: RUST, facility: 'shenzhen' }, 'shenzhen');
      const foreign = await write(
        'POST',
        '/review',
        shenzhen.defect_id,
        { decision: 'confirm' },
        'yangjiang',
      );
      expect(foreign.status).toBe(404);
      const foreignTrail = await fetch(`${api}/analyses/${shenzhen.defect_id}/audit`, {
        headers: as('yangjiang'),
      });
      expect(foreignTrail.status).toBe(404);
      const listed = (await (await fetch(`${api}/analyses`, { headers: as('yangjiang') })).json()) as {
        items: ConsolidatedAnalysis[];
      };
      expect(listed.items.every((item) => item.report.facility === 'yangjiang')).toBe(true);
      expect(
        (await write('POST', '/review', shenzhen.defect_id, { decision: 'confirm' }, 'shenzhen')).status,
      ).toBe(200);

      expect((await fetch(`${api}/analyses/${shenzhen.defect_id}`, { headers: as('reader') })).status).toBe(
        200,
      );
      const readOnly = await write('POST', '/review', shenzhen.defect_id, { decision: 'close' }, 'reader');
      expect(readOnly.status).toBe(403);
      expect((await postJson(`${api}/analyze`, { description: RUST }, as('reader'))).status).toBe(403);
    });

    it('keeps evaluation runs out of history, stats and the learning loop', async () => {
      const before = (await (await fetch(`${api}/stats`, { headers: as('admin') })).json()) as {
        total_analyses: number;
      };
      const byHeader = await analyze({ description: RUST, facility: 'yangjiang' }, 'admin', {
        'x-evaluation-run': 'eval-20261122-a1',
      });
      const byKey = await analyze({ description: RUST, facility: 'yangjiang' }, 'evaluator');
      const after = (await (await fetch(`${api}/stats`, { headers: as('admin') })).json()) as {
        total_analyses: number;
      };
      expect(after.total_analyses).toBe(before.total_analyses);
      const listed = (await (await fetch(`${api}/analyses?limit=200`, { headers: as('admin') })).json()) as {
        items: Array<{ defect_id: string }>;
      };
      const ids = listed.items.map((item) => item.defect_id);
      expect(ids).not.toContain(byHeader.defect_id);
      expect(ids).not.toContain(byKey.defect_id);
      const withEvaluations = (await (
        await fetch(`${api}/analyses?limit=200&include_evaluation=true`, { headers: as('admin') })
      ).json()) as { items: Array<{ defect_id: string }> };
      expect(withEvaluations.items.map((item) => item.defect_id)).toEqual(
        expect.arrayContaining([byHeader.defect_id, byKey.defect_id]),
      );
      expect((await write('POST', '/review', byHeader.defect_id, { decision: 'confirm' })).status).toBe(200);
      expect(learning.learned.some((entry) => entry.startsWith(byHeader.defect_id))).toBe(false);
      const badRun = await postJson(
        `${api}/analyze`,
        { description: RUST },
        as('admin', { 'x-evaluation-run': 'no spaces allowed' }),
      );
      expect(badRun.status).toBe(400);
    });

    it('filters the listing by text and review state, with cursor pagination', async () => {
      const marker = await analyze({
        description: `${RUST}; batch marker ZX-RARE-77`,
        facility: 'yangjiang',
      });
      const byText = (await (
        await fetch(`${api}/analyses?text=zx-rare-77`, { headers: as('admin') })
      ).json()) as { items: Array<{ defect_id: string }> };
      expect(byText.items.map((item) => item.defect_id)).toEqual([marker.defect_id]);
      const first = (await (await fetch(`${api}/analyses?limit=2`, { headers: as('admin') })).json()) as {
        items: Array<{ defect_id: string }>;
        next_cursor: string | null;
      };
      expect(first.items).toHaveLength(2);
      const second = (await (
        await fetch(`${api}/analyses?limit=2&cursor=${first.next_cursor ?? ''}`, { headers: as('admin') })
      ).json()) as { items: Array<{ defect_id: string }> };
      expect(second.items.map((item) => item.defect_id)).not.toContain(first.items[0]?.defect_id);
      expect((await fetch(`${api}/analyses?review_state=approved`, { headers: as('admin') })).status).toBe(
        400,
      );
    });
  });
}
