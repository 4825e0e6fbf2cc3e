/**
 * How the PostgreSQL adapter reads `pg` errors: which are worth retrying, which are constraint
 * violations, and how a connection string is named in messages without its secrets.
 */

/** SQLSTATE codes after which the same statement may succeed if retried. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

/** Socket errors of Node when a connection is refused, reset or times out. */
const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Errors `pg` raises without a code when the connection drops or the pool cannot hand one out
 * in time (`connectionTimeoutMillis`).
 */
const RETRYABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /not queryable/i,
];

/** The `code` property of an error, if it has a string one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Whether retrying may help: a lost or refused connection (SQLSTATE class 08, socket errors),
 * a server shutting down or full, a serialization failure or a deadlock. An AggregateError
 * (several addresses tried) is retryable when any of its errors is.
 */
export function isRetryablePostgresError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isRetryablePostgresError);
  const code = errorCode(error);
  if (code !== undefined) {
    if (code.startsWith('08') || RETRYABLE_SQLSTATES.has(code) || RETRYABLE_SOCKET_CODES.has(code)) {
      return true;
    }
  }
  return error instanceof Error && RETRYABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** Whether the error is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return errorCode(error) === '23505';
}

/** Whether the error is a foreign-key violation (SQLSTATE 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  return errorCode(error) === '23503';
}

/**
 * Whether PostgreSQL refused a text value it cannot store: a NUL character, or bytes that are not
 * valid in the database encoding.
 */
export function isUnstorableText(error: unknown): boolean {
  const code = errorCode(error);
  return code === '22021' || code === '22P05';
}

/**
 * The connection string without its password and query string (which may hold `password=` or
 * TLS keys), for error messages. A string that is not a URL is not shown at all.
 */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}
