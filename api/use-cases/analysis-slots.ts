import pLimit from 'p-limit';
import { ServiceUnavailableError } from '../../domain/index.ts';

/** Settings of {@link createAnalysisSlots}. */
export interface AnalysisSlotsOptions {
  /** Analyses running at once in this process. */
  concurrency: number;
  /**
   * Accepted analyses waiting for a slot before new ones are refused. 0 means no waiting room:
   * analyses still run while a slot is free, and are refused only when every slot is busy.
   */
  queueLimit: number;
}

/**
 * Admission control for synchronous analyses: a few run at once and the others wait their turn
 * in arrival order, so that under load every request waits about as long (rather than all of
 * them slowing down together and a few starving), and a full queue refuses new work up front.
 */
export interface AnalysisSlots {
  /**
   * Refuses new work with a {@link ServiceUnavailableError} (503, retryable) when every slot is
   * busy and the queue is full. Called before anything is stored, so a refused report leaves nothing behind.
   */
  admit(): void;
  /** Runs `work` when a slot is free; waiting work starts in arrival order. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Analyses running and waiting, for logs and health checks. */
  load(): { running: number; waiting: number };
}

/** Creates the admission control of one process; see {@link AnalysisSlots}. */
export function createAnalysisSlots({ concurrency, queueLimit }: AnalysisSlotsOptions): AnalysisSlots {
  const limit = pLimit(concurrency);
  return {
    admit() {
      // Full only when the running and the waiting analyses fill the slots and the waiting room:
      // with no waiting room (queueLimit 0) a free slot still admits work.
      if (limit.activeCount + limit.pendingCount >= concurrency + queueLimit) {
        throw new ServiceUnavailableError(
          `the service is at capacity (${limit.activeCount} analyses running, ${limit.pendingCount} waiting); retry shortly`,
          { details: { running: limit.activeCount, waiting: limit.pendingCount } },
        );
      }
    },
    run: (work) => limit(work),
    load: () => ({ running: limit.activeCount, waiting: limit.pendingCount }),
  };
}
