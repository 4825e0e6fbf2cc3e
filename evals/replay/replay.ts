import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createLearningLoop, type LearningLogger } from '../../agents/learning/learning-loop.ts';
import type { Retrainer } from '../../agents/learning/retrain.ts';
import { openOfflineSystem } from '../../agents/learning/testing/offline-system.ts';
import { reviewAnalysis } from '../../agents/learning/testing/review.ts';
import { createWorkerRetrainer } from '../../agents/learning/worker-retrainer.ts';
import {
  createReplaceableClassifierSource,
  loadClassifierModel,
} from '../../agents/models/offline/classifier/classifier.ts';
import type { TrainingExample } from '../../agents/models/offline/classifier/training-data.ts';
import {
  machineFields,
  readJsonLines,
  type ConsolidatedAnalysis,
  type ReviewedFields,
} from '../../domain/index.ts';
import { EvalCase } from '../case.ts';
import { scoreCase } from '../metrics.ts';

/** One report of the replay stream: an evaluation case and the day it was reported. */
export const ReplayCase = EvalCase.extend({ reported_on: z.iso.date() }).strict();
export type ReplayCase = z.infer<typeof ReplayCase>;

/** The stream's file, written apart from every other set. */
export const STREAM_FILE = 'evals/replay/stream.jsonl';

/** Reads a replay stream and puts it in time order (reports of one day keep the file's order). */
export async function readStream(file: string): Promise<ReplayCase[]> {
  const cases = await readJsonLines(file, ReplayCase);
  return cases
    .map((testCase, order) => ({ testCase, order }))
    .sort(
      (left, right) =>
        left.testCase.reported_on.localeCompare(right.testCase.reported_on) || left.order - right.order,
    )
    .map(({ testCase }) => testCase);
}

/** The five answers the replay scores. */
export const REPLAY_METRICS = ['type', 'stage', 'category6m', 'severity', 'disposition'] as const;
export type ReplayMetric = (typeof REPLAY_METRICS)[number];

/** Accuracy of one metric over the scored part: correct of applicable cases, and the rate. */
export interface Accuracy {
  correct: number;
  cases: number;
  /** Null when no scored case has a label for it. */
  rate: number | null;
}

/** What happened to one case in one run. */
export interface ReplayCaseResult {
  id: string;
  reported_on: string;
  scored: boolean;
  predicted: Pick<
    ReviewedFields,
    'defect_type' | 'severity' | 'disposition' | 'probable_stage' | 'category_6m'
  >;
  correct: Record<ReplayMetric, boolean | null>;
  /** With the loop: how the simulated reviewer answered. */
  review?: 'confirmed' | 'corrected';
}

/** One pass over the stream. */
export interface ReplayRun {
  learning: boolean;
  accuracy: Record<ReplayMetric, Accuracy>;
  cases: ReplayCaseResult[];
  /** With the loop: what it had learned at the end. */
  loop?: { indexedRecords: number; learnedExamples: number; retrainings: number; retrainMs: number };
  durationMs: number;
}

/** The replay's result: both runs and the lift of learning, in percentage points. */
export interface ReplayResult {
  stream: { file: string; cases: number; scored: number; split: number; firstScored: string | null };
  without: ReplayRun;
  with: ReplayRun;
  /** Accuracy with the loop minus without, in points (null where a rate is null). */
  lift: Record<ReplayMetric, number | null>;
}

/** The gold answer as the reviewed fields a reviewer would set. */
function goldFields(testCase: ReplayCase): Partial<ReviewedFields> {
  const { labels } = testCase;
  return {
    defect_type: labels.defect_type,
    severity: labels.severity,
    disposition: labels.disposition,
    probable_stage: labels.stage,
    category_6m: labels.category_6m,
  };
}

/**
 * The simulated reviewer: when the machine's type, severity, disposition, stage or 6M category
 * differs from the gold labels, it corrects those fields to the labels; else it confirms.
 */
export function simulatedReview({
  analysis,
  testCase,
}: {
  analysis: ConsolidatedAnalysis;
  testCase: ReplayCase;
}) {
  const machine = machineFields(analysis);
  const gold = goldFields(testCase);
  const differing = Object.fromEntries(
    Object.entries(gold).filter(([field, value]) => machine[field as keyof ReviewedFields] !== value),
  ) as Partial<ReviewedFields>;
  return reviewAnalysis({
    analysis,
    fields: differing,
    reviewer: 'replay.reviewer',
    at: `${testCase.reported_on}T17:00:00.000Z`,
    reason: 'the replay reviewer applied the gold labels',
  });
}

