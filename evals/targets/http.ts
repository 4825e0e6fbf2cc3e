import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { UpstreamError, type InspectionReport } from '../../domain/index.ts';
import { StopRunError, type EvalTarget } from './target.ts';

const QuestionAnswer = z.object({
  answer: z.string(),
  citations: z.array(z.object({ chunk_id: z.string() }).passthrough()),
});

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The header that marks every request of an evals run; the service keeps such analyses out of history. */
export const EVALUATION_RUN_HEADER = 'X-Evaluation-Run';

/** Retries after a 429, a 503 or a refused connection, unless `--max-retries` says otherwise. */
export const DEFAULT_MAX_RETRIES = 5;

/** Longest total wait for one request across its retries, unless `--max-wait` says otherwise. */
export const DEFAULT_MAX_WAIT_MS = 120_000;

const POLL_INTERVAL_MS = 500;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CEILING_MS = 30_000;
/** What the service accepts in `X-Evaluation-Run`. */
const EVALUATION_RUN_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const RETRYABLE_STATUSES = new Set([429, 503]);
/** Connection failures that mean the request never reached the service. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED']);
/** Connection failures after which the service may or may not have processed the request. */
const INTERRUPTED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * The `X-Evaluation-Run` value of a run: the run id when it is 1 to 64 of the characters
 * `A-Za-z0-9._:-` (what the service accepts), else a new `eval-<timestamp>-<random>`.
 */
export function evaluationRunIdFor(runId: string, now: Date = new Date()): string {
  if (EVALUATION_RUN_ID.test(runId)) return runId;
  const timestamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `eval-${timestamp}-${randomBytes(4).toString('hex')}`;
}

/**
 * How long a `Retry-After` header asks to wait, in milliseconds: delay seconds or an HTTP date
 * (a date in the past means now); null when the header is absent or unreadable.
 */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for retry `attempt` (0 first): between half and all of
 * 0.5 s × 2^attempt, at most 30 s.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CEILING_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The code of a connection failure thrown by `fetch` (`ECONNREFUSED`, `ECONNRESET`, ...), if it is one. */
function connectionErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NOT_SENT_CODES.has(code) || INTERRUPTED_CODES.has(code))) return code;
  }
  return undefined;
}

/** Waits, rejecting when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}

/** Settings of the HTTP target; everything after `evaluationRunId` is for tests or the CLI's options. */
export interface HttpTargetOptions {
  baseUrl: string;
  apiKey?: string;
  /** Sent as `X-Evaluation-Run` on every request (1 to 64 of `A-Za-z0-9._:-`). */
  evaluationRunId: string;
  /** Retries of one request after a 429, a 503 or a connection failure (default 5). */
  maxRetries?: number;
  /** Longest total wait of one request across its retries, in milliseconds (default 120 s). */
  maxWaitMs?: number;
  /** Waits between retries and polls (default: a timer that the signal cancels). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The current time in milliseconds, for `Retry-After` dates (default `Date.now`). */
  now?: () => number;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** Told when the target waits before a retry (default: a line on stderr). */
  onWait?: (message: string) => void;
}

interface Call {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  signal: AbortSignal;
  /** Sent as `Idempotency-Key`: the same on every retry of the call. */
  idempotencyKey?: string;
  /**
   * Whether the call may be repeated after a connection broke mid-request (it is a GET, or the
   * service deduplicates it by its idempotency key). A refused connection is always retried.
   */
  repeatable: boolean;
}

/**
 * The HTTP target: `POST /api/v1/analyze` on a running service (polling `GET /api/v1/analyses/:id`
 * while the analysis is pending), and `POST /api/v1/analyses/:id/questions` for follow-ups. The
 * questions about one case share the analysis's stored session, as they would for a user.
 *
 * Every request carries `X-Evaluation-Run`, so the service stores the analyses as evaluation
 * analyses, out of history, stats, recurrence and the learning loop. A `429` or `503`, or a
 * connection refused or reset while the service restarts, is retried after `Retry-After` (or an
 * exponential backoff with jitter without one), at most `maxRetries` times and `maxWaitMs` in all;
 * each analysis is posted with its own `Idempotency-Key`, the same on every retry, so a retried
 * post cannot create a second analysis. A `401` throws a {@link StopRunError}.
 */
