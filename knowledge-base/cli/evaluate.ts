import { parseArgs } from 'node:util';
import { loadConfig } from '../../domain/index.ts';
import { evaluateRetrieval, readGoldFile, type RetrievalScores } from '../eval/retrieval-eval.ts';
import { formatIngestSummary } from '../ingest.ts';
import { parseRetrievalOptions } from './retrieval-options.ts';
import { ingestIntoConfigured, openConfiguredKnowledgeBase } from '../open.ts';

const USAGE = `Usage: npm run kb:eval -- [--gold <file>] [--min-recall <0..1>] [--verbose] [--options <json>]

Ingests the corpus if it changed, then prints recall@5, MRR and hit@1 of lexical-only,
vector-only and hybrid retrieval over the gold queries; hybrid with the default ranking
('varied') and with ranking 'similar' (the one find_similar_defects asks for).
  --gold <file>        JSONL gold file (default knowledge-base/eval/gold.jsonl)
  --min-recall <x>     exit 1 if hybrid recall@5 is below x
  --verbose            list the queries that missed a relevant document
  --options <json>     retrieval settings of the embedded knowledge base, as in bench:kb
                       (for example '{"crowdedDiversity":true}'; ranking settings are the
                       'varied' ranking's)`;

function row(scores: RetrievalScores, label: string): string {
  return `| ${label.padEnd(15)} | ${scores.recallAt5.toFixed(3)} | ${scores.mrr.toFixed(3)} | ${scores.hitAt1.toFixed(3)} |`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      gold: { type: 'string', default: 'knowledge-base/eval/gold.jsonl' },
      'min-recall': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      options: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const minimum = values['min-recall'] === undefined ? undefined : Number(values['min-recall']);
  if (minimum !== undefined && !(minimum >= 0 && minimum <= 1))
    throw new Error('--min-recall must be a number from 0 to 1');
  const config = loadConfig();
  const gold = await readGoldFile(values.gold);
  const options = parseRetrievalOptions(values.options);
  const configured = await openConfiguredKnowledgeBase(config, { embedded: options });
  const { knowledgeBase } = configured;
  try {
    const summary = await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
    if (
      summary &&
      (summary.added.length + summary.updated.length + summary.removed.length > 0 ||
        summary.failed.length > 0)
    ) {
      console.log(formatIngestSummary(summary));
    }
    const results = [];
    for (const searchType of ['lexical', 'semantic', 'hybrid'] as const) {
      results.push(await evaluateRetrieval({ knowledgeBase, gold, searchType }));
    }
    const similar = await evaluateRetrieval({
      knowledgeBase,
      gold,
      searchType: 'hybrid',
      ranking: 'similar',
    });
    const labels = { lexical: 'lexical (BM25)', semantic: 'vector', hybrid: 'hybrid (fused)' };
    console.log(
      `\n${gold.length} gold queries, document-level, embedder ${configured.embedder?.id ?? 'of the knowledge base'}` +
        `${Object.keys(options).length > 0 ? `, options ${JSON.stringify(options)}` : ''}\n`,
    );
    console.log('| retrieval       | recall@5 | MRR   | hit@1 |');
    console.log('|-----------------|----------|-------|-------|');
    for (const scores of results) console.log(row(scores, labels[scores.searchType]));
    console.log(row(similar, 'hybrid, similar'));
    const hybrid = results.find((scores) => scores.searchType === 'hybrid');
    if (values.verbose && hybrid) {
      console.log('\nHybrid misses:');
      for (const miss of hybrid.misses)
        console.log(
          `- ${miss.query}\n    relevant ${miss.relevant.join(', ')}\n    top-5    ${miss.top5.join(', ')}`,
        );
    }
    if (minimum !== undefined && hybrid && hybrid.recallAt5 < minimum) {
      console.error(`\nhybrid recall@5 ${hybrid.recallAt5.toFixed(3)} is below the minimum ${minimum}`);
      return 1;
    }
    return 0;
  } finally {
    await knowledgeBase.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
