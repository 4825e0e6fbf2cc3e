import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { z, ZodError } from 'zod';
import { isDomainError, redactSecrets, type DomainError } from '../../domain/index.ts';

const STATUS_BY_CODE: Record<string, number> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  precondition_required: 428,
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

/** The API error body, the same on every error status; never a stack trace. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable: validation_error, not_found, rate_limited, …'),
    message: z.string().describe('Plain text for a person'),
    details: z.unknown().optional().describe('E.g. the invalid fields of a validation_error'),
    requestId: z.string().describe('The x-request-id of the request, for the logs'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** How a rejected request is answered: its status, a stable code and a plain message. */
export interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: unknown;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The 4xx status an error carries (`status` or `statusCode`, as http-errors sets them), if any. */
function clientStatusOf(error: Record<string, unknown>): number | null {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499
    ? status
    : null;
}

const INVALID_MULTIPART = 'invalid_multipart';

/** Answers for the body-parser and raw-body error types (`error.type`). */
const BODY_PARSER_ERRORS: Record<string, ClientErrorAnswer> = {
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'the request body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_media_type',
    message: 'the body encoding is not supported',
  },
  'charset.unsupported': {
    status: 415,
    code: 'unsupported_media_type',
    message: 'the body encoding is not supported',
  },
  'request.aborted': {
    status: 400,
    code: 'request_aborted',
    message: 'the request body ended before it was complete',
  },
  'request.size.invalid': {
    status: 400,
    code: 'invalid_content_length',
    message: 'the request body does not match its Content-Length',
  },
};

/**
 * Answers for the errors busboy (under multer) raises on a malformed multipart body. They are plain
 * `Error`s told apart only by their message.
 */
const MULTIPART_ERRORS: Record<string, ClientErrorAnswer> = {
  'Multipart: Boundary not found': {
    status: 400,
    code: INVALID_MULTIPART,
    message: 'the multipart/form-data content type has no boundary',
  },
  'Unexpected end of form': {
    status: 400,
    code: INVALID_MULTIPART,
    message: 'the multipart body ended before its closing boundary',
  },
  'Unexpected end of file': {
    status: 400,
    code: INVALID_MULTIPART,
    message: 'the multipart body ended before its closing boundary',
  },
  'Malformed part header': {
    status: 400,
    code: INVALID_MULTIPART,
    message: 'a part header of the multipart body is malformed',
  },
  'Malformed content type': {
    status: 400,
    code: INVALID_MULTIPART,
    message: 'the multipart/form-data content type is malformed',
  },
  'Missing Content-Type': {
    status: 415,
    code: 'unsupported_media_type',
    message: 'the request has no content type',
  },
  'Malformed urlencoded form': {
    status: 400,
    code: 'invalid_form',
    message: 'the form body is malformed',
  },
  // multer, when the client closes the request before its body is read
  'Request aborted': {
    status: 400,
    code: 'request_aborted',
    message: 'the request body ended before it was complete',
  },
  'Request closed': {
    status: 400,
    code: 'request_aborted',
    message: 'the request body ended before it was complete',
  },
};

const UNSUPPORTED_MULTIPART_TYPE: ClientErrorAnswer = {
  status: 415,
  code: 'unsupported_media_type',
  message: 'the content type is not a supported multipart or form type',
};

function busboyError(error: Error): ClientErrorAnswer | null {
  // busboy and multer throw plain `Error`s; a subclass is someone else's error.
  if (Object.getPrototypeOf(error) !== Error.prototype) return null;
  if (Object.hasOwn(MULTIPART_ERRORS, error.message)) return MULTIPART_ERRORS[error.message] ?? null;
  if (error.message.startsWith('Unsupported content type: ')) return UNSUPPORTED_MULTIPART_TYPE;
  return null;
}

