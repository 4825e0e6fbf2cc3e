import { z } from 'zod';
import type { EmbeddedKnowledgeBaseConfig } from '../embedded/embedded-knowledge-base.ts';

/**
 * Retrieval settings of the embedded knowledge base that `--options` of `kb:eval` and `bench:kb`
 * may set (the ranking settings are those of the `varied` ranking); the index is built the same
 * whatever they are.
 */
export const RetrievalOptions = z
  .object({
    rrfK: z.number().positive(),
    fusion: z.enum(['rrf', 'convex']),
    fusionWeights: z.object({ lexical: z.number().min(0), vector: z.number().min(0) }).strict(),
    diversity: z.number().min(0).max(1),
    duplicateSimilarity: z.number(),
    vectorSearchBreadth: z.number().int().positive(),
    agreementDepth: z.number().int().min(0),
    crowdedDiversity: z.union([
      z.boolean(),
      z
        .object({
          window: z.number().int().positive(),
          similarity: z.number(),
          share: z.number().min(0).max(1),
          diversity: z.number().min(0).max(1),
          duplicateSimilarity: z.number(),
        })
        .partial()
        .strict(),
    ]),
  })
  .partial()
  .strict() satisfies z.ZodType<Partial<EmbeddedKnowledgeBaseConfig>>;

/** Settings parsed from `--options`. */
export type RetrievalOptions = z.infer<typeof RetrievalOptions>;

/** Parses the JSON of `--options`; no settings when it is not given. */
export function parseRetrievalOptions(text: string | undefined): RetrievalOptions {
  if (text === undefined) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new Error('--options must be a JSON object', { cause });
  }
  const parsed = RetrievalOptions.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`--options: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
