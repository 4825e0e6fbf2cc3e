import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { DocumentError } from '../../domain/index.ts';
import type { WordStatistics } from './hashing-embedder.ts';

/** Where the fitted statistics of the shipped corpus live. */
export const DEFAULT_WORD_STATISTICS_FILE = new URL('./word-statistics.json', import.meta.url);

const WordStatisticsFile = z.object({
  description: z.string(),
  documents: z.number().int().min(1),
  document_frequency: z.record(z.string(), z.number().int().min(1)),
});

/** Reads fitted word statistics; a missing or malformed file is a {@link DocumentError}. */
export async function readWordStatistics(
  file: URL | string = DEFAULT_WORD_STATISTICS_FILE,
): Promise<WordStatistics> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new DocumentError(String(file), 'cannot read the word statistics (run npm run kb:fit-embedder)', {
      cause,
    });
  }
  const parsed = WordStatisticsFile.safeParse(raw);
  if (!parsed.success)
    throw new DocumentError(String(file), 'word statistics are malformed', { cause: parsed.error });
  return {
    documents: parsed.data.documents,
    documentFrequency: new Map(Object.entries(parsed.data.document_frequency)),
  };
}

/** Writes word statistics, words sorted, so that the file diffs cleanly. */
export async function writeWordStatistics(file: URL | string, statistics: WordStatistics): Promise<void> {
  const sorted = Object.fromEntries(
    [...statistics.documentFrequency].sort(([left], [right]) => left.localeCompare(right)),
  );
  const content = {
    description:
      'Document frequency of content words over the chunks of the shipped corpus; IDF weights of the hashing embedder. Regenerate with npm run kb:fit-embedder.',
    documents: statistics.documents,
    document_frequency: sorted,
  };
  await writeFile(file, `${JSON.stringify(content, null, 1)}\n`);
}
