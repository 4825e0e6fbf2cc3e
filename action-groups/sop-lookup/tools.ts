import { ProcessStep } from '../../domain/index.ts';
import type { Passage, RetrievalFilter } from '../../knowledge-base/knowledge-base.ts';
import { defineTool, type ActionGroup, type ToolContext } from '../action-group.ts';
import { preferSection } from '../passages.ts';
import { LookupSopInput, LookupSopOutput, type SopSection } from './schema.ts';

/** The heading of each SOP section a lookup can be narrowed to. */
export const SOP_SECTION_HEADINGS: Record<Exclude<SopSection, 'any'>, string> = {
  process_window: 'Process window',
  checks: 'Checks',
  reaction_plan: 'Reaction plan',
  escalation_path: 'Escalation path',
};

/** Parameters of {@link retrieveSopPassages}. */
export interface SopQuery {
  query: string;
  filter: Omit<RetrievalFilter, 'doc_type'>;
  section: SopSection;
  k: number;
}

/**
 * Retrieves SOP passages. With a section, the section heading is added to the query, a wider pool
 * is retrieved and the passages of that section come first. When a stage is given and no SOP of
 * that stage lists the defect type, the stage's SOPs are searched without the type.
 */
export async function retrieveSopPassages(
  context: ToolContext,
  { query, filter, section, k }: SopQuery,
): Promise<Passage[]> {
  const heading = section === 'any' ? null : SOP_SECTION_HEADINGS[section];
  const search = async (narrowed: Omit<RetrievalFilter, 'doc_type'>): Promise<Passage[]> =>
    context.knowledgeBase.retrieve({
      query: heading ? `${query} ${heading}` : query,
      k: heading ? Math.max(k * 4, 20) : k,
      filter: { ...narrowed, doc_type: 'sop' },
      signal: context.signal,
    });
  let passages = await search(filter);
  if (passages.length === 0 && filter.defect_type !== undefined && filter.stage !== undefined) {
    const { defect_type: _ignored, ...withoutType } = filter;
    passages = await search(withoutType);
  }
  return (heading ? preferSection(passages, heading) : passages).slice(0, k);
}

/** `lookup_sop`: SOP passages of a stage or defect type, narrowed to a section when asked. */
export const lookupSopTool = defineTool({
  name: 'lookup_sop',
  description:
    'Looks up the standard operating procedures (SOPs) of a stage or defect type and returns the best ' +
    'passages with their SOP id, section, owner role and chunk id to cite. section narrows to the ' +
    '"Process window", "Checks", "Reaction plan" or "Escalation path" sections.',
  input: LookupSopInput,
  output: LookupSopOutput,
  handler: async ({ query, stage, defect_type, section, k }, context) => {
    const passages = await retrieveSopPassages(context, {
      query,
      filter: { ...(stage ? { stage } : {}), ...(defect_type ? { defect_type } : {}) },
      section,
      k,
    });
    return {
      passages: passages.flatMap((passage) => {
        const passageStage = ProcessStep.safeParse(passage.metadata.stage);
        if (!passageStage.success) return [];
        return [
          {
            source_id: passage.metadata.source_id,
            chunk_id: passage.metadata.chunk_id,
            title: passage.metadata.title,
            section: passage.metadata.section,
            stage: passageStage.data,
            owner_role: passage.metadata.owner_role ?? '',
            text: passage.content.text,
            score: passage.score,
          },
        ];
      }),
    };
  },
});

/** The sop-lookup action group: what the standard says. */
export const sopLookupGroup: ActionGroup = {
  name: 'sop-lookup',
  description: 'Search of the SOPs: process windows, checks, reaction plans and escalation paths per stage.',
  tools: [lookupSopTool],
};
