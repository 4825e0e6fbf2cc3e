import type { AnalysisStore } from '../persistence/analysis-store.ts';
import type { WorkQueue } from './work-queue.ts';

/** Settings of {@link createStoreWorkQueue}. */
export interface StoreWorkQueueOptions {
  store: AnalysisStore;
  /** How long a lease lasts unless renewed (30 s by default). */
  leaseMs?: number;
  now?: () => Date;
}

/** The lease of a claim when none is configured: long enough for a slow model call between renewals. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * The embedded WorkQueue: the analyses table is the queue. A claim is one
 * `UPDATE … WHERE pending AND lease free or lapsed … RETURNING` statement, atomic in SQLite (one
 * writer at a time, across processes on the file) and in PostgreSQL (candidates locked with
 * `SKIP LOCKED`). Announcing is nothing to do: a stored pending analysis without a lease is
 * already claimable.
 */
export function createStoreWorkQueue({
  store,
  leaseMs = DEFAULT_LEASE_MS,
  now = () => new Date(),
}: StoreWorkQueueOptions): WorkQueue {
  const leaseOf = (owner: string) => ({
    owner,
    expiresAt: new Date(now().getTime() + leaseMs).toISOString(),
  });
  return {
    leaseMs,
    async announce() {},
    claim: ({ owner, limit }) => store.claimPending({ lease: leaseOf(owner), now: now(), limit }),
    renew: ({ owner, defectIds }) => store.renewLeases({ lease: leaseOf(owner), defectIds }),
    release: ({ owner, defectIds }) => store.releaseLeases({ owner, defectIds }),
    async close() {},
  };
}
