import { ActionType, type ActionType as ActionTypeCode } from '../../domain/index.ts';
import type { PassageMetadata } from '../../knowledge-base/documents/chunk.ts';
import type { Passage, RetrievalFilter } from '../../knowledge-base/knowledge-base.ts';
import { defineTool, type ActionGroup } from '../action-group.ts';
import { truncate } from '../passages.ts';
import { FindSimilarDefectsInput, FindSimilarDefectsOutput, SimilarDefect } from './schema.ts';

/** One action of a past defect record. */
export interface PastAction {
  type: ActionTypeCode;
  owner_role: string;
  description: string;
}

/**
 * Parses the `type | owner role | description` strings of a past defect's metadata. Entries whose
 * type is not a CAPA action type are left out; a `|` inside the description is kept.
 */
export function parseActions(actions: readonly string[] | undefined): PastAction[] {
  return (actions ?? []).flatMap((entry) => {
    const [type, ownerRole, ...description] = entry.split('|').map((part) => part.trim());
    const parsedType = ActionType.safeParse(type);
    if (!parsedType.success || !ownerRole || description.length === 0) return [];
    return [{ type: parsedType.data, owner_role: ownerRole, description: description.join(' | ') }];
  });
}

/** Keeps the best-scoring passage of each source document, best first. */
export function bestPassagePerSource(passages: readonly Passage[]): Passage[] {
  const best = new Map<string, Passage>();
  for (const passage of passages) {
    const current = best.get(passage.metadata.source_id);
    if (!current || passage.score > current.score) best.set(passage.metadata.source_id, passage);
  }
  return [...best.values()].sort(
    (left, right) =>
      right.score - left.score || left.metadata.source_id.localeCompare(right.metadata.source_id),
  );
}

/** Maps a past-defect passage to the shape the agents reason over; null when its metadata is incomplete. */
export function toSimilarDefect(passage: Passage): SimilarDefect | null {
  const metadata: PassageMetadata = passage.metadata;
  const candidate = SimilarDefect.safeParse({
    source_id: metadata.source_id,
    chunk_id: metadata.chunk_id,
    title: metadata.title,
    defect_type: metadata.defect_types[0],
    stage: metadata.stage,
    severity: metadata.severity,
    facility: metadata.facilities[0],
    product_sku: metadata.product_sku,
    date: metadata.date ?? '',
    score: passage.score,
    excerpt: truncate(passage.content.text, 600),
    root_cause: {
      category_6m: metadata.root_cause_category,
      occurrence: metadata.occurrence ?? '',
      escape: metadata.escape ?? '',
      systemic: metadata.systemic ?? '',
    },
    actions: parseActions(metadata.actions),
    effective: metadata.effective,
    outcome: metadata.outcome ?? '',
  });
  return candidate.success ? candidate.data : null;
}

/** `find_similar_defects`: confirmed past defects closest to a description, one per record. */
export const findSimilarDefectsTool = defineTool({
  name: 'find_similar_defects',
  description:
    'Finds the confirmed past defect records most similar to a description (hybrid lexical + semantic ' +
    'search), optionally narrowed by a filter on defect type, stage, facility or SKU. Each record comes with its ' +
    'confirmed root cause (6M category, occurrence, escape, systemic), the actions taken, whether they ' +
    'worked, and the chunk id of its best-matching passage to cite.',
  input: FindSimilarDefectsInput,
  output: FindSimilarDefectsOutput,
  handler: async ({ description, filter, k }, context) => {
    const retrievalFilter: RetrievalFilter = { doc_type: 'past_defect' };
    if (filter?.defect_type) retrievalFilter.defect_type = filter.defect_type;
    if (filter?.stage) retrievalFilter.stage = filter.stage;
    if (filter?.facility) retrievalFilter.facility = filter.facility;
    if (filter?.product_sku) retrievalFilter.product_sku = filter.product_sku;
    const passages = await context.knowledgeBase.retrieve({
      query: description,
      k: k * 4,
      filter: retrievalFilter,
      searchType: 'hybrid',
      ranking: 'similar',
      signal: context.signal,
    });
    const defects = bestPassagePerSource(passages).flatMap((passage) => {
      const defect = toSimilarDefect(passage);
      return defect ? [defect] : [];
    });
    return { defects: defects.slice(0, k) };
  },
});

/** The similar-defects action group: precedent from the confirmed past defect records. */
export const similarDefectsGroup: ActionGroup = {
  name: 'similar-defects',
  description: 'Search of confirmed past defect records, with their root causes, actions and outcomes.',
  tools: [findSimilarDefectsTool],
};
