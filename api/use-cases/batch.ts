import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { pendingAnalysis } from '../../agents/orchestrator/orchestrator.ts';
import { formatDefectId, NotFoundError, type InspectionReport } from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { BatchJob } from '../persistence/analysis-store.ts';
import { runStoredAnalysis, scopeReport } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** Most reports one batch may hold. */
export const MAX_BATCH_SIZE = 50;

/** Runs batch jobs in the background with bounded concurrency across all jobs. */
export interface JobRunner {
  /** Stores every report as a pending analysis and the job as queued, then schedules the work. */
  submit(params: { reports: readonly InspectionReport[]; principal: Principal }): Promise<BatchJob>;
  get(params: { id: string; principal: Principal }): Promise<BatchJob>;
  /** Re-schedules jobs a restart interrupted. */
  resumeUnfinished(): Promise<number>;
  /** Resolves when everything scheduled so far has finished. */
  idle(): Promise<void>;
}

/** Creates the job runner; `concurrency` analyses run at once. */
export function createJobRunner(
  dependencies: ServiceDependencies,
  { concurrency }: { concurrency: number },
): JobRunner {
  const limit = pLimit(concurrency);
  const running = new Set<Promise<void>>();

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
    const promise = runJob(job)
      .catch(async (error: unknown) => {
        dependencies.logger.error({ err: error, jobId: job.id }, 'batch job failed');
        job.status = 'failed';
        job.updatedAt = dependencies.now().toISOString();
        await dependencies.store.saveJob({ job }).catch(() => undefined);
      })
      .finally(() => running.delete(promise));
    running.add(promise);
  }

  return {
    async submit({ reports, principal }) {
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
      await dependencies.store.createJob({ job });
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
