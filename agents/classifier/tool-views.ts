import { FindSimilarDefectsOutput } from '../../action-groups/similar-defects/schema.ts';

/**
 * The past defects as the classifier reads them: what each was (type, stage, severity, where,
 * the excerpt and the score of the match), without how it was caused and fixed (root cause,
 * actions, outcome), which the root-cause and corrective-action agents read instead.
 */
export function similarDefectsForClassifier(output: unknown): unknown {
  const parsed = FindSimilarDefectsOutput.safeParse(output);
  if (!parsed.success) return output;
  return {
    defects: parsed.data.defects.map(
      ({ root_cause: _cause, actions: _actions, effective: _effective, outcome: _outcome, ...what }) => what,
    ),
  };
}
