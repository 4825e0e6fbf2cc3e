import { isConfirmedReviewState, type ReviewedAnalysis } from '../../domain/index.ts';
import { parseDocument } from '../../knowledge-base/documents/parse.ts';
import type { KnowledgeDocument } from '../../knowledge-base/documents/schema.ts';
import type { Embedder } from '../../knowledge-base/embedding/embedder.ts';
import { indexDocuments } from '../../knowledge-base/ingest.ts';
import type { KnowledgeBaseIndex } from '../../knowledge-base/knowledge-base.ts';
import {
  loadClassifierModel,
  type ClassifierModel,
  type ReplaceableClassifierSource,
} from '../models/offline/classifier/classifier.ts';
import { trainingDigest, type TrainingExample } from '../models/offline/classifier/training-data.ts';
import { pastDefectRecord } from './past-defect-record.ts';
import { calibrationsOf, type Retrainer } from './retrain.ts';
import { reviewedTrainingExamples } from './training-examples.ts';
import { createWorkerRetrainer } from './worker-retrainer.ts';

/** The logging the loop needs; a pino logger is one. */
export interface LearningLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** What the learning loop has done so far. */
export interface LearningStatus {
  /** Changes waiting or running (indexing, removal, start-up), plus a pending or running retraining. */
  queued: number;
  /** Past-defect records the loop has written and not removed. */
  indexedRecords: number;
  /** Examples of the current training set: the base ones plus those of confirmed analyses. */
  trainingExamples: number;
  /** Examples of confirmed analyses among them. */
  learnedExamples: number;
  /** When the classifier in use was last retrained (ISO), null while it is the committed one. */
  lastTrainedAt: string | null;
  /** The last failure that used up its retries, null when none. */
  lastError: { message: string; at: string } | null;
}

/** The learning loop: confirmed analyses become knowledge-base records and classifier examples. */
export interface LearningLoop {
  /** Rebuilds from the store's reviewed analyses at start-up (the unconfirmed ones are skipped). */
  start(params: { reviewed: readonly ReviewedAnalysis[] }): void;
  /**
   * Learns from an analysis whose review changed: a confirmed, corrected or closed one replaces
   * its record and examples, anything else is forgotten. Queued; never throws.
   */
  learn(params: { analysis: ReviewedAnalysis }): void;
  /** Forgets an analysis that was rejected or reopened. Queued; never throws. */
  forget(params: { defectId: string }): void;
  /**
   * Resolves once every queued change is done and no retraining is pending or running; with
   * `retraining: false`, once the queued changes are done (the knowledge base is up to date).
   */
  idle(params?: { retraining?: boolean }): Promise<void>;
  status(): LearningStatus;
  /** Waits for {@link idle}, then stops the retraining worker. */
  close(): Promise<void>;
}

