import type { CaseResult } from '../result.ts';

/** How one case's answer compares with its labels on defect type and origin stage. */
export interface CaseVerdict {
  expectedType: string;
  gotType: string | null;
  expectedStage: string | null;
  gotStage: string | null;
  typeCorrect: boolean;
  /** null when the case has no expected stage, so the stage is not scored. */
  stageCorrect: boolean | null;
  /** The case ran, its type is right and its stage is right or not scored. */
  passed: boolean;
  /** Human-readable problems: the error, schema issues, or expected-vs-got mismatches. */
  problems: string[];
}

/**
 * Judges one case on the two headline checks: the defect type and the origin stage.
 * A case without an answer (error or invalid) gets neither right.
 */
export function judgeCase(result: CaseResult): CaseVerdict {
  const expectedType = result.labels.defect_type;
  const expectedStage = result.labels.stage;
  const gotType = result.analysis?.classification?.defect_type ?? null;
  const gotStage = result.analysis?.root_cause?.probable_stage ?? null;
  const typeCorrect = result.outcome === 'ok' && gotType === expectedType;
  const stageCorrect = expectedStage === null ? null : result.outcome === 'ok' && gotStage === expectedStage;

  const problems: string[] = [];
  if (result.outcome === 'error') problems.push(`error: ${result.error ?? 'unknown error'}`);
  if (result.outcome === 'invalid') {
    const issues = result.schemaIssues.length > 0 ? result.schemaIssues.join('; ') : 'no details';
    problems.push(`invalid answer: ${issues}`);
  }
  if (result.outcome === 'ok') {
    if (!typeCorrect) problems.push(`type: expected ${expectedType}, got ${gotType ?? 'nothing'}`);
    if (stageCorrect === false)
      problems.push(`stage: expected ${expectedStage}, got ${gotStage ?? 'nothing'}`);
  }

  return {
    expectedType,
    gotType,
    expectedStage,
    gotStage,
    typeCorrect,
    stageCorrect,
    passed: result.outcome === 'ok' && typeCorrect && stageCorrect !== false,
    problems,
  };
}
