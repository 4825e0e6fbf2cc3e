import { createHash } from 'node:crypto';
import type { AccessScope } from '../../action-groups/scope.ts';
import { pendingAnalysis, type AnalysisEvent } from '../../agents/orchestrator/orchestrator.ts';
import { errorInfo } from '../../agents/orchestrator/assembly.ts';
import {
  ConflictError,
  ForbiddenError,
  formatDefectId,
  NotFoundError,
  UnprocessableError,
  type ConsolidatedAnalysis,
  type InspectionReport,
} from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { ImageMediaType } from '../images/image-store.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** An uploaded photo, already checked by its magic bytes. */
export interface UploadedImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
}

const IMAGE_FORMATS: Record<ImageMediaType, 'jpeg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Applies a facility-scoped key to a report: its facility is filled in, or must match. */
export function scopeReport(report: InspectionReport, principal: Principal): InspectionReport {
  if (!principal.facility) return report;
  if (report.facility && report.facility !== principal.facility) {
    throw new ForbiddenError(
      `this API key is scoped to ${principal.facility} and cannot submit ${report.facility} reports`,
    );
  }
  return { ...report, facility: principal.facility };
}

/** What a principal may read of history and the knowledge base: its key's facility, or every one. */
export function principalScope(principal: Principal): AccessScope {
  return { facility: principal.facility };
}

/**
 * The scope of a stored analysis run without its caller (a batch item, a resumed analysis): the
 * report's facility, which a scoped key always sets to its own, so it is never wider than the
 * caller's scope.
 */
export function storedAnalysisScope(analysis: ConsolidatedAnalysis): AccessScope {
  return { facility: analysis.report.facility ?? null };
}

/** Whether the principal may see an analysis (a scoped key sees only its facility). */
export function canSee(principal: Principal, analysis: ConsolidatedAnalysis): boolean {
  return principal.facility === null || analysis.report.facility === principal.facility;
}

function requestHash(report: InspectionReport, principal: Principal, image?: UploadedImage): string {
  const hash = createHash('sha256').update(JSON.stringify({ report, apiKeyId: principal.keyId }));
  if (image) hash.update(image.bytes);
  return hash.digest('hex');
}

/** The failure of an analysis the orchestrator threw out of: a stable code and a plain message. */
function errorInfoOf(error: unknown): NonNullable<ConsolidatedAnalysis['failure']> {
  return { step: 'classifier', ...errorInfo(error, 'classifier') };
}

/**
 * Runs the agents on a stored pending analysis and stores the result. The agents' tools read
 * within `scope` ({@link storedAnalysisScope} when not given). Never throws for an agent failure:
 * the analysis is saved as partial or failed with the reason.
 */
export async function runStoredAnalysis(
  dependencies: ServiceDependencies,
  {
    analysis,
    image,
    scope = storedAnalysisScope(analysis),
    onEvent,
    signal,
  }: {
    analysis: ConsolidatedAnalysis;
    image?: UploadedImage;
    scope?: AccessScope;
    onEvent?: (event: AnalysisEvent) => void;
    signal?: AbortSignal;
  },
): Promise<ConsolidatedAnalysis> {
  let bytes = image;
  if (!bytes && analysis.report.image?.uri && dependencies.visionAvailable) {
    const stored = await dependencies.imageStore.get({ uri: analysis.report.image.uri });
    bytes = stored;
  }
  let result: ConsolidatedAnalysis;
  try {
    result = await dependencies.orchestrator.analyze({
      defectId: analysis.defect_id,
      report: analysis.report,
      createdAt: new Date(analysis.created_at),
      image:
        bytes && dependencies.visionAvailable
          ? { format: IMAGE_FORMATS[bytes.mediaType], bytes: bytes.bytes }
          : undefined,
      scope,
      onEvent,
      signal,
    });
  } catch (error) {
    dependencies.logger.error({ err: error, defectId: analysis.defect_id }, 'analysis crashed');
    result = {
      ...analysis,
      status: 'failed',
      completed_at: dependencies.now().toISOString(),
      failure: errorInfoOf(error),
    };
  }
  await dependencies.store.saveAnalysis({ analysis: result });
  return result;
}

/**
 * Accepts a report: scopes it, refuses it with a 503 when the analysis queue is full, keeps the
 * photo, stores the analysis as pending (idempotently), then runs the agents when a slot is free
 * and stores the outcome. A replayed idempotency key returns the stored
 * analysis without running anything.
 */