function correctness(
  testCase: ReplayCase,
  analysis: ConsolidatedAnalysis,
): Record<ReplayMetric, boolean | null> {
  const checks = scoreCase({ testCase, analysis, citationExists: () => true });
  const ok = analysis.status === 'complete' || analysis.status === 'partial';
  const value = (check: unknown): boolean | null => (check === null ? null : ok && check === true);
  return {
    type: value(checks.typeCorrect),
    stage: value(checks.stageCorrect),
    category6m: value(checks.categoryCorrect),
    severity: value(checks.severityCorrect),
    disposition: value(checks.dispositionCorrect),
  };
}

function accuracyOf(results: readonly ReplayCaseResult[], metric: ReplayMetric): Accuracy {
  const applicable = results.filter((result) => result.scored && result.correct[metric] !== null);
  const correct = applicable.filter((result) => result.correct[metric] === true).length;
  return {
    correct,
    cases: applicable.length,
    rate: applicable.length === 0 ? null : correct / applicable.length,
  };
}

function defectIdOf(testCase: ReplayCase, index: number): string {
  return `DEF-${testCase.reported_on.replaceAll('-', '')}-${(index + 1).toString(16).toUpperCase().padStart(8, '0')}`;
}

const QUIET: LearningLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Parameters of {@link replayStream}. */
export interface ReplayParams {
  cases: readonly ReplayCase[];
  /** With the learning loop or without. */
  learning: boolean;
  /** Index of the first scored case. */
  firstScored: number;
  /** The examples the committed classifier was trained on. */
  baseExamples: readonly TrainingExample[];
  corpusDir?: string;
  /** Fits the classifier; a worker thread by default. */
  retrainer?: Retrainer;
  /** Called after each case. */
  onCase?: (result: ReplayCaseResult) => void;
  logger?: LearningLogger;
}

/**
 * Replays the stream in order through the in-process offline analysis, on a fresh temporary
 * copy of the knowledge base (removed afterwards). With `learning`, the simulated reviewer reviews
 * each analysis and the loop learns from it before the next report: the knowledge base at once,
 * the classifier retrained once at the end of each reported day (a day's reviews are one burst).
 */
