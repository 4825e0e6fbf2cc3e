import { z } from 'zod';
import {
  ConsolidatedAnalysis,
  Facility,
  InspectionReport,
  ClassifiedType,
  ProcessStep,
  ProductSku,
  ConcreteDefectType,
} from '../../domain/index.ts';
import { ErrorBody } from '../middleware/errors.ts';
import { ReportFormat } from '../reports/index.ts';
import { RcaReport } from '../reports/report-model.ts';
import { AnalysisAcceptedEvent } from '../routes/analyses.ts';
import { JobBody } from '../routes/batch.ts';
import { DefectPage, Stats } from '../routes/defects.ts';
import { Health, Readiness } from '../routes/health.ts';
import { KnowledgeSearchResults } from '../routes/knowledge.ts';
import { Conversation, QuestionExchange } from '../routes/questions.ts';
import { DefectTypes, Facilities, ProductionStages } from '../routes/vocabulary.ts';
import { reviewPaths, reviewSchemas } from './review-paths.ts';

type JsonObject = Record<string, unknown>;

function schema(type: z.ZodType, io: 'input' | 'output' = 'output'): JsonObject {
  const json = z.toJSONSchema(type, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: ERROR_TEXT[status] ?? 'error', content: json('Error') },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (parameters, or a body that is not valid JSON)',
  401: 'Missing or invalid API key',
  403: 'Not allowed for this key (another facility, or a read-only key writing)',
  404: 'Not found',
  405: 'The path is served, but not with this method (see the Allow header)',
  409: 'Conflict (idempotency key reused with another body, or analysis still running)',
  413: 'Body or image too large',
  415: 'Unsupported media type or body encoding',
  422: 'Image without text and no vision-capable model',
  429: 'Rate limited (see Retry-After)',
  500: 'Internal error',
  502: 'The model or another upstream service failed',
  503: 'Not ready, or at capacity, or the model is throttled (see Retry-After)',
  504: 'The model did not answer in time',
};

/** Errors any operation under `/api/v1` can answer: parameters or JSON, key, rate limit, fault. */
const API_ERRORS = [400, 401, 429, 500];
/** Errors any write under `/api/v1` can answer besides: read-only key, body too large or not JSON. */
const WRITE_ERRORS = [403, 413, 415];
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * Adds the errors every operation of the API can answer (authentication, rate limits, the body
 * parser, faults) to each operation under `/api/v1` that does not list them yet, so that a
 * generated client knows the error body of every status.
 */
function withCommonErrors(paths: Record<string, JsonObject>): Record<string, JsonObject> {
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of METHODS) {
      const operation = item[method] as { responses: JsonObject } | undefined;
      if (!operation) continue;
      const statuses = method === 'get' ? API_ERRORS : [...API_ERRORS, ...WRITE_ERRORS];
      const missing = statuses.filter((status) => !(String(status) in operation.responses));
      operation.responses = { ...operation.responses, ...errors(...missing) };
    }
  }
  return paths;
}
const text = (description: string) => ({ schema: { type: 'string', description } });
const query = (
  name: string,
  description: string,
  type: JsonObject = { type: 'string' },
  required = false,
) => ({
  name,
  in: 'query',
  required,
  description,
  schema: type,
});
const defectIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Defect id, DEF-YYYYMMDD-XXXXXXXX',
  schema: { type: 'string', pattern: '^DEF-\\d{8}-[0-9A-F]{8}$' },
};

const ANALYSIS_HEADERS = {
  Location: { schema: { type: 'string' }, description: 'The analysis' },
  'Idempotent-Replayed': { schema: { type: 'string', enum: ['true', 'false'] } },
};