export async function submitAnalysis(
  dependencies: ServiceDependencies,
  {
    report: submitted,
    principal,
    idempotencyKey,
    image,
    onAccepted,
    onEvent,
  }: {
    report: InspectionReport;
    principal: Principal;
    idempotencyKey?: string;
    image?: UploadedImage;
    onAccepted?: (analysis: ConsolidatedAnalysis) => void;
    onEvent?: (event: AnalysisEvent) => void;
  },
): Promise<{ analysis: ConsolidatedAnalysis; created: boolean }> {
  let report = scopeReport(submitted, principal);
  if (image && !report.description && !dependencies.visionAvailable) {
    throw new UnprocessableError(
      'the report has an image but no description, and the configured model cannot read images: add a description, or configure a vision-capable model',
    );
  }
  dependencies.analysisSlots.admit();
  const hash = requestHash(report, principal, image);
  if (image) {
    const { uri } = await dependencies.imageStore.put({ bytes: image.bytes, mediaType: image.mediaType });
    report = { ...report, image: { media_type: image.mediaType, uri } };
  }
  const now = dependencies.now();
  const pending = pendingAnalysis({
    defectId: formatDefectId({ date: now, randomBytes: dependencies.randomBytes(4) }),
    report,
    createdAt: now,
  });
  const { analysis, created } = await dependencies.store.createAnalysis({
    analysis: pending,
    apiKeyId: principal.keyId,
    idempotencyKey,
    requestHash: hash,
    evaluationRun: principal.evaluationRun ?? null,
  });
  onAccepted?.(analysis);
  if (!created) return { analysis, created };
  await dependencies.store.appendAudit({
    entry: {
      at: now.toISOString(),
      actor: principal.name,
      action: 'analysis.submitted',
      target: analysis.defect_id,
      details: {},
    },
  });
  const result = await dependencies.analysisSlots.run(() =>
    runStoredAnalysis(dependencies, { analysis, image, scope: principalScope(principal), onEvent }),
  );
  return { analysis: result, created: true };
}

/** Reads an analysis the principal may see; another facility's analysis is reported as missing. */
export async function getAnalysis(
  dependencies: ServiceDependencies,
  { defectId, principal }: { defectId: string; principal: Principal },
): Promise<ConsolidatedAnalysis> {
  const analysis = await dependencies.store.getAnalysis({ defectId });
  if (!analysis || !canSee(principal, analysis)) throw new NotFoundError(`no analysis ${defectId}`);
  return analysis;
}

/**
 * Resumes work a crash left pending: each pending analysis that no unfinished batch job owns is
 * run again; one that cannot be run is marked failed with the reason. Returns how many were
 * resumed and failed, and how many were left to their batch jobs.
 */
export async function resumePendingAnalyses(
  dependencies: ServiceDependencies,
  { concurrency }: { concurrency: number },
): Promise<{ resumed: number; failed: number; leftToBatchJobs: number }> {
  // The items of unfinished batch jobs are resumed by their job (JobRunner.resumeUnfinished):
  // running them here as well would analyse them twice, with two writers racing.
  const jobItems = new Set(
    (await dependencies.store.listUnfinishedJobs()).flatMap((job) =>
      job.items.filter((item) => item.status === 'pending').map((item) => item.defectId),
    ),
  );
  const all = await dependencies.store.listPending();
  const pending = all.filter((analysis) => !jobItems.has(analysis.defect_id));
  let resumed = 0;
  let failed = 0;
  const queue = [...pending];
  const worker = async (): Promise<void> => {
    for (let analysis = queue.shift(); analysis; analysis = queue.shift()) {
      dependencies.logger.info({ defectId: analysis.defect_id }, 'resuming an analysis left pending');
      try {
        const result = await runStoredAnalysis(dependencies, { analysis });
        if (result.status === 'failed') failed += 1;
        else resumed += 1;
      } catch (error) {
        failed += 1;
        dependencies.logger.error(
          { err: error, defectId: analysis.defect_id },
          'could not resume an analysis',
        );
        await dependencies.store
          .saveAnalysis({
            analysis: {
              ...analysis,
              status: 'failed',
              completed_at: dependencies.now().toISOString(),
              failure: {
                step: 'classifier',
                code: 'interrupted',
                message: 'interrupted by a restart and could not be resumed; submit the report again',
              },
            },
          })
          .catch((cause: unknown) =>
            dependencies.logger.error({ err: cause }, 'could not mark an analysis failed'),
          );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { resumed, failed, leftToBatchJobs: all.length - pending.length };
}

/** Throws unless an analysis is finished enough to discuss. */
export function assertDiscussable(analysis: ConsolidatedAnalysis): void {
  if (analysis.status === 'pending')
    throw new ConflictError(`analysis ${analysis.defect_id} is still running`);
  if (!analysis.classification)
    throw new ConflictError(`analysis ${analysis.defect_id} failed before classification`);
}
