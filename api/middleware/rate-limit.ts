import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RateLimitedError } from '../../domain/index.ts';

function keyOf(request: Request): string {
  return request.principal?.keyId
    ? `key:${request.principal.keyId}`
    : `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
}

/** A per-key (or, without a key, per-IP) limit of requests a minute, answered in the API's error shape. */
export function limitPerMinute({ limit, what }: { limit: number; what: string }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
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
