import pLimit from 'p-limit';
import { languageOf, type EvalCase } from './case.ts';
import { scoreCase, validateAnalysis } from './metrics.ts';
import type { CaseResult } from './result.ts';
import type { EvalTarget } from './targets/target.ts';

/** Progress of a run, after each case. */
export interface RunProgress {
  done: number;
  total: number;
  failures: number;
  errors: number;
}

/**
 * Runs every case against a target with bounded concurrency and a time limit per case. A case
 * that errors or times out is recorded as an error and the run goes on.
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
  const results = await Promise.all(
    cases.map((testCase) =>
      limit(async (): Promise<CaseResult> => {
        const started = performance.now();
        const base = {
          id: testCase.id,
          tags: testCase.tags,
          language: languageOf(testCase),
          labels: testCase.labels,
        };
        let result: CaseResult;
        try {
          const raw = await target.analyze({
            report: testCase.input,
            signal: AbortSignal.timeout(timeoutMs),
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
          const message =
            error instanceof Error
              ? error.name === 'TimeoutError'
                ? `timed out after ${timeoutMs} ms`
                : error.message
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
        if (result.outcome !== 'ok') progress.errors += 1;
        else if (result.checks.typeCorrect === false || result.checks.stageCorrect === false)
          progress.failures += 1;
        onProgress?.({ ...progress });
        return result;
      }),
    ),
  );
  return results;
}
