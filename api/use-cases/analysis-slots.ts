import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** A request's place in admission control, held from its arrival until it is answered. */
export interface AdmissionTicket {
  /** Gives the place back; calling it again does nothing. */
  release(): void;
}

/**
 * Admission control for synchronous analyses: a few run at once and the others wait their turn
 * in arrival order, so that under load every request waits about as long (rather than all of
 * them slowing down together and a few starving), and a full queue refuses new work up front.
 */
export interface AnalysisSlots {
  /**
   * Counts a request from its arrival (before its body is read or anything is stored) until
   * its ticket is released, and refuses it with a {@link ServiceUnavailableError} (503,
   * retryable) when as many requests as there are slots and waiting places already hold one.
   */
  reserve(): AdmissionTicket;
  /** Whether {@link reserve} would refuse now: a check that holds nothing. */
  full(): boolean;
  /**
   * Refuses new work with a {@link ServiceUnavailableError} (503, retryable) when every slot is
   * busy and the queue is full. Called before anything is stored, so a refused report leaves nothing behind.
   */
  admit(): void;
  /**
   * Runs `work` when a slot is free; waiting work starts in arrival order, each in a later turn
   * of the event loop than the work before it, so that CPU-bound analyses take turns with I/O
   * (other requests are read, answered or refused between them) instead of running back to back.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Analyses running and waiting, and requests holding a ticket, for logs and health checks. */
  load(): { running: number; waiting: number; admitted: number };
}

/** Creates the admission control of one process; see {@link AnalysisSlots}. */
export function createAnalysisSlots({ concurrency, queueLimit }: AnalysisSlotsOptions): AnalysisSlots {
  const limit = pLimit(concurrency);
  const capacity = concurrency + queueLimit;
  let admitted = 0;
  const refuse = (): never => {
    throw new ServiceUnavailableError(
      `the service is at capacity (${limit.activeCount} analyses running, ${limit.pendingCount} waiting); retry shortly`,
      { details: { running: limit.activeCount, waiting: limit.pendingCount, admitted } },
    );
  };
  return {
    reserve() {
      if (admitted >= capacity) refuse();
      admitted += 1;
      let held = true;
      return {
        release() {
          if (!held) return;
          held = false;
          admitted -= 1;
        },
      };
    },
    full: () => admitted >= capacity,
    admit() {
      // Full only when the running and the waiting analyses fill the slots and the waiting room:
      // with no waiting room (queueLimit 0) a free slot still admits work.
      if (limit.activeCount + limit.pendingCount >= capacity) refuse();
    },
    run: (work) =>
      limit(async () => {
        // An analysis on the offline model never waits for I/O: without this turn, a slot freed
        // by one starts the next in the same turn, and the whole queue runs before any socket is read.
        await nextTurn();
        return work();
      }),
    load: () => ({ running: limit.activeCount, waiting: limit.pendingCount, admitted }),
  };
}
