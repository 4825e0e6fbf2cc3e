import pLimit from 'p-limit';
import { languageOf, type EvalCase } from './case.ts';
import { scoreCase, validateAnalysis } from './metrics.ts';
import type { CaseResult } from './result.ts';
import { StopRunError, type EvalTarget } from './targets/target.ts';

/** Progress of a run, after each case. */
export interface RunProgress {
  done: number;
  total: number;
  failures: number;
  errors: number;
}

/** How many error messages {@link describeErrors} quotes. */
const QUOTED_ERRORS = 3;

/**
 * Runs every case against a target with bounded concurrency and a time limit per case. A case
 * that errors or times out is recorded as an error (not scored; see {@link describeErrors}) and
 * the run goes on, unless the target throws a {@link StopRunError} (the service refuses the API
 * key): then the cases not started are dropped, the running ones cancelled, and that error thrown.
 */
export async function runCases({
  cases,
  target,
  concurrency,
  timeoutMs,
  citationExists,
  onProgress,
}: {
  cases: readonly EvalCase[];
  target: EvalTarget;
  concurrency: number;
  timeoutMs: number;
  citationExists: (id: string) => boolean;
  onProgress?: (progress: RunProgress) => void;
}): Promise<CaseResult[]> {
  const limit = pLimit(concurrency);
  const progress: RunProgress = { done: 0, total: cases.length, failures: 0, errors: 0 };
  const stop = new AbortController();
  let stopError: StopRunError | undefined;
  const results = await Promise.all(
    cases.map((testCase) =>
      limit(async (): Promise<CaseResult | null> => {
        if (stop.signal.aborted) return null;
        const started = performance.now();
        const base = {
          id: testCase.id,
          tags: testCase.tags,
          language: languageOf(testCase),
          labels: testCase.labels,
        };
        let result: CaseResult;
        const timeout = AbortSignal.timeout(timeoutMs);
        try {
          const raw = await target.analyze({
            report: testCase.input,
            signal: AbortSignal.any([stop.signal, timeout]),
          });
          const latencyMs = performance.now() - started;
          const { analysis, issues } = validateAnalysis(raw);
          result = analysis
            ? {
                ...base,
                outcome: 'ok',
                error: null,
                schemaIssues: [],
                analysis,
                latencyMs,
                checks: scoreCase({ testCase, analysis, citationExists }),
              }
            : {
                ...base,
                outcome: 'invalid',
                error: 'the answer is not a ConsolidatedAnalysis',
                schemaIssues: issues,
                analysis: null,
                latencyMs,
                checks: {},
              };
        } catch (error) {
          if (error instanceof StopRunError || stop.signal.aborted) {
            if (error instanceof StopRunError) stopError ??= error;
            stop.abort(stopError);
            return null;
          }
          const message =
            timeout.aborted || (error instanceof Error && error.name === 'TimeoutError')
              ? `timed out after ${timeoutMs} ms`
              : error instanceof Error
                ? error.message
                : String(error);
          result = {
            ...base,
            outcome: 'error',
            error: message,
            schemaIssues: [],
            analysis: null,
            latencyMs: performance.now() - started,
            checks: {},
          };
        }
        progress.done += 1;
        if (result.outcome === 'error') progress.errors += 1;
        else if (
          result.outcome === 'invalid' ||
          result.checks.typeCorrect === false ||
          result.checks.stageCorrect === false
        )
          progress.failures += 1;
        onProgress?.({ ...progress });
        return result;
      }),
    ),
  );
  if (stopError) throw stopError;
  return results.filter((result) => result !== null);
}

/**
 * What the cases that errored (the target failed or timed out; a wrong or invalid answer is not an
 * error) say, e.g. `12 of 170 cases errored (HTTP 503 ...; timed out after 30000 ms)`, quoting the
 * first few different messages; null when none errored.
 */
export function describeErrors(
  results: ReadonlyArray<Pick<CaseResult, 'error'> & { outcome: string }>,
  what = 'cases',
): string | null {
  const errored = results.filter((result) => result.outcome === 'error');
  if (errored.length === 0) return null;
  const messages = [...new Set(errored.map((result) => result.error ?? 'unknown error'))];
  const quoted = messages.slice(0, QUOTED_ERRORS).map((message) => message.slice(0, 200));
  const more = messages.length > QUOTED_ERRORS ? `; and ${messages.length - QUOTED_ERRORS} more` : '';
  return `${errored.length} of ${results.length} ${what} errored (${quoted.join('; ')}${more})`;
}
