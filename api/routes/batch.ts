import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AnalysisStatus, DefectId, InspectionReport } from '../../domain/index.ts';
import { principalOf } from '../auth/middleware.ts';
import type { BatchJob } from '../persistence/analysis-store.ts';
import { MAX_BATCH_SIZE, type JobRunner } from '../use-cases/batch.ts';
import { IdempotencyKey } from './analyses.ts';

const BatchRequest = z
  .object({
    reports: z
      .array(InspectionReport)
      .min(1)
      .max(MAX_BATCH_SIZE, `at most ${MAX_BATCH_SIZE} reports per batch`),
  })
  .strict();
const JobIdParam = z.object({ id: z.uuid('not a job id') });

/** The wire shape of a job: progress and per-item results (the body of `POST /analyze/batch` and `GET /jobs/:id`). */
export const JobBody = z.object({
  job_id: z.uuid(),
  status: z.enum(['queued', 'running', 'complete', 'failed']),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
  total: z.number().int().min(0),
  done: z.number().int().min(0).describe('Items no longer pending'),
  failed: z.number().int().min(0),
  progress: z.number().min(0).max(1).describe('done / total, rounded to 3 decimals'),
  items: z.array(
    z.object({
      index: z.number().int().min(0).describe('Position of the report in the request'),
      defect_id: DefectId,
      status: AnalysisStatus,
      error: z.string().nullable(),
      analysis_url: z.string().describe('Where the analysis of this item is read'),
    }),
  ),
});
export type JobBody = z.infer<typeof JobBody>;

/** The {@link JobBody} of a job. */
export function jobBody(job: BatchJob): JobBody {
  const done = job.items.filter((item) => item.status !== 'pending').length;
  return {
    job_id: job.id,
    status: job.status,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    total: job.total,
    done,
    failed: job.items.filter((item) => item.status === 'failed').length,
    progress: job.total === 0 ? 1 : Math.round((done / job.total) * 1000) / 1000,
    items: job.items.map((item) => ({
      index: item.index,
      defect_id: item.defectId,
      status: item.status,
      error: item.error,
      analysis_url: `/api/v1/analyses/${item.defectId}`,
    })),
  };
}

/** `POST /analyze/batch` and `GET /jobs/:id`. */
export function batchRoutes({
  jobs,
  chargeAnalyses,
}: {
  jobs: JobRunner;
  /** Counts a batch's reports after the first against the analyses rate limit (the first was counted). */
  chargeAnalyses?: (request: Request, response: Response, count: number) => Promise<void>;
}): Router {
  const router = Router();
  router.post('/analyze/batch', async (request, response) => {
    const { reports } = BatchRequest.parse(request.body);
    await chargeAnalyses?.(request, response, reports.length - 1);
    const header = request.headers['idempotency-key'];
    const idempotencyKey =
      header === undefined ? undefined : IdempotencyKey.parse(Array.isArray(header) ? header[0] : header);
    const { job, created } = await jobs.submit({ reports, principal: principalOf(request), idempotencyKey });
    response
      .status(202)
      .location(`/api/v1/jobs/${job.id}`)
      .setHeader('Idempotent-Replayed', String(!created))
      .json(jobBody(job));
  });
  router.get('/jobs/:id', async (request, response) => {
    const { id } = JobIdParam.parse(request.params);
    response.json(jobBody(await jobs.get({ id, principal: principalOf(request) })));
  });
  return router;
}
