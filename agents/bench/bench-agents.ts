import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { SAMPLE_REPORTS } from '../testing/sample-reports.ts';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { formatDefectId, type InspectionReport } from '../../domain/index.ts';
import { openEmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../knowledge-base/open.ts';
import { createOfflineModel } from '../models/offline/offline-model.ts';
import { createOrchestrator, type Orchestrator } from '../orchestrator/orchestrator.ts';
import { createRuleRouter } from '../orchestrator/router.ts';
import { createLocalRuntime } from '../runtime/local-runtime.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../testing/outputs.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { Model } from '../models/model.ts';
import { textResponse } from '../testing/scripted-model.ts';

const USAGE = `Usage: npm run bench:agents -- [--overhead-runs 2000] [--offline-runs 200]

1. Orchestration overhead: a full analysis (three agents, citations resolved) with a
   zero-latency fake model that answers at once, so only our code is timed; and the same with
   citations that resolve to nothing, which leaves out the knowledge base's passage lookup;
   the two are timed in seven interleaved rounds.
2. Offline throughput: full analyses with the offline model over the real corpus, one at a
   time on one core. Every report text is unique (a lot number is appended), so the free-text
   retrievals miss the knowledge base's retrieval cache; templated ones (SOP sections of a
   stage) hit it, as they would in production.`;

const REPORTS = SAMPLE_REPORTS;

/** Rounds the two overhead measures are interleaved in. */
const OVERHEAD_ROUNDS = 7;

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'overhead-runs': { type: 'string', default: '2000' },
      'offline-runs': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const embedder = await createDefaultEmbedder({ dimensions: 384 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
  const now = () => new Date('2026-11-22T08:00:00Z');
  const toolContext = { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now };
  const answers: Record<string, string> = {
    classifier: JSON.stringify(RUST_CLASSIFICATION),
    'root-cause': JSON.stringify(RUST_ROOT_CAUSE),
    'corrective-action': JSON.stringify(RUST_PLAN),
  };
  const overheadRuns = Number(values['overhead-runs']);
  // Answers at once and records nothing, so that only the orchestration is timed.
  const instant: Model = {
    id: 'instant',
    supportsImages: false,
    converse: async (params) => textResponse(answers[params.requestMetadata?.agent ?? ''] ?? '{}'),
  };
  const bytes = Uint8Array.of(0, 0, 0, 0);
  // The defect id is the caller's (the API makes it before the analysis starts), so it is not timed.
  const defectId = formatDefectId({ date: now(), randomBytes: bytes });
  /** An orchestrator on the instant model that resolves citations through `citationSource`. */
  function instantOrchestrator(citationSource: KnowledgeBase): Orchestrator {
    return createOrchestrator({
      runtime: createLocalRuntime({ model: instant, toolContext }),
      knowledgeBase: citationSource,
      router: createRuleRouter(),
      now,
    });
  }
  // The same analyses with citations that resolve to nothing: what the knowledge base's passage
  // lookup costs is the difference.
  const variants = [
    instantOrchestrator(knowledgeBase),
    instantOrchestrator({
      retrieve: (params) => knowledgeBase.retrieve(params),
      getPassages: async () => [],
      describe: () => knowledgeBase.describe(),
    }),
  ];
  for (const variant of variants)
    for (let index = 0; index < 50; index += 1)
      await variant.analyze({ defectId, report: REPORTS[0] as InspectionReport });
  // Interleaved rounds, each variant first in every other one, so that what is left of the
  // warm-up (tiering up, garbage collection) does not fall on one of them only.
  const timings: [number[], number[]] = [[], []];
  for (let round = 0; round < OVERHEAD_ROUNDS; round += 1) {
    const runs =
      Math.floor(overheadRuns / OVERHEAD_ROUNDS) + (round < overheadRuns % OVERHEAD_ROUNDS ? 1 : 0);
    for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const variant = variants[which] as Orchestrator;
      for (let index = 0; index < runs; index += 1) {
        const started = performance.now();
        await variant.analyze({ defectId, report: REPORTS[index % REPORTS.length] as InspectionReport });
        timings[which]?.push(performance.now() - started);
      }
    }
  }
  const [overhead, withoutCitations] = timings.map((durations) =>
    durations.sort((left, right) => left - right),
  ) as [number[], number[]];

  const offline = createOrchestrator({
    runtime: createLocalRuntime({ model: createOfflineModel(), toolContext }),
    knowledgeBase,
    router: createRuleRouter(),
    now,
  });
  const offlineRuns = Number(values['offline-runs']);
  const bar = new cliProgress.SingleBar(
    { format: ' offline [{bar}] {value}/{total} analyses', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  for (const report of REPORTS)
    await offline.analyze({ defectId: formatDefectId({ date: now(), randomBytes: bytes }), report });
  const latencies: number[] = [];
  let failures = 0;
  bar.start(offlineRuns, 0);
  const started = performance.now();
  for (let index = 0; index < offlineRuns; index += 1) {
    const begin = performance.now();
    const base = REPORTS[index % REPORTS.length] as InspectionReport;
    const report = {
      ...base,
      description: `${base.description ?? ''} Found on lot L${1000 + index}, shift ${'ABC'[index % 3]}.`,
    };
    const analysis = await offline.analyze({
      defectId: formatDefectId({ date: now(), randomBytes: bytes }),
      report,
    });
    latencies.push(performance.now() - begin);
    if (analysis.status !== 'complete') failures += 1;
    bar.update(index + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  latencies.sort((left, right) => left - right);
  console.log(`\nbench:agents, node ${process.version}, one process\n`);
  console.log('| measure | runs | p50 ms | p99 ms | per second |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| orchestration overhead (zero-latency fake model) | ${overheadRuns} | ${percentile(overhead, 0.5).toFixed(3)} | ${percentile(overhead, 0.99).toFixed(3)} | ${Math.round(overheadRuns / (overhead.reduce((sum, value) => sum + value, 0) / 1000))} |`,
  );
  console.log(
    `| the same without citation lookups | ${overheadRuns} | ${percentile(withoutCitations, 0.5).toFixed(3)} | ${percentile(withoutCitations, 0.99).toFixed(3)} | ${Math.round(overheadRuns / (withoutCitations.reduce((sum, value) => sum + value, 0) / 1000))} |`,
  );
  console.log(
    `| full offline analysis | ${offlineRuns} | ${percentile(latencies, 0.5).toFixed(2)} | ${percentile(latencies, 0.99).toFixed(2)} | ${(offlineRuns / seconds).toFixed(1)} |`,
  );
  if (failures > 0) console.log(`\n${failures} offline analyses did not complete`);
  await knowledgeBase.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
