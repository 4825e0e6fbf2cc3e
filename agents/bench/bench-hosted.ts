import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import { z } from 'zod';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { formatDefectId, parseConfig, type InspectionReport } from '../../domain/index.ts';
import { openEmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../knowledge-base/open.ts';
import { AGENTS } from '../index.ts';
import { HAIKU_LATENCY, SONNET_LATENCY, type LatencyProfile } from '../models/testing/latency-model.ts';
import { createAgentSystem } from '../system.ts';
import { SAMPLE_REPORTS } from '../testing/sample-reports.ts';
import { startBedrockWorker } from './hosted/bedrock-worker-client.ts';
import type { ObservedRequest } from './hosted/bedrock-worker-protocol.ts';
import {
  mean,
  measureAnalysis,
  percentile,
  PriceTable,
  type AnalysisMeasure,
  type ObservedCall,
} from './hosted-metrics.ts';

const USAGE = `Usage: npm run bench:hosted -- [options]

The service's orchestrator on MODEL=converse against the local Bedrock server (Converse over
HTTP/2 with the real SDK client), which runs in a worker thread, hosts the offline model and
answers each call after a modelled latency: time to first token + time per uncached input token + time per output token.
Tokens are counted from the wire with js-tiktoken's cl100k_base (an approximation of Claude's
tokenizer), with Bedrock's prompt cache accounted (cache writes and reads, 5-minute entries,
per-model minimum tokens per checkpoint). The agents use their own models: the classifier Claude
Haiku 4.5, the others Claude Sonnet 4.5.

Options:
  --concurrency 1,32,200       concurrent analyses, one level after the other
  --analyses <n>               analyses per level (default: 8 at level 1, else the level)
  --prompt-caching auto|on|off BEDROCK_PROMPT_CACHING (default auto: on for Claude)
  --stream                     MODEL_STREAM=true (ConverseStream)
  --time-scale <x>             multiplies every modelled latency (default 1)
  --latency-from sent|received where each call's modelled latency starts (default sent: when the
                               service sent the request; received: when the stand-in, busy with
                               token counting and the offline model on this machine's cores, read
                               it, which charges the stand-in's queueing to the service)
  --call-timeout-ms <ms>       AGENT_CALL_TIMEOUT_MS (default 120000: the service's 30 s default
                               cuts off Sonnet writing a 2,000-token answer at about 60 tokens/s)
  --sonnet <ms,ms,ms>          Sonnet's first token, per input token, per output token (default ${profileText(SONNET_LATENCY)})
  --haiku <ms,ms,ms>           Haiku's, likewise (default ${profileText(HAIKU_LATENCY)})
  --models <agent=model,…>     BEDROCK_AGENT_MODEL_IDS: a model per agent, by id or as sonnet / haiku
                               (e.g. corrective-action=haiku puts the planner on Haiku 4.5)
  --warm                       run one analysis before each level and leave it out, so the level
                               is measured with the prompt cache warm (a steady stream of reports)
  --prices <file>              price table (default evals/prices.json)
  --json <file>                also write the measures as JSON`;

function profileText(profile: LatencyProfile): string {
  return `${profile.firstTokenMs},${profile.msPerInputToken},${profile.msPerOutputToken}`;
}

function parseProfile(text: string | undefined, fallback: LatencyProfile): LatencyProfile {
  if (!text) return fallback;
  const [firstTokenMs, msPerInputToken, msPerOutputToken] = text.split(',').map(Number);
  if ([firstTokenMs, msPerInputToken, msPerOutputToken].some((value) => !Number.isFinite(value))) {
    throw new Error(`a latency profile is three numbers, e.g. ${profileText(fallback)}; got ${text}`);
  }
  return { firstTokenMs, msPerInputToken, msPerOutputToken } as LatencyProfile;
}

/** Epoch milliseconds on the same clock as the server's records. */
function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

interface LevelResult {
  concurrency: number;
  analyses: number;
  failed: number;
  wallSeconds: number;
  measures: AnalysisMeasure[];
  /** Each analysis's model calls, in order. */
  calls: ObservedCall[][];
}

function observedCalls(
  requests: readonly ObservedRequest[],
  latencyFrom: 'received' | 'sent',
): Map<string, ObservedCall[]> {
  const byAnalysis = new Map<string, ObservedCall[]>();
  for (const request of requests) {
    const session = request.metadata.session;
    if (!session) continue;
    const analysis = session.split(':')[0] ?? session;
    const calls = byAnalysis.get(analysis) ?? [];
    calls.push({
      agent: request.metadata.agent ?? 'unknown',
      modelId: request.modelId,
      usage: request.usage,
      modelledMs: request.modelledMs,
      receivedAt:
        latencyFrom === 'sent' && request.sentAt !== undefined
          ? Math.min(request.sentAt, request.receivedAt)
          : request.receivedAt,
      answeredAt: request.answeredAt,
      ...(request.sentAt === undefined ? {} : { queuedMs: request.receivedAt - request.sentAt }),
    });
    byAnalysis.set(analysis, calls);
  }
  return byAnalysis;
}

function format(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((left, right) => left - right);
}

function tokenRows(label: string, measures: readonly AnalysisMeasure[]): string {
  const calls = (agent: string) => format(mean(measures.map((m) => m.callsPerAgent[agent] ?? 0)), 1);
  const usage = (key: keyof AnalysisMeasure['usage']) => format(mean(measures.map((m) => m.usage[key])));
  return `| ${label} | ${measures.length} | ${calls('classifier')} / ${calls('root-cause')} / ${calls('corrective-action')} | ${usage('inputTokens')} | ${usage('cacheWriteInputTokens')} | ${usage('cacheReadInputTokens')} | ${usage('outputTokens')} | $${format(mean(measures.map((m) => m.cost)), 4)} |`;
}

function latencyRow(level: LevelResult): string {
  const { measures } = level;
  const seconds = (values: number[], share: number) => format(percentile(sorted(values), share) / 1000, 2);
  const endToEnd = measures.map((m) => m.endToEndMs);
  const ratio = measures.map((m) => m.endToEndMs / m.criticalPathMs);
  const firstStage = measures.map((m) => m.firstStageMs / m.classifierModelMs);
  // The classifier's calls run one after another, so the time the stand-in answered after their
  // modelled latency (its own CPU on this machine, not the service's) adds up on the way to the
  // first stage event.
  const firstStageServiceOnly = measures.map((m, index) => {
    const late = (level.calls[index] ?? [])
      .filter((call) => call.agent === 'classifier')
      .reduce((sum, call) => sum + Math.max(0, call.answeredAt - call.receivedAt - call.modelledMs), 0);
    return (m.firstStageMs - late) / m.classifierModelMs;
  });
  return `| ${level.concurrency} | ${level.analyses} | ${seconds(endToEnd, 0.5)} / ${seconds(endToEnd, 0.95)} | ${seconds(
    measures.map((m) => m.criticalPathMs),
    0.5,
  )} | ${seconds(
    measures.map((m) => m.firstStageMs),
    0.5,
  )} | ${format(percentile(sorted(ratio), 0.5), 3)} / ${format(percentile(sorted(ratio), 0.95), 3)} / ${format(Math.max(...ratio), 3)} | ${format(percentile(sorted(firstStage), 0.5), 3)} / ${format(Math.max(...firstStage), 3)} | ${format(percentile(sorted(firstStageServiceOnly), 0.5), 3)} / ${format(Math.max(...firstStageServiceOnly), 3)} | ${level.failed} | ${format(
    percentile(
      sorted(level.calls.flat().map((call) => call.answeredAt - call.receivedAt - call.modelledMs)),
      0.95,
    ),
    1,
  )} | ${format(
    percentile(
      sorted(level.calls.flat().flatMap((call) => (call.queuedMs === undefined ? [] : [call.queuedMs]))),
      0.95,
    ),
    1,
  )} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '1,32,200' },
      analyses: { type: 'string' },
      'prompt-caching': { type: 'string', default: 'auto' },
      stream: { type: 'boolean', default: false },
      'time-scale': { type: 'string', default: '1' },
      'latency-from': { type: 'string', default: 'sent' },
      'call-timeout-ms': { type: 'string', default: '120000' },
      sonnet: { type: 'string' },
      haiku: { type: 'string' },
      prices: { type: 'string', default: 'evals/prices.json' },
      models: { type: 'string' },
      warm: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const levels = values.concurrency.split(',').map(Number);
  const scale = Number(values['time-scale']);
  const latencyFrom = z.enum(['sent', 'received']).parse(values['latency-from']);
  const sonnet = parseProfile(values.sonnet, SONNET_LATENCY);
  const haiku = parseProfile(values.haiku, HAIKU_LATENCY);
  const prices = PriceTable.parse(JSON.parse(await readFile(values.prices, 'utf8')));

  const embedder = await createDefaultEmbedder({ dimensions: 384 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
  const sonnetId = AGENTS['root-cause'].foundationModelId;
  const haikuId = AGENTS.classifier.foundationModelId;
  const agentModels = values.models
    ?.split(',')
    .map((entry) => {
      const [agent, model] = entry.split('=').map((part) => part.trim());
      return `${agent}=${model === 'sonnet' ? sonnetId : model === 'haiku' ? haikuId : model}`;
    })
    .join(',');
  const bedrock = await startBedrockWorker({
    modelIds: [
      ...new Set([
        sonnetId,
        haikuId,
        AGENTS['corrective-action'].foundationModelId,
        ...(agentModels?.split(',').map((entry) => entry.split('=')[1] ?? '') ?? []),
      ]),
    ].filter(Boolean),
    sonnet,
    haiku,
    scale,
    latencyFrom,
  });
  const config = parseConfig({
    MODEL: 'converse',
    AWS_REGION: 'us-east-1',
    BEDROCK_PROMPT_CACHING: values['prompt-caching'],
    MODEL_STREAM: String(values.stream),
    AGENT_CALL_TIMEOUT_MS: values['call-timeout-ms'],
    ...(agentModels ? { BEDROCK_AGENT_MODEL_IDS: agentModels } : {}),
  });
  const now = () => new Date('2026-11-22T08:00:00Z');
  const { orchestrator } = createAgentSystem({
    config,
    knowledgeBase,
    defectHistory: createInMemoryDefectHistory(),
    now,
    bedrockRuntimeClient: bedrock.client,
  });

  const plan = levels.map((level) => ({
    concurrency: level,
    analyses: values.analyses ? Number(values.analyses) : level === 1 ? SAMPLE_REPORTS.length : level,
  }));
  const bar = new cliProgress.SingleBar(
    { format: ' {level} [{bar}] {value}/{total} analyses', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(
    plan.reduce((sum, level) => sum + level.analyses, 0),
    0,
    { level: '' },
  );
  const results: LevelResult[] = [];
  let serial = 0;
  for (const { concurrency, analyses } of plan) {
    bar.update({ level: `${concurrency} concurrent` });
    if (values.warm) {
      // One analysis writes the cache entries (instructions and tool specs) the level then reads.
      const base = SAMPLE_REPORTS[0] as InspectionReport;
      await orchestrator.analyze({
        defectId: formatDefectId({ date: now(), randomBytes: randomBytes(4) }),
        report: { ...base, description: `${base.description} Warm-up.` },
      });
    }
    await bedrock.takeRecords();
    const limit = pLimit(concurrency);
    const timings = new Map<
      string,
      { startedAt: number; firstStageAt: number; endedAt: number; agents: string[]; ok: boolean }
    >();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: analyses }, (_, index) =>
        limit(async () => {
          serial += 1;
          const base = SAMPLE_REPORTS[index % SAMPLE_REPORTS.length] as InspectionReport;
          const report = { ...base, description: `${base.description} Lot L${10_000 + serial}.` };
          const defectId = formatDefectId({ date: now(), randomBytes: randomBytes(4) });
          const startedAt = epochNow();
          let firstStageAt = Number.NaN;
          const analysis = await orchestrator.analyze({
            defectId,
            report,
            onEvent: (event) => {
              if (event.type === 'stage_completed' && event.step === 'classifier') firstStageAt = epochNow();
            },
          });
          const agents = Object.entries(analysis.agents)
            .filter(([, run]) => run.status === 'complete')
            .map(([name]) => name);
          timings.set(defectId, {
            startedAt,
            firstStageAt,
            endedAt: epochNow(),
            agents,
            ok: analysis.status === 'complete',
          });
          bar.increment();
        }),
      ),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const calls = observedCalls(await bedrock.takeRecords(), latencyFrom);
    const measures: AnalysisMeasure[] = [];
    const callLists: ObservedCall[][] = [];
    let failed = 0;
    for (const [defectId, timing] of timings) {
      if (!timing.ok) failed += 1;
      const analysisCalls = calls.get(defectId) ?? [];
      callLists.push(analysisCalls);
      measures.push(measureAnalysis({ calls: analysisCalls, prices, ...timing }));
    }
    results.push({ concurrency, analyses, failed, wallSeconds, measures, calls: callLists });
  }
  bar.stop();
  await bedrock.close();
  await knowledgeBase.close();

  console.log(
    `\nbench:hosted, node ${process.version}, MODEL=converse against the local Bedrock server, prompt caching ${values['prompt-caching']}, ${values.stream ? 'ConverseStream' : 'Converse'}, time scale ${scale}, modelled latency from the request's ${latencyFrom === 'sent' ? 'sending' : 'reading by the stand-in'}${values.warm ? ', cache warmed before each level' : ''}, models ${agentModels ?? "the agents' own"}`,
  );
  console.log(
    `latency model: Sonnet ${profileText(sonnet)}, Haiku ${profileText(haiku)} (ms to first token, per uncached input token, per output token)\n`,
  );
  console.log('Per analysis (means; tokens counted with cl100k_base; cost at the prices of the table)\n');
  console.log(
    '| level | analyses | model calls (classifier / root cause / actions) | input tokens (uncached) | cache write | cache read | output tokens | cost |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const level of results) {
    const full = level.measures.filter((m) => m.fullRca);
    console.log(tokenRows(`${level.concurrency} concurrent, all`, level.measures));
    console.log(tokenRows(`${level.concurrency} concurrent, full RCA`, full));
  }
  console.log(
    '\n| concurrent | analyses | end to end p50 / p95 s | critical path p50 s | first stage event p50 s | end to end ÷ critical path p50 / p95 / max | first stage ÷ classifier model time p50 / max | the same, stand-in lateness taken out | not complete | server late p95 ms | stand-in queue p95 ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const level of results) console.log(latencyRow(level));
  if (values.json) {
    await writeFile(
      values.json,
      `${JSON.stringify({ scale, sonnet, haiku, promptCaching: values['prompt-caching'], results }, null, 2)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
