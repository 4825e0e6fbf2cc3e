import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { ConfigError, loadConfig, type AppConfig } from '../domain/index.ts';
import { chunkDocument } from '../knowledge-base/documents/chunk.ts';
import { parseDocument } from '../knowledge-base/documents/parse.ts';
import { openEmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../knowledge-base/ingest.ts';
import { createConfiguredEmbedder, openConfiguredKnowledgeBase } from '../knowledge-base/open.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import type { EvalCase } from './case.ts';
import type { FollowUpResult } from './followups/follow-up.ts';
import { runFollowUps } from './followups/run-follow-ups.ts';
import { aggregate } from './metrics.ts';
import { PriceTable } from './prices.ts';
import { createJudge } from './judge/judge.ts';
import { createConverseModel } from '../agents/models/converse/converse-model.ts';
import { supervisorAgent } from '../agents/index.ts';
import { compareRuns, formatComparison, type Comparison } from './report/compare.ts';
import { renderHtmlScorecards } from './report/html.ts';
import { renderMarkdownSets } from './report/markdown.ts';
import { checkSetThresholds, parseThresholds } from './report/thresholds.ts';
import type { CaseResult, EvalsRun, RunResult } from './result.ts';
import { describeErrors, runCases } from './runner.ts';
import { chooseSets, loadSet, type LoadedSet } from './sets.ts';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_WAIT_MS,
  EVALUATION_RUN_HEADER,
  createHttpTarget,
  evaluationRunIdFor,
} from './targets/http.ts';
import { createLocalTarget } from './targets/local.ts';
import type { EvalTarget } from './targets/target.ts';

const USAGE = `Usage: npm run evals -- [--target local|http://host:port|bedrock] [options]

Runs each evaluation set on its own against a target (held-out first, then development) and writes
evals/results/<timestamp>-<target>.{json,md,html}: every set's metrics, breakdowns and follow-ups.
  --target <t>          local (in-process agents, default), a base URL of the API, or bedrock
  --set <s>             heldout (evals/heldout: new reports nobody tuned on), development
                        (evals/cases + evals/holdout) or all (default; a missing held-out file is skipped)
  --cases <file|glob>   run these JSONL cases instead, as one set named "cases"
  --followups <file>    follow-up questions (JSONL) for the chosen sets, instead of their own
  --filter <text>       only cases whose id contains it, or tag:<tag>
  --concurrency <n>     cases at once (default 4)
  --timeout <ms>        limit per case and per follow-up question (default 30000)
  --api-key <key>       x-api-key for an HTTP target (a 401 stops the run at once)
  --max-retries <n>     HTTP target: retries of a request after 429, 503 or a refused or reset
                        connection, after Retry-After or a backoff with jitter (default ${DEFAULT_MAX_RETRIES})
  --max-wait <seconds>  HTTP target: longest wait of one request across its retries (default ${DEFAULT_MAX_WAIT_MS / 1000});
                        the limit per case is --timeout plus this, so waits do not eat into it
  --compare <file>      a previous results JSON: print and render what improved or regressed, per set
  --min <[set:]metric=value>
                        repeatable; exit 1 when the metric is below the value, e.g.
                        heldout:classification.typeAccuracy=0.85, heldout:followups.onTopicRate=80%;
                        "metric<=value" sets a maximum instead (heldout:safety.defectGivenPass<=0).
                        Without "set:" it addresses the only set of the run, else development.
                        A threshold on a set that did not run fails.
  --max <[set:]metric=value>
                        repeatable; exit 1 when the metric is above the value (heldout:safety.defectGivenPass=0)
  --prices <file>       price table (default evals/prices.json); --price-as <model id> to price another model
  --judge               grade the 5-why and actions with the LLM judge (needs a hosted model)
  --out <dir>           output folder (default evals/results)

Every request to an HTTP target carries ${EVALUATION_RUN_HEADER}: <run id>, so the service keeps the
run's analyses out of history, stats, recurrence and the learning loop.

Exit status: 0 when every case ran and every threshold passed; 1 when a threshold failed; 2 when the
run could not start or was stopped (a bad option, a refused API key); 3 when any case or follow-up
question errored (the target failed or timed out), whose scores are then not valid. A wrong answer
is not an error.

Metric paths (for --min and --max) are the JSON's metrics keys, e.g. classification.typeMacroF1,
rootCause.stageAccuracy, rootCause.category6mAccuracy, classification.secondaryTypeRecall,
safety.defectGivenPass, safety.passingGivenReworkOrScrap, safety.unknownOrVagueGivenHold,
breakdowns.language.chineseOrMixed.typeAccuracy, breakdowns.kind.<tag>.typeAccuracy,
followups.onTopicRate, followups.perTopic.<topic>.onTopicRate, followups.perLanguage.zh.onTopicRate.
See evals/README.md.`;

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

