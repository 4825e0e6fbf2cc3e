import pLimit from 'p-limit';
import type { CaseResult } from '../result.ts';
import { StopRunError, type EvalTarget } from '../targets/target.ts';
import type { FollowUp, FollowUpResult } from './follow-up.ts';
import { judgeFollowUp } from './rubric-judge.ts';

/**
 * Judges answered follow-ups: each against the rubric, with the answers to the other topics'
 * questions about the same case for the canned-answer rule.
 */
export function judgeFollowUps({
  answered,
  caseResults,
}: {
  answered: ReadonlyArray<Omit<FollowUpResult, 'verdict'>>;
  caseResults: readonly CaseResult[];
}): FollowUpResult[] {
  const analyses = new Map(caseResults.map((result) => [result.id, result.analysis]));
  return answered.map((result) => {
    const otherTopicAnswers = answered
      .filter(
        (other) => other.caseId === result.caseId && other.topic !== result.topic && other.answer !== null,
      )
      .map((other) => other.answer ?? '');
    return {
      ...result,
      verdict: judgeFollowUp({
        followUp: result,
        answer: result.outcome === 'ok' ? result.answer : null,
        citations: result.citations,
        analysis: analyses.get(result.caseId) ?? null,
        otherTopicAnswers,
      }),
    };
  });
}

/**
 * Asks every follow-up question about the analysis its case got in this run, through the target's
 * follow-up path, and judges the answers. A question whose case errored is recorded as an `error`
 * (not scored), one whose case's answer was invalid as `no_analysis`; questions about cases not in the run are left out. A
 * {@link StopRunError} from the target stops the questions not yet asked and is thrown.
 */
export async function runFollowUps({
  followUps,
  caseResults,
  target,
  concurrency,
  timeoutMs,
  onProgress,
}: {
  followUps: readonly FollowUp[];
  caseResults: readonly CaseResult[];
  target: EvalTarget;
  concurrency: number;
  timeoutMs: number;
  onProgress?: (done: number) => void;
}): Promise<FollowUpResult[]> {
  const byId = new Map(caseResults.map((result) => [result.id, result]));
  const limit = pLimit(concurrency);
  let done = 0;
  let stopError: StopRunError | undefined;
  const answered = await Promise.all(
    followUps
      .filter((followUp) => byId.has(followUp.case_id))
      .map((followUp) =>
        limit(async (): Promise<Omit<FollowUpResult, 'verdict'> | null> => {
          if (stopError) return null;
          const base = {
            id: followUp.id,
            caseId: followUp.case_id,
            topic: followUp.topic,
            language: followUp.language,
            question: followUp.question,
          };
          const caseResult = byId.get(followUp.case_id);
          const analysis = caseResult?.analysis ?? null;
          const started = performance.now();
          let result: Omit<FollowUpResult, 'verdict'>;
          if (caseResult?.outcome === 'error') {
            result = {
              ...base,
              outcome: 'error',
              error: `not asked: case ${followUp.case_id} errored`,
              answer: null,
              citations: [],
              latencyMs: 0,
            };
          } else if (analysis === null) {
            result = {
              ...base,
              outcome: 'no_analysis',
              error: 'the case has no analysis',
              answer: null,
              citations: [],
              latencyMs: 0,
            };
          } else {
            try {
              const answer = await target.ask({
                analysis,
                question: followUp.question,
                signal: AbortSignal.timeout(timeoutMs),
              });
              result = {
                ...base,
                outcome: 'ok',
                error: null,
                ...answer,
                latencyMs: performance.now() - started,
              };
            } catch (error) {
              if (error instanceof StopRunError) {
                stopError ??= error;
                return null;
              }
              result = {
                ...base,
                outcome: 'error',
                error: error instanceof Error ? error.message : String(error),
                answer: null,
                citations: [],
                latencyMs: performance.now() - started,
              };
            }
          }
          done += 1;
          onProgress?.(done);
          return result;
        }),
      ),
  );
  if (stopError) throw stopError;
  return judgeFollowUps({
    answered: answered.filter((result) => result !== null),
    caseResults,
  });
}
