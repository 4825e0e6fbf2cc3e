import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../domain/index.ts';
import { chunkDocument } from '../documents/chunk.ts';
import { parseDocument } from '../documents/parse.ts';
import { computeWordStatistics } from '../embedding/hashing-embedder.ts';
import { DEFAULT_WORD_STATISTICS_FILE, writeWordStatistics } from '../embedding/word-statistics.ts';

const USAGE = `Usage: npm run kb:fit-embedder -- [--corpus <dir>] [--out <file>]

Fits the hashing embedder's IDF weights on the chunks of the corpus and writes them to
knowledge-base/embedding/word-statistics.json. The embedder's id changes with them, so the
next ingestion re-indexes everything. Run it when the corpus changed a lot, not on every edit.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const corpusDir = values.corpus ?? loadConfig().corpusDir;
  const entries = await readdir(corpusDir, { withFileTypes: true, recursive: true });
  const texts: string[] = [];
  let files = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name.toLowerCase() === 'readme.md') continue;
    const file = path.join(entry.parentPath, entry.name);
    const document = parseDocument({ file, source: await readFile(file, 'utf8') });
    texts.push(...chunkDocument(document).map((chunk) => chunk.indexedText));
    files += 1;
  }
  const statistics = computeWordStatistics(texts);
  const out = values.out ?? DEFAULT_WORD_STATISTICS_FILE;
  await writeWordStatistics(out, statistics);
  console.log(
    `Fitted ${statistics.documentFrequency.size} words over ${texts.length} chunks of ${files} files into ${String(out)}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
