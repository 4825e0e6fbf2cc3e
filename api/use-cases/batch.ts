import { createHash, randomUUID } from 'node:crypto';
import { pendingAnalysis } from '../../agents/orchestrator/orchestrator.ts';
import {
  formatDefectId,
  NotFoundError,
  ServiceUnavailableError,
  type InspectionReport,
} from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { BatchJob } from '../persistence/analysis-store.ts';
import type { WorkQueue } from '../work-queue/work-queue.ts';
import { replayedJob } from '../persistence/records.ts';
import { scopeReport } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** The hash that tells a retried batch from another one under the same idempotency key. */
function batchHash(reports: readonly InspectionReport[], principal: Principal): string {
  return createHash('sha256')
    .update(JSON.stringify({ reports, apiKeyId: principal.keyId }))
    .digest('hex');
}

/** Most reports one batch may hold. */
export const MAX_BATCH_SIZE = 50;

/**
 * Batch jobs: a batch is stored with its pending analyses in one transaction and announced to the
 * WorkQueue; the workers of every process claim its items, each once. A job's items and status are
 * read from its analyses.
 */
export interface JobRunner {
  /**
   * Stores every report as a pending analysis and the job as queued, in one transaction, then
   * announces the work. With an idempotency key already used by the same API key it returns the
   * stored job (`created: false`) when the reports are the same, and a ConflictError when they are
   * not.
   */
  submit(params: {
    reports: readonly InspectionReport[];
    principal: Principal;
    idempotencyKey?: string;
  }): Promise<{ job: BatchJob; created: boolean }>;
  /** The job with the status of each item's analysis; the job is complete once none is pending. */
  get(params: { id: string; principal: Principal }): Promise<BatchJob>;
  /** Resolves when the work this process can claim is done (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * A job with its items' status taken from their analyses: complete once none is pending, its
 * update time the last completion.
 */
async function withItemStatus(dependencies: ServiceDependencies, job: BatchJob): Promise<BatchJob> {
  let updatedAt = job.updatedAt;
  const items = await Promise.all(
    job.items.map(async (item) => {
      const analysis = await dependencies.store.getAnalysis({ defectId: item.defectId });
      if (!analysis)
        return { ...item, status: 'failed' as const, error: `analysis ${item.defectId} is missing` };
      if (analysis.completed_at !== null && Date.parse(analysis.completed_at) > Date.parse(updatedAt)) {
        updatedAt = analysis.completed_at;
      }
      return {
        ...item,
        status: analysis.status,
        error: analysis.failure ? `${analysis.failure.step}: ${analysis.failure.message}` : null,
      };
    }),
  );
  const pending = items.filter((item) => item.status === 'pending').length;
  const status: BatchJob['status'] =
    job.status === 'failed'
      ? 'failed'
      : pending === 0
        ? 'complete'
        : pending === items.length
          ? 'queued'
          : 'running';
  return { ...job, status, updatedAt, items };
}

/**
 * Creates the job runner. At most `queueLimit` batch reports wait for a worker (pending analyses
 * free to claim, counted in the store, so across processes); a batch that would go over is
 * refused with a 503 before anything is stored.
 */
export function createJobRunner(
  dependencies: ServiceDependencies & { queue: WorkQueue },
  { queueLimit = 1_000 }: { queueLimit?: number },
): JobRunner {
  /** Items of batches being stored in this process, counted from the moment they are admitted. */
  let admitting = 0;
  /** The last submission of each idempotency key in this process. */
  const submissionsByKey = new Map<string, Promise<void>>();

  /** Stores the reports as pending analyses with their job in one transaction, then announces them. */
  async function storeAndAnnounce({
    reports,
    principal,
    idempotencyKey,
    requestHash,
  }: {
    reports: readonly InspectionReport[];
    principal: Principal;
    idempotencyKey?: string;
    requestHash?: string;
  }): Promise<{ job: BatchJob; created: boolean }> {
    const now = dependencies.now();
    const analyses = reports.map((report) =>
      pendingAnalysis({
        defectId: formatDefectId({ date: now, randomBytes: dependencies.randomBytes(4) }),
        report: scopeReport(report, principal),
        createdAt: now,
      }),
    );
    const job: BatchJob = {
      id: randomUUID(),
      status: 'queued',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      apiKeyId: principal.keyId,
      total: reports.length,
      items: analyses.map((analysis, index) => ({
        index,
        defectId: analysis.defect_id,
        status: 'pending',
        error: null,
      })),
    };
    const stored = await dependencies.store.createBatch({
      job,
      analyses,
      evaluationRun: principal.evaluationRun ?? null,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(requestHash === undefined ? {} : { requestHash }),
    });
    if (!stored.created) return stored;
    await dependencies.store.appendAudit({
      entry: {
        at: now.toISOString(),
        actor: principal.name,
        action: 'batch.submitted',
        target: job.id,
        details: { total: job.total },
      },
    });
    await dependencies.queue.announce({ defectIds: job.items.map((item) => item.defectId) });
    await dependencies.worker.wake();
    return stored;
  }

  /** Admits a batch against the queue limit, then stores and announces it. */
  async function admitAndStore(
    params: Parameters<typeof storeAndAnnounce>[0],
  ): Promise<{ job: BatchJob; created: boolean }> {
    const { reports } = params;
    const reserved = admitting;
    admitting += reports.length;
    try {
      const waiting = reserved + (await dependencies.store.countClaimable({ now: dependencies.now() }));
      if (waiting + reports.length > queueLimit) {
        throw new ServiceUnavailableError(
          `the batch queue is full (${waiting} reports waiting, at most ${queueLimit}); retry shortly`,
          { details: { waiting, limit: queueLimit } },
        );
      }
      return await storeAndAnnounce(params);
    } finally {
      admitting -= reports.length;
    }
  }

  return {
    async submit({ reports, principal, idempotencyKey }) {
      if (idempotencyKey === undefined) return admitAndStore({ reports, principal });
      const requestHash = batchHash(reports, principal);
      const key = `${principal.keyId ?? ''}:${idempotencyKey}`;
      // Submissions with one key run one after the other in this process, so that the second finds
      // the first's job instead of storing its reports again.
      const previous = submissionsByKey.get(key) ?? Promise.resolve();
      const current = previous.then(async () => {
        const stored = await dependencies.store.findJobByIdempotencyKey({
          apiKeyId: principal.keyId,
          idempotencyKey,
        });
        if (stored) return replayedJob(stored, requestHash);
        return admitAndStore({ reports, principal, idempotencyKey, requestHash });
      });
      const settled = current.then(
        () => undefined,
        () => undefined,
      );
      submissionsByKey.set(key, settled);
      void settled.then(() => {
        if (submissionsByKey.get(key) === settled) submissionsByKey.delete(key);
      });
      return current;
    },

    async get({ id, principal }) {
      const job = await dependencies.store.getJob({ id });
      if (!job || (principal.keyId !== null && job.apiKeyId !== principal.keyId))
        throw new NotFoundError(`no job ${id}`);
      return withItemStatus(dependencies, job);
    },

    idle: () => dependencies.worker.drain(),
  };
}
