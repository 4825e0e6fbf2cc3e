import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { AnalysisStore } from '../persistence/analysis-store.ts';

/** An express-rate-limit store that can count several hits at once (a batch's reports). */
export interface CountingRateLimitStore extends Store {
  /** Counts `hits` hits for a key in one write. */
  incrementBy(key: string, hits: number): Promise<ClientRateLimitInfo>;
}

/** Makes the rate-limit store of one limiter, whose keys start with `prefix`. */
export type RateLimitStoreFactory = (prefix: string) => CountingRateLimitStore;

/** Settings of {@link createDatabaseRateLimitStore}. */
export interface DatabaseRateLimitStoreOptions {
  store: AnalysisStore;
  /** Names the limiter in its keys, so that two limiters on one database keep apart. */
  prefix: string;
  now?: () => Date;
}

/**
 * An express-rate-limit store over the AnalysisStore's `rate_limits` table, so that every process
 * on one database (the workers of `WORKERS`, the tasks of a service on PostgreSQL) counts against
 * one limit: each hit is one atomic upsert that starts a new window when the last one ended.
 */
export function createDatabaseRateLimitStore({
  store,
  prefix,
  now = () => new Date(),
}: DatabaseRateLimitStoreOptions): CountingRateLimitStore {
  let windowMs = 60_000;
  const keyOf = (key: string): string => `${prefix}:${key}`;
  const hit = async (key: string, hits: number): Promise<ClientRateLimitInfo> => {
    const { totalHits, resetAt } = await store.hitRateLimit({ key: keyOf(key), hits, windowMs, now: now() });
    return { totalHits, resetTime: new Date(resetAt) };
  };
  return {
    localKeys: false,
    prefix,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async get(key) {
      const hits = await store.getRateLimit({ key: keyOf(key), now: now() });
      return hits === null ? undefined : { totalHits: hits.totalHits, resetTime: new Date(hits.resetAt) };
    },
    increment: (key) => hit(key, 1),
    incrementBy: (key, hits) => hit(key, hits),
    decrement: (key) => store.unhitRateLimit({ key: keyOf(key) }),
    resetKey: (key) => store.resetRateLimit({ key: keyOf(key) }),
  };
}