export function createHttpTarget({
  baseUrl,
  apiKey,
  evaluationRunId,
  maxRetries = DEFAULT_MAX_RETRIES,
  maxWaitMs = DEFAULT_MAX_WAIT_MS,
  sleep = abortableSleep,
  now = Date.now,
  random = Math.random,
  onWait = (message) => console.warn(message),
}: HttpTargetOptions): EvalTarget {
  if (!EVALUATION_RUN_ID.test(evaluationRunId)) {
    throw new RangeError(
      `the evaluation run id must have 1 to 64 of the characters A-Z a-z 0-9 . _ : -, got ${evaluationRunId}`,
    );
  }
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    [EVALUATION_RUN_HEADER.toLowerCase()]: evaluationRunId,
    ...(apiKey ? { 'x-api-key': apiKey } : {}),
  };

  function unauthorized(url: URL, body: unknown): StopRunError {
    const parsed = ErrorBody.safeParse(body);
    const detail = parsed.success
      ? `${parsed.data.error.code}: ${parsed.data.error.message}`
      : 'unauthorized';
    const advice = apiKey
      ? 'the API key given with --api-key is not valid there; create one with npm run keys:create -- --name evals'
      : 'it needs an API key: pass one with --api-key <key> (create one with npm run keys:create -- --name evals)';
    return new StopRunError(`${url.origin} answered 401 (${detail}): ${advice}`, {
      cause: new UpstreamError(`HTTP 401 from ${url.toString()}`, { isRetryable: false, details: body }),
    });
  }

  /** One try of a call: the answer's body, or why and how long to wait before the next try. */
  async function attempt(
    { method, url, body, signal, repeatable }: Call,
    headers: Record<string, string>,
    retry: number,
  ): Promise<{ body: unknown } | { reason: string; waitMs: number }> {
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      const code = connectionErrorCode(error);
      if (code === undefined || (!NOT_SENT_CODES.has(code) && !repeatable)) {
        throw new UpstreamError(`${method} ${url.toString()} failed: ${code ?? String(error)}`, {
          isRetryable: code !== undefined,
          cause: error,
        });
      }
      const reason = `connection ${code === 'ECONNREFUSED' ? 'refused' : `broken (${code})`}`;
      return { reason, waitMs: backoffMs(retry, random) };
    }
    const answer: unknown = await response.json().catch(() => null);
    if (response.ok) return { body: answer };
    if (response.status === 401) throw unauthorized(url, answer);
    if (!RETRYABLE_STATUSES.has(response.status)) {
      throw new UpstreamError(
        `HTTP ${response.status} from ${url.toString()}: ${JSON.stringify(answer).slice(0, 300)}`,
        { isRetryable: response.status >= 500, details: answer },
      );
    }
    const waitMs = retryAfterMs(response.headers.get('retry-after'), now()) ?? backoffMs(retry, random);
    return { reason: `HTTP ${response.status}`, waitMs };
  }

  /** Sends a call, retrying as createHttpTarget's comment says; throws when it fails for good. */
  async function send(call: Call): Promise<unknown> {
    const { method, url, signal, idempotencyKey } = call;
    const headers = { ...baseHeaders, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) };
    let waitedMs = 0;
    for (let retry = 0; ; retry += 1) {
      const outcome = await attempt(call, headers, retry);
      if ('body' in outcome) return outcome.body;
      const { reason, waitMs } = outcome;
      if (retry >= maxRetries) {
        const tries =
          maxRetries === 0
            ? 'not retried'
            : `still after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}; giving up`;
        throw new UpstreamError(
          `${method} ${url.pathname}: ${reason}, ${tries} (--max-retries ${maxRetries})`,
          {
            isRetryable: true,
          },
        );
      }
      if (waitedMs + waitMs > maxWaitMs) {
        throw new UpstreamError(
          `${method} ${url.pathname}: ${reason}, and waiting ${(waitMs / 1000).toFixed(1)} s more would pass the ${(maxWaitMs / 1000).toFixed(0)} s limit on waiting (--max-wait); giving up`,
          { isRetryable: true },
        );
      }
      onWait(
        `${reason} for ${method} ${url.pathname}; waiting ${(waitMs / 1000).toFixed(1)} s before retry ${retry + 1} of ${maxRetries}`,
      );
      await sleep(waitMs, signal);
      waitedMs += waitMs;
    }
  }

  const pendingId = (body: unknown): string | null => {
    const parsed = z.object({ defect_id: z.string(), status: z.literal('pending') }).safeParse(body);
    return parsed.success ? parsed.data.defect_id : null;
  };
  return {
    name: new URL(baseUrl).host,
    model: 'remote',
    async analyze({ report, signal }: { report: InspectionReport; signal: AbortSignal }) {
      let body = await send({
        method: 'POST',
        url: new URL('/api/v1/analyze', baseUrl),
        body: JSON.stringify(report),
        signal,
        idempotencyKey: `${evaluationRunId}-${randomUUID()}`,
        repeatable: true,
      });
      for (let id = pendingId(body); id !== null; id = pendingId(body)) {
        await sleep(POLL_INTERVAL_MS, signal);
        signal.throwIfAborted();
        body = await send({
          method: 'GET',
          url: new URL(`/api/v1/analyses/${encodeURIComponent(id)}`, baseUrl),
          signal,
          repeatable: true,
        });
      }
      return body;
    },
    async ask({ analysis, question, signal }) {
      const url = new URL(`/api/v1/analyses/${encodeURIComponent(analysis.defect_id)}/questions`, baseUrl);
      // The questions route takes no idempotency key: a question is not repeated after a broken connection.
      const body = await send({
        method: 'POST',
        url,
        body: JSON.stringify({ question }),
        signal,
        repeatable: false,
      });
      const parsed = QuestionAnswer.safeParse(body);
      if (!parsed.success) {
        throw new UpstreamError(`unexpected answer from ${url.toString()}: ${parsed.error.message}`, {
          isRetryable: false,
          cause: parsed.error,
        });
      }
      return {
        answer: parsed.data.answer,
        citations: parsed.data.citations.map((citation) => citation.chunk_id),
      };
    },
    async close() {},
  };
}
