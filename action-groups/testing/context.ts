import { afterAll, beforeAll } from 'vitest';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../knowledge-base/open.ts';
import type { ToolContext } from '../action-group.ts';
import { createInMemoryDefectHistory, type DefectOccurrence } from '../recurrence/defect-history.ts';
import { UNRESTRICTED, type AccessScope } from '../scope.ts';

/** The fixed clock of the action-group tests. */
export const TEST_NOW = new Date('2026-11-22T08:00:00Z');

/** The corpus the tests ingest: the real one shipped with the knowledge base. */
export const TEST_CORPUS_DIR = 'knowledge-base/corpus';

/** A tool context over an in-memory knowledge base seeded from the real corpus. */
export interface TestToolContext {
  context: ToolContext;
  knowledgeBase: EmbeddedKnowledgeBase;
  defectHistory: ReturnType<typeof createInMemoryDefectHistory>;
  close(): Promise<void>;
}

/** Options of {@link openTestToolContext}. */
export interface TestToolContextOptions {
  /** Occurrences the in-memory defect history starts with. */
  occurrences?: readonly DefectOccurrence[];
  /** The scope of the context; every facility by default. */
  scope?: AccessScope;
}

/**
 * Opens an in-memory knowledge base, ingests the real corpus with the default 384-dimension
 * embedder, and returns a tool context over it with the fixed clock and an in-memory history.
 */
export async function openTestToolContext(options: TestToolContextOptions = {}): Promise<TestToolContext> {
  const embedder = await createDefaultEmbedder({ dimensions: 384 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  const summary = await ingestCorpus({ corpusDir: TEST_CORPUS_DIR, knowledgeBase, embedder });
  if (summary.failed.length > 0)
    throw new Error(
      `corpus ingestion failed: ${summary.failed.map((failure) => failure.message).join('; ')}`,
    );
  const defectHistory = createInMemoryDefectHistory(options.occurrences ?? []);
  return {
    context: {
      knowledgeBase,
      defectHistory,
      now: () => new Date(TEST_NOW),
      scope: options.scope ?? UNRESTRICTED,
    },
    knowledgeBase,
    defectHistory,
    close: () => knowledgeBase.close(),
  };
}

/**
 * Registers `beforeAll` / `afterAll` hooks that open one {@link TestToolContext} for the test file
 * (the corpus is ingested once) and close it. Read its fields inside tests or hooks only.
 */
export function useTestToolContext(options: TestToolContextOptions = {}): TestToolContext {
  let opened: TestToolContext | null = null;
  const current = (): TestToolContext => {
    if (!opened) throw new Error('the test tool context is only available inside tests (after beforeAll)');
    return opened;
  };
  beforeAll(async () => {
    opened = await openTestToolContext(options);
  });
  afterAll(async () => {
    await opened?.close();
    opened = null;
  });
  return {
    get context() {
      return current().context;
    },
    get knowledgeBase() {
      return current().knowledgeBase;
    },
    get defectHistory() {
      return current().defectHistory;
    },
    close: async () => current().close(),
  };
}
