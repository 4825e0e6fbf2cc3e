import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { ConfigError, loadConfig, type AppConfig } from '../domain/index.ts';
import { chunkDocument } from '../knowledge-base/documents/chunk.ts';
import { parseDocument } from '../knowledge-base/documents/parse.ts';
import { openEmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../knowledge-base/ingest.ts';
import { createConfiguredEmbedder, openConfiguredKnowledgeBase } from '../knowledge-base/open.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import { readCases, type EvalCase } from './case.ts';
import { aggregate } from './metrics.ts';
import { createJudge } from './judge/judge.ts';
import { createConverseModel } from '../agents/models/converse/converse-model.ts';
import { supervisorAgent } from '../agents/index.ts';
import { compareRuns, formatComparison } from './report/compare.ts';
import { renderHtmlScorecard } from './report/html.ts';
import { renderMarkdownSummary } from './report/markdown.ts';
import { checkThresholds, parseThresholds } from './report/thresholds.ts';
import type { RunResult } from './result.ts';
import { runCases } from './runner.ts';
import { createHttpTarget } from './targets/http.ts';
import { createLocalTarget } from './targets/local.ts';
import type { EvalTarget } from './targets/target.ts';

const USAGE = `Usage: npm run evals -- [--target local|http://host:port|bedrock] [options]

Runs the labelled cases against a target and writes evals/results/<timestamp>-<target>.{json,md,html}.
  --target <t>          local (in-process agents, default), a base URL of the API, or bedrock
  --cases <file|glob>   JSONL cases (default evals/cases/*.jsonl)
  --filter <text>       only cases whose id contains it, or tag:<tag>
  --concurrency <n>     cases at once (default 4)
  --timeout <ms>        limit per case (default 30000)
  --api-key <key>       x-api-key for an HTTP target
  --compare <file>      a previous results JSON: print and render what improved or regressed
  --min <metric=value>  repeatable; exit 1 when a metric is below (e.g. classification.typeAccuracy=0.9)
  --prices <file>       price table (default evals/prices.json); --price-as <model id> to price another model
  --judge               grade the 5-why and actions with the LLM judge (needs a hosted model)
  --out <dir>           output folder (default evals/results)`;

const PriceTable = z.object({
  currency: z.string(),
  models: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })),
});

async function corpusChunkIds(corpusDir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const entries = await readdir(corpusDir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name.toLowerCase() === 'readme.md') continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const chunk of chunkDocument(parseDocument({ file, source: await readFile(file, 'utf8') })))
      ids.add(chunk.chunkId);
  }
  return ids;
}

/**
 * The knowledge base the in-process targets read: the corpus in memory for the embedded default
 * (so a run never touches the service's data folder), else the configured one (OpenSearch or
 * Bedrock, already ingested).
 */
async function evalsKnowledgeBase(config: AppConfig): Promise<KnowledgeBase & { close(): Promise<void> }> {
  if (config.knowledgeBase !== 'embedded') return (await openConfiguredKnowledgeBase(config)).knowledgeBase;
  const embedder = await createConfiguredEmbedder(config);
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  await ingestCorpus({ corpusDir: config.corpusDir, knowledgeBase, embedder });
  return knowledgeBase;
}

