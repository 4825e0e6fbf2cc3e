import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedKnowledgeBase, type EmbeddedKnowledgeBase } from './embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from './embedding/hashing-embedder.ts';
import { ingestCorpus, type IngestProgress } from './ingest.ts';
import { FIXTURE_SOURCES } from './testing/fixtures.ts';

const run = promisify(execFile);

function writeCorpus(directory: string): void {
  for (const [name, source] of Object.entries(FIXTURE_SOURCES))
    writeFileSync(path.join(directory, `${name}.md`), source);
  writeFileSync(path.join(directory, 'README.md'), '# not a document');
}

describe('ingestCorpus', () => {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  let corpusDir: string;
  let knowledgeBase: EmbeddedKnowledgeBase;

  beforeEach(async () => {
    corpusDir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    writeCorpus(corpusDir);
    knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  });

  afterEach(async () => {
    await knowledgeBase.close();
    rmSync(corpusDir, { recursive: true, force: true });
  });

  it('indexes every document and reports progress', async () => {
    const progress: IngestProgress[] = [];
    const summary = await ingestCorpus({
      corpusDir,
      knowledgeBase,
      embedder,
      onProgress: (event) => progress.push(event),
    });
    expect(summary.files).toBe(4);
    expect(summary.added).toHaveLength(4);
    expect(summary.failed).toEqual([]);
    expect(summary.chunksIndexed).toBe((await knowledgeBase.describe()).chunks);
    expect(progress.at(-1)).toEqual({ phase: 'index', done: 4, total: 4 });
  });

  it('is idempotent by content hash: only what changed is re-indexed, deleted files are removed', async () => {
    await ingestCorpus({ corpusDir, knowledgeBase, embedder });
    const again = await ingestCorpus({ corpusDir, knowledgeBase, embedder });
    expect(again).toMatchObject({ added: [], updated: [], unchanged: 4, removed: [], chunksIndexed: 0 });

    writeFileSync(path.join(corpusDir, 'sop.md'), FIXTURE_SOURCES.sop.replace('120 seconds', '110 seconds'));
    unlinkSync(path.join(corpusDir, 'scratch.md'));
    const changed = await ingestCorpus({ corpusDir, knowledgeBase, embedder });
    expect(changed).toMatchObject({
      added: [],
      updated: ['SOP-VQ-01'],
      unchanged: 2,
      removed: ['DEF-20250102-0BADCAFE'],
    });
    const [passage] = await knowledgeBase.getPassages({ chunkIds: ['SOP-VQ-01#process-window'] });
    expect(passage?.content.text).toContain('110 seconds');
  });

  it('reports a malformed file by name, still ingests the others and removes nothing', async () => {
    await ingestCorpus({ corpusDir, knowledgeBase, embedder });
    unlinkSync(path.join(corpusDir, 'handle.md'));
    writeFileSync(
      path.join(corpusDir, 'broken.md'),
      FIXTURE_SOURCES.rust
        .replace('DEF-20240314-3FA2B91C', 'DEF-20240314-AAAAAAAA')
        .replace('severity: critical', 'severity: awful'),
    );
    writeFileSync(
      path.join(corpusDir, 'zz-duplicate.md'),
      FIXTURE_SOURCES.sop.replace('leak-rate check', 'leak check'),
    );
    const summary = await ingestCorpus({ corpusDir, knowledgeBase, embedder });
    expect(summary.failed.map((failure) => failure.file).sort()).toEqual(
      [
        path.relative(process.cwd(), path.join(corpusDir, 'broken.md')),
        path.relative(process.cwd(), path.join(corpusDir, 'zz-duplicate.md')),
      ].sort(),
    );
    expect(summary.failed.find((failure) => failure.file.endsWith('broken.md'))?.message).toMatch(/severity/);
    expect(summary.failed.find((failure) => failure.file.endsWith('zz-duplicate.md'))?.message).toMatch(
      /already used/,
    );
    expect(summary.removed).toEqual([]);
    expect((await knowledgeBase.listDocuments()).map((document) => document.sourceId)).toContain('SOP-HI-01');
  });

  it('re-indexes everything when the embedder changes', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kb-embedder-'));
    try {
      const first = await openEmbeddedKnowledgeBase({ directory, embedder });
      await ingestCorpus({ corpusDir, knowledgeBase: first, embedder });
      await first.close();
      const wider = createHashingEmbedder({ dimensions: 256 });
      const second = await openEmbeddedKnowledgeBase({ directory, embedder: wider });
      const summary = await ingestCorpus({ corpusDir, knowledgeBase: second, embedder: wider });
      expect(summary.added).toHaveLength(4);
      expect(summary.warnings.join()).toMatch(/embedder changed/);
      const [passage] = await second.retrieve({ query: 'rust after quench', k: 1, searchType: 'semantic' });
      expect(passage?.metadata.source_id).toBe('DEF-20240314-3FA2B91C');
      await second.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('npm run kb:ingest', () => {
  it('exits non-zero and names the malformed file, after ingesting the others', async () => {
    const corpusDir = mkdtempSync(path.join(tmpdir(), 'corpus-cli-'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'data-cli-'));
    try {
      writeCorpus(corpusDir);
      writeFileSync(path.join(corpusDir, 'bad.md'), 'no front matter here');
      const error = await run('npx', [
        'tsx',
        'knowledge-base/cli/ingest.ts',
        '--corpus',
        corpusDir,
        '--data',
        dataDir,
        '--quiet',
      ]).then(
        () => null,
        (failure: { code: number; stdout: string }) => failure,
      );
      expect(error?.code).toBe(1);
      expect(error?.stdout).toMatch(/4 added/);
      expect(error?.stdout).toMatch(/bad\.md: missing YAML front-matter/);
    } finally {
      rmSync(corpusDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
