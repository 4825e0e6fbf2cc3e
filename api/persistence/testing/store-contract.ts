import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ConsolidatedAnalysis,
  type ProductionStage,
} from '../../../domain/index.ts';
import { summarize } from '../../../action-groups/recurrence/defect-history.ts';
import type { AnalysisQuery, AnalysisStore } from '../analysis-store.ts';
import {
  fixtureTime,
  makeAnalysis,
  makeApiKey,
  makeAuditEntry,
  makeExchange,
  makeJob,
  makeReview,
  makeReviewEvent,
  type AnalysisFixtureOptions,
} from './fixtures.ts';

/** What a contract run needs from an adapter: an empty store and a way to dispose of it. */
export interface AnalysisStoreUnderTest {
  store: AnalysisStore;
  cleanup(): Promise<void>;
}

/**
 * The analyses of the contract's dataset. `n` is the hour after the fixture epoch at which each
 * was created (scratch1 and scratch2 share hour 3, so the defect id breaks the tie).
 */
const DATASET = {
  rust1: { n: 1, facility: 'yangjiang', productSku: 'WK-KN-200', defectType: 'rust_spot' },
  rust2: { n: 2, facility: 'yangjiang', productSku: 'WK-KN-150', defectType: 'rust_spot' },
  scratch1: {
    n: 3,
    createdAt: fixtureTime(3),
    facility: 'shenzhen',
    productSku: 'WK-KN-200',
    defectType: 'blade_scratch',
    severity: 'minor',
    category6m: 'method',
  },
  scratch2: {
    n: 4,
    createdAt: fixtureTime(3),
    facility: 'shenzhen',
    productSku: 'WK-CI-200',
    defectType: 'blade_scratch',
    severity: 'minor',
    category6m: 'method',
  },
  rust3: { n: 5, createdAt: fixtureTime(4), facility: 'hongkong', productSku: 'WK-KN-200' },
  rust4: { n: 6, createdAt: fixtureTime(5), facility: 'yangjiang', productSku: 'WK-KN-200' },
  handle: {
    n: 7,
    createdAt: fixtureTime(6),
    facility: 'yangjiang',
    productSku: 'WK-SC-200',
    defectType: 'handle_crack',
    severity: 'major',
    category6m: 'material',
  },
  partialRust: {
    n: 8,
    createdAt: fixtureTime(7),
    status: 'partial',
    facility: 'shenzhen',
    productSku: 'WK-KN-200',
    stage: null,
  },
  clean: {
    n: 9,
    createdAt: fixtureTime(8),
    facility: 'hongkong',
    productSku: 'WK-KN-100',
    defectType: 'none',
  },
  unknown: {
    n: 10,
    createdAt: fixtureTime(9),
    facility: 'yangjiang',
    productSku: null,
    defectType: 'unknown',
    severity: 'major',
  },
  pending: { n: 11, createdAt: fixtureTime(10), status: 'pending', facility: 'yangjiang' },
  failed: { n: 12, createdAt: fixtureTime(11), status: 'failed', facility: 'shenzhen', productSku: null },
} satisfies Record<string, AnalysisFixtureOptions>;

type DatasetKey = keyof typeof DATASET;

/** The dataset, newest first by (created_at, defect_id). */
const NEWEST_FIRST: DatasetKey[] = [
  'failed',
  'pending',
  'unknown',
  'clean',
  'partialRust',
  'handle',
  'rust4',
  'rust3',
  'scratch2',
  'scratch1',
  'rust2',
  'rust1',
];

/** Insertion order, shuffled so that no test passes by returning rows in insertion order. */
const INSERTION_ORDER: DatasetKey[] = [
  'scratch1',
  'pending',
  'rust3',
  'failed',
  'rust1',
  'clean',
  'scratch2',
  'unknown',
  'handle',
  'rust2',
  'partialRust',
  'rust4',
];

/** The analyses of the dataset a person confirmed; the others stay machine drafts. */
const CONFIRMED: DatasetKey[] = ['rust2', 'rust3', 'rust4', 'scratch1', 'scratch2', 'handle'];

type Dataset = Record<DatasetKey, ConsolidatedAnalysis>;

function buildDataset(): Dataset {
  const entries = Object.entries(DATASET).map(([key, options]) => [key, makeAnalysis(options)] as const);
  return Object.fromEntries(entries) as Dataset;
}

/**
 * The AnalysisStore contract: every adapter (SQLite, PostgreSQL, …) must pass it. `create`
 * returns an empty, migrated store; `cleanup` closes it and removes what it created.
 */
