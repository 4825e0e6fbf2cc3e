import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../../domain/index.ts';
import type { AnalysisSlots } from '../use-cases/analysis-slots.ts';
import type { ErrorBody } from './errors.ts';

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

/** Settings of {@link admitAnalysisRequests} and {@link refuseAnalysesEarly}. */
export interface AdmitAnalysisRequestsOptions {
  /** The admission control whose tickets the requests hold. */
  slots: AnalysisSlots;
  /** Where the event loop's stalls are read. */
  eventLoopDelay: EventLoopDelayProbe;
  /** Refuse while the event loop stalls longer than this, in milliseconds; 0 never does. */
  maxEventLoopDelayMs: number;
}

/** Why an analysis request is refused now, or null when it may be admitted. */
function refusalOf({
  slots,
  eventLoopDelay,
  maxEventLoopDelayMs,
}: AdmitAnalysisRequestsOptions): ServiceUnavailableError | null {
  if (maxEventLoopDelayMs > 0) {
    const delayMs = Math.round(eventLoopDelay.delayMs());
    if (delayMs > maxEventLoopDelayMs) {
      return new ServiceUnavailableError(
        `the service is overloaded (its event loop stalled for ${delayMs} ms); retry shortly`,
        { details: { eventLoopDelayMs: delayMs, maxEventLoopDelayMs } },
      );
    }
  }
  if (!slots.full()) return null;
  const { running, waiting, admitted } = slots.load();
  return new ServiceUnavailableError(
    `the service is at capacity (${running} analyses running, ${waiting} waiting); retry shortly`,
    { details: { running, waiting, admitted } },
  );
}

/**
 * Counts an analysis request against admission control from its arrival, before its body is
 * read or anything is stored, until it is answered, and answers 503 with `Retry-After` (through
 * the error middleware, in the API's error shape) when the queue is full or the event loop is
 * stalling longer than allowed. A refused request costs neither a body read nor a store write.
 */
export function admitAnalysisRequests(options: AdmitAnalysisRequestsOptions): RequestHandler {
  return (_request, response, next) => {
    const refusal = refusalOf(options);
    if (refusal) {
      next(refusal);
      return;
    }
    const ticket = options.slots.reserve();
    // 'close' follows both a sent response and a dropped connection.
    response.once('close', ticket.release);
    next();
  };
}

/** Settings of {@link refuseAnalysesEarly}. */
export interface RefuseAnalysesEarlyOptions extends AdmitAnalysisRequestsOptions {
  /** The request's id, set on the response as the request logger would. */
  requestIdOf: (request: Request, response: Response) => string;
  /** Where a summary of the refusals is logged, at most once a second. */
  logger: Logger;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

/**
 * The first middleware of an analysis request: while admission control is full or the event loop
 * stalls, it answers 503 with `Retry-After` in the API's error shape itself, before the security
 * headers, the request log, authentication and the body, and logs a count of such refusals once a
 * second rather than a line each. Under overload most requests are refused, and a Node.js server
 * accepts one new connection per event-loop turn, so the cost of a refusal decides how long a new
 * client waits to be heard at all. It holds nothing: requests it lets through take their ticket
 * after authentication ({@link admitAnalysisRequests}), so that clients without a key cannot hold
 * places by sending slowly.
 */
export function refuseAnalysesEarly({
  requestIdOf,
  logger,
  clock = Date.now,
  ...options
}: RefuseAnalysesEarlyOptions): RequestHandler {
  let refused = 0;
  let loggedAt = 0;
  return (request, response, next) => {
    const refusal = refusalOf(options);
    if (!refusal) {
      next();
      return;
    }
    refused += 1;
    const now = clock();
    if (now - loggedAt >= 1_000) {
      logger.warn({ refused, reason: refusal.message }, 'analysis requests refused under overload');
      refused = 0;
      loggedAt = now;
    }
    const body: ErrorBody = {
      error: {
        code: refusal.code,
        message: refusal.message,
        details: refusal.details,
        requestId: requestIdOf(request, response),
      },
    };
    response
      .status(503)
      .set({ 'Retry-After': '1', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
      .json(body);
  };
}
