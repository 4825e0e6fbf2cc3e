import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { AnalysisEvent } from '../../agents/orchestrator/orchestrator.ts';
import {
  AnalysisStatus,
  DefectId,
  InspectionReport,
  UnsupportedMediaTypeError,
  ValidationError,
  type ConsolidatedAnalysis,
} from '../../domain/index.ts';
import { principalOf } from '../auth/middleware.ts';
import { detectImageType } from '../images/image-store.ts';
import { REPORT_EXTENSIONS, REPORT_HTML_CSP, ReportFormat, renderReport } from '../reports/index.ts';
import { getAnalysisImage, getReportInputs } from '../use-cases/reports.ts';
import { submitAnalysis, type UploadedImage } from '../use-cases/analyses.ts';
import { entityTag, getReviewedAnalysis } from '../use-cases/review.ts';
import { sendReviewed } from './review.ts';
import type { ServiceDependencies } from '../use-cases/dependencies.ts';

/** Largest accepted photo. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

/** The `Idempotency-Key` header of a submission. */
export const IdempotencyKey = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must have 8 to 128 characters')
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII');
const ReportQuery = z.object({ format: ReportFormat.default('json') }).strict();
const DefectIdParam = z.object({ id: DefectId });

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024 },
});

/** Reads a multipart report: either a `report` JSON field or the report's fields one by one, plus `image`. */
function multipartReport(request: Request): { report: unknown; image?: UploadedImage } {
  const body = (request.body ?? {}) as Record<string, string>;
  let report: Record<string, unknown>;
  try {
    if (body.report !== undefined) {
      report = JSON.parse(body.report) as Record<string, unknown>;
    } else {
      report = { ...body };
      for (const field of ['measurements', 'production_data']) {
        if (typeof report[field] === 'string') report[field] = JSON.parse(report[field] as string);
      }
    }
  } catch (cause) {
    throw new ValidationError(
      'a multipart JSON field (report, measurements or production_data) is not valid JSON',
      { cause },
    );
  }
  const file = request.file;
  if (!file) return { report };
  if (file.fieldname !== 'image') throw new ValidationError('the file field must be named "image"');
  return { report, image: { bytes: file.buffer, mediaType: detectImageType(file.buffer) } };
}

function wantsEventStream(request: Request): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

function sendEvent(response: Response, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The data of the `accepted` event of a streamed analysis, sent once the analysis is stored. */
export const AnalysisAcceptedEvent = z.object({
  defect_id: DefectId,
  status: AnalysisStatus,
  created_at: z.iso.datetime({ offset: true }),
});
export type AnalysisAcceptedEvent = z.infer<typeof AnalysisAcceptedEvent>;

const STAGE_EVENTS: Record<string, string> = {
  classifier: 'classification',
  root_cause: 'root_cause',
  corrective_action: 'actions',
};

/** `POST /analyze`, `GET /analyses/:id` and `GET /analyses/:id/report`. */
export function analysisRoutes(dependencies: ServiceDependencies): Router {
  const router = Router();

  router.post('/analyze', async (request, response, next) => {
    const type = request.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      upload.single('image')(request, response, (error: unknown) => (error ? next(error) : next()));
      return;
    }
    if (!type.startsWith('application/json')) {
      next(
        new UnsupportedMediaTypeError(
          'send the report as application/json, or as multipart/form-data with an image',
        ),
      );
      return;
    }
    next();
  });

  router.post('/analyze', async (request, response) => {
    const multipart = (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const { report: raw, image } = multipart
      ? multipartReport(request)
      : { report: request.body as unknown, image: undefined };
    const report = InspectionReport.parse(
      image
        ? {
            ...(raw as Record<string, unknown>),
            image: { media_type: image.mediaType, uri: 'upload://pending' },
          }
        : raw,
    );
    if (image) delete report.image;
    const header = request.headers['idempotency-key'];
    const idempotencyKey =
      header === undefined ? undefined : IdempotencyKey.parse(Array.isArray(header) ? header[0] : header);
    const principal = principalOf(request);

    if (!wantsEventStream(request)) {
      const { analysis, created } = await submitAnalysis(dependencies, {
        report,
        principal,
        idempotencyKey,
        image,
      });
      response
        .status(created ? 201 : analysis.status === 'pending' ? 202 : 200)
        .location(`/api/v1/analyses/${analysis.defect_id}`)
        .setHeader('Idempotent-Replayed', String(!created))
        .json(analysis);
      return;
    }

    let streaming = false;
    const onAccepted = (analysis: ConsolidatedAnalysis): void => {
      response.status(200).setHeader('Content-Type', 'text/event-stream');
      response.setHeader('Cache-Control', 'no-cache');
      response.setHeader('Connection', 'keep-alive');
      response.setHeader('X-Accel-Buffering', 'no');
      response.flushHeaders();
      streaming = true;
      sendEvent(response, 'accepted', {
        defect_id: analysis.defect_id,
        status: analysis.status,
        created_at: analysis.created_at,
      } satisfies AnalysisAcceptedEvent);
    };
    const onEvent = (event: AnalysisEvent): void => {
      if (event.type !== 'stage_completed' || !streaming) return;
      const name = STAGE_EVENTS[event.step] ?? event.step;
      sendEvent(response, event.status === 'complete' ? name : `${name}_failed`, event.output);
    };
    const { analysis } = await submitAnalysis(dependencies, {
      report,
      principal,
      idempotencyKey,
      image,
      onAccepted,
      onEvent,
    });
    sendEvent(response, analysis.status === 'failed' ? 'failed' : 'done', analysis);
    response.end();
  });

  router.get('/analyses/:id', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const analysis = await getReviewedAnalysis(dependencies, {
      defectId: id,
      principal: principalOf(request),
    });
    const tag = entityTag(analysis);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((candidate) => candidate.trim() === tag)) {
      response.setHeader('ETag', tag).status(304).end();
      return;
    }
    sendReviewed(response, analysis);
  });

  router.get('/analyses/:id/report', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const { format } = ReportQuery.parse(request.query);
    const { analysis, review, events, image } = await getReportInputs(dependencies, {
      defectId: id,
      principal: principalOf(request),
      withImage: format === 'html' || format === 'pdf',
    });
    const rendered = renderReport({
      analysis,
      review,
      events,
      image,
      format,
      generatedAt: dependencies.now(),
    });
    if (format !== 'json') {
      response.setHeader(
        'Content-Disposition',
        `inline; filename="${analysis.defect_id}-rca.${REPORT_EXTENSIONS[format]}"`,
      );
    }
    if (format === 'html') response.setHeader('Content-Security-Policy', REPORT_HTML_CSP);
    response.type(rendered.contentType).send(rendered.body);
  });

  router.get('/analyses/:id/image', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const image = await getAnalysisImage(dependencies, { defectId: id, principal: principalOf(request) });
    const extension = image.mediaType.slice('image/'.length).replace('jpeg', 'jpg');
    response
      .setHeader('Content-Disposition', `inline; filename="${id}.${extension}"`)
      .setHeader('Cache-Control', 'private, max-age=3600')
      .type(image.mediaType)
      .send(Buffer.from(image.bytes));
  });

  return router;
}
