import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import { RateLimitedError } from '../../domain/index.ts';
import type { CountingRateLimitStore } from './database-rate-limit-store.ts';

function keyOf(request: Request): string {
  return request.principal?.keyId
    ? `key:${request.principal.keyId}`
    : `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
}

/**
 * A per-key (or, without a key, per-IP) limit of requests a minute, answered in the API's error
 * shape. Counted in `store` (shared by processes) when given, else in this process' memory.
 */
export function limitPerMinute({
  limit,
  what,
  store,
}: {
  limit: number;
  what: string;
  store?: Store;
}): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    ...(store ? { store } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: (_request, _response, next, options) => {
      next(
        new RateLimitedError(
          `more than ${options.limit} ${what} a minute; retry after the Retry-After header`,
        ),
      );
    },
  });
}

/** A per-key limit of analyses a minute where one request may ask for several (a batch). */
export interface AnalysisLimiter {
  /** Counts the request as one analysis; a 429 once over the limit. */
  middleware: RequestHandler;
  /**
   * Counts `count` more analyses for the request's key (a batch's items after the first), and
   * throws a RateLimitedError (429, with `Retry-After` set on `response`) when that goes over
   * the limit; nothing is stored then.
   */
  charge(request: Request, response: Response, count: number): Promise<void>;
}

/**
 * Creates an {@link AnalysisLimiter} of `limit` analyses a minute per key (or IP), counted in
 * `store` (shared by processes) when given, else in this process' memory.
 */
export function limitAnalysesPerMinute({
  limit,
  store = new MemoryStore(),
}: {
  limit: number;
  store?: CountingRateLimitStore | MemoryStore;
}): AnalysisLimiter {
  const windowMs = 60_000;
  const middleware = rateLimit({
    windowMs,
    limit,
    store,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: (_request, _response, next, options) => {
      next(
        new RateLimitedError(
          `more than ${options.limit} analyses a minute; retry after the Retry-After header`,
        ),
      );
    },
  });
  return {
    middleware,
    async charge(request, response, count) {
      let totalHits = 0;
      let resetTime: Date | undefined;
      if ('incrementBy' in store) {
        ({ totalHits, resetTime } = await store.incrementBy(keyOf(request), count));
      } else {
        for (let index = 0; index < count; index += 1) {
          ({ totalHits, resetTime } = await store.increment(keyOf(request)));
        }
      }
      if (totalHits > limit) {
        const seconds = Math.max(
          1,
          Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000),
        );
        response.setHeader('Retry-After', String(seconds));
        throw new RateLimitedError(
          `this batch would make more than ${limit} analyses a minute for this key (each report counts); retry after the Retry-After header`,
          { details: { limit, requested: count + 1 } },
        );
      }
    },
  };
}

/** Settings of {@link limitFailedAuthentication}. */
export interface FailedAuthenticationLimit {
  /** Failed authentications a client address may make in a window before it is refused. */
  limit: number;
  /** The window, in milliseconds. */
  windowMs: number;
  /** Where failures are counted (shared by processes); this process' memory by default. */
  store?: Store;
}

/** Counts failed authentications per client address, and refuses an address that made too many. */
export interface FailedAuthenticationLimiter {
  /**
   * Passes a RateLimitedError (429, with `Retry-After`) to `next` when the client address has
   * used up its failures in the current window, before its key is checked; otherwise calls
   * `next()`.
   */
  refuseExhausted: RequestHandler;
  /**
   * Counts one failed authentication of the client address and passes `failure` to `next`, or a
   * RateLimitedError (429, with `Retry-After`) once the address is over the limit.
   */
  countFailure(request: Request, response: Response, next: NextFunction, failure: Error): void;
}

function addressOf(request: Request): string {
  return `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
}

/**
 * A limit of failed authentications per client address (IPv6 by /56), so that API keys cannot
 * be guessed at speed. Only failures count: a client with a valid key is never limited by its
 * own traffic, but once an address is over the limit every request from it is refused until the
 * window ends, so that a guess that happens to be right is not told apart from a wrong one.
 */
export function limitFailedAuthentication({
  limit,
  windowMs,
  store,
}: FailedAuthenticationLimit): FailedAuthenticationLimiter {
  const failures = rateLimit({
    windowMs,
    limit,
    ...(store ? { store } : {}),
    identifier: 'auth-failures',
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: addressOf,
    handler: (_request, _response, next) => {
      next(
        new RateLimitedError(
          `more than ${limit} failed authentications from this address; retry after the Retry-After header`,
        ),
      );
    },
  });
  return {
    refuseExhausted: (request, response, next) => {
      Promise.resolve(failures.getKey(addressOf(request))).then((used) => {
        // Over the limit: the limiter counts this request too and answers it with a 429.
        if (used && used.totalHits >= limit) void failures(request, response, next);
        else next();
      }, next);
    },
    countFailure: (request, response, next, failure) => {
      void failures(request, response, (error?: unknown) => next(error ?? failure));
    },
  };
}
