import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, type ConsolidatedAnalysis } from '../../domain/index.ts';
import type { ClaimedAnalysis } from '../persistence/analysis-store.ts';
import type { WorkQueue } from '../work-queue/work-queue.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** Settings of {@link createAnalysisWorker}. */
export interface AnalysisWorkerOptions {
  queue: WorkQueue;
  /** This process' owner id ({@link processOwnerId}), the same for every lease it takes. */
  owner: string;
  /** Claimed analyses running at once in this process (`BATCH_CONCURRENCY`). */
  concurrency: number;
  /** How often an idle worker claims again: the latency of recovery and of other processes' work. */
  pollMs?: number;
  /** Claims of one analysis after which it is failed instead of run again (a crash loop). */
  maxAttempts?: number;
  /**
   * Runs a claimed analysis and stores its result fenced by `leaseOwner`; `signal` aborts when the
   * lease is lost. `runStoredAnalysis` in production.
   */
  run(params: {
    analysis: ConsolidatedAnalysis;
    leaseOwner: string;
    signal: AbortSignal;
  }): Promise<ConsolidatedAnalysis>;
}

/**
 * Runs the pending analyses of the WorkQueue in this process: batch items, and analyses a crashed
 * process left behind once their lease lapsed. It renews the leases of everything it runs (and of
 * the synchronous analyses it {@link AnalysisWorker.hold}s) every third of a lease, and aborts
 * the work whose lease was lost.
 */
export interface AnalysisWorker {
  readonly owner: string;
  /** How long a lease lasts unless renewed, in milliseconds. */
  readonly leaseMs: number;
  /** Starts claiming now and every `pollMs`, and renewing leases. */
  start(): void;
  /** Claims what it has room for at once (after this process announced work); resolves after the claim. */
  wake(): Promise<void>;
  /**
   * Renews the lease of an analysis this process runs itself (stored with a lease of this owner)
   * until the returned function is called.
   */
  hold(defectId: string): () => void;
  /** Resolves when nothing this process can claim is left and nothing it claimed runs. */
  drain(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` for the running analyses, then releases the leases of
   * those still running and of the held ones, so that another process takes them at once.
   */
  stop(params?: { timeoutMs?: number }): Promise<void>;
}

/** Failure of an analysis claimed too many times: each claim ended with its process gone. */
function interrupted(analysis: ConsolidatedAnalysis, at: Date, attempts: number): ConsolidatedAnalysis {
  return {
    ...analysis,
    status: 'failed',
    completed_at: at.toISOString(),
    failure: {
      step: 'classifier',
      code: 'interrupted',
      message: `interrupted ${attempts - 1} times by a restart and not run again; submit the report again`,
    },
  };
}

/** Creates the worker of this process; see {@link AnalysisWorker}. */
export function createAnalysisWorker(
  dependencies: Pick<ServiceDependencies, 'store' | 'logger' | 'now'>,
  { queue, owner, concurrency, pollMs = 1_000, maxAttempts = 3, run }: AnalysisWorkerOptions,
): AnalysisWorker {
  const { logger } = dependencies;
  /** Claimed analyses running here, with the controller that aborts each. */
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Synchronous analyses of this process: how many holds each has. */
  const held = new Map<string, number>();
  let started = false;
  let stopping = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let claiming: Promise<number> | null = null;

  function execute(claim: ClaimedAnalysis): void {
    const { analysis, attempts } = claim;
    const controller = new AbortController();
    const done = (async () => {
      try {
        if (attempts > maxAttempts) {
          logger.error({ defectId: analysis.defect_id, attempts }, 'analysis claimed too often; failing it');
          await dependencies.store.saveAnalysis({
            analysis: interrupted(analysis, dependencies.now(), attempts),
            leaseOwner: owner,
          });
          return;
        }
        if (attempts > 1) {
          logger.warn(
            { defectId: analysis.defect_id, attempts, owner },
            'resuming an analysis whose lease lapsed',
          );
        }
        logger.debug({ defectId: analysis.defect_id, attempts, owner }, 'running a claimed analysis');
        const result = await run({ analysis, leaseOwner: owner, signal: controller.signal });
        logger.info(
          { defectId: analysis.defect_id, attempts, owner, status: result.status },
          'claimed analysis finished',
        );
      } catch (error) {
        if (error instanceof ConflictError) {
          logger.warn({ defectId: analysis.defect_id }, 'lease lost: another process runs this analysis');
        } else {
          logger.error({ err: error, defectId: analysis.defect_id }, 'a claimed analysis failed to run');
        }
      } finally {
        running.delete(analysis.defect_id);
        if (!stopping) void claimOnce();
      }
    })();
    running.set(analysis.defect_id, { controller, done });
  }

  /** One claim for the free slots; resolves to how many it claimed. */
  function claimOnce(): Promise<number> {
    if (claiming) return claiming;
    claiming = (async () => {
      const room = concurrency - running.size;
      if (stopping || room <= 0) return 0;
      try {
        const claims = await queue.claim({ owner, limit: room });
        for (const claim of claims) execute(claim);
        return claims.length;
      } catch (error) {
        logger.error({ err: error }, 'claiming work failed');
        return 0;
      }
    })().finally(() => {
      claiming = null;
    });
    return claiming;
  }

  async function renew(): Promise<void> {
    const defectIds = [...running.keys(), ...held.keys()];
    if (defectIds.length === 0) return;
    try {
      const kept = new Set(await queue.renew({ owner, defectIds }));
      for (const [defectId, { controller }] of running) {
        if (!kept.has(defectId)) controller.abort(new ConflictError(`the lease on ${defectId} was lost`));
      }
    } catch (error) {
      logger.error({ err: error }, 'renewing leases failed');
    }
  }

  return {
    owner,
    leaseMs: queue.leaseMs,

    start() {
      if (started) return;
      started = true;
      void claimOnce();
      pollTimer = setInterval(() => void claimOnce(), pollMs);
      pollTimer.unref();
      renewTimer = setInterval(() => void renew(), Math.max(10, Math.floor(queue.leaseMs / 3)));
      renewTimer.unref();
    },

    async wake() {
      await claimOnce();
    },

    hold(defectId) {
      held.set(defectId, (held.get(defectId) ?? 0) + 1);
      if (!renewTimer) {
        renewTimer = setInterval(() => void renew(), Math.max(10, Math.floor(queue.leaseMs / 3)));
        renewTimer.unref();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const count = (held.get(defectId) ?? 1) - 1;
        if (count <= 0) held.delete(defectId);
        else held.set(defectId, count);
      };
    },

    async drain() {
      for (;;) {
        if (claiming) await claiming;
        if (running.size > 0) {
          await Promise.race([...running.values()].map((entry) => entry.done));
          continue;
        }
        if ((await claimOnce()) === 0 && running.size === 0) return;
      }
    },

    async stop({ timeoutMs = 10_000 } = {}) {
      stopping = true;
      clearInterval(pollTimer);
      if (claiming) await claiming;
      await Promise.race([
        Promise.allSettled([...running.values()].map((entry) => entry.done)),
        sleep(timeoutMs, undefined, { ref: false }),
      ]);
      clearInterval(renewTimer);
      const left = [...running.keys(), ...held.keys()];
      if (left.length > 0) {
        for (const { controller } of running.values()) controller.abort(new Error('shutting down'));
        await queue.release({ owner, defectIds: left }).catch((error: unknown) => {
          logger.error({ err: error }, 'releasing leases at shutdown failed');
        });
      }
    },
  };
}
