import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../domain/index.ts';
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

/** Methods that only read. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses any write by a read-only key with a 403. */
export const refuseReadOnlyWrites: RequestHandler = (request, _response, next) => {
  if (principalOf(request).readOnly && !READ_METHODS.has(request.method)) {
    next(new ForbiddenError('this API key is read-only: it may read analyses but not submit or change them'));
    return;
  }
  next();
};

/** The header that marks a request as part of an evaluation run. */
export const EVALUATION_RUN_HEADER = 'x-evaluation-run';
const EVALUATION_RUN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Marks the requests of an evaluation run: the `X-Evaluation-Run` header (1-64 of `A-Za-z0-9._:-`),
 * or every request of an evaluation key. Their analyses stay out of history, stats, recurrence and
 * the learning loop.
 */
export const markEvaluationRuns: RequestHandler = (request, _response, next) => {
  const header = request.headers[EVALUATION_RUN_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  const principal = principalOf(request);
  if (value !== undefined) {
    if (!EVALUATION_RUN.test(value)) {
      next(new ValidationError('X-Evaluation-Run must have 1 to 64 of the characters A-Z a-z 0-9 . _ : -'));
      return;
    }
    request.principal = { ...principal, evaluationRun: value };
  } else if (principal.evaluation) {
    request.principal = { ...principal, evaluationRun: `key:${principal.keyId ?? 'anonymous'}` };
  }
  next();
};
