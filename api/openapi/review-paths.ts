import { z } from 'zod';
import { ReviewedAnalysis, ReviewEvent } from '../../domain/index.ts';
import { ActionChange, ActionDrop, NewAction, ReviewDecision } from '../use-cases/review.ts';

type JsonObject = Record<string, unknown>;

/** The component schemas of the review routes, generated from their zod schemas. */
export function reviewSchemas(schema: (type: z.ZodType, io?: 'input' | 'output') => JsonObject): JsonObject {
  return {
    ReviewedAnalysis: schema(ReviewedAnalysis),
    AnalysisPage: schema(z.object({ items: z.array(ReviewedAnalysis), next_cursor: z.string().nullable() })),
    ReviewDecision: schema(ReviewDecision, 'input'),
    NewAction: schema(NewAction, 'input'),
    ActionChange: schema(ActionChange, 'input'),
    ActionDrop: schema(ActionDrop, 'input'),
    AuditTrail: schema(z.object({ defect_id: z.string(), events: z.array(ReviewEvent) })),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: json('Error') });

const defectId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Defect id, DEF-YYYYMMDD-XXXXXXXX',
  schema: { type: 'string', pattern: '^DEF-\\d{8}-[0-9A-F]{8}$' },
};
const actionId = {
  name: 'actionId',
  in: 'path',
  required: true,
  description: 'Action id, A1, A2, …',
  schema: { type: 'string', pattern: '^A\\d{1,4}$' },
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'The ETag of the analysis as last read (`*` accepts any version)',
  schema: { type: 'string' },
};
const etag = {
  ETag: { description: 'The new version of the analysis', schema: { type: 'string' } },
};
const query = (name: string, description: string, type: JsonObject = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: type,
});

/** The responses every review write can give besides success. */
const WRITE_ERRORS = {
  400: error('Invalid change'),
  401: error('Missing or invalid API key'),
  403: error('The API key is read-only'),
  404: error('No such analysis (or another facility), or no such action'),
  409: error('Not allowed in the review state (e.g. closing with unverified actions, confirming twice)'),
  412: error('The analysis changed since it was read: read it again'),
  428: error('If-Match is missing'),
};

function write(summary: string, description: string, body: string, success: number): JsonObject {
  return {
    summary,
    description,
    tags: ['review'],
    parameters: [ifMatch],
    requestBody: { required: true, content: json(body) },
    responses: {
      [success]: {
        description: 'The analysis after the change',
        headers: etag,
        content: json('ReviewedAnalysis'),
      },
      ...WRITE_ERRORS,
    },
  };
}

/** The paths of the listing and review routes (`api/routes/review.ts`). */
export function reviewPaths(): JsonObject {
  return {
    '/api/v1/analyses': {
      get: {
        summary: 'List analyses with their reviews, newest first',
        description:
          'Production analyses only unless include_evaluation=true. A facility-scoped key sees only its facility.',
        tags: ['review'],
        parameters: [
          query('review_state', 'draft, confirmed, corrected, closed or rejected', {
            enum: ['draft', 'confirmed', 'corrected', 'closed', 'rejected'],
          }),
          query('status', 'pending, complete, partial or failed', {
            enum: ['pending', 'complete', 'partial', 'failed'],
          }),
          query('facility', 'Facility'),
          query('sku', 'Product SKU'),
          query('type', 'Defect type (the reviewed one once reviewed)'),
          query('since', 'Created at or after (ISO date or date-time)'),
          query('text', 'Words anywhere in the analysis or its review, any case (1-200 characters)'),
          query('include_evaluation', 'Include analyses of evaluation runs', { enum: ['true', 'false'] }),
          query('limit', 'Page size, 1-200 (50)', { type: 'integer', minimum: 1, maximum: 200 }),
          query('cursor', 'next_cursor of the previous page'),
        ],
        responses: {
          200: { description: 'A page of analyses', content: json('AnalysisPage') },
          400: error('Invalid filter'),
          401: error('Missing or invalid API key'),
        },
      },
    },
    '/api/v1/analyses/{id}/review': {
      parameters: [defectId],
      post: write(
        'Confirm, correct, reject, close or reopen an analysis',
        'draft → confirmed (confirm) or corrected (correct); confirmed/corrected → corrected, closed (every action verified) or rejected; closed → confirmed/corrected and rejected → draft (reopen). Every change is recorded in the audit trail with who, when, before, after and why.',
        'ReviewDecision',
        200,
      ),
    },
    '/api/v1/analyses/{id}/actions': {
      parameters: [defectId],
      post: write(
        'Add a corrective action',
        'The analysis becomes corrected. The new action starts open.',
        'NewAction',
        201,
      ),
    },
    '/api/v1/analyses/{id}/actions/{actionId}': {
      parameters: [defectId, actionId],
      patch: write(
        'Edit an action or move its status',
        'Plan changes need a reason and make the analysis corrected. Status: open → in_progress → done → verified or ineffective (verified and ineffective need the evidence of the effectiveness check); only on confirmed or corrected analyses.',
        'ActionChange',
        200,
      ),
      delete: write(
        'Drop an action',
        'The reason comes in the JSON body or as ?reason=. The action stays in the audit trail.',
        'ActionDrop',
        200,
      ),
    },
    '/api/v1/analyses/{id}/audit': {
      parameters: [defectId],
      get: {
        summary: 'The audit trail of the review, oldest first',
        tags: ['review'],
        responses: {
          200: { description: 'Every change, never edited', content: json('AuditTrail') },
          401: error('Missing or invalid API key'),
          404: error('No such analysis (or another facility)'),
        },
      },
    },
  };
}
