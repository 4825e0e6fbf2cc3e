import type { Facility } from '../domain/index.ts';
import type {
  KnowledgeBase,
  Passage,
  RetrievalFilter,
  RetrieveParams,
} from '../knowledge-base/knowledge-base.ts';
import {
  summarize,
  type DefectHistory,
  type OccurrenceFilter,
  type OccurrenceSummary,
} from './recurrence/defect-history.ts';

/**
 * What a caller may read of history and the knowledge base: one facility, or every facility
 * (`facility: null`, an unscoped API key, the CLI, the evals). It comes from the API key's
 * principal and travels with every analysis and follow-up question down to the tools.
 */
export interface AccessScope {
  facility: Facility | null;
}

/** The scope of a caller that may read every facility. */
export const UNRESTRICTED: AccessScope = Object.freeze({ facility: null });

const SCOPED = Symbol('scoped');

interface Scoped {
  [SCOPED]?: AccessScope;
}

function sameScope(left: AccessScope | undefined, right: AccessScope): boolean {
  return left !== undefined && left.facility === right.facility;
}

/**
 * The facility a read may be narrowed to under a scope: the scope's own facility when the read
 * asks for it or for none, `null` when it asks for another facility (the read then answers with
 * nothing), or the requested one (possibly none) when the scope is unrestricted.
 */
export function intersectFacility(
  scope: AccessScope,
  requested: Facility | undefined,
): { facility: Facility | undefined } | null {
  if (scope.facility === null) return { facility: requested };
  if (requested !== undefined && requested !== scope.facility) return null;
  return { facility: scope.facility };
}

/** Whether a passage belongs to the scope: its facilities include the scope's facility. */
export function passageInScope(passage: Passage, scope: AccessScope): boolean {
  return scope.facility === null || passage.metadata.facilities.includes(scope.facility);
}

/**
 * A knowledge base that reads only what the scope may see: every retrieval is filtered to the
 * scope's facility (a filter naming another facility finds nothing), and passages fetched by id
 * or returned by an adapter that ignored the filter are dropped unless they belong to the
 * facility. An unrestricted scope returns the knowledge base itself.
 */
export function scopeKnowledgeBase(knowledgeBase: KnowledgeBase, scope: AccessScope): KnowledgeBase {
  if (scope.facility === null) return knowledgeBase;
  if (sameScope((knowledgeBase as Scoped)[SCOPED], scope)) return knowledgeBase;
  const scoped: KnowledgeBase & Scoped = {
    [SCOPED]: scope,
    async retrieve(params: RetrieveParams): Promise<Passage[]> {
      const narrowed = intersectFacility(scope, params.filter?.facility);
      if (!narrowed) return [];
      const filter: RetrievalFilter = { ...params.filter, facility: narrowed.facility };
      const passages = await knowledgeBase.retrieve({ ...params, filter });
      return passages.filter((passage) => passageInScope(passage, scope));
    },
    async getPassages(params: { chunkIds: readonly string[] }): Promise<Passage[]> {
      const passages = await knowledgeBase.getPassages(params);
      return passages.filter((passage) => passageInScope(passage, scope));
    },
    describe: () => knowledgeBase.describe(),
  };
  return scoped;
}

function emptySummary(): OccurrenceSummary {
  return { count: 0, unconfirmed: 0, byFacility: {}, byStage: {}, recentDefectIds: [] };
}

/**
 * A defect history that reads only the scope's facility: every query is narrowed to it, a query
 * naming another facility finds nothing, and occurrences of other facilities (or of none) are
 * dropped. An unrestricted scope returns the history itself.
 */
export function scopeDefectHistory(history: DefectHistory, scope: AccessScope): DefectHistory {
  if (scope.facility === null) return history;
  if (sameScope((history as Scoped)[SCOPED], scope)) return history;
  const narrow = <T extends OccurrenceFilter>(params: T): T | null => {
    const narrowed = intersectFacility(scope, params.facility);
    return narrowed ? { ...params, facility: narrowed.facility } : null;
  };
  const scoped: DefectHistory & Scoped = {
    [SCOPED]: scope,
    async listOccurrences(params) {
      const narrowed = narrow(params);
      if (!narrowed) return [];
      const occurrences = await history.listOccurrences(narrowed);
      return occurrences.filter((occurrence) => occurrence.facility === scope.facility);
    },
    async summarizeOccurrences(params) {
      const narrowed = narrow(params);
      if (!narrowed) return emptySummary();
      const summary = await history.summarizeOccurrences(narrowed);
      const inScope = Object.keys(summary.byFacility).every((facility) => facility === scope.facility);
      if (inScope) return summary;
      // The adapter ignored the facility: count what the scope may see, from the listed occurrences.
      const { recentLimit, ...filter } = narrowed;
      return summarize(await scoped.listOccurrences(filter), recentLimit);
    },
  };
  return scoped;
}
