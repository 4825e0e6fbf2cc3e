import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../../domain/index.ts';
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
 * that facility scoping works.
 */
export function authenticate({
  store,
  mode,
}: {
  store: AnalysisStore;
  mode: 'required' | 'off';
}): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) {
      if (mode === 'required') {
        next(new UnauthorizedError('an API key is required in the x-api-key header'));
        return;
      }
      request.principal = ANONYMOUS;
      next();
      return;
    }
    verifyApiKey({ store, key }).then(
      (principal) => {
        if (!principal) {
          next(new UnauthorizedError('the API key is not valid'));
          return;
        }
        request.principal = principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
