import { createDefaultEmbedder } from './knowledge-base/open.ts';
import { openEmbeddedKnowledgeBase } from './knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from './knowledge-base/ingest.ts';
import { evaluateRetrieval, readGoldFile } from './knowledge-base/eval/retrieval-eval.ts';
const gold = await readGoldFile('knowledge-base/eval/gold.jsonl');
const embedder = await createDefaultEmbedder({ dimensions: 384 });
for (const v of JSON.parse(process.argv[2]!)) {
  const kb = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder, rrfK: v.rrf, fusionWeights: v.f });
  await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase: kb, embedder });
  const r = await evaluateRetrieval({ knowledgeBase: kb, gold, searchType: 'hybrid' });
  const r10 = await evaluateRetrieval({ knowledgeBase: kb, gold, searchType: 'hybrid', passagesPerQuery: 10 });
  console.log(JSON.stringify(v), `hybrid r@5 ${r.recallAt5.toFixed(3)} mrr ${r.mrr.toFixed(3)} | k10: ${r10.recallAt5.toFixed(3)}`);
  await kb.close();
}
