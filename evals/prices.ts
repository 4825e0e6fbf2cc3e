import { z } from 'zod';

/**
 * The price table of `evals/prices.json`: USD per million tokens of each model id, input and
 * output, and optionally the prompt cache's writes and reads.
 */
export const PriceTable = z.object({
  currency: z.string(),
  models: z.record(
    z.string(),
    z.object({
      input: z.number().min(0),
      output: z.number().min(0),
      cacheWrite: z.number().min(0).optional(),
      cacheRead: z.number().min(0).optional(),
    }),
  ),
});
export type PriceTable = z.infer<typeof PriceTable>;