const MULTER_MESSAGES: Record<string, string> = {
  LIMIT_PART_COUNT: 'the multipart body has too many parts',
  LIMIT_FILE_SIZE: 'the uploaded file is too large',
  LIMIT_FILE_COUNT: 'the multipart body has too many files',
  LIMIT_FIELD_KEY: 'a multipart field name is too long',
  LIMIT_FIELD_VALUE: 'a multipart field value is too large',
  LIMIT_FIELD_COUNT: 'the multipart body has too many fields',
  LIMIT_UNEXPECTED_FILE: 'the multipart body has a file in an unexpected field',
};

function multerError(error: MulterError): ClientErrorAnswer {
  const status = error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 413 : 400;
  const answer: ClientErrorAnswer = {
    status,
    code: status === 413 ? 'payload_too_large' : INVALID_MULTIPART,
    message: MULTER_MESSAGES[error.code] ?? 'the multipart body is not valid',
  };
  if (typeof error.field === 'string' && error.field.length > 0) {
    answer.details = { field: error.field.slice(0, 100) };
  }
  return answer;
}

/** A zlib or brotli failure: the body is not what its `Content-Encoding` says. */
function isDecompressionError(error: Record<string, unknown>): boolean {
  return typeof error.errno === 'number' && typeof error.code === 'string' && /^(Z_|ERR_)/.test(error.code);
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  411: 'length_required',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  431: 'request_header_fields_too_large',
};

/** An http-errors style 4xx: its status, with a code and message of our own rather than its text. */
function httpClientError(status: number): ClientErrorAnswer {
  const phrase = STATUS_CODES[status] ?? 'Client Error';
  return {
    status,
    code: CODE_BY_STATUS[status] ?? phrase.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
    message: `the request was refused: ${phrase.toLowerCase()}`,
  };
}

/**
 * Classifies an error raised while reading a request that the client got wrong: body-parser and
 * raw-body errors, an invalid percent-encoding in the path, a malformed multipart body (busboy and
 * multer), a body that is not what its `Content-Encoding` says, and any http-errors error (one that
 * sets `expose`) with a 4xx status. Answers `null` for anything else, which is then a server fault.
 *
 * The messages are ours and plain: the upstream text (which may echo input or name internals)
 * stays in the logs.
 */
export function classifyClientError(error: unknown): ClientErrorAnswer | null {
  if (error instanceof MulterError) return multerError(error);
  if (!isRecord(error)) return null;
  const status = clientStatusOf(error);
  if (typeof error.type === 'string' && Object.hasOwn(BODY_PARSER_ERRORS, error.type)) {
    return BODY_PARSER_ERRORS[error.type] ?? null;
  }
  if (error instanceof URIError && status !== null) {
    return {
      status: 400,
      code: 'invalid_path',
      message: 'the request path has an invalid percent-encoding',
    };
  }
  if (error instanceof Error) {
    const multipart = busboyError(error);
    if (multipart) return multipart;
  }
  // http-errors sets `expose`; an upstream client's error with a `statusCode` (a server fault
  // for us) does not.
  if (status === null || error.expose !== true) return null;
  if (isDecompressionError(error)) {
    return {
      status: 400,
      code: 'invalid_content_encoding',
      message: 'the request body is not encoded as its Content-Encoding says',
    };
  }
  return httpClientError(status);
}

/** The upstream reason of a rejected request, for the logs only, without secrets. */
function reasonOf(error: unknown): string | undefined {
  return error instanceof Error ? redactSecrets(error.message).slice(0, 300) : undefined;
}

/**
 * The one error middleware: typed errors to their status, client errors raised while reading the
 * request (see {@link classifyClientError}) to their 4xx, anything else to 500 without a stack
 * trace.
 */
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
  } else {
    const answer = classifyClientError(error);
    if (answer) {
      status = answer.status;
      body = { error: { code: answer.code, message: answer.message, requestId } };
      if (answer.details !== undefined) body.error.details = answer.details;
    }
  }
  // A refusal at capacity is an answer, as a 429 is: under overload it comes for most requests,
  // and a stack trace logged for each would cost the CPU the refusals are meant to save.
  if (status >= 500 && body.error.code !== 'service_unavailable')
    request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code, status, reason: reasonOf(error) }, 'request rejected');
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
