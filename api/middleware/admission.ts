import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { ServiceUnavailableError } from '../../domain/index.ts';
import type { AnalysisSlots } from '../use-cases/analysis-slots.ts';

/** How long the event loop has lately been kept from running callbacks. */
export interface EventLoopDelayProbe {
  /** The longest stall of the event loop in the last sampling window or the current one, in milliseconds. */
  delayMs(): number;
}

/** Settings of {@link createEventLoopDelayProbe}. */
export interface EventLoopDelayProbeOptions {
  /** How often the event loop is sampled, in milliseconds (20 by default). */
  resolutionMs?: number;
  /** How long a stall is remembered: one to two such windows, in milliseconds (1,000 by default). */
  windowMs?: number;
}

/**
 * Measures event-loop stalls with `perf_hooks.monitorEventLoopDelay`: the longest delay of a
 * timer over the last window and the current one, less the timer's own period. Its timers are
 * unreferenced, so it never keeps the process alive.
 */
export function createEventLoopDelayProbe({
  resolutionMs = 20,
  windowMs = 1_000,
}: EventLoopDelayProbeOptions = {}): EventLoopDelayProbe {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let previousWindowMs = 0;
  const stallOf = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - resolutionMs);
  setInterval(() => {
    previousWindowMs = stallOf(histogram.max);
    histogram.reset();
  }, windowMs).unref();
  return { delayMs: () => Math.max(previousWindowMs, stallOf(histogram.max)) };
}

let processProbe: EventLoopDelayProbe | undefined;

/** The probe of this process, created at the first call and shared by every app. */
export function processEventLoopDelay(): EventLoopDelayProbe {
  processProbe ??= createEventLoopDelayProbe();
  return processProbe;
}

/** Settings of {@link admitAnalysisRequests}. */
export interface AdmitAnalysisRequestsOptions {
  /** The admission control whose tickets the requests hold. */
  slots: AnalysisSlots;
  /** Where the event loop's stalls are read. */
  eventLoopDelay: EventLoopDelayProbe;
  /** Refuse while the event loop stalls longer than this, in milliseconds; 0 never does. */
  maxEventLoopDelayMs: number;
}

/**
 * Counts an analysis request against admission control the moment it arrives, before its body is
 * read or anything is stored, until it is answered, and answers 503 with `Retry-After` (through
 * the error middleware, in the API's error shape) when the queue is full or the event loop is
 * stalling longer than allowed. A refused request costs neither a body read nor a store write, so
 * an overloaded process answers the overflow at once instead of queueing it unseen.
 */
export function admitAnalysisRequests({
  slots,
  eventLoopDelay,
  maxEventLoopDelayMs,
}: AdmitAnalysisRequestsOptions): RequestHandler {
  return (_request, response, next) => {
    if (maxEventLoopDelayMs > 0) {
      const delayMs = Math.round(eventLoopDelay.delayMs());
      if (delayMs > maxEventLoopDelayMs) {
        next(
          new ServiceUnavailableError(
            `the service is overloaded (its event loop stalled for ${delayMs} ms); retry shortly`,
            { details: { eventLoopDelayMs: delayMs, maxEventLoopDelayMs } },
          ),
        );
        return;
      }
    }
    let ticket;
    try {
      ticket = slots.reserve();
    } catch (error) {
      next(error);
      return;
    }
    // 'close' follows both a sent response and a dropped connection.
    response.once('close', ticket.release);
    next();
  };
}
