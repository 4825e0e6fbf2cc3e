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
 * Runs the agents on a stored pending analysis and stores the result, fenced by `leaseOwner` when
 * given. The agents' tools read within `scope` ({@link storedAnalysisScope} when not given). Never
 * throws for an agent failure: the analysis is saved as partial or failed with the reason.
 */
export async function runStoredAnalysis(
  dependencies: ServiceDependencies,
  {
    analysis,
    image,
    scope = storedAnalysisScope(analysis),
    onEvent,
    signal,
    leaseOwner,
  }: {
    analysis: ConsolidatedAnalysis;
    image?: UploadedImage;
    scope?: AccessScope;
    onEvent?: (event: AnalysisEvent) => void;
    signal?: AbortSignal;
    /** The lease the result is written under (ConflictError when it was lost); none for an unleased write. */
    leaseOwner?: string;
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
  await dependencies.store.saveAnalysis({ analysis: result, ...(leaseOwner ? { leaseOwner } : {}) });
  dependencies.logger.debug(
    { defectId: result.defect_id, status: result.status, leaseOwner: leaseOwner ?? null },
    'analysis result stored',
  );
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
  // Stored leased to this process, which runs it at once and renews the lease meanwhile: no other
  // process claims it unless this one dies and the lease lapses.
  const { worker } = dependencies;
  const release = worker.hold(pending.defect_id);
  try {
    const { analysis, created } = await dependencies.store.createAnalysis({
      analysis: pending,
      apiKeyId: principal.keyId,
      idempotencyKey,
      requestHash: hash,
      evaluationRun: principal.evaluationRun ?? null,
      lease: {
        owner: worker.owner,
        expiresAt: new Date(now.getTime() + worker.leaseMs).toISOString(),
      },
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
      runStoredAnalysis(dependencies, {
        analysis,
        image,
        scope: principalScope(principal),
        onEvent,
        leaseOwner: worker.owner,
      }),
    );
    return { analysis: result, created: true };
  } finally {
    release();
  }
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

/** Throws unless an analysis is finished enough to discuss. */
export function assertDiscussable(analysis: ConsolidatedAnalysis): void {
  if (analysis.status === 'pending')
    throw new ConflictError(`analysis ${analysis.defect_id} is still running`);
  if (!analysis.classification)
    throw new ConflictError(`analysis ${analysis.defect_id} failed before classification`);
}
