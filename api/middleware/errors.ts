import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { ZodError } from 'zod';
import { isDomainError, redactSecrets, type DomainError } from '../../domain/index.ts';

const STATUS_BY_CODE: Record<string, number> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  model_throttled: 503,
  service_unavailable: 503,
  timeout: 504,
  upstream_error: 502,
  cancelled: 499,
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

function bodyParserError(error: unknown): { status: number; code: string; message: string } | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch (error.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' };
    case 'entity.too.large':
      return { status: 413, code: 'payload_too_large', message: 'the request body is too large' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported_media_type', message: 'the body encoding is not supported' };
    default:
      return null;
  }
}

/** The one error middleware: typed errors to their status, anything else to 500 without a stack trace. */
export const errorHandler: ErrorRequestHandler = (error: unknown, request, response, _next) => {
  const requestId = String(request.id);
  let status = 500;
  let body: ErrorBody = { error: { code: 'internal_error', message: 'internal error', requestId } };
  const parserError = bodyParserError(error);
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
  } else if (error instanceof MulterError) {
    status = error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 413 : 400;
    body = {
      error: {
        code: status === 413 ? 'payload_too_large' : 'invalid_multipart',
        message: `${error.message}${error.field ? ` (${error.field})` : ''}`,
        requestId,
      },
    };
  } else if (parserError) {
    status = parserError.status;
    body = { error: { code: parserError.code, message: parserError.message, requestId } };
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code, status }, 'request rejected');
  if (response.headersSent) {
    response.end();
    return;
  }
  if (status === 503) response.setHeader('Retry-After', '1');
  response.status(status).json(withoutSecrets(body));
};

/** The body with secrets (API keys, passwords in URLs, credentials) taken out of its texts. */
function withoutSecrets(body: ErrorBody): ErrorBody {
  return JSON.parse(redactSecrets(JSON.stringify(body))) as ErrorBody;
}