/** A previous results file: a multi-set run, or a single set's RunResult from before sets existed. */
function baselineRuns(value: unknown): RunResult[] {
  if (typeof value === 'object' && value !== null && 'sets' in value && Array.isArray(value.sets))
    return value.sets as RunResult[];
  return [value as RunResult];
}

/** The baseline of a set: the baseline's set of the same name, else an unnamed single baseline. */
function baselineFor(baselines: readonly RunResult[], set: string, onlySet: boolean): RunResult | undefined {
  const named = baselines.find((baseline) => baseline.set === set);
  if (named) return named;
  const [single] = baselines;
  if (baselines.length === 1 && single?.set === undefined && (onlySet || set === 'development'))
    return single;
  return undefined;
}

const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(1)} %`;

/** What errored in a set, or null: the cases, and the follow-up questions not already explained by them. */
function errorsOf(run: RunResult): string | null {
  const cases = describeErrors(run.cases);
  const erroredCases = new Set(
    run.cases.filter((result) => result.outcome === 'error').map((result) => result.id),
  );
  const followUps = describeErrors(
    (run.followUps ?? []).filter((followUp) => !erroredCases.has(followUp.caseId)),
    'follow-up questions',
  );
  const parts = [cases, followUps].filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join('; ');
}

function printSet(run: RunResult, seconds: number): void {
  const { metrics } = run;
  console.log(`\n[${run.set ?? 'cases'}] ${metrics.counts.cases} cases in ${seconds.toFixed(1)} s`);
  const errors = errorsOf(run);
  if (errors !== null) console.log(`  ${errors}; the scores below are not valid`);
  console.log(
    `  type accuracy ${percent(metrics.classification.typeAccuracy)}, macro-F1 ${percent(metrics.classification.typeMacroF1)}; stage ${percent(metrics.rootCause.stageAccuracy)}; 6M ${percent(metrics.rootCause.category6mAccuracy)}`,
  );
  console.log(
    `  severity ${percent(metrics.classification.severityAccuracy)}, disposition ${percent(metrics.classification.dispositionAccuracy)}, secondary-type recall ${percent(metrics.classification.secondaryTypeRecall)}`,
  );
  console.log(
    `  defect reports given PASS ${metrics.safety.defectGivenPass} of ${metrics.safety.defectReports}; passing reports given REWORK/SCRAP ${metrics.safety.passingGivenReworkOrScrap} of ${metrics.safety.passingReports}; unknown/vague given HOLD ${percent(metrics.safety.unknownOrVagueGivenHold)}`,
  );
  const languages = metrics.breakdowns.language;
  console.log(
    `  type accuracy by language: en ${percent(languages.en?.typeAccuracy)} (${languages.en?.cases ?? 0}), zh ${percent(languages.zh?.typeAccuracy)} (${languages.zh?.cases ?? 0}), mixed ${percent(languages.mixed?.typeAccuracy)} (${languages.mixed?.cases ?? 0}), Chinese or mixed ${percent(languages.chineseOrMixed?.typeAccuracy)}`,
  );
  if (metrics.followups.questions > 0)
    console.log(
      `  follow-ups on topic ${percent(metrics.followups.onTopicRate)} of ${metrics.followups.questions} (${metrics.followups.cannedAnswers} canned)`,
    );
  console.log(
    `  citation validity ${percent(metrics.grounding.citationValidity)}, abstention off-topic ${percent(metrics.robustness.abstentionOffTopic)}, injection ${percent(metrics.robustness.abstentionInjection)}`,
  );
  console.log(
    `  errors ${metrics.counts.errors}, invalid ${metrics.counts.invalid}; latency p50 ${metrics.cost.latencyMs.p50?.toFixed(1)} ms, p95 ${metrics.cost.latencyMs.p95?.toFixed(1)} ms`,
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'local' },
      set: { type: 'string', default: 'all' },
      cases: { type: 'string' },
      followups: { type: 'string' },
      filter: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      timeout: { type: 'string', default: '30000' },
      'api-key': { type: 'string' },
      'max-retries': { type: 'string', default: String(DEFAULT_MAX_RETRIES) },
      'max-wait': { type: 'string', default: String(DEFAULT_MAX_WAIT_MS / 1000) },
      compare: { type: 'string' },
      min: { type: 'string', multiple: true },
      max: { type: 'string', multiple: true },
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
  const maxRetries = z.coerce.number().int().min(0).max(100).parse(values['max-retries']);
  const maxWaitMs = z.coerce.number().min(0).max(86_400).parse(values['max-wait']) * 1000;
  const thresholds = [
    ...parseThresholds(values.min ?? [], 'min'),
    ...parseThresholds(values.max ?? [], 'max'),
  ];
  const config = loadConfig();
  if (values.judge && config.model !== 'converse') {
    throw new ConfigError('--judge needs a hosted model: set MODEL=converse (and AWS credentials)');
  }

  const explicit = values.cases !== undefined || values.set !== 'all';
  const loaded: LoadedSet[] = [];
  for (const definition of chooseSets({
    set: values.set,
    casesGlob: values.cases,
    followUpsFile: values.followups,
  })) {
    const set = await loadSet(definition);
    if (set === null) {
      const message = `set ${definition.name}: ${definition.caseFiles.join(', ')} not there (yet)`;
      if (explicit) throw new ConfigError(`${message}; choose another --set or --cases`);
      console.warn(`Skipping ${message}.`);
      continue;
    }
    const cases = selectCases(set.cases, values.filter);
    if (cases.length === 0) {
      console.warn(`Skipping set ${definition.name}: --filter ${values.filter} leaves no case.`);
      continue;
    }
    loaded.push({ ...set, cases });
  }
  if (loaded.length === 0) throw new ConfigError('no evaluation set to run');

  const chunkIds = await corpusChunkIds(config.corpusDir);
  const startedAt = new Date();
  const runIdFor = (name: string) =>
    `${startedAt.toISOString().replace(/[:.]/g, '-')}-${name.replace(/[^A-Za-z0-9.-]+/g, '_')}`;
  const http = /^https?:\/\//.test(values.target);
  // An HTTP target analyses on the service: only the in-process targets need a knowledge base.
  let knowledgeBase: (KnowledgeBase & { close(): Promise<void> }) | undefined;
  let target: EvalTarget;
  if (values.target === 'local') {
    knowledgeBase = await evalsKnowledgeBase(config);
    target = createLocalTarget({ config, knowledgeBase });
  } else if (values.target === 'bedrock') {
    if (config.model !== 'converse' && config.agentRuntime !== 'bedrock-agents') {
      throw new ConfigError(
        '--target bedrock needs MODEL=converse or AGENT_RUNTIME=bedrock-agents (and AWS credentials)',
      );
    }
    knowledgeBase = await evalsKnowledgeBase(config);
    target = { ...createLocalTarget({ config, knowledgeBase }), name: 'bedrock' };
  } else if (http) {
    target = createHttpTarget({
      baseUrl: values.target,
      apiKey: values['api-key'],
      evaluationRunId: evaluationRunIdFor(runIdFor(new URL(values.target).host), startedAt),
      maxRetries,
      maxWaitMs,
    });
  } else {
    throw new ConfigError(`--target must be local, bedrock or an http(s) URL, got ${values.target}`);
  }
  // The limit per case and per question leaves out the HTTP target's waits for the service.
  const caseTimeoutMs = timeoutMs + (http ? maxWaitMs : 0);

  const priceTable = PriceTable.parse(JSON.parse(await readFile(values.prices, 'utf8')));
  const priceModel = values['price-as'] ?? target.model;
  const price = priceTable.models[priceModel];
  if (!price) throw new ConfigError(`no price for model ${priceModel} in ${values.prices}`);
  const prices = {
    inputPerMillion: price.input,
    outputPerMillion: price.output,
    ...(price.cacheWrite === undefined ? {} : { cacheWritePerMillion: price.cacheWrite }),
    ...(price.cacheRead === undefined ? {} : { cacheReadPerMillion: price.cacheRead }),
  };

  const runId = runIdFor(target.name);
  const runs: RunResult[] = [];
  const judge = values.judge
    ? createJudge({
        model: createConverseModel({
          modelId: config.bedrockModelId ?? supervisorAgent.foundationModelId,
          region: config.awsRegion,
        }),
      })
    : undefined;
  try {
    for (const set of loaded) {
      const setStarted = new Date();
      const bar = new cliProgress.SingleBar(
        {
          format: ` ${set.definition.name} [{bar}] {value}/{total} | failures {failures} | errors {errors}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      const caseIds = new Set(set.cases.map((testCase) => testCase.id));
      const followUps = set.followUps.filter((followUp) => caseIds.has(followUp.case_id));
      bar.start(set.cases.length + followUps.length, 0, { failures: 0, errors: 0 });
      let results: CaseResult[];
      let followUpResults: FollowUpResult[];
      try {
        results = await runCases({
          cases: set.cases,
          target,
          concurrency,
          timeoutMs: caseTimeoutMs,
          citationExists: (id) => chunkIds.has(id),
          onProgress: (progress) =>
            bar.update(progress.done, { failures: progress.failures, errors: progress.errors }),
        });
        followUpResults = await runFollowUps({
          followUps,
          caseResults: results,
          target,
          concurrency,
          timeoutMs: caseTimeoutMs,
          onProgress: (done) => bar.update(set.cases.length + done),
        });
      } finally {
        bar.stop();
      }
      if (judge) {
        for (const result of results) {
          if (!result.analysis) continue;
          const scores = await judge.score({ analysis: result.analysis });
          result.checks.judgeFiveWhy = scores?.five_why ?? null;
          result.checks.judgeActions = scores?.actions ?? null;
        }
      }
      const setFinished = new Date();
      const run: RunResult = {
        runId,
        set: set.definition.name,
        target: target.name,
        startedAt: setStarted.toISOString(),
        finishedAt: setFinished.toISOString(),
        casesFile: set.files.join(', '),
        filter: values.filter ?? null,
        model: target.model,
        priceTable: { ...prices, currency: priceTable.currency },
        metrics: aggregate({
          results,
          prices,
          followUps: followUpResults,
        }),
        cases: results,
        followUps: followUpResults,
      };
      runs.push(run);
      printSet(run, (setFinished.getTime() - setStarted.getTime()) / 1000);
    }
  } finally {
    await target.close();
    await knowledgeBase?.close();
  }
  const finishedAt = new Date();

  const comparisons = new Map<string, Comparison>();
  if (values.compare) {
    const baselines = baselineRuns(JSON.parse(await readFile(values.compare, 'utf8')));
    for (const run of runs) {
      const baseline = baselineFor(baselines, run.set ?? '', runs.length === 1);
      if (baseline) comparisons.set(run.set ?? '', compareRuns({ baseline, current: run }));
    }
  }
  const evalsRun: EvalsRun = {
    runId,
    target: target.name,
    model: target.model,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    sets: runs,
  };
  await mkdir(values.out, { recursive: true });
  const base = path.join(values.out, runId);
  await writeFile(`${base}.json`, `${JSON.stringify(evalsRun, null, 1)}\n`);
  await writeFile(`${base}.md`, renderMarkdownSets({ runs }));
  await writeFile(`${base}.html`, renderHtmlScorecards({ runs, comparisons }));
  console.log(`\nWrote ${base}.json, ${base}.md and ${base}.html`);
  for (const [set, comparison] of comparisons) console.log(`\n[${set}] ${formatComparison(comparison)}`);

  const checks = checkSetThresholds({
    metricsBySet: new Map(runs.map((run) => [run.set ?? 'cases', run.metrics])),
    thresholds,
  });
  const ran = new Set(runs.map((run) => run.set ?? 'cases'));
  for (const check of checks) {
    const value =
      check.actual !== null
        ? check.actual.toFixed(4)
        : ran.has(check.set ?? '')
          ? 'n/a'
          : 'n/a, the set did not run';
    console.log(
      `${check.passed ? 'ok  ' : 'FAIL'} ${check.set ?? ''}:${check.metric} ${value} (${check.comparison} ${check.value})`,
    );
  }
  const errored = runs.flatMap((run) => {
    const errors = errorsOf(run);
    return errors === null ? [] : [`[${run.set ?? 'cases'}] ${errors}`];
  });
  if (errored.length > 0) {
    for (const line of errored) console.error(`${line}; the scores above are not valid`);
    return 3;
  }
  return checks.some((check) => !check.passed) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
