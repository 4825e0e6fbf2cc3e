import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../domain/index.ts';
import { chunkObjectName, metadataSidecar } from '../bedrock/objects.ts';
import { chunkDocument } from '../documents/chunk.ts';
import { parseDocument } from '../documents/parse.ts';

const USAGE = `Usage: npm run kb:export-bedrock -- --out <dir> [--corpus <dir>]

Writes the corpus as one text file per chunk plus its "<file>.metadata.json" sidecar, the layout a
Bedrock knowledge base data source ingests with chunking set to NONE (the stack's data source).
Then upload and sync:
  aws s3 sync <dir> s3://<CorpusBucketName>/chunks/ --delete
  aws bedrock-agent start-ingestion-job --knowledge-base-id <KnowledgeBaseId> --data-source-id <DataSourceId>`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      corpus: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.out) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const corpusDir = values.corpus ?? loadConfig().corpusDir;
  await mkdir(values.out, { recursive: true });
  const entries = await readdir(corpusDir, { withFileTypes: true, recursive: true });
  let files = 0;
  let chunks = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name.toLowerCase() === 'readme.md') continue;
    const file = path.join(entry.parentPath, entry.name);
    const document = parseDocument({ file, source: await readFile(file, 'utf8') });
    for (const chunk of chunkDocument(document)) {
      const name = path.join(values.out, chunkObjectName(chunk));
      await mkdir(path.dirname(name), { recursive: true });
      await writeFile(name, chunk.indexedText);
      await writeFile(`${name}.metadata.json`, metadataSidecar(chunk));
      chunks += 1;
    }
    files += 1;
  }
  console.log(`Wrote ${chunks} chunks of ${files} documents to ${values.out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
