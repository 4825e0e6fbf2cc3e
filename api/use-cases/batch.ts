import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { pendingAnalysis } from '../../agents/orchestrator/orchestrator.ts';
import {
  formatDefectId,
  NotFoundError,
  ServiceUnavailableError,
  type InspectionReport,
} from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { BatchJob } from '../persistence/analysis-store.ts';
import { replayedJob } from '../persistence/records.ts';
import { runStoredAnalysis, scopeReport } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** The hash that tells a retried batch from another one under the same idempotency key. */
function batchHash(reports: readonly InspectionReport[], principal: Principal): string {
  return createHash('sha256')
    .update(JSON.stringify({ reports, apiKeyId: principal.keyId }))
    .digest('hex');
}

/** Most reports one batch may hold. */
export const MAX_BATCH_SIZE = 50;

/** Runs batch jobs in the background with bounded concurrency across all jobs. */
export interface JobRunner {
  /**
   * Stores every report as a pending analysis and the job as queued, then schedules the work. With
   * an idempotency key already used by the same API key it returns the stored job (`created:
   * false`) when the reports are the same, and a ConflictError when they are not.
   */
  submit(params: {
    reports: readonly InspectionReport[];
    principal: Principal;
    idempotencyKey?: string;
  }): Promise<{ job: BatchJob; created: boolean }>;
  get(params: { id: string; principal: Principal }): Promise<BatchJob>;
  /** Re-schedules jobs a restart interrupted. */
  resumeUnfinished(): Promise<number>;
  /** Resolves when everything scheduled so far has finished. */
  idle(): Promise<void>;
}

/**
 * Creates the job runner: `concurrency` analyses run at once, and at most `queueLimit` batch items
 * wait in this process; a batch that would go over is refused with a 503 before anything is stored.
 */
export function createJobRunner(
  dependencies: ServiceDependencies,
  { concurrency, queueLimit = 1_000 }: { concurrency: number; queueLimit?: number },
): JobRunner {
  const limit = pLimit(concurrency);
  const running = new Set<Promise<void>>();
  /** Items of each scheduled job that have not started yet. */
  const waitingByJob = new Map<string, number>();
  /** Items of batches being stored, counted from the moment they are admitted. */
  let admitting = 0;
  /** The last submission of each idempotency key in this process. */
  const submissionsByKey = new Map<string, Promise<void>>();
  const backlog = (): number =>
    admitting + [...waitingByJob.values()].reduce((total, count) => total + count, 0);

  async function runJob(job: BatchJob): Promise<void> {
    job.status = 'running';
    job.updatedAt = dependencies.now().toISOString();
    await dependencies.store.saveJob({ job });
    let chain = Promise.resolve();
    const update = (): Promise<void> => {
      chain = chain.then(async () => {
        job.updatedAt = dependencies.now().toISOString();
        await dependencies.store.saveJob({ job });
      });
      return chain;
    };
    await Promise.all(
      job.items.map((item) =>
        limit(async () => {
          if (item.status !== 'pending') return;
          waitingByJob.set(job.id, Math.max(0, (waitingByJob.get(job.id) ?? 1) - 1));
          try {
            const stored = await dependencies.store.getAnalysis({ defectId: item.defectId });
            if (!stored) throw new NotFoundError(`analysis ${item.defectId} is missing`);
            const result =
              stored.status === 'pending'
                ? await runStoredAnalysis(dependencies, { analysis: stored })
                : stored;
            item.status = result.status;
            item.error = result.failure ? `${result.failure.step}: ${result.failure.message}` : null;
          } catch (error) {
            item.status = 'failed';
            item.error = error instanceof Error ? error.message : String(error);
          }
          await update();
        }),
      ),
    );
    await chain;
    job.status = 'complete';
    job.updatedAt = dependencies.now().toISOString();
    await dependencies.store.saveJob({ job });
  }

  function schedule(job: BatchJob): void {
    waitingByJob.set(job.id, job.items.filter((item) => item.status === 'pending').length);
    const promise = runJob(job)
      .catch(async (error: unknown) => {
        dependencies.logger.error({ err: error, jobId: job.id }, 'batch job failed');
        job.status = 'failed';
        job.updatedAt = dependencies.now().toISOString();
        await dependencies.store.saveJob({ job }).catch(() => undefined);
      })
      .finally(() => {
        running.delete(promise);
        waitingByJob.delete(job.id);
      });
    running.add(promise);
  }

  /** Stores every report as a pending analysis and the job as queued, then schedules it. */
  async function storeAndSchedule({
    reports,
    principal,
    idempotencyKey,
    requestHash,
  }: {
    reports: readonly InspectionReport[];
    principal: Principal;
    idempotencyKey?: string;
    requestHash?: string;
  }): Promise<BatchJob> {
    const now = dependencies.now();
    const job: BatchJob = {
      id: randomUUID(),
      status: 'queued',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      apiKeyId: principal.keyId,
      total: reports.length,
      items: [],
    };
    const scoped = reports.map((report) => scopeReport(report, principal));
    for (const [index, report] of scoped.entries()) {
      const analysis = pendingAnalysis({
        defectId: formatDefectId({ date: now, randomBytes: dependencies.randomBytes(4) }),
        report,
        createdAt: now,
      });
      await dependencies.store.createAnalysis({
        analysis,
        apiKeyId: principal.keyId,
        evaluationRun: principal.evaluationRun ?? null,
      });
      job.items.push({ index, defectId: analysis.defect_id, status: 'pending', error: null });
    }
    await dependencies.store.createJob({ job, idempotencyKey, requestHash });
    await dependencies.store.appendAudit({
      entry: {
        at: now.toISOString(),
        actor: principal.name,
        action: 'batch.submitted',
        target: job.id,
        details: { total: job.total },
      },
    });
    schedule(structuredClone(job));
    return job;
  }

  /** Admits a batch against the queue limit, then stores and schedules it. */
  async function admitAndStore(params: Parameters<typeof storeAndSchedule>[0]): Promise<BatchJob> {
    const { reports } = params;
    const waiting = backlog();
    if (waiting + reports.length > queueLimit) {
      throw new ServiceUnavailableError(
        `the batch queue is full (${waiting} reports waiting, at most ${queueLimit}); retry shortly`,
        { details: { waiting, limit: queueLimit } },
      );
    }
    admitting += reports.length;
    try {
      return await storeAndSchedule(params);
    } finally {
      admitting -= reports.length;
    }
  }

  return {
    async submit({ reports, principal, idempotencyKey }) {
      if (idempotencyKey === undefined)
        return { job: await admitAndStore({ reports, principal }), created: true };
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
        return {
          job: await admitAndStore({ reports, principal, idempotencyKey, requestHash }),
          created: true,
        };
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
      return job;
    },

    async resumeUnfinished() {
      const jobs = await dependencies.store.listUnfinishedJobs();
      for (const job of jobs) schedule(job);
      return jobs.length;
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
