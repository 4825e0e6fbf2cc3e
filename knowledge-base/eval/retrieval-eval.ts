import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../../domain/index.ts';
import type { KnowledgeBase, Ranking, SearchType } from '../knowledge-base.ts';

/** One gold query: the text and the ids of the documents that answer it. */
export const GoldQuery = z.object({
  query: z.string().min(3),
  relevant: z.array(z.string().min(1)).min(1),
});
export type GoldQuery = z.infer<typeof GoldQuery>;

/** Scores of one search type over the gold set. */
export interface RetrievalScores {
  searchType: SearchType;
  ranking: Ranking;
  queries: number;
  recallAt5: number;
  mrr: number;
  hitAt1: number;
  misses: Array<{ query: string; relevant: string[]; top5: string[] }>;
}

/** Reads a JSONL gold file; a bad line is an error naming its line number. */
export async function readGoldFile(file: string): Promise<GoldQuery[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const queries: GoldQuery[] = [];
  lines.forEach((line, index) => {
    if (line.trim().length === 0) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (cause) {
      throw new ValidationError(`${file}:${index + 1}: not valid JSON`, { cause });
    }
    const result = GoldQuery.safeParse(raw);
    if (!result.success) {
      throw new ValidationError(
        `${file}:${index + 1}: ${result.error.issues.map((issue) => issue.message).join('; ')}`,
        {
          cause: result.error,
        },
      );
    }
    queries.push(result.data);
  });
  return queries;
}

/**
 * Document-level retrieval quality: passages are collapsed to their documents in rank order,
 * then recall@5 (share of relevant documents in the top 5), MRR and hit@1 are averaged.
 */
export async function evaluateRetrieval({
  knowledgeBase,
  gold,
  searchType,
  ranking = 'varied',
  passagesPerQuery = 30,
}: {
  knowledgeBase: KnowledgeBase;
  gold: readonly GoldQuery[];
  searchType: SearchType;
  /** The ranking asked for (`varied`, the port's default, unless said). */
  ranking?: Ranking;
  passagesPerQuery?: number;
}): Promise<RetrievalScores> {
  let recall = 0;
  let reciprocalRank = 0;
  let hits = 0;
  const misses: RetrievalScores['misses'] = [];
  for (const { query, relevant } of gold) {
    const passages = await knowledgeBase.retrieve({ query, k: passagesPerQuery, searchType, ranking });
    const ranked = [...new Set(passages.map((passage) => passage.metadata.source_id))];
    const top5 = ranked.slice(0, 5);
    const found = relevant.filter((id) => top5.includes(id)).length;
    recall += found / relevant.length;
    const firstRelevant = ranked.findIndex((id) => relevant.includes(id));
    reciprocalRank += firstRelevant >= 0 ? 1 / (firstRelevant + 1) : 0;
    if (firstRelevant === 0) hits += 1;
    if (found < relevant.length) misses.push({ query, relevant: [...relevant], top5 });
  }
  const count = Math.max(gold.length, 1);
  return {
    searchType,
    ranking,
    queries: gold.length,
    recallAt5: recall / count,
    mrr: reciprocalRank / count,
    hitAt1: hits / count,
    misses,
  };
}
