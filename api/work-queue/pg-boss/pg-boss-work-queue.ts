import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { z } from 'zod';
import { DefectId, UpstreamError } from '../../../domain/index.ts';
import type { AnalysisStore, ClaimedAnalysis } from '../../persistence/analysis-store.ts';
import { DEFAULT_LEASE_MS } from '../store-work-queue.ts';
import type { WorkQueue } from '../work-queue.ts';

/** The pg-boss queue that carries announced analyses. */
export const ANALYSIS_QUEUE = 'analyses';

/** Settings of {@link openPgBossWorkQueue}. */
export interface PgBossWorkQueueOptions {
  /** The PostgreSQL AnalysisStore whose leases fence the work. */
  store: AnalysisStore;
  /** A pool on the same database; pg-boss runs its statements on it and never ends it. */
  pool: Pool;
  /** The schema of pg-boss' own tables (`pgboss` by default). */
  schema?: string;
  /** How long a lease lasts unless renewed (30 s by default). */
  leaseMs?: number;
  /**
   * How often a claim also sweeps the store for free and lapsed leases: work never announced, and
   * work whose owner crashed (half the lease by default).
   */
  sweepMs?: number;
  now?: () => Date;
}

const AnnouncedData = z.object({ defectId: DefectId });

/** The key of the session advisory lock held while pg-boss starts (its schema is per database). */
export const PG_BOSS_START_LOCK_KEY = 7_236_961_137_155_921n;

/** Runs `work` while holding {@link PG_BOSS_START_LOCK_KEY} on a connection of its own. */
async function withAdvisoryLock(pool: Pool, work: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_BOSS_START_LOCK_KEY.toString()]);
    try {
      await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_BOSS_START_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}

/**
 * The WorkQueue on PostgreSQL with pg-boss, a SKIP LOCKED job queue: announcing sends one pg-boss
 * job per analysis, and a claim fetches them (each job goes to one fetcher), takes their leases in
 * the store, and completes them. The lease, not the pg-boss job, decides who runs an analysis:
 * a job whose analysis another live process holds or finished is completed as it is, and a claim
 * sweeps the store every `sweepMs` for free and lapsed leases (crashed owners, announcements lost
 * between storing and sending), and released leases are announced again. pg-boss 10 has no heartbeat, so its jobs live only from send to
 * fetch and the store's lease carries the heartbeat.
 *
 * @throws UpstreamError when pg-boss cannot start (its schema cannot be created or migrated)
 */
export async function openPgBossWorkQueue({
  store,
  pool,
  schema = 'pgboss',
  leaseMs = DEFAULT_LEASE_MS,
  sweepMs = Math.max(1, Math.floor(leaseMs / 2)),
  now = () => new Date(),
}: PgBossWorkQueueOptions): Promise<WorkQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
    schema,
    schedule: false,
  });
  boss.on('error', () => {});
  try {
    // pg-boss creates its schema with CREATE SCHEMA IF NOT EXISTS, which two services starting
    // together on an empty database can both run (one then fails): they start one at a time.
    await withAdvisoryLock(pool, async () => {
      await boss.start();
      await boss.createQueue(ANALYSIS_QUEUE, {
        name: ANALYSIS_QUEUE,
        policy: 'standard',
        retryLimit: 0,
        expireInSeconds: Math.max(1, Math.ceil(leaseMs / 1000)),
      });
    });
  } catch (cause) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw new UpstreamError('cannot start the pg-boss work queue', { cause, isRetryable: true });
  }
  const leaseOf = (owner: string) => ({
    owner,
    expiresAt: new Date(now().getTime() + leaseMs).toISOString(),
  });
  let lastSweep = Number.NEGATIVE_INFINITY;

  async function announce({ defectIds }: { defectIds: readonly string[] }): Promise<void> {
    if (defectIds.length === 0) return;
    try {
      await boss.insert(defectIds.map((defectId) => ({ name: ANALYSIS_QUEUE, data: { defectId } })));
    } catch (cause) {
      throw new UpstreamError('cannot announce analyses to pg-boss', { cause, isRetryable: true });
    }
  }

  return {
    leaseMs,
    announce,

    async claim({ owner, limit }) {
      if (limit <= 0) return [];
      let jobs: Array<PgBoss.Job<unknown>>;
      try {
        jobs = await boss.fetch(ANALYSIS_QUEUE, { batchSize: limit });
      } catch (cause) {
        throw new UpstreamError('cannot fetch from pg-boss', { cause, isRetryable: true });
      }
      const defectIds = jobs.flatMap((job) => {
        const parsed = AnnouncedData.safeParse(job.data);
        return parsed.success ? [parsed.data.defectId] : [];
      });
      const claimed: ClaimedAnalysis[] =
        defectIds.length === 0
          ? []
          : await store.claimPending({ lease: leaseOf(owner), now: now(), limit, defectIds });
      if (jobs.length > 0) {
        await boss.complete(
          ANALYSIS_QUEUE,
          jobs.map((job) => job.id),
        );
      }
      const current = now().getTime();
      if (claimed.length < limit && current - lastSweep >= sweepMs) {
        lastSweep = current;
        claimed.push(
          ...(await store.claimPending({ lease: leaseOf(owner), now: now(), limit: limit - claimed.length })),
        );
      }
      return claimed;
    },

    renew: ({ owner, defectIds }) => store.renewLeases({ lease: leaseOf(owner), defectIds }),
    async release({ owner, defectIds }) {
      await store.releaseLeases({ owner, defectIds });
      await announce({ defectIds });
    },

    async close() {
      await boss.stop({ graceful: false, wait: true, close: false });
    },
  };
}