/** The OpenAPI 3.1 document of the API; component schemas are generated from the zod schemas. */
export function buildOpenApiDocument({ version }: { version: string }): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cutlery defect root-cause analysis API',
      version,
      description:
        'Submit inspection reports, get a consolidated analysis (classification, root cause with 5-why and 6M fishbone, corrective actions), ask follow-up questions, and download full RCA reports in 8D shape.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: {
        InspectionReport: schema(InspectionReport, 'input'),
        ConsolidatedAnalysis: schema(ConsolidatedAnalysis),
        BatchRequest: schema(z.object({ reports: z.array(InspectionReport).min(1).max(50) }), 'input'),
        QuestionRequest: schema(z.object({ question: z.string().min(3).max(2000) })),
        Error: schema(ErrorBody),
        AnalysisAcceptedEvent: schema(AnalysisAcceptedEvent),
        RcaReport: schema(RcaReport),
        Job: schema(JobBody),
        QuestionExchange: schema(QuestionExchange),
        Conversation: schema(Conversation),
        DefectPage: schema(DefectPage),
        Stats: schema(Stats),
        KnowledgeSearchResults: schema(KnowledgeSearchResults),
        DefectTypes: schema(DefectTypes),
        ProductionStages: schema(ProductionStages),
        Facilities: schema(Facilities),
        Health: schema(Health),
        Readiness: schema(Readiness),
        ...reviewSchemas(schema),
      },
      responses: {
        NotFound: {
          description: 'No route for this method and path (any path the document does not list)',
          content: json('Error'),
        },
        MethodNotAllowed: {
          description: `${ERROR_TEXT[405]}; answered for any method a path of this document does not list`,
          headers: { Allow: { schema: { type: 'string' }, description: 'The methods of the path' } },
          content: json('Error'),
        },
      },
    },
    security: [{ apiKey: [] }, {}],
    paths: withCommonErrors({
      '/health': {
        get: {
          summary: 'Liveness',
          security: [],
          responses: {
            200: { description: 'The process is up', content: json('Health') },
            ...errors(500),
          },
        },
      },
      '/ready': {
        get: {
          summary: 'Readiness: store and knowledge base reachable',
          security: [],
          responses: {
            200: { description: 'Ready', content: json('Readiness') },
            503: { description: 'Not ready: a check failed', content: json('Readiness') },
            ...errors(500),
          },
        },
      },
      '/api/v1/analyze': {
        post: {
          summary: 'Analyse an inspection report',
          description:
            "Stores the analysis as pending, runs the classifier, root-cause analyst and corrective-action planner, and returns the consolidated analysis (201). A retried request with the same `Idempotency-Key` returns the same analysis (200, or 202 while it still runs).\n\nSend `Accept: text/event-stream` to receive Server-Sent Events instead, with status 200: `accepted` (data: AnalysisAcceptedEvent), then one per stage as it ends (`classification`, `root_cause`, `actions`, or `<stage>_failed`; data: that stage's output), then `done` or `failed` (data: the ConsolidatedAnalysis). Errors found before the stream starts are answered as JSON with their status.",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 8, maxLength: 128 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('InspectionReport') },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    report: {
                      type: 'string',
                      description: 'The InspectionReport as JSON (or send its fields one by one)',
                    },
                    image: {
                      type: 'string',
                      format: 'binary',
                      description: 'JPEG, PNG or WebP, at most 16 MB',
                    },
                  },
                },
              },
            },
          },
          responses: {
            201: {
              description: 'Analysed',
              headers: ANALYSIS_HEADERS,
              content: json('ConsolidatedAnalysis'),
            },
            200: {
              description:
                'The event stream (Accept: text/event-stream), or an idempotent replay of a finished analysis',
              headers: ANALYSIS_HEADERS,
              content: {
                ...json('ConsolidatedAnalysis'),
                'text/event-stream': text(
                  'Server-Sent Events: accepted, classification, root_cause, actions (or <stage>_failed), then done or failed',
                ),
              },
            },
            202: {
              description: 'Idempotent replay of an analysis still running',
              headers: ANALYSIS_HEADERS,
              content: json('ConsolidatedAnalysis'),
            },
            ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503),
          },
        },
      },
      '/api/v1/analyze/batch': {
        post: {
          summary: 'Analyse up to 50 reports in the background',
          description:
            'Each report counts against the analyses-per-minute limit. A retried request with the same `Idempotency-Key` returns the same job (`Idempotent-Replayed: true`); the same key with other reports is a 409. A full batch queue answers 503 with `Retry-After`.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 8, maxLength: 128 },
            },
          ],
          requestBody: { required: true, content: json('BatchRequest') },
          responses: {
            202: {
              description: 'Job accepted (or replayed); poll /api/v1/jobs/{id}',
              headers: {
                Location: { schema: { type: 'string' }, description: 'The job' },
                'Idempotent-Replayed': { schema: { type: 'string', enum: ['true', 'false'] } },
              },
              content: json('Job'),
            },
            ...errors(400, 401, 403, 409, 413, 429, 503),
          },
        },
      },
      '/api/v1/jobs/{id}': {
        get: {
          summary: 'Progress and per-item results of a batch job',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: { 200: { description: 'The job', content: json('Job') }, ...errors(400, 401, 404) },
        },
      },
      '/api/v1/analyses/{id}': {
        get: {
          summary: 'An analysis, its status (pending, complete, partial, failed) and its review',
          parameters: [
            defectIdParameter,
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              description: 'An ETag read before: 304 while the analysis is unchanged',
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: {
              description: 'The analysis with its review; the ETag header is its version for If-Match',
              headers: { ETag: { schema: { type: 'string' } } },
              content: json('ReviewedAnalysis'),
            },
            304: { description: 'Unchanged since the ETag in If-None-Match' },
            ...errors(400, 401, 404),
          },
        },
      },
      '/api/v1/analyses/{id}/report': {
        get: {
          summary: 'The full RCA report in 8D shape, with the review, the action status and the audit trail',
          parameters: [
            defectIdParameter,
            query(
              'format',
              'json, md, html (a standalone printable page, the photo inline) or pdf (A4, the fishbone on a landscape page)',
              { type: 'string', enum: ReportFormat.options, default: 'json' },
            ),
          ],
          responses: {
            200: {
              description:
                'The report; until a person reviews the analysis it is labelled an unconfirmed machine draft',
              content: {
                ...json('RcaReport'),
                'text/markdown': text('The report as Markdown'),
                'text/html': text('A standalone printable HTML page, the fishbone and the photo inline'),
                'application/pdf': {
                  schema: {
                    type: 'string',
                    contentMediaType: 'application/pdf',
                    description: 'The report as an A4 PDF',
                  },
                },
              },
            },
            ...errors(400, 401, 404),
          },
        },
      },
      '/api/v1/analyses/{id}/image': {
        get: {
          summary: 'The photo attached to the analysed report',
          parameters: [defectIdParameter],
          responses: {
            200: {
              description: 'The photo, with its media type (detected from its content)',
              content: Object.fromEntries(
                ['image/jpeg', 'image/png', 'image/webp'].map((mediaType) => [
                  mediaType,
                  { schema: { type: 'string', contentMediaType: mediaType } },
                ]),
              ),
            },
            ...errors(400, 401, 404),
          },
        },
      },
      '/api/v1/analyses/{id}/questions': {
        post: {
          summary: 'Ask a follow-up question; the answer cites its sources',
          parameters: [defectIdParameter],
          requestBody: { required: true, content: json('QuestionRequest') },
          responses: {
            201: { description: 'The stored exchange', content: json('QuestionExchange') },
            ...errors(400, 401, 404, 409, 429, 502, 503, 504),
          },
        },
        get: {
          summary: 'The stored conversation',
          parameters: [defectIdParameter],
          responses: {
            200: { description: 'The exchanges, oldest first', content: json('Conversation') },
            ...errors(400, 401, 404),
          },
        },
      },
      ...reviewPaths(),
      '/api/v1/defects': {
        get: {
          summary: 'Defect history, newest first, paginated',
          parameters: [
            query('facility', 'Facility', schema(Facility)),
            query('sku', 'Product SKU', schema(ProductSku)),
            query('type', 'Defect type', schema(ClassifiedType)),
            query('since', 'ISO date or date-time'),
            query('limit', '1-200, default 50', { type: 'integer', minimum: 1, maximum: 200 }),
            query('cursor', 'next_cursor of the previous page'),
          ],
          responses: {
            200: { description: 'A page of defects', content: json('DefectPage') },
            ...errors(400, 401, 403),
          },
        },
      },
      '/api/v1/stats': {
        get: {
          summary:
            'Totals, defect rate, counts by type, severity, stage and facility, top recurring root causes',
          description:
            'Production analyses only (evaluation runs are left out). top_root_causes counts confirmed and corrected analyses; confirmed_analyses and by_review_state show how much of the history a person has reviewed.',
          parameters: [
            query('facility', 'Facility', schema(Facility)),
            query('since', 'ISO date or date-time'),
            query('review_state', 'Only analyses in this review state', {
              type: 'string',
              enum: ['draft', 'confirmed', 'corrected', 'closed', 'rejected'],
            }),
          ],
          responses: { 200: { description: 'Statistics', content: json('Stats') }, ...errors(400, 401, 403) },
        },
      },
      '/api/v1/knowledge/search': {
        get: {
          summary: 'Search past defects and SOPs',
          parameters: [
            query('q', 'Query text', { type: 'string', maxLength: 500 }, true),
            query('doc_type', 'past_defect or sop', { type: 'string', enum: ['past_defect', 'sop'] }),
            query('stage', 'Stage or escape point', schema(ProcessStep)),
            query('defect_type', 'Defect type', schema(ConcreteDefectType)),
            query('facility', 'Facility', schema(Facility)),
            query('product_sku', 'Product SKU', schema(ProductSku)),
            query('k', '1-50, default 10', { type: 'integer', minimum: 1, maximum: 50 }),
            query('search_type', 'hybrid, semantic or lexical', {
              type: 'string',
              enum: ['hybrid', 'semantic', 'lexical'],
            }),
          ],
          responses: {
            200: { description: 'Passages with scores and sources', content: json('KnowledgeSearchResults') },
            ...errors(400, 401, 403),
          },
        },
      },
      '/api/v1/defect-types': {
        get: {
          summary: 'The 12 concrete defect types and unknown',
          responses: { 200: { description: 'Defect types', content: json('DefectTypes') } },
        },
      },
      '/api/v1/production-stages': {
        get: {
          summary: 'The 12 stages and two escape points',
          responses: { 200: { description: 'Stages', content: json('ProductionStages') } },
        },
      },
      '/api/v1/facilities': {
        get: {
          summary: 'The three facilities',
          responses: { 200: { description: 'Facilities', content: json('Facilities') } },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: {
            200: {
              description: 'OpenAPI 3.1',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
                    required: ['openapi', 'paths'],
                  },
                },
              },
            },
            ...errors(500),
          },
        },
      },
      '/docs': {
        get: {
          summary: 'Readable API documentation',
          security: [],
          responses: {
            200: { description: 'HTML', content: { 'text/html': text('The documentation page') } },
            ...errors(500),
          },
        },
      },
    }),
  };
}
