import type { ActionPlan, Citation, Classification, RootCauseAnalysis } from '../../domain/index.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';

/** Every citation id named anywhere in the agents' outputs, in order of first mention. */
export function citedIds({
  classification,
  rootCause,
  actions,
}: {
  classification?: Classification | null;
  rootCause?: RootCauseAnalysis | null;
  actions?: ActionPlan['corrective_actions'] | null;
}): string[] {
  const ids: string[] = [...(classification?.citations ?? [])];
  if (rootCause) {
    for (const why of rootCause.five_why_chain) ids.push(...why.citations);
    for (const causes of Object.values(rootCause.ishikawa))
      for (const cause of causes) ids.push(...cause.citations);
    ids.push(...rootCause.root_cause.citations);
  }
  for (const action of actions ?? []) ids.push(...action.citations);
  return [...new Set(ids)];
}

/** Resolves citation ids (chunk ids) into passages; ids the knowledge base does not hold are returned apart. */
export async function resolveCitations({
  knowledgeBase,
  ids,
}: {
  knowledgeBase: KnowledgeBase;
  ids: readonly string[];
}): Promise<{ citations: Citation[]; unresolved: string[] }> {
  const passages = await knowledgeBase.getPassages({ chunkIds: ids });
  const found = new Set(passages.map((passage) => passage.metadata.chunk_id));
  return {
    citations: passages.map((passage) => ({
      source_id: passage.metadata.source_id,
      chunk_id: passage.metadata.chunk_id,
      doc_type: passage.metadata.doc_type,
      title: passage.metadata.title,
      section: passage.metadata.section,
      excerpt:
        passage.content.text.length > 700 ? `${passage.content.text.slice(0, 700)}…` : passage.content.text,
    })),
    unresolved: ids.filter((id) => !found.has(id)),
  };
}
