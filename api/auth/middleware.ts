import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../../domain/index.ts';
import type { FailedAuthenticationLimiter } from '../middleware/rate-limit.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { ANONYMOUS, verifyApiKey, type Principal } from './api-keys.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The principal of an authenticated request. */
export function principalOf(request: Request): Principal {
  return request.principal ?? ANONYMOUS;
}

/**
 * Authenticates `x-api-key`. With `AUTH=required` a missing or wrong key is a 401; with
 * `AUTH=off` requests without a key are anonymous, and a key, when sent, is still checked so
 * that facility scoping works. With `failures`, each 401 counts against the client address, and
 * an address over its limit is answered 429 before its key is checked.
 */
export function authenticate({
  store,
  mode,
  failures,
}: {
  store: AnalysisStore;
  mode: 'required' | 'off';
  failures?: FailedAuthenticationLimiter;
}): RequestHandler {
  const check: RequestHandler = (request, response, next) => {
    const fail = (error: UnauthorizedError): void => {
      if (failures) failures.countFailure(request, response, next, error);
      else next(error);
    };
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) {
      if (mode === 'required') {
        fail(new UnauthorizedError('an API key is required in the x-api-key header'));
        return;
      }
      request.principal = ANONYMOUS;
      next();
      return;
    }
    verifyApiKey({ store, key }).then(
      (principal) => {
        if (!principal) {
          fail(new UnauthorizedError('the API key is not valid'));
          return;
        }
        request.principal = principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
  if (!failures) return check;
  return (request: Request, response: Response, next: NextFunction) => {
    failures.refuseExhausted(request, response, (error?: unknown) => {
      if (error) next(error);
      else void check(request, response, next);
    });
  };
}
