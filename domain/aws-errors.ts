/**
 * The shape every AWS SDK v3 service exception has (`ServiceException`), checked structurally so
 * that the domain needs no SDK import.
 */
export interface AwsServiceError {
  name: string;
  message: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** How an AWS failure should be handled: retried after a backoff, or not. */
export type AwsErrorKind = 'throttled' | 'timeout' | 'transient' | 'fatal';

/** Error names AWS services use for throttling. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Error names of server-side failures that a retry can get past. */
const TRANSIENT_NAMES = new Set([
  'ServiceUnavailableException',
  'InternalServerException',
  'InternalFailure',
  'InternalError',
  'DependencyFailedException',
  'BadGatewayException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
]);

/** Node socket error codes that a retry can get past. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Whether `error` is an AWS SDK service exception (it carries `$metadata` and a name). */
export function isAwsServiceError(error: unknown): error is AwsServiceError {
  return (
    typeof error === 'object' &&
    error !== null &&
    '$metadata' in error &&
    'name' in error &&
    typeof error.name === 'string'
  );
}

/** The HTTP status of an AWS service exception, if it has one. */
export function awsErrorStatus(error: unknown): number | undefined {
  return isAwsServiceError(error) ? error.$metadata?.httpStatusCode : undefined;
}

/**
 * Classifies a failure of an AWS SDK call: throttling (by name or 429), a timeout, a transient
 * server or network fault (by name, `$fault: 'server'`, a 5xx or a socket error code), or fatal.
 * Names are compared with their first letter upper-cased, since event-stream exception events
 * arrive as `throttlingException`.
 */
export function awsErrorKind(error: unknown): AwsErrorKind {
  if (typeof error !== 'object' || error === null) return 'fatal';
  const rawName = 'name' in error && typeof error.name === 'string' ? error.name : '';
  const name = rawName.charAt(0).toUpperCase() + rawName.slice(1);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const status = awsErrorStatus(error);
  if (THROTTLING_NAMES.has(name) || status === 429) return 'throttled';
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return 'timeout';
  if (TRANSIENT_NAMES.has(name)) return 'transient';
  if (isAwsServiceError(error) && (error.$fault === 'server' || (status ?? 0) >= 500)) return 'transient';
  if (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) return 'transient';
  return 'fatal';
}

/** Whether an AWS SDK failure is worth retrying (see {@link awsErrorKind}). */
export function isRetryableAwsError(error: unknown): boolean {
  return awsErrorKind(error) !== 'fatal';
}

/** `Name: message` of an AWS service exception, or the error as text. */
export function describeAwsError(error: unknown): string {
  if (isAwsServiceError(error)) return `${error.name}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