/** Dependencies of {@link createLearningLoop}. */
export interface LearningLoopDependencies {
  /**
   * Where learned records are written: the SAME instance the analyses read from (the embedded
   * knowledge base keeps its search structures in memory, so another handle on the same files does
   * not see the writes). Null where the knowledge base is fed elsewhere: only the classifier learns.
   */
  index: KnowledgeBaseIndex | null;
  /** Embeds the records' chunks; null for a knowledge base that embeds them itself. */
  embedder: Embedder | null;
  /** The offline model's classifier, replaced after each retraining. */
  classifier: ReplaceableClassifierSource;
  /** The examples the committed model was trained on (training reports and corpus examples). */
  baseExamples: readonly TrainingExample[];
  /** The model used while nothing was learned and whose calibrations retraining keeps (the committed one). */
  baseModel?: ClassifierModel;
  /** Fits the classifier; a worker thread by default. */
  retrainer?: Retrainer;
  logger: LearningLogger;
  now?: () => Date;
  /** Waits this long after a change before retraining, so a burst of reviews makes one retraining. */
  retrainDelayMs?: number;
  /** Attempts per change or retraining before its failure is logged and given up. 3 by default. */
  maxAttempts?: number;
  /** Delay before the n-th retry is n times this. 1000 ms by default. */
  retryDelayMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the learning loop. Changes run one at a time in arrival order; each change updates the
 * knowledge base at once (the next analysis sees it) and schedules one retraining of the
 * classifier, debounced and run off the event loop by the retrainer. Failures are logged with
 * their `cause` and retried a bounded number of times; nothing is thrown to the caller.
 */
export function createLearningLoop(dependencies: LearningLoopDependencies): LearningLoop {
  const {
    index,
    embedder,
    classifier,
    baseExamples,
    logger,
    now = () => new Date(),
    retrainDelayMs = 2000,
    maxAttempts = 3,
    retryDelayMs = 1000,
  } = dependencies;
  const baseModel = dependencies.baseModel ?? loadClassifierModel();
  let retrainer = dependencies.retrainer ?? null;

  /** Examples by defect id of the confirmed analyses learned. */
  const learned = new Map<string, TrainingExample[]>();
  const indexed = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let pendingTasks = 0;
  let retrainTimer: ReturnType<typeof setTimeout> | null = null;
  let retraining: Promise<void> | null = null;
  /** Bumped on every change of the learned examples; a retraining is current when it saw the latest. */
  let examplesVersion = 0;
  let trainedVersion = 0;
  let lastTrainedAt: string | null = null;
  let lastError: LearningStatus['lastError'] = null;
  let waiters: Array<{ retraining: boolean; resolve: () => void }> = [];

  function isIdle(withRetraining: boolean): boolean {
    return pendingTasks === 0 && (!withRetraining || (retrainTimer === null && retraining === null));
  }

  function settle(): void {
    const ready = waiters.filter((waiter) => isIdle(waiter.retraining));
    if (ready.length === 0) return;
    waiters = waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  async function withRetries(what: string, details: object, work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        if (attempt >= maxAttempts) {
          lastError = { message: `${what}: ${message}`, at: now().toISOString() };
          logger.error({ ...details, err: cause, attempts: attempt }, `learning: ${what} failed; giving up`);
          return;
        }
        logger.warn({ ...details, err: cause, attempt }, `learning: ${what} failed; retrying`);
        await sleep(retryDelayMs * attempt);
      }
    }
  }

  function enqueue(what: string, details: object, work: () => Promise<void>): void {
    pendingTasks += 1;
    chain = chain
      .then(() => withRetries(what, details, work))
      .finally(() => {
        pendingTasks -= 1;
        settle();
      });
  }

  function setExamples(defectId: string, examples: TrainingExample[]): boolean {
    const before = learned.get(defectId);
    if (examples.length === 0 && !before) return false;
    if (before && JSON.stringify(before) === JSON.stringify(examples)) return false;
    if (examples.length === 0) learned.delete(defectId);
    else learned.set(defectId, examples);
    examplesVersion += 1;
    return true;
  }

  function learnedExamples(): TrainingExample[] {
    return [...learned.keys()].sort().flatMap((defectId) => learned.get(defectId) ?? []);
  }

  async function retrainNow(): Promise<void> {
    const version = examplesVersion;
    const extra = learnedExamples();
    if (extra.length === 0) {
      classifier.replace({ model: baseModel });
      trainedVersion = version;
      lastTrainedAt = null;
      logger.info({ learnedExamples: 0 }, 'learning: nothing learned; the committed classifier is back');
      return;
    }
    const examples = [...baseExamples, ...extra];
    retrainer ??= createWorkerRetrainer();
    const startedAt = performance.now();
    const model = await retrainer.retrain({
      examples,
      digest: trainingDigest(examples),
      calibrations: calibrationsOf(baseModel),
    });
    classifier.replace({ model });
    trainedVersion = version;
    lastTrainedAt = now().toISOString();
    logger.info(
      {
        examples: examples.length,
        learnedExamples: extra.length,
        durationMs: Math.round(performance.now() - startedAt),
      },
      'learning: classifier retrained',
    );
  }

