import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimedAnalysis } from '../persistence/analysis-store.ts';

/**
 * The WorkQueue port: pending analyses (a batch's items, and work a crash left behind) handed to
 * exactly one process at a time, on one machine or many. A claim is a **lease** in the
 * AnalysisStore (owner, expiry, attempts): the owner renews it while it runs, and writes its result
 * fenced by it; a lease that lapses (its owner crashed or hung) is free to claim again, so recovery
 * takes only lapsed leases, never work another live process is running. Every adapter passes
 * `api/work-queue/testing/work-queue-contract.ts`.
 */
export interface WorkQueue {
  /**
   * Tells the workers that these pending analyses, stored without a lease, are ready to run. The
   * store stays the truth: an analysis never announced (a crash between storing and announcing)
   * is still claimed, by the sweep for free and lapsed leases.
   */
  announce(params: { defectIds: readonly string[] }): Promise<void>;
  /**
   * Claims up to `limit` pending analyses for `owner` (announced ones, then free or lapsed ones),
   * each leased until `now + leaseMs`. However many processes claim at once, each analysis goes to
   * one of them.
   */
  claim(params: { owner: string; limit: number }): Promise<ClaimedAnalysis[]>;
  /** Extends the leases `owner` still holds; returns the defect ids it still holds. */
  renew(params: { owner: string; defectIds: readonly string[] }): Promise<string[]>;
  /** Gives leases back (a graceful shutdown), so that another process claims them at once. */
  release(params: { owner: string; defectIds: readonly string[] }): Promise<void>;
  /** How long a lease lasts unless renewed, in milliseconds. */
  readonly leaseMs: number;
  /** Stops the adapter's own resources (the store stays open). */
  close(): Promise<void>;
}

/**
 * The owner id of this process, fixed for its life and unique across machines and restarts:
 * host name, process id and random bytes (a restarted process with a reused pid is another owner).
 */
export function processOwnerId({
  host = hostname(),
  pid = process.pid,
  random = (size: number) => randomBytes(size),
}: {
  host?: string;
  pid?: number;
  random?: (size: number) => Uint8Array;
} = {}): string {
  return `${host}:${pid}:${Buffer.from(random(4)).toString('hex')}`;
}