export async function replayStream(params: ReplayParams): Promise<ReplayRun> {
  const { cases, learning, firstScored, baseExamples, onCase } = params;
  const startedAt = performance.now();
  const directory = mkdtempSync(path.join(tmpdir(), 'replay-kb-'));
  const classifier = createReplaceableClassifierSource({ initial: loadClassifierModel() });
  let retrainings = 0;
  let retrainMs = 0;
  const inner = params.retrainer ?? createWorkerRetrainer();
  const retrainer: Retrainer = {
    async retrain(request) {
      const started = performance.now();
      retrainings += 1;
      try {
        return await inner.retrain(request);
      } finally {
        retrainMs += performance.now() - started;
      }
    },
    close: () => inner.close(),
  };
  let clock = new Date('2026-01-01T08:00:00Z');
  const system = await openOfflineSystem({
    directory,
    classifier,
    now: () => clock,
    ...(params.corpusDir ? { corpusDir: params.corpusDir } : {}),
  });
  const loop = learning
    ? createLearningLoop({
        index: system.knowledgeBase,
        embedder: system.embedder,
        classifier,
        baseExamples,
        retrainer,
        logger: params.logger ?? QUIET,
        retrainDelayMs: 10,
      })
    : null;
  const results: ReplayCaseResult[] = [];
  try {
    for (const [index, testCase] of cases.entries()) {
      const next = cases[index + 1];
      clock = new Date(`${testCase.reported_on}T08:00:00Z`);
      const analysis = await system.orchestrator.analyze({
        defectId: defectIdOf(testCase, index),
        report: testCase.input,
        createdAt: clock,
      });
      const fields = machineFields(analysis);
      const result: ReplayCaseResult = {
        id: testCase.id,
        reported_on: testCase.reported_on,
        scored: index >= firstScored,
        predicted: {
          defect_type: fields.defect_type,
          severity: fields.severity,
          disposition: fields.disposition,
          probable_stage: fields.probable_stage,
          category_6m: fields.category_6m,
        },
        correct: correctness(testCase, analysis),
      };
      if (loop) {
        const reviewed = simulatedReview({ analysis, testCase });
        result.review = reviewed.review.state === 'corrected' ? 'corrected' : 'confirmed';
        loop.learn({ analysis: reviewed });
        // The knowledge base learns at once; the classifier once the day's reviews are in.
        await loop.idle({ retraining: next === undefined || next.reported_on !== testCase.reported_on });
      }
      results.push(result);
      onCase?.(result);
    }
    const status = loop?.status();
    return {
      learning,
      accuracy: Object.fromEntries(
        REPLAY_METRICS.map((metric) => [metric, accuracyOf(results, metric)]),
      ) as Record<ReplayMetric, Accuracy>,
      cases: results,
      ...(status
        ? {
            loop: {
              indexedRecords: status.indexedRecords,
              learnedExamples: status.learnedExamples,
              retrainings,
              retrainMs: Math.round(retrainMs),
            },
          }
        : {}),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    await loop?.close();
    await retrainer.close();
    await system.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs the stream without and with the loop and computes the lift on the scored part. */
export async function runReplay({
  file,
  cases,
  split,
  baseExamples,
  corpusDir,
  retrainer,
  onCase,
}: {
  file: string;
  cases: readonly ReplayCase[];
  /** Share of the stream before the scored part (0.5: the last half is scored). */
  split: number;
  baseExamples: readonly TrainingExample[];
  corpusDir?: string;
  retrainer?: () => Retrainer;
  onCase?: (params: { learning: boolean; result: ReplayCaseResult }) => void;
}): Promise<ReplayResult> {
  const firstScored = Math.min(cases.length, Math.floor(cases.length * split));
  const common = { cases, firstScored, baseExamples, ...(corpusDir ? { corpusDir } : {}) };
  const without = await replayStream({
    ...common,
    learning: false,
    onCase: (result) => onCase?.({ learning: false, result }),
  });
  const withLoop = await replayStream({
    ...common,
    learning: true,
    ...(retrainer ? { retrainer: retrainer() } : {}),
    onCase: (result) => onCase?.({ learning: true, result }),
  });
  const lift = Object.fromEntries(
    REPLAY_METRICS.map((metric) => {
      const before = without.accuracy[metric].rate;
      const after = withLoop.accuracy[metric].rate;
      return [metric, before === null || after === null ? null : Math.round((after - before) * 1000) / 10];
    }),
  ) as Record<ReplayMetric, number | null>;
  return {
    stream: {
      file,
      cases: cases.length,
      scored: cases.length - firstScored,
      split,
      firstScored: cases[firstScored]?.reported_on ?? null,
    },
    without,
    with: withLoop,
    lift,
  };
}

const LABELS: Record<ReplayMetric, string> = {
  type: 'type',
  stage: 'stage',
  category6m: '6M category',
  severity: 'severity',
  disposition: 'disposition',
};

function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(1)} %`;
}

/** The replay's result as a plain-text table. */
export function formatReplay(result: ReplayResult): string {
  const rows = REPLAY_METRICS.map((metric) => {
    const without = result.without.accuracy[metric];
    const withLoop = result.with.accuracy[metric];
    const lift = result.lift[metric];
    return [
      LABELS[metric],
      `${percent(without.rate)} (${without.correct}/${without.cases})`,
      `${percent(withLoop.rate)} (${withLoop.correct}/${withLoop.cases})`,
      lift === null ? 'n/a' : `${lift >= 0 ? '+' : ''}${lift.toFixed(1)} pts`,
    ];
  });
  const header = ['metric', 'without the loop', 'with the loop', 'lift'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  const loop = result.with.loop;
  const corrected = result.with.cases.filter((item) => item.review === 'corrected').length;
  return [
    `Replay of ${result.stream.file}: ${result.stream.cases} reports, the last ${result.stream.scored} scored (from ${result.stream.firstScored ?? '-'}, split ${result.stream.split}).`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    loop
      ? `With the loop: ${corrected} of ${result.stream.cases} analyses corrected by the reviewer; ${loop.indexedRecords} past-defect records and ${loop.learnedExamples} training examples learned; ${loop.retrainings} retrainings (${(loop.retrainMs / 1000).toFixed(1)} s in the worker).`
      : '',
  ].join('\n');
}