function selectCases(cases: readonly EvalCase[], filter: string | undefined): EvalCase[] {
  if (!filter) return [...cases];
  if (filter.startsWith('tag:')) return cases.filter((testCase) => testCase.tags.includes(filter.slice(4)));
  return cases.filter((testCase) => testCase.id.includes(filter));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'local' },
      cases: { type: 'string', default: 'evals/cases/*.jsonl' },
      filter: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      timeout: { type: 'string', default: '30000' },
      'api-key': { type: 'string' },
      compare: { type: 'string' },
      min: { type: 'string', multiple: true },
      prices: { type: 'string', default: 'evals/prices.json' },
      'price-as': { type: 'string' },
      judge: { type: 'boolean', default: false },
      out: { type: 'string', default: 'evals/results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const concurrency = z.coerce.number().int().min(1).max(64).parse(values.concurrency);
  const timeoutMs = z.coerce.number().int().min(100).max(600_000).parse(values.timeout);
  const thresholds = parseThresholds(values.min ?? []);
  const config = loadConfig();
  if (values.judge && config.model !== 'converse') {
    throw new ConfigError('--judge needs a hosted model: set MODEL=converse (and AWS credentials)');
  }

  const files = await glob(values.cases);
  if (files.length === 0) throw new ConfigError(`--cases ${values.cases} matches no file`);
  const cases = selectCases(
    (await Promise.all(files.sort().map((file) => readCases(file)))).flat(),
    values.filter,
  );
  if (cases.length === 0) throw new ConfigError(`--filter ${values.filter} leaves no case`);

  const chunkIds = await corpusChunkIds(config.corpusDir);
  const knowledgeBase = await evalsKnowledgeBase(config);
  let target: EvalTarget;
  if (values.target === 'local') {
    target = createLocalTarget({ config, knowledgeBase });
  } else if (values.target === 'bedrock') {
    if (config.model !== 'converse' && config.agentRuntime !== 'bedrock-agents') {
      throw new ConfigError(
        '--target bedrock needs MODEL=converse or AGENT_RUNTIME=bedrock-agents (and AWS credentials)',
      );
    }
    target = { ...createLocalTarget({ config, knowledgeBase }), name: 'bedrock' };
  } else if (/^https?:\/\//.test(values.target)) {
    target = createHttpTarget({ baseUrl: values.target, apiKey: values['api-key'] });
  } else {
    throw new ConfigError(`--target must be local, bedrock or an http(s) URL, got ${values.target}`);
  }

  const priceTable = PriceTable.parse(JSON.parse(await readFile(values.prices, 'utf8')));
  const priceModel = values['price-as'] ?? target.model;
  const price = priceTable.models[priceModel];
  if (!price) throw new ConfigError(`no price for model ${priceModel} in ${values.prices}`);

  const startedAt = new Date();
  const bar = new cliProgress.SingleBar(
    {
      format: ' evals [{bar}] {value}/{total} cases | failures {failures} | errors {errors}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(cases.length, 0, { failures: 0, errors: 0 });
  let results;
  try {
    results = await runCases({
      cases,
      target,
      concurrency,
      timeoutMs,
      citationExists: (id) => chunkIds.has(id),
      onProgress: (progress) =>
        bar.update(progress.done, { failures: progress.failures, errors: progress.errors }),
    });
  } finally {
    bar.stop();
    await target.close();
    await knowledgeBase.close();
  }
  if (values.judge) {
    const judge = createJudge({
      model: createConverseModel({
        modelId: config.bedrockModelId ?? supervisorAgent.foundationModelId,
        region: config.awsRegion,
      }),
    });
    for (const result of results) {
      if (!result.analysis) continue;
      const scores = await judge.score({ analysis: result.analysis });
      result.checks.judgeFiveWhy = scores?.five_why ?? null;
      result.checks.judgeActions = scores?.actions ?? null;
    }
  }
  const finishedAt = new Date();
  const metrics = aggregate({
    results,
    prices: { inputPerMillion: price.input, outputPerMillion: price.output },
  });
  const targetName = target.name.replace(/[^A-Za-z0-9.-]+/g, '_');
  const runId = `${startedAt.toISOString().replace(/[:.]/g, '-')}-${targetName}`;
  const run: RunResult = {
    runId,
    target: target.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    casesFile: values.cases,
    filter: values.filter ?? null,
    model: target.model,
    priceTable: {
      inputPerMillion: price.input,
      outputPerMillion: price.output,
      currency: priceTable.currency,
    },
    metrics,
    cases: results,
  };
  const comparison = values.compare
    ? compareRuns({ baseline: JSON.parse(await readFile(values.compare, 'utf8')) as RunResult, current: run })
    : undefined;
  await mkdir(values.out, { recursive: true });
  const base = path.join(values.out, runId);
  await writeFile(`${base}.json`, `${JSON.stringify(run, null, 1)}\n`);
  const summary = renderMarkdownSummary({ run });
  await writeFile(`${base}.md`, summary);
  await writeFile(`${base}.html`, renderHtmlScorecard({ run, comparison }));

  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
  console.log(
    `\n${cases.length} cases against ${target.name} (${target.model}) in ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  defect type accuracy ${percent(metrics.classification.typeAccuracy)}, macro-F1 ${percent(metrics.classification.typeMacroF1)}`,
  );
  console.log(
    `  stage accuracy ${percent(metrics.rootCause.stageAccuracy)}, 6M accuracy ${percent(metrics.rootCause.category6mAccuracy)}`,
  );
  console.log(
    `  citation validity ${percent(metrics.grounding.citationValidity)}, abstention off-topic ${percent(metrics.robustness.abstentionOffTopic)}, injection ${percent(metrics.robustness.abstentionInjection)}`,
  );
  console.log(
    `  errors ${metrics.counts.errors}, invalid ${metrics.counts.invalid}; latency p50 ${metrics.cost.latencyMs.p50?.toFixed(1)} ms, p95 ${metrics.cost.latencyMs.p95?.toFixed(1)} ms`,
  );
  console.log(`\nWrote ${base}.json, ${base}.md and ${base}.html`);
  if (comparison) console.log(`\n${formatComparison(comparison)}`);
  const checks = checkThresholds({ metrics, thresholds });
  const missed = checks.filter((check) => !check.passed);
  for (const check of checks) {
    console.log(
      `${check.passed ? 'ok  ' : 'FAIL'} ${check.metric} ${check.actual === null ? 'n/a' : check.actual.toFixed(4)} (min ${check.min})`,
    );
  }
  return missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
