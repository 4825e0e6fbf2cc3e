import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { isDomainError, type DomainError } from '../../domain/index.ts';

const STATUS_BY_CODE: Record<string, number> = {
  validation_error: 400,
  not_found: 404,
  conflict: 409,
  model_throttled: 503,
  timeout: 504,
  upstream_error: 502,
  config_error: 500,
  document_error: 500,
};

/** The API error body. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

function statusOf(error: DomainError): number {
  return STATUS_BY_CODE[error.code] ?? 500;
}

/** Answers 404 for routes that do not exist, in the API's error shape. */
export const notFoundHandler: RequestHandler = (request, response) => {
  const body: ErrorBody = {
    error: {
      code: 'not_found',
      message: `no route for ${request.method} ${request.path}`,
      requestId: String(request.id),
    },
  };
  response.status(404).json(body);
};

/** The one error middleware: typed errors to their status, anything else to 500 without a stack trace. */
export const errorHandler: ErrorRequestHandler = (error: unknown, request, response, _next) => {
  const requestId = String(request.id);
  let status = 500;
  let body: ErrorBody = { error: { code: 'internal_error', message: 'internal error', requestId } };
  if (error instanceof ZodError) {
    status = 400;
    body = {
      error: {
        code: 'validation_error',
        message: 'the request is not valid',
        details: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        requestId,
      },
    };
  } else if (isDomainError(error)) {
    status = statusOf(error);
    body = { error: { code: error.code, message: error.message, requestId } };
    if (error.details !== undefined) body.error.details = error.details;
  } else if (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    error.type === 'entity.parse.failed'
  ) {
    status = 400;
    body = { error: { code: 'invalid_json', message: 'the request body is not valid JSON', requestId } };
  } else if (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    error.type === 'entity.too.large'
  ) {
    status = 413;
    body = { error: { code: 'payload_too_large', message: 'the request body is too large', requestId } };
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code }, 'request rejected');
  response.status(status).json(body);
};
