import { z } from 'zod';
import { ConcreteDefectType, ProcessStep } from '../../domain/index.ts';

/** SOP sections a lookup can be narrowed to. */
export const SopSection = z.enum(['process_window', 'checks', 'reaction_plan', 'escalation_path', 'any']);
export type SopSection = z.infer<typeof SopSection>;

/** Input of `lookup_sop`. */
export const LookupSopInput = z.object({
  query: z.string().min(2).max(1000).describe('What the SOP should answer'),
  stage: ProcessStep.optional(),
  defect_type: ConcreteDefectType.optional(),
  section: SopSection.default('any'),
  k: z.number().int().min(1).max(10).default(4),
});

/** Output of `lookup_sop`. */
export const LookupSopOutput = z.object({
  passages: z.array(
    z.object({
      source_id: z.string(),
      chunk_id: z.string(),
      title: z.string(),
      section: z.string(),
      stage: ProcessStep,
      owner_role: z.string(),
      text: z.string(),
      score: z.number(),
    }),
  ),
});
