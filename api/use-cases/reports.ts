import {
  NotFoundError,
  UnsupportedMediaTypeError,
  type ConsolidatedAnalysis,
  type Review,
  type ReviewEvent,
} from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import { detectImageType, type ImageMediaType } from '../images/image-store.ts';
import { getAnalysis } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';
import { getReviewedAnalysis } from './review.ts';

/** A stored photo with its media type, detected from its bytes. */
export interface AnalysisImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
}

/** Reads the photo a report references: from the image store, or inline in the report. */
async function readImage(
  dependencies: Pick<ServiceDependencies, 'imageStore'>,
  analysis: ConsolidatedAnalysis,
): Promise<AnalysisImage | null> {
  const reference = analysis.report.image;
  if (!reference) return null;
  if (reference.uri !== undefined) return dependencies.imageStore.get({ uri: reference.uri });
  if (reference.data_base64 !== undefined) {
    const bytes = Buffer.from(reference.data_base64, 'base64');
    return { bytes, mediaType: detectImageType(bytes) };
  }
  return null;
}

/**
 * The photo of an analysis, through the principal's facility scope like the analysis itself:
 * another facility's analysis, an analysis without a photo, a photo the store no longer has and
 * stored content that is not an image are all a NotFoundError.
 */
export async function getAnalysisImage(
  dependencies: ServiceDependencies,
  { defectId, principal }: { defectId: string; principal: Principal },
): Promise<AnalysisImage> {
  const analysis = await getAnalysis(dependencies, { defectId, principal });
  let image: AnalysisImage | null;
  try {
    image = await readImage(dependencies, analysis);
  } catch (cause) {
    if (cause instanceof NotFoundError) {
      throw new NotFoundError(`the photo of analysis ${defectId} is no longer stored`, { cause });
    }
    if (cause instanceof UnsupportedMediaTypeError) {
      throw new NotFoundError(`the photo of analysis ${defectId} is not a JPEG, PNG or WebP image`, {
        cause,
      });
    }
    throw cause;
  }
  if (!image) throw new NotFoundError(`analysis ${defectId} has no photo`);
  return image;
}

/** What the RCA report of an analysis is built from. */
export interface ReportInputs {
  analysis: ConsolidatedAnalysis;
  review: Review;
  events: ReviewEvent[];
  image: AnalysisImage | null;
}

/**
 * Reads what the RCA report of an analysis needs, through the principal's facility scope: the
 * analysis, its review and audit trail, and (with `withImage`) its photo. A photo that cannot be
 * read is left out and logged: the report is still worth having without it.
 */
export async function getReportInputs(
  dependencies: ServiceDependencies,
  { defectId, principal, withImage }: { defectId: string; principal: Principal; withImage: boolean },
): Promise<ReportInputs> {
  const { review, ...analysis } = await getReviewedAnalysis(dependencies, { defectId, principal });
  const events = await dependencies.store.listReviewEvents({ defectId });
  let image: AnalysisImage | null = null;
  if (withImage) {
    try {
      image = await readImage(dependencies, analysis);
    } catch (error) {
      dependencies.logger.warn(
        { err: error, defectId },
        'the photo of the analysis is left out of its report',
      );
    }
  }
  return { analysis, review, events, image };
}
