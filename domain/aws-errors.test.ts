import { describe, expect, it } from 'vitest';
import { awsErrorKind, describeAwsError, isAwsServiceError, isRetryableAwsError } from './aws-errors.ts';

/** An error shaped like the SDK's ServiceException for a given name and status. */
function serviceError(
  name: string,
  status: number,
  fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
) {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  });
}

describe('AWS error classification', () => {
  it.each([
    ['ThrottlingException', 400, 'throttled'],
    ['throttlingException', 400, 'throttled'],
    ['internalServerException', 400, 'transient'],
    ['SlowDown', 503, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['SomethingElse', 429, 'throttled'],
    ['ModelNotReadyException', 429, 'throttled'],
    ['ServiceUnavailableException', 503, 'transient'],
    ['InternalServerException', 500, 'transient'],
    ['DependencyFailedException', 424, 'transient'],
    ['UnknownServerFault', 502, 'transient'],
    ['ValidationException', 400, 'fatal'],
    ['AccessDeniedException', 403, 'fatal'],
    ['ResourceNotFoundException', 404, 'fatal'],
  ] as const)('%s with status %i is %s', (name, status, kind) => {
    expect(awsErrorKind(serviceError(name, status))).toBe(kind);
    expect(isRetryableAwsError(serviceError(name, status))).toBe(kind !== 'fatal');
  });

  it('retries socket failures and timeouts, not plain errors or non-errors', () => {
    expect(awsErrorKind(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(awsErrorKind(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(awsErrorKind(new Error('bug'))).toBe('fatal');
    expect(awsErrorKind('text')).toBe('fatal');
    expect(awsErrorKind(null)).toBe('fatal');
  });

  it('recognises service exceptions by their metadata and describes them', () => {
    const error = serviceError('ValidationException', 400);
    expect(isAwsServiceError(error)).toBe(true);
    expect(isAwsServiceError(new Error('plain'))).toBe(false);
    expect(describeAwsError(error)).toBe('ValidationException: ValidationException happened');
    expect(describeAwsError('text')).toBe('text');
  });
});
