import { z } from 'zod';
import type { Model } from '../../agents/models/model.ts';
import { messageText } from '../../agents/models/model.ts';
import { readInstruction } from '../../agents/definition.ts';
import { extractJson } from '../../agents/runtime/local-runtime.ts';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';

/** The judge's grades. */
export const JudgeScores = z.object({
  five_why: z.number().int().min(1).max(5),
  actions: z.number().int().min(1).max(5),
  rationale: z.string(),
});
export type JudgeScores = z.infer<typeof JudgeScores>;

/** An LLM-as-judge scorer of the 5-why and the actions, against the versioned rubric. */
export interface Judge {
  score(params: { analysis: ConsolidatedAnalysis; signal?: AbortSignal }): Promise<JudgeScores | null>;
}

/** Creates the judge over a hosted model; an unusable grade is returned as null, not guessed. */
export function createJudge({ model }: { model: Model }): Judge {
  const rubric = readInstruction(new URL('./rubric.md', import.meta.url));
  return {
    async score({ analysis, signal }) {
      if (!analysis.root_cause) return null;
      const input = [
        `<report>\n${JSON.stringify(analysis.report)}\n</report>`,
        `<five_why_chain>\n${JSON.stringify(analysis.root_cause.five_why_chain)}\n</five_why_chain>`,
        `<root_cause>\n${JSON.stringify(analysis.root_cause.root_cause)}\n</root_cause>`,
        `<corrective_actions>\n${JSON.stringify(analysis.corrective_actions ?? [])}\n</corrective_actions>`,
      ].join('\n');
      const result = await model.converse({
        system: [{ text: rubric }],
        messages: [{ role: 'user', content: [{ text: input }] }],
        requestMetadata: { agent: 'judge', mode: 'grade' },
        signal,
      });
      try {
        return JudgeScores.parse(extractJson(messageText(result.output.message)));
      } catch {
        return null;
      }
    },
  };
}