export function describeAnalysisStoreContract(
  name: string,
  create: () => Promise<AnalysisStoreUnderTest>,
): void {
  describe(`AnalysisStore contract: ${name}`, () => {
    let subject: AnalysisStoreUnderTest;
    let store: AnalysisStore;
    let data: Dataset;

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
      data = buildDataset();
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** Confirms an analysis at version 1 as it is, or with changed fields. */
    async function confirm(
      analysis: ConsolidatedAnalysis,
      options: Omit<Parameters<typeof makeReview>[0], 'analysis' | 'version'> = {},
    ) {
      return store.saveReview({
        defectId: analysis.defect_id,
        expectedVersion: 1,
        review: makeReview({ analysis, version: 2, ...options }),
        events: [makeReviewEvent({ stateAfter: options.state ?? 'confirmed' })],
      });
    }

    async function seed(): Promise<void> {
      for (const key of INSERTION_ORDER) {
        await store.createAnalysis({ analysis: data[key], apiKeyId: 'key-1' });
      }
      for (const key of CONFIRMED) await confirm(data[key]);
    }

    function ids(...keys: DatasetKey[]): string[] {
      return keys.map((key) => data[key].defect_id);
    }

    async function listIds(query: Omit<AnalysisQuery, 'limit'> & { limit?: number }): Promise<string[]> {
      const page = await store.listAnalyses({ limit: 200, ...query });
      expect(page.nextCursor).toBeNull();
      return page.items.map((analysis) => analysis.defect_id);
    }

    describe('analyses', () => {
      it('returns a created analysis as it was stored, and null for an unknown id', async () => {
        for (const key of ['rust1', 'partialRust', 'clean', 'pending', 'failed'] as const) {
          const created = await store.createAnalysis({ analysis: data[key], apiKeyId: null });
          expect(created).toEqual({ analysis: data[key], created: true });
          expect(await store.getAnalysis({ defectId: data[key].defect_id })).toEqual(data[key]);
        }
        expect(await store.getAnalysis({ defectId: 'DEF-20260301-FFFFFFFF' })).toBeNull();
      });

      it('refuses a second analysis with the same defect id', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        await expect(store.createAnalysis({ analysis: data.rust1, apiKeyId: null })).rejects.toBeInstanceOf(
          ConflictError,
        );
      });

      it('replays an idempotency key used with the same request hash', async () => {
        const first = await store.createAnalysis({
          analysis: data.pending,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-a',
        });
        expect(first).toEqual({ analysis: data.pending, created: true });

        const retry = await store.createAnalysis({
          analysis: data.rust1,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-a',
        });
        expect(retry).toEqual({ analysis: data.pending, created: false });
        expect(await store.getAnalysis({ defectId: data.rust1.defect_id })).toBeNull();

        const completed: ConsolidatedAnalysis = { ...data.rust4, defect_id: data.pending.defect_id };
        await store.saveAnalysis({ analysis: completed });
        const later = await store.createAnalysis({
          analysis: data.rust1,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-a',
        });
        expect(later).toEqual({ analysis: completed, created: false });
      });

      it('refuses an idempotency key used with another request hash', async () => {
        await store.createAnalysis({
          analysis: data.pending,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-a',
        });
        await expect(
          store.createAnalysis({
            analysis: data.rust1,
            apiKeyId: 'key-1',
            idempotencyKey: 'idem-1',
            requestHash: 'hash-b',
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getAnalysis({ defectId: data.rust1.defect_id })).toBeNull();

        const other = await store.createAnalysis({
          analysis: data.rust1,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-2',
          requestHash: 'hash-b',
        });
        expect(other.created).toBe(true);
      });

      it('scopes idempotency keys by API key', async () => {
        const first = await store.createAnalysis({
          analysis: data.pending,
          apiKeyId: 'key-1',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-a',
        });
        const other = await store.createAnalysis({
          analysis: data.rust1,
          apiKeyId: 'key-2',
          idempotencyKey: 'idem-1',
          requestHash: 'hash-b',
        });
        const anonymous = await store.createAnalysis({
          analysis: data.rust2,
          apiKeyId: null,
          idempotencyKey: 'idem-1',
          requestHash: 'hash-c',
        });
        expect([first.created, other.created, anonymous.created]).toEqual([true, true, true]);
        expect(
          await store.createAnalysis({
            analysis: data.rust4,
            apiKeyId: 'key-2',
            idempotencyKey: 'idem-1',
            requestHash: 'hash-b',
          }),
        ).toEqual({ analysis: data.rust1, created: false });
        expect(
          await store.createAnalysis({
            analysis: data.rust4,
            apiKeyId: null,
            idempotencyKey: 'idem-1',
            requestHash: 'hash-c',
          }),
        ).toEqual({ analysis: data.rust2, created: false });
        await expect(
          store.createAnalysis({
            analysis: data.rust4,
            apiKeyId: 'key-1',
            idempotencyKey: 'idem-1',
            requestHash: 'hash-b',
          }),
        ).rejects.toBeInstanceOf(ConflictError);
      });

      it('replaces a stored analysis, and refuses to save an unknown one', async () => {
        await store.createAnalysis({ analysis: data.pending, apiKeyId: null });
        const completed: ConsolidatedAnalysis = { ...data.rust4, defect_id: data.pending.defect_id };
        await store.saveAnalysis({ analysis: completed });
        expect(await store.getAnalysis({ defectId: completed.defect_id })).toEqual(completed);
        expect(await listIds({ defectType: 'rust_spot' })).toEqual([completed.defect_id]);
        expect(await store.listPending()).toEqual([]);

        await expect(store.saveAnalysis({ analysis: data.rust1 })).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getAnalysis({ defectId: data.rust1.defect_id })).toBeNull();
      });

      it('lists newest first by creation instant, then defect id', async () => {
        await seed();
        expect(await listIds({})).toEqual(ids(...NEWEST_FIRST));
      });

      it('orders by instant, whatever the precision of the timestamp', async () => {
        const whole = makeAnalysis({ n: 1, createdAt: fixtureTime(1) });
        const later = makeAnalysis({ n: 2, createdAt: new Date(fixtureTime(1).getTime() + 500) });
        await store.createAnalysis({
          analysis: { ...whole, created_at: '2026-03-01T01:00:00Z' },
          apiKeyId: null,
        });
        await store.createAnalysis({ analysis: later, apiKeyId: null });
        expect(await listIds({})).toEqual([later.defect_id, whole.defect_id]);
      });

      it('pages with an opaque cursor until it returns null', async () => {
        await seed();
        const first = await store.listAnalyses({ limit: 4 });
        const second = await store.listAnalyses({ limit: 4, cursor: first.nextCursor ?? 'missing' });
        const third = await store.listAnalyses({ limit: 4, cursor: second.nextCursor ?? 'missing' });
        expect(
          [first, second, third].map((page) => page.items.map((analysis) => analysis.defect_id)),
        ).toEqual([
          ids(...NEWEST_FIRST.slice(0, 4)),
          ids(...NEWEST_FIRST.slice(4, 8)),
          ids(...NEWEST_FIRST.slice(8)),
        ]);
        expect(typeof first.nextCursor).toBe('string');
        expect(third.nextCursor).toBeNull();

        for (let limit = 1; limit <= NEWEST_FIRST.length; limit += 1) {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.listAnalyses({ limit, ...(cursor === undefined ? {} : { cursor }) });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((analysis) => analysis.defect_id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(seen).toEqual(ids(...NEWEST_FIRST));
        }
      });

      it('filters by facility, SKU, defect type and creation instant', async () => {
        await seed();
        expect(await listIds({ facility: 'shenzhen' })).toEqual(
          ids('failed', 'partialRust', 'scratch2', 'scratch1'),
        );
        expect(await listIds({ productSku: 'WK-KN-200' })).toEqual(
          ids('pending', 'partialRust', 'rust4', 'rust3', 'scratch1', 'rust1'),
        );
        expect(await listIds({ defectType: 'rust_spot' })).toEqual(
          ids('partialRust', 'rust4', 'rust3', 'rust2', 'rust1'),
        );
        expect(await listIds({ defectType: 'none' })).toEqual(ids('clean'));
        expect(await listIds({ defectType: 'unknown' })).toEqual(ids('unknown'));
        expect(await listIds({ since: fixtureTime(6) })).toEqual(
          ids('failed', 'pending', 'unknown', 'clean', 'partialRust', 'handle'),
        );
        expect(
          await listIds({ facility: 'yangjiang', defectType: 'rust_spot', since: fixtureTime(2) }),
        ).toEqual(ids('rust4', 'rust2'));
        expect(await listIds({ facility: 'hongkong', defectType: 'blade_scratch' })).toEqual([]);
      });

      it('pages through a filtered listing', async () => {
        await seed();
        const first = await store.listAnalyses({ facility: 'yangjiang', limit: 4 });
        const second = await store.listAnalyses({
          facility: 'yangjiang',
          limit: 4,
          cursor: first.nextCursor ?? 'missing',
        });
        expect(first.items.map((analysis) => analysis.defect_id)).toEqual(
          ids('pending', 'unknown', 'handle', 'rust4'),
        );
        expect(second.items.map((analysis) => analysis.defect_id)).toEqual(ids('rust2', 'rust1'));
        expect(second.nextCursor).toBeNull();
      });

      it('refuses a limit outside 1..200 and a cursor it did not make', async () => {
        for (const limit of [0, 201, 1.5]) {
          await expect(store.listAnalyses({ limit })).rejects.toBeInstanceOf(ValidationError);
        }
        await expect(store.listAnalyses({ limit: 10, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
          ValidationError,
        );
      });

      it('lists pending analyses oldest first', async () => {
        await seed();
        const older = makeAnalysis({ n: 13, createdAt: fixtureTime(0), status: 'pending' });
        await store.createAnalysis({ analysis: older, apiKeyId: null });
        expect(await store.listPending()).toEqual([older, data.pending]);
      });
    });

    describe('stats', () => {
      it('counts the whole dataset', async () => {
        await seed();
        expect(await store.stats({})).toEqual({
          total: 12,
          withDefect: 9,
          byStatus: { complete: 9, partial: 1, pending: 1, failed: 1 },
          byType: { rust_spot: 5, blade_scratch: 2, handle_crack: 1, none: 1, unknown: 1 },
          bySeverity: { critical: 5, minor: 2, major: 2, none: 1 },
          byStage: { vacuum_quench: 4, blade_glazing: 2, handle_injection: 1 },
          byFacility: { yangjiang: 6, shenzhen: 4, hongkong: 2 },
          byReviewState: { draft: 6, confirmed: 6 },
          confirmed: 6,
          topRootCauses: [
            {
              stage: 'vacuum_quench',
              defectType: 'rust_spot',
              category6m: 'machine',
              count: 3,
              exampleDefectIds: ids('rust4', 'rust3', 'rust2'),
            },
            {
              stage: 'blade_glazing',
              defectType: 'blade_scratch',
              category6m: 'method',
              count: 2,
              exampleDefectIds: ids('scratch2', 'scratch1'),
            },
            {
              stage: 'handle_injection',
              defectType: 'handle_crack',
              category6m: 'material',
              count: 1,
              exampleDefectIds: ids('handle'),
            },
          ],
        });
      });

      it('counts one facility', async () => {
        await seed();
        expect(await store.stats({ facility: 'shenzhen' })).toEqual({
          total: 4,
          withDefect: 3,
          byStatus: { complete: 2, partial: 1, failed: 1 },
          byType: { blade_scratch: 2, rust_spot: 1 },
          bySeverity: { minor: 2, critical: 1 },
          byStage: { blade_glazing: 2 },
          byFacility: { shenzhen: 4 },
          byReviewState: { draft: 2, confirmed: 2 },
          confirmed: 2,
          topRootCauses: [
            {
              stage: 'blade_glazing',
              defectType: 'blade_scratch',
              category6m: 'method',
              count: 2,
              exampleDefectIds: ids('scratch2', 'scratch1'),
            },
          ],
        });
      });

      it('counts from an instant on', async () => {
        await seed();
        const stats = await store.stats({ since: fixtureTime(6) });
        expect(stats.total).toBe(6);
        expect(stats.withDefect).toBe(3);
        expect(stats.byStatus).toEqual({ complete: 3, partial: 1, pending: 1, failed: 1 });
        expect(stats.topRootCauses.map((group) => group.exampleDefectIds)).toEqual([ids('handle')]);
        expect(await store.stats({ facility: 'hongkong', since: fixtureTime(5) })).toMatchObject({
          total: 1,
          withDefect: 0,
          byType: { none: 1 },
          topRootCauses: [],
        });
      });

      it('returns zeros for an empty store', async () => {
        expect(await store.stats({})).toEqual({
          total: 0,
          withDefect: 0,
          byStatus: {},
          byType: {},
          bySeverity: {},
          byStage: {},
          byFacility: {},
          byReviewState: {},
          confirmed: 0,
          topRootCauses: [],
        });
      });

      it('keeps the five most frequent root-cause groups, with at most three examples each', async () => {
        const stages: ProductionStage[] = [
          'blade_stamp',
          'heat_treatment',
          'cutting_edge_honing',
          'logo_print',
          'rivet_assembly',
        ];
        let n = 0;
        for (let copy = 0; copy < 4; copy += 1) {
          n += 1;
          const analysis = makeAnalysis({ n, defectType: 'blade_chip', stage: 'taper_grinding' });
          await store.createAnalysis({ analysis, apiKeyId: null });
          await confirm(analysis);
        }
        for (const stage of stages) {
          n += 1;
          const analysis = makeAnalysis({ n, defectType: 'blade_chip', stage });
          await store.createAnalysis({ analysis, apiKeyId: null });
          await confirm(analysis);
        }
        const { topRootCauses } = await store.stats({});
        expect(topRootCauses).toHaveLength(5);
        expect(topRootCauses[0]).toMatchObject({ stage: 'taper_grinding', count: 4 });
        expect(topRootCauses[0]?.exampleDefectIds).toHaveLength(3);
        expect(topRootCauses.slice(1).map((group) => group.count)).toEqual([1, 1, 1, 1]);
      });
    });

    describe('defect history', () => {
      it('lists complete and partial analyses with a concrete defect type', async () => {
        await seed();
        const occurrences = await store.listOccurrences({ since: fixtureTime(0) });
        expect(occurrences.map((occurrence) => occurrence.defectId).sort()).toEqual(
          ids('rust1', 'rust2', 'scratch1', 'scratch2', 'rust3', 'rust4', 'handle', 'partialRust').sort(),
        );
        expect(occurrences.find((occurrence) => occurrence.defectId === data.rust1.defect_id)).toEqual({
          defectId: data.rust1.defect_id,
          detectedAt: fixtureTime(1),
          defectType: 'rust_spot',
          stage: 'vacuum_quench',
          facility: 'yangjiang',
          productSku: 'WK-KN-200',
          confirmed: false,
        });
        expect(occurrences.find((occurrence) => occurrence.defectId === data.rust2.defect_id)).toMatchObject({
          confirmed: true,
        });
        expect(occurrences.find((occurrence) => occurrence.defectId === data.partialRust.defect_id)).toEqual({
          defectId: data.partialRust.defect_id,
          detectedAt: fixtureTime(7),
          defectType: 'rust_spot',
          stage: null,
          facility: 'shenzhen',
          productSku: 'WK-KN-200',
          confirmed: false,
        });
      });

      it('summarises occurrences as listing them would, without loading them', async () => {
        await seed();
        const since = fixtureTime(0);
        for (const filter of [
          { since },
          { since, defectType: 'rust_spot' as const },
          { since, facility: 'shenzhen' as const },
        ]) {
          const summary = await store.summarizeOccurrences({ ...filter, recentLimit: 3 });
          expect(summary).toEqual(summarize(await store.listOccurrences(filter), 3));
        }
        expect(await store.summarizeOccurrences({ since, defectType: 'rust_spot', recentLimit: 10 })).toEqual(
          {
            count: 3,
            unconfirmed: 2,
            byFacility: { yangjiang: 2, hongkong: 1 },
            byStage: { vacuum_quench: 3 },
            recentDefectIds: ids('rust4', 'rust3', 'rust2'),
          },
        );
        expect((await store.summarizeOccurrences({ since: fixtureTime(99), recentLimit: 3 })).count).toBe(0);
      });

      it('filters occurrences by type, stage, facility, SKU and instant', async () => {
        await seed();
        const occurrenceIds = async (filter: Parameters<AnalysisStore['listOccurrences']>[0]) =>
          (await store.listOccurrences(filter)).map((occurrence) => occurrence.defectId).sort();
        const since = fixtureTime(0);
        expect(await occurrenceIds({ since, defectType: 'rust_spot' })).toEqual(
          ids('rust1', 'rust2', 'rust3', 'rust4', 'partialRust').sort(),
        );
        expect(await occurrenceIds({ since, stage: 'vacuum_quench' })).toEqual(
          ids('rust1', 'rust2', 'rust3', 'rust4').sort(),
        );
        expect(await occurrenceIds({ since, facility: 'shenzhen' })).toEqual(
          ids('scratch1', 'scratch2', 'partialRust').sort(),
        );
        expect(await occurrenceIds({ since, productSku: 'WK-KN-200' })).toEqual(
          ids('rust1', 'scratch1', 'rust3', 'rust4', 'partialRust').sort(),
        );
        expect(await occurrenceIds({ since: fixtureTime(4) })).toEqual(
          ids('rust3', 'rust4', 'handle', 'partialRust').sort(),
        );
        expect(
          await occurrenceIds({
            since,
            defectType: 'rust_spot',
            facility: 'yangjiang',
            stage: 'vacuum_quench',
          }),
        ).toEqual(ids('rust1', 'rust2', 'rust4').sort());
        expect(await occurrenceIds({ since: fixtureTime(12) })).toEqual([]);
      });
    });

    describe('reviews', () => {
      it('reads an unreviewed analysis as a draft at version 1, and null for an unknown id', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        const read = await store.getReviewedAnalysis({ defectId: data.rust1.defect_id });
        expect(read?.evaluationRun).toBeNull();
        expect(read?.analysis.review).toMatchObject({
          state: 'draft',
          version: 1,
          reviewed_by: null,
          fields: { defect_type: 'rust_spot', probable_stage: 'vacuum_quench' },
        });
        expect(read?.analysis.review.actions.map((action) => [action.id, action.status])).toEqual(
          (data.rust1.corrective_actions ?? []).map((_, index) => [`A${index + 1}`, 'open']),
        );
        expect(await store.getReviewedAnalysis({ defectId: data.rust2.defect_id })).toBeNull();
        expect(await store.listReviewEvents({ defectId: data.rust1.defect_id })).toEqual([]);
      });

      it('writes a review with its events, raising the version, and lists the trail in order', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        const corrected = await confirm(data.rust1, {
          state: 'corrected',
          fields: { defect_type: 'polish_defect', probable_stage: 'blade_glazing' },
        });
        expect(corrected.review).toMatchObject({ state: 'corrected', version: 2 });
        const closing = makeReview({ analysis: data.rust1, version: 3, state: 'closed' });
        await store.saveReview({
          defectId: data.rust1.defect_id,
          expectedVersion: 2,
          review: closing,
          events: [
            makeReviewEvent({
              kind: 'action_status_changed',
              target: 'A1',
              before: 'done',
              after: 'verified',
            }),
            makeReviewEvent({ kind: 'closed', stateBefore: 'corrected', stateAfter: 'closed' }),
          ],
        });
        const trail = await store.listReviewEvents({ defectId: data.rust1.defect_id });
        expect(trail.map((event) => [event.sequence, event.version, event.kind, event.defect_id])).toEqual([
          [1, 2, 'confirmed', data.rust1.defect_id],
          [2, 3, 'action_status_changed', data.rust1.defect_id],
          [3, 3, 'closed', data.rust1.defect_id],
        ]);
        expect(trail[1]).toMatchObject({ target: 'A1', before: 'done', after: 'verified' });
        const read = await store.getReviewedAnalysis({ defectId: data.rust1.defect_id });
        expect(read?.analysis.review).toMatchObject({ state: 'closed', version: 3 });
      });

      it('refuses a write on a stale version without recording its events', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        await confirm(data.rust1);
        await expect(confirm(data.rust1, { state: 'rejected' })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        expect(await store.listReviewEvents({ defectId: data.rust1.defect_id })).toHaveLength(1);
        const read = await store.getReviewedAnalysis({ defectId: data.rust1.defect_id });
        expect(read?.analysis.review).toMatchObject({ state: 'confirmed', version: 2 });
      });

      it('lets exactly one of two concurrent writes of one version through', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        const results = await Promise.allSettled([
          confirm(data.rust1, { state: 'confirmed' }),
          confirm(data.rust1, { state: 'rejected' }),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((result) => result.status === 'rejected');
        expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(PreconditionFailedError);
        expect(await store.listReviewEvents({ defectId: data.rust1.defect_id })).toHaveLength(1);
      });

      it('refuses a review of an unknown analysis, and one that does not raise the version by one', async () => {
        await expect(confirm(data.rust1)).rejects.toBeInstanceOf(NotFoundError);
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        await expect(
          store.saveReview({
            defectId: data.rust1.defect_id,
            expectedVersion: 1,
            review: makeReview({ analysis: data.rust1, version: 5 }),
            events: [makeReviewEvent()],
          }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(
          store.saveReview({
            defectId: data.rust1.defect_id,
            expectedVersion: 1,
            review: makeReview({ analysis: data.rust1, version: 2 }),
            events: [],
          }),
        ).rejects.toBeInstanceOf(ValidationError);
      });

      it('files a corrected analysis under its reviewed values, even when the analysis is saved again', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        await confirm(data.rust1, {
          state: 'corrected',
          fields: { defect_type: 'polish_defect', probable_stage: 'blade_glazing', severity: 'minor' },
        });
        await store.saveAnalysis({ analysis: data.rust1 });
        expect(await listIds({ defectType: 'polish_defect' })).toEqual(ids('rust1'));
        expect(await listIds({ defectType: 'rust_spot' })).toEqual([]);
        expect((await store.stats({})).byStage).toEqual({ blade_glazing: 1 });
        const [occurrence] = await store.listOccurrences({ since: fixtureTime(0) });
        expect(occurrence).toMatchObject({
          defectType: 'polish_defect',
          stage: 'blade_glazing',
          confirmed: true,
        });
      });

      it('filters the listing by status, review state and text', async () => {
        await seed();
        expect(await listIds({ status: 'partial' })).toEqual(ids('partialRust'));
        expect(await listIds({ reviewState: 'confirmed', facility: 'shenzhen' })).toEqual(
          ids('scratch2', 'scratch1'),
        );
        expect(await listIds({ reviewState: 'draft', defectType: 'rust_spot' })).toEqual(
          ids('partialRust', 'rust1'),
        );
        expect(await listIds({ text: 'WK-SC-200' })).toEqual(ids('handle'));
        expect(await listIds({ text: 'wk-sc-200' })).toEqual(ids('handle'));
        expect(await listIds({ text: '100%_' })).toEqual([]);
        const page = await store.listAnalyses({ limit: 1, reviewState: 'confirmed' });
        expect(page.items[0]?.review).toMatchObject({ state: 'confirmed', version: 2 });
        expect(page.nextCursor).not.toBeNull();
        await expect(store.listAnalyses({ limit: 10, text: '  ' })).rejects.toBeInstanceOf(ValidationError);
      });

      it('lists confirmed production analyses oldest first', async () => {
        await seed();
        await confirm(data.clean, { state: 'rejected' });
        expect((await store.listConfirmedAnalyses()).map((analysis) => analysis.defect_id)).toEqual(
          ids('rust2', 'scratch1', 'scratch2', 'rust3', 'rust4', 'handle'),
        );
      });

      it('keeps rejected analyses out of the defect history', async () => {
        await seed();
        await confirm(data.rust1, { state: 'rejected', fields: { defect_type: 'none', severity: 'none' } });
        const occurrences = await store.listOccurrences({ since: fixtureTime(0) });
        expect(occurrences.map((occurrence) => occurrence.defectId)).not.toContain(data.rust1.defect_id);
      });

      it('keeps evaluation analyses out of listings, stats, history and the confirmed cases', async () => {
        await seed();
        const evaluated = makeAnalysis({ n: 40, createdAt: fixtureTime(2), facility: 'yangjiang' });
        await store.createAnalysis({ analysis: evaluated, apiKeyId: null, evaluationRun: 'eval-1' });
        await confirm(evaluated);
        expect((await store.getReviewedAnalysis({ defectId: evaluated.defect_id }))?.evaluationRun).toBe(
          'eval-1',
        );
        expect(await listIds({})).not.toContain(evaluated.defect_id);
        expect(await listIds({ includeEvaluation: true })).toContain(evaluated.defect_id);
        expect((await store.stats({})).total).toBe(12);
        const occurrences = await store.listOccurrences({ since: fixtureTime(0) });
        expect(occurrences.map((occurrence) => occurrence.defectId)).not.toContain(evaluated.defect_id);
        expect((await store.summarizeOccurrences({ since: fixtureTime(0), recentLimit: 20 })).count).toBe(6);
        expect((await store.listConfirmedAnalyses()).map((analysis) => analysis.defect_id)).not.toContain(
          evaluated.defect_id,
        );
      });

      it('counts by review state and only one state when asked', async () => {
        await seed();
        const stats = await store.stats({ reviewState: 'confirmed' });
        expect(stats.total).toBe(6);
        expect(stats.byReviewState).toEqual({ confirmed: 6 });
      });
    });

    describe('exchanges', () => {
      it('appends exchanges and lists them in the order they were asked', async () => {
        await store.createAnalysis({ analysis: data.rust1, apiKeyId: null });
        await store.createAnalysis({ analysis: data.rust2, apiKeyId: null });
        const first = await store.appendExchange(
          makeExchange({
            defectId: data.rust1.defect_id,
            question: 'Why the seal?',
            askedAt: fixtureTime(2),
          }),
        );
        const other = await store.appendExchange(
          makeExchange({ defectId: data.rust2.defect_id, question: 'Which lot?', askedAt: fixtureTime(2) }),
        );
        const second = await store.appendExchange({
          ...makeExchange({
            defectId: data.rust1.defect_id,
            question: 'Who owns it?',
            askedAt: fixtureTime(3),
          }),
          apiKeyId: 'key-1',
        });
        expect(second.id).toBeGreaterThan(first.id);
        expect(second).toMatchObject({ question: 'Who owns it?', apiKeyId: 'key-1' });
        expect(await store.listExchanges({ defectId: data.rust1.defect_id })).toEqual([first, second]);
        expect(await store.listExchanges({ defectId: data.rust2.defect_id })).toEqual([other]);
        expect(await store.listExchanges({ defectId: data.rust3.defect_id })).toEqual([]);
      });

      it('refuses an exchange about an unknown analysis', async () => {
        await expect(
          store.appendExchange(
            makeExchange({ defectId: data.rust1.defect_id, question: 'Why?', askedAt: fixtureTime(2) }),
          ),
        ).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('jobs', () => {
      it('creates, saves and reads jobs, and lists the unfinished ones oldest first', async () => {
        const running = makeJob({
          id: 'job-running',
          status: 'running',
          createdAt: fixtureTime(2),
          items: [
            { index: 0, defectId: data.rust1.defect_id, status: 'complete', error: null },
            { index: 1, defectId: data.rust2.defect_id, status: 'failed', error: 'model throttled' },
          ],
        });
        const queued = makeJob({ id: 'job-queued', status: 'queued', createdAt: fixtureTime(1) });
        const done = makeJob({ id: 'job-done', status: 'complete', createdAt: fixtureTime(0) });
        for (const job of [running, queued, done]) await store.createJob({ job });

        expect(await store.getJob({ id: 'job-running' })).toEqual(running);
        expect(await store.getJob({ id: 'job-missing' })).toBeNull();
        expect(await store.listUnfinishedJobs()).toEqual([queued, running]);

        const finished = { ...running, status: 'failed' as const, updatedAt: fixtureTime(3).toISOString() };
        await store.saveJob({ job: finished });
        expect(await store.getJob({ id: 'job-running' })).toEqual(finished);
        expect(await store.listUnfinishedJobs()).toEqual([queued]);
      });

      it('replays a job under its idempotency key, scoped by API key, and refuses it with another request', async () => {
        const job = makeJob({
          id: '00000000-0000-4000-8000-00000000000a',
          status: 'queued',
          createdAt: fixtureTime(1),
        });
        expect(await store.createJob({ job, idempotencyKey: 'batch-0001', requestHash: 'h1' })).toEqual({
          job,
          created: true,
        });
        const again = makeJob({
          id: '00000000-0000-4000-8000-00000000000b',
          status: 'queued',
          createdAt: fixtureTime(2),
        });
        expect(
          await store.createJob({ job: again, idempotencyKey: 'batch-0001', requestHash: 'h1' }),
        ).toEqual({
          job,
          created: false,
        });
        await expect(
          store.createJob({ job: again, idempotencyKey: 'batch-0001', requestHash: 'h2' }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getJob({ id: again.id })).toBeNull();
        expect(
          await store.findJobByIdempotencyKey({ apiKeyId: job.apiKeyId, idempotencyKey: 'batch-0001' }),
        ).toEqual({ job, requestHash: 'h1' });
        const otherTenant = { ...again, apiKeyId: 'key-other' };
        expect(
          await store.createJob({ job: otherTenant, idempotencyKey: 'batch-0001', requestHash: 'h2' }),
        ).toEqual({ job: otherTenant, created: true });
        expect(
          await store.findJobByIdempotencyKey({ apiKeyId: 'key-none', idempotencyKey: 'batch-0001' }),
        ).toBeNull();
      });

      it('refuses a duplicate job and saving an unknown one', async () => {
        const job = makeJob({ id: 'job-1', status: 'queued', createdAt: fixtureTime(1) });
        await store.createJob({ job });
        await expect(store.createJob({ job })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.saveJob({ job: { ...job, id: 'job-2' } })).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('leases', () => {
      const at = (seconds: number): Date => new Date(fixtureTime(20).getTime() + seconds * 1000);
      const lease = (owner: string, seconds: number) => ({ owner, expiresAt: at(seconds).toISOString() });
      const pendingAnalysis = (n: number) =>
        makeAnalysis({ n, status: 'pending', createdAt: fixtureTime(n) });

      it('claims each free pending analysis once, oldest first, and a lapsed lease again, counting attempts', async () => {
        const [first, second, third] = [pendingAnalysis(1), pendingAnalysis(2), pendingAnalysis(3)];
        for (const analysis of [third, first, second])
          await store.createAnalysis({ analysis, apiKeyId: null });
        await store.createAnalysis({ analysis: data.rust4, apiKeyId: null });

        const byA = await store.claimPending({ lease: lease('a', 30), now: at(0), limit: 2 });
        expect(byA).toEqual([
          { analysis: first, attempts: 1 },
          { analysis: second, attempts: 1 },
        ]);
        const byB = await store.claimPending({ lease: lease('b', 30), now: at(0), limit: 5 });
        expect(byB).toEqual([{ analysis: third, attempts: 1 }]);
        expect(await store.claimPending({ lease: lease('c', 30), now: at(29), limit: 5 })).toEqual([]);
        expect(await store.countClaimable({ now: at(29) })).toBe(0);
        expect(await store.countClaimable({ now: at(31) })).toBe(3);

        // a renews one of its two leases; the other lapses and c takes it
        expect(
          await store.renewLeases({ lease: lease('a', 60), defectIds: [first.defect_id, third.defect_id] }),
        ).toEqual([first.defect_id]);
        const byC = await store.claimPending({ lease: lease('c', 90), now: at(31), limit: 5 });
        expect(byC.map((claim) => [claim.analysis.defect_id, claim.attempts])).toEqual([
          [second.defect_id, 2],
          [third.defect_id, 2],
        ]);
      });

      it('claims only the given analyses when asked, and a lease taken at creation is not free', async () => {
        const [first, second] = [pendingAnalysis(1), pendingAnalysis(2)];
        await store.createAnalysis({ analysis: first, apiKeyId: null, lease: lease('a', 30) });
        await store.createAnalysis({ analysis: second, apiKeyId: null });
        expect(
          await store.claimPending({
            lease: lease('b', 30),
            now: at(0),
            limit: 5,
            defectIds: [first.defect_id],
          }),
        ).toEqual([]);
        expect(
          await store.claimPending({
            lease: lease('b', 30),
            now: at(31),
            limit: 5,
            defectIds: [first.defect_id],
          }),
        ).toEqual([{ analysis: first, attempts: 2 }]);
        expect(
          await store.claimPending({ lease: lease('b', 30), now: at(0), limit: 5, defectIds: [] }),
        ).toEqual([]);
      });

      it('fences writes by the lease owner, and a finished analysis holds no lease', async () => {
        const analysis = pendingAnalysis(1);
        await store.createAnalysis({ analysis, apiKeyId: null });
        await store.claimPending({ lease: lease('a', 30), now: at(0), limit: 1 });
        await store.claimPending({ lease: lease('b', 90), now: at(31), limit: 1 });
        const done: ConsolidatedAnalysis = { ...data.rust4, defect_id: analysis.defect_id };
        await expect(store.saveAnalysis({ analysis: done, leaseOwner: 'a' })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await store.getAnalysis({ defectId: analysis.defect_id })).toEqual(analysis);
        await store.saveAnalysis({ analysis: done, leaseOwner: 'b' });
        expect(await store.getAnalysis({ defectId: analysis.defect_id })).toEqual(done);
        await expect(store.saveAnalysis({ analysis: done, leaseOwner: 'b' })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await store.renewLeases({ lease: lease('b', 120), defectIds: [analysis.defect_id] })).toEqual(
          [],
        );
        await expect(
          store.saveAnalysis({
            analysis: { ...done, defect_id: makeAnalysis({ n: 99 }).defect_id },
            leaseOwner: 'b',
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('releases leases of one owner only, which makes them free at once', async () => {
        const [first, second] = [pendingAnalysis(1), pendingAnalysis(2)];
        await store.createAnalysis({ analysis: first, apiKeyId: null, lease: lease('a', 30) });
        await store.createAnalysis({ analysis: second, apiKeyId: null, lease: lease('b', 30) });
        await store.releaseLeases({ owner: 'a', defectIds: [first.defect_id, second.defect_id] });
        const claimed = await store.claimPending({ lease: lease('c', 30), now: at(0), limit: 5 });
        expect(claimed.map((claim) => claim.analysis.defect_id)).toEqual([first.defect_id]);
      });
    });

    describe('batches', () => {
      it('stores a batch with its analyses in one transaction, free to claim, and nothing when one part fails', async () => {
        const analyses = [1, 2].map((n) => makeAnalysis({ n, status: 'pending' }));
        const job = makeJob({
          id: 'job-batch',
          status: 'queued',
          createdAt: fixtureTime(1),
          items: analyses.map((analysis, index) => ({
            index,
            defectId: analysis.defect_id,
            status: 'pending' as const,
            error: null,
          })),
        });
        expect(await store.createBatch({ job, analyses })).toEqual({ job, created: true });
        expect(await store.getJob({ id: job.id })).toEqual(job);
        expect(await store.listPending()).toEqual(analyses);

        // the second job's analysis clashes with a stored one: neither its analyses nor its job are kept
        const fresh = makeAnalysis({ n: 3, status: 'pending' });
        const clash = makeJob({ id: 'job-clash', status: 'queued', createdAt: fixtureTime(2) });
        await expect(
          store.createBatch({ job: clash, analyses: [fresh, analyses[0] as ConsolidatedAnalysis] }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getJob({ id: clash.id })).toBeNull();
        expect(await store.getAnalysis({ defectId: fresh.defect_id })).toBeNull();
      });

      it('replays a batch under its idempotency key without storing its analyses again', async () => {
        const job = makeJob({ id: 'job-a', status: 'queued', createdAt: fixtureTime(1) });
        const analysis = makeAnalysis({ n: 1, status: 'pending' });
        await store.createBatch({ job, analyses: [analysis], idempotencyKey: 'k', requestHash: 'h' });
        const retry = makeJob({ id: 'job-b', status: 'queued', createdAt: fixtureTime(2) });
        const other = makeAnalysis({ n: 2, status: 'pending' });
        expect(
          await store.createBatch({ job: retry, analyses: [other], idempotencyKey: 'k', requestHash: 'h' }),
        ).toEqual({ job, created: false });
        await expect(
          store.createBatch({ job: retry, analyses: [other], idempotencyKey: 'k', requestHash: 'x' }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getAnalysis({ defectId: other.defect_id })).toBeNull();
      });
    });

    describe('rate limits', () => {
      it('counts hits per key within a window, starts a new window when it ends, and takes hits back', async () => {
        const start = fixtureTime(1);
        const later = (ms: number) => new Date(start.getTime() + ms);
        const windowEnd = later(60_000).toISOString();
        expect(await store.hitRateLimit({ key: 'k', hits: 1, windowMs: 60_000, now: start })).toEqual({
          totalHits: 1,
          resetAt: windowEnd,
        });
        expect(await store.hitRateLimit({ key: 'k', hits: 3, windowMs: 60_000, now: later(1_000) })).toEqual({
          totalHits: 4,
          resetAt: windowEnd,
        });
        expect(
          await store.hitRateLimit({ key: 'other', hits: 1, windowMs: 60_000, now: later(1_000) }),
        ).toEqual({
          totalHits: 1,
          resetAt: later(61_000).toISOString(),
        });
        expect(await store.getRateLimit({ key: 'k', now: later(1_500) })).toEqual({
          totalHits: 4,
          resetAt: windowEnd,
        });
        expect(await store.getRateLimit({ key: 'k', now: later(60_000) })).toBeNull();
        expect(await store.getRateLimit({ key: 'missing', now: later(1_500) })).toBeNull();
        await store.unhitRateLimit({ key: 'k' });
        expect(await store.hitRateLimit({ key: 'k', hits: 1, windowMs: 60_000, now: later(2_000) })).toEqual({
          totalHits: 4,
          resetAt: windowEnd,
        });
        expect(await store.hitRateLimit({ key: 'k', hits: 1, windowMs: 60_000, now: later(60_000) })).toEqual(
          {
            totalHits: 1,
            resetAt: later(120_000).toISOString(),
          },
        );
        await store.resetRateLimit({ key: 'k' });
        expect(
          (await store.hitRateLimit({ key: 'k', hits: 1, windowMs: 60_000, now: later(60_500) })).totalHits,
        ).toBe(1);
      });
    });

    describe('API keys', () => {
      it('creates and reads API keys', async () => {
        const key = makeApiKey({ id: 'key-1', facility: 'yangjiang' });
        const revoked = { ...makeApiKey({ id: 'key-2' }), revokedAt: fixtureTime(5).toISOString() };
        await store.createApiKey({ key });
        await store.createApiKey({ key: revoked });
        expect(await store.getApiKey({ id: 'key-1' })).toEqual(key);
        expect(await store.getApiKey({ id: 'key-2' })).toEqual(revoked);
        expect(await store.getApiKey({ id: 'key-3' })).toBeNull();
        await expect(store.createApiKey({ key })).rejects.toBeInstanceOf(ConflictError);
      });

      it('keeps the read-only and evaluation flags, lists keys oldest first and revokes once', async () => {
        const reader = { ...makeApiKey({ id: 'key-r' }), readOnly: true };
        const evaluator = {
          ...makeApiKey({ id: 'key-e' }),
          evaluation: true,
          createdAt: fixtureTime(1).toISOString(),
        };
        await store.createApiKey({ key: evaluator });
        await store.createApiKey({ key: reader });
        expect(await store.getApiKey({ id: 'key-r' })).toEqual(reader);
        expect(await store.listApiKeys()).toEqual([reader, evaluator]);
        const revoked = await store.revokeApiKey({ id: 'key-r', at: fixtureTime(2).toISOString() });
        expect(revoked.revokedAt).toBe(fixtureTime(2).toISOString());
        const again = await store.revokeApiKey({ id: 'key-r', at: fixtureTime(3).toISOString() });
        expect(again.revokedAt).toBe(fixtureTime(2).toISOString());
        expect((await store.getApiKey({ id: 'key-r' }))?.revokedAt).toBe(fixtureTime(2).toISOString());
        await expect(
          store.revokeApiKey({ id: 'key-x', at: fixtureTime(2).toISOString() }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('audit log', () => {
      it('appends entries and lists the newest first', async () => {
        const entries = [1, 2, 3].map((hour) =>
          makeAuditEntry({ at: fixtureTime(hour), action: `action-${hour}` }),
        );
        for (const entry of entries) await store.appendAudit({ entry });
        expect(await store.listAudit({ limit: 2 })).toEqual([entries[2], entries[1]]);
        expect(await store.listAudit({ limit: 10 })).toEqual([...entries].reverse());
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
