/** Options every domain error accepts. */
export interface DomainErrorOptions {
  cause?: unknown;
  details?: unknown;
}

/** Base of the typed errors: a stable `code`, whether retrying may help, and the `cause`. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: unknown;
  readonly isRetryable: boolean = false;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
  }
}

/** Input failed validation. `details` holds the issues (path and message). */
export class ValidationError extends DomainError {
  readonly code = 'validation_error';
}

/** A requested resource does not exist. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** The request conflicts with the current state (e.g. an idempotency key reused with another body). */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A conditional write (`If-Match`) was made on a version that is no longer current. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'precondition_failed';
}

/** A write that must be conditional came without its condition (`If-Match`). */
export class PreconditionRequiredError extends DomainError {
  readonly code = 'precondition_required';
}

/** A setting is missing or invalid. The message names the setting and its environment variable. */
export class ConfigError extends DomainError {
  readonly code = 'config_error';
}

/** A corpus document could not be parsed or does not match the corpus schema. */
export class DocumentError extends DomainError {
  readonly code = 'document_error';
  readonly file: string;

  constructor(file: string, message: string, options: DomainErrorOptions = {}) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** The model provider throttled the call; retrying later may succeed. */
export class ModelThrottledError extends DomainError {
  readonly code = 'model_throttled';
  override readonly isRetryable = true;
}

/** An operation took longer than its limit. */
export class TimeoutError extends DomainError {
  readonly code = 'timeout';
  override readonly isRetryable = true;
}

/** An upstream service (model, knowledge base, database) failed. */
export class UpstreamError extends DomainError {
  readonly code = 'upstream_error';
  override readonly isRetryable: boolean;

  constructor(message: string, options: DomainErrorOptions & { isRetryable?: boolean } = {}) {
    super(message, options);
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** Whether an unknown thrown value is one of our typed errors. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** An agent's final answer did not match its output schema, even after one repair attempt. */
export class AgentOutputError extends DomainError {
  readonly code = 'agent_output_invalid';
}

/** An agent used up its steps without a final answer. */
export class AgentStepLimitError extends DomainError {
  readonly code = 'agent_step_limit';
}

/** The caller cancelled the work. */
export class CancelledError extends DomainError {
  readonly code = 'cancelled';
}

/** No valid credentials were given. */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

/** The credentials do not allow this (e.g. another facility's data). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** The body is larger than allowed. */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
}

/** The body's media type is not accepted. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
}

/** The request is well-formed but cannot be processed (e.g. an image with no vision model). */
export class UnprocessableError extends DomainError {
  readonly code = 'unprocessable';
}

/** Too many requests; retry after the window. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  override readonly isRetryable = true;
}

/** A dependency is not ready (e.g. the store is unreachable). */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'service_unavailable';
  override readonly isRetryable = true;
}