  function scheduleRetrain(delayMs = retrainDelayMs): void {
    if (retrainTimer) clearTimeout(retrainTimer);
    retrainTimer = setTimeout(() => {
      retrainTimer = null;
      if (retraining) return; // the running one reschedules itself when it ends
      retraining = withRetries('retraining', { learnedExamples: learned.size }, retrainNow).finally(() => {
        retraining = null;
        if (trainedVersion !== examplesVersion && !retrainTimer) scheduleRetrain();
        settle();
      });
    }, delayMs);
  }

  async function writeRecord(analysis: ReviewedAnalysis): Promise<void> {
    const defectId = analysis.defect_id;
    const record = pastDefectRecord({ analysis });
    if (!index) return;
    if (record.kind === 'none') {
      if (indexed.has(defectId)) {
        await index.removeDocuments({ sourceIds: [defectId] });
        await index.flush();
        indexed.delete(defectId);
      }
      logger.info({ defectId, reason: record.reason }, 'learning: no past-defect record');
      return;
    }
    const document = parseDocument({ file: `learned/${defectId}.md`, source: record.markdown });
    await indexDocuments({ documents: [document], knowledgeBase: index, embedder });
    await index.flush();
    indexed.add(defectId);
  }

  async function removeRecord(defectId: string): Promise<void> {
    if (!index) return;
    await index.removeDocuments({ sourceIds: [defectId] });
    await index.flush();
    indexed.delete(defectId);
  }

  const loop: LearningLoop = {
    start({ reviewed }) {
      const confirmed = reviewed.filter((analysis) => isConfirmedReviewState(analysis.review.state));
      enqueue('start-up', { analyses: confirmed.length }, async () => {
        const documents: KnowledgeDocument[] = [];
        for (const analysis of confirmed) {
          const record = pastDefectRecord({ analysis });
          if (record.kind === 'record')
            documents.push(
              parseDocument({ file: `learned/${analysis.defect_id}.md`, source: record.markdown }),
            );
          setExamples(analysis.defect_id, reviewedTrainingExamples({ analysis }));
        }
        if (index && documents.length > 0) {
          for (let start = 0; start < documents.length; start += 64) {
            await indexDocuments({
              documents: documents.slice(start, start + 64),
              knowledgeBase: index,
              embedder,
            });
          }
          await index.flush();
          for (const document of documents) indexed.add(document.metadata.id);
        }
        logger.info(
          {
            analyses: confirmed.length,
            records: documents.length,
            learnedExamples: learnedExamples().length,
          },
          'learning: rebuilt from the confirmed analyses',
        );
        if (learned.size > 0) scheduleRetrain(0);
      });
    },

    learn({ analysis }) {
      const defectId = analysis.defect_id;
      if (!isConfirmedReviewState(analysis.review.state)) {
        loop.forget({ defectId });
        return;
      }
      enqueue('learning an analysis', { defectId }, async () => {
        await writeRecord(analysis);
        if (setExamples(defectId, reviewedTrainingExamples({ analysis }))) scheduleRetrain();
      });
    },

    forget({ defectId }) {
      enqueue('forgetting an analysis', { defectId }, async () => {
        await removeRecord(defectId);
        if (setExamples(defectId, [])) scheduleRetrain();
      });
    },

    idle({ retraining = true } = {}) {
      return new Promise<void>((resolve) => {
        waiters.push({ retraining, resolve });
        // A change queued after this call still holds it back, since `settle` checks at resolution.
        queueMicrotask(settle);
      });
    },

    status() {
      const extra = learnedExamples().length;
      return {
        queued: pendingTasks + (retrainTimer || retraining ? 1 : 0),
        indexedRecords: indexed.size,
        trainingExamples: baseExamples.length + extra,
        learnedExamples: extra,
        lastTrainedAt,
        lastError,
      };
    },

    async close() {
      await loop.idle();
      await retrainer?.close();
    },
  };
  return loop;
}
