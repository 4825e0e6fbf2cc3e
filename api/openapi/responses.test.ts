import { randomUUID } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApp } from '../app.ts';
import { createApiKey } from '../auth/api-keys.ts';
import {
  corpusKnowledgeBase,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from '../testing/harness.ts';

type JsonObject = Record<string, unknown>;

/** What this test reads of a response object of the document. */
interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: JsonObject }>;
}

/** What this test reads of an operation of the document. */
interface Operation {
  responses: Record<string, ResponseObject>;
}

/** What this test reads of the document. */
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, JsonObject>; responses: Record<string, ResponseObject> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const DOCUMENT_ID = 'https://cutlery-rca.test/openapi.json';

const RUST = {
  description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
  facility: 'yangjiang',
  product_sku: 'WK-KN-200',
  batch_id: 'YJ-2611-014',
};
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

/** The operations of the document, as `METHOD /path` with the path as the document writes it. */
function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** What this test reads of an Express 5 router layer (the `router` package). */
interface RouterLayer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean | undefined> };
  handle: unknown;
}

function stackOf(router: unknown): RouterLayer[] {
  if ((typeof router !== 'object' && typeof router !== 'function') || router === null) return [];
  return 'stack' in router && Array.isArray(router.stack) ? (router.stack as RouterLayer[]) : [];
}

/** Every route the app registers, as `METHOD /path` with `:name` written `{name}`. */
function registeredRoutes(router: unknown, prefix = ''): string[] {
  return stackOf(router).flatMap((layer) => {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods)
        .filter(([method, handled]) => handled && method !== '_all')
        .map(([method]) => method.toUpperCase());
      return [layer.route.path]
        .flat()
        .flatMap((path) =>
          methods.map((method) => `${method} ${(prefix + path).replace(/:(\w+)/g, '{$1}')}`),
        );
    }
    if (stackOf(layer.handle).length === 0) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return registeredRoutes(layer.handle, prefix + mount);
  });
}

/** Validates response bodies against the schemas the document gives them. */
class ResponseChecker {
  // zod writes a record with enum keys as `required` names over `propertyNames`, valid but not
  // in `properties`, which strictRequired refuses.
  readonly #ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();
  /** `METHOD /path STATUS media-type` of every checked response. */
  readonly seen = new Set<string>();

  constructor(readonly document: OpenApiDocument) {
    // CommonJS: the plugin is both `module.exports` and its `default`.
    formats.default(this.#ajv);
    this.#ajv.addKeyword({ keyword: 'components' });
    this.#ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: document.components.schemas } });
  }

  /** A validator of `schema`, whose `#/components/…` references point into the document. */
  #validator(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.#validators.get(key);
    if (!validate) {
      const rooted = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
      ) as JsonObject;
      validate = this.#ajv.compile(rooted);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  /** Validates `value` against a component schema; throws with the errors when it does not match. */
  component(name: string, value: unknown): void {
    const validate = this.#validator(`component ${name}`, { $ref: `#/components/schemas/${name}` });
    if (!validate(value)) {
      throw new Error(`not a valid ${name}: ${this.#ajv.errorsText(validate.errors, { separator: '\n' })}`);
    }
  }

  /**
   * Checks a real response against the response object the document gives (or `documented`, for
   * the component responses of undocumented methods and paths): its status must be listed, its
   * content type listed, and its body valid. Answers the body, parsed when it is JSON.
   */
  async check(
    response: Response,
    operation: string,
    documented?: ResponseObject,
  ): Promise<{ status: number; body: unknown }> {
    const [method = '', path = ''] = operation.split(' ');
    const entry = this.document.paths[path]?.[method.toLowerCase()] as Operation | undefined;
    const answer = documented ?? entry?.responses[String(response.status)];
    if (!documented && !entry) throw new Error(`${operation} is not in the document`);
    if (!answer) {
      throw new Error(
        `${operation} answered ${response.status}, which the document does not list (${await response.text()})`,
      );
    }
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    if (!answer.content) {
      if (text.length > 0 || contentType !== null) {
        throw new Error(
          `${operation} ${response.status} has a body (${contentType}) the document does not give`,
        );
      }
      this.seen.add(`${operation} ${response.status}`);
      return { status: response.status, body: undefined };
    }
    const media = (contentType ?? '').split(';')[0]?.trim() ?? '';
    const content = answer.content[media];
    if (!content) {
      throw new Error(
        `${operation} ${response.status} answered ${contentType}; the document lists ${Object.keys(answer.content).join(', ')}`,
      );
    }
    if (!content.schema) throw new Error(`${operation} ${response.status} ${media} has no schema`);
    const body: unknown = media === 'application/json' ? JSON.parse(text) : text;
    const validate = this.#validator(`${operation} ${response.status} ${media}`, content.schema);
    if (!validate(body)) {
      throw new Error(
        `${operation} ${response.status} ${media} does not match the document:\n${this.#ajv.errorsText(validate.errors, { separator: '\n' })}`,
      );
    }
    this.seen.add(`${operation} ${response.status} ${media}`);
    return { status: response.status, body };
  }
}

/** The events of a Server-Sent Events body, in order. */
function serverSentEvents(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.+)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe('every real response validates against the OpenAPI document', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  let api: string;
  let checker: ResponseChecker;
  const data = temporaryDirectory('api-openapi-');
  const keys = { admin: '', reader: '', shenzhen: '' };
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory, auth: 'required' });
    api = `${server.baseUrl}/api/v1`;
    const create = async (name: string, options: Partial<Parameters<typeof createApiKey>[0]> = {}) =>
      (await createApiKey({ store: server.store, name, facility: null, now, ...options })).key;
    keys.admin = await create('qa admin');
    keys.reader = await create('auditor', { readOnly: true });
    keys.shenzhen = await create('shenzhen qa', { facility: 'shenzhen' });
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    checker = new ResponseChecker((await response.json()) as OpenApiDocument);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await knowledgeBase?.close();
    data.remove();
  });

  const as = (key: keyof typeof keys = 'admin', extra: Record<string, string> = {}) => ({
    'x-api-key': keys[key],
    ...extra,
  });
  const get = (path: string, headers: Record<string, string> = as()) => fetch(`${api}${path}`, { headers });
  const send = (
    method: 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    path: string,
    body: unknown,
    headers: Record<string, string> = as(),
  ) =>
    fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** Submits RUST and answers the stored analysis' defect id. */
  async function analyze(): Promise<string> {
    const { body } = await checker.check(await send('POST', '/analyze', RUST), 'POST /api/v1/analyze');
    return (body as { defect_id: string }).defect_id;
  }

  it('answers health, readiness, this document and the docs page as documented', async () => {
    for (const path of ['/health', '/ready', '/openapi.json', '/docs']) {
      const { status } = await checker.check(await fetch(`${server.baseUrl}${path}`), `GET ${path}`);
      expect(status).toBe(200);
    }
  });

  it('answers analyses as JSON (201, replayed 200), as an event stream (200) and from multipart', async () => {
    const first = await send('POST', '/analyze', RUST, as('admin', { 'idempotency-key': 'openapi-test-1' }));
    expect((await checker.check(first, 'POST /api/v1/analyze')).status).toBe(201);
    const replay = await send('POST', '/analyze', RUST, as('admin', { 'idempotency-key': 'openapi-test-1' }));
    expect((await checker.check(replay, 'POST /api/v1/analyze')).status).toBe(200);

    const stream = await send('POST', '/analyze', RUST, as('admin', { accept: 'text/event-stream' }));
    const { status, body } = await checker.check(stream, 'POST /api/v1/analyze');
    expect(status).toBe(200);
    const events = serverSentEvents(body as string);
    expect(events.map((event) => event.event)).toEqual([
      'accepted',
      'classification',
      'root_cause',
      'actions',
      'done',
    ]);
    checker.component('AnalysisAcceptedEvent', events[0]?.data);
    checker.component('ConsolidatedAnalysis', events.at(-1)?.data);

    const form = new FormData();
    form.set('report', JSON.stringify(RUST));
    form.set('image', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const multipart = await fetch(`${api}/analyze`, { method: 'POST', headers: as(), body: form });
    const withPhoto = await checker.check(multipart, 'POST /api/v1/analyze');
    expect(withPhoto.status).toBe(201);
    const photo = await get(`/analyses/${(withPhoto.body as { defect_id: string }).defect_id}/image`);
    expect((await checker.check(photo, 'GET /api/v1/analyses/{id}/image')).status).toBe(200);
  });

  it('answers the refusals of an analysis with the documented error body', async () => {
    const refusals: Array<[Promise<Response>, number]> = [
      [send('POST', '/analyze', { facility: 'nowhere' }), 400],
      [
        fetch(`${api}/analyze`, {
          method: 'POST',
          headers: as('admin', { 'content-type': 'text/plain' }),
          body: 'rust',
        }),
        415,
      ],
      [send('POST', '/analyze', RUST, {}), 401],
      [send('POST', '/analyze', RUST, as('reader')), 403],
      [
        fetch(`${api}/analyze`, {
          method: 'POST',
          headers: as('admin', { 'content-type': 'application/json' }),
          body: '{"description": ',
        }),
        400,
      ],
    ];
    for (const [request, expected] of refusals) {
      expect((await checker.check(await request, 'POST /api/v1/analyze')).status).toBe(expected);
    }
    const imageOnly = new FormData();
    imageOnly.set('facility', 'yangjiang');
    imageOnly.set('image', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const unreadable = await fetch(`${api}/analyze`, { method: 'POST', headers: as(), body: imageOnly });
    expect((await checker.check(unreadable, 'POST /api/v1/analyze')).status).toBe(422);
  });

  it('answers a batch (202) and its job (200), and refuses unknown jobs', async () => {
    const submitted = await send('POST', '/analyze/batch', {
      reports: [RUST, { description: 'Pinholes in the bolster weld seam' }],
    });
    const { status, body } = await checker.check(submitted, 'POST /api/v1/analyze/batch');
    expect(status).toBe(202);
    const jobId = (body as { job_id: string }).job_id;
    let job = { status: 'queued' };
    for (let attempt = 0; attempt < 200 && job.status !== 'complete'; attempt++) {
      job = (await checker.check(await get(`/jobs/${jobId}`), 'GET /api/v1/jobs/{id}')).body as typeof job;
      if (job.status !== 'complete') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job.status).toBe('complete');
    expect((await checker.check(await get(`/jobs/${randomUUID()}`), 'GET /api/v1/jobs/{id}')).status).toBe(
      404,
    );
    expect((await checker.check(await get('/jobs/not-a-job'), 'GET /api/v1/jobs/{id}')).status).toBe(400);
    expect(
      (
        await checker.check(
          await send('POST', '/analyze/batch', { reports: [] }),
          'POST /api/v1/analyze/batch',
        )
      ).status,
    ).toBe(400);
  });

  it('answers an analysis (200, 304), its reports in every format and its questions', async () => {
    const id = await analyze();
    const read = await get(`/analyses/${id}`);
    const etag = read.headers.get('etag') ?? '';
    expect((await checker.check(read, 'GET /api/v1/analyses/{id}')).status).toBe(200);
    const unchanged = await get(`/analyses/${id}`, as('admin', { 'if-none-match': etag }));
    expect((await checker.check(unchanged, 'GET /api/v1/analyses/{id}')).status).toBe(304);
    expect(
      (await checker.check(await get('/analyses/DEF-20260101-00000000'), 'GET /api/v1/analyses/{id}')).status,
    ).toBe(404);
    expect((await checker.check(await get('/analyses/DEF-1'), 'GET /api/v1/analyses/{id}')).status).toBe(400);

    for (const format of ['json', 'md', 'html', 'pdf']) {
      const report = await get(`/analyses/${id}/report?format=${format}`);
      expect((await checker.check(report, 'GET /api/v1/analyses/{id}/report')).status).toBe(200);
    }
    const noPhoto = await get(`/analyses/${id}/image`);
    expect((await checker.check(noPhoto, 'GET /api/v1/analyses/{id}/image')).status).toBe(404);
    const plain = await get(`/analyses/${id}/report`);
    expect((await checker.check(plain, 'GET /api/v1/analyses/{id}/report')).status).toBe(200);
    const unknownFormat = await get(`/analyses/${id}/report?format=docx`);
    expect((await checker.check(unknownFormat, 'GET /api/v1/analyses/{id}/report')).status).toBe(400);

    const asked = await send('POST', `/analyses/${id}/questions`, {
      question: 'Which SOP covers the quench?',
    });
    expect((await checker.check(asked, 'POST /api/v1/analyses/{id}/questions')).status).toBe(201);
    const conversation = await get(`/analyses/${id}/questions`);
    expect((await checker.check(conversation, 'GET /api/v1/analyses/{id}/questions')).status).toBe(200);
    const tooShort = await send('POST', `/analyses/${id}/questions`, { question: 'a' });
    expect((await checker.check(tooShort, 'POST /api/v1/analyses/{id}/questions')).status).toBe(400);
    const missing = await send('POST', '/analyses/DEF-20260101-00000000/questions', {
      question: 'why rust?',
    });
    expect((await checker.check(missing, 'POST /api/v1/analyses/{id}/questions')).status).toBe(404);
  });

  it('answers the listing, the review writes and the audit trail, with 428, 412 and 409', async () => {
    const id = await analyze();
    expect((await checker.check(await get('/analyses?limit=5'), 'GET /api/v1/analyses')).status).toBe(200);
    expect((await checker.check(await get('/analyses?limit=0'), 'GET /api/v1/analyses')).status).toBe(400);
    const etagOf = async () => (await get(`/analyses/${id}`)).headers.get('etag') ?? '';
    const review = 'POST /api/v1/analyses/{id}/review';

    const first = await etagOf();
    expect(
      (await checker.check(await send('POST', `/analyses/${id}/review`, { decision: 'confirm' }), review))
        .status,
    ).toBe(428);
    const confirm = await send(
      'POST',
      `/analyses/${id}/review`,
      { decision: 'confirm' },
      as('admin', { 'if-match': first }),
    );
    expect((await checker.check(confirm, review)).status).toBe(200);
    const stale = await send(
      'POST',
      `/analyses/${id}/review`,
      { decision: 'confirm' },
      as('admin', { 'if-match': first }),
    );
    expect((await checker.check(stale, review)).status).toBe(412);
    const twice = await send(
      'POST',
      `/analyses/${id}/review`,
      { decision: 'confirm' },
      as('admin', { 'if-match': '*' }),
    );
    expect((await checker.check(twice, review)).status).toBe(409);

    const added = await send(
      'POST',
      `/analyses/${id}/actions`,
      {
        type: 'preventive',
        description: 'Add a leak-rate check of the vacuum furnace door seal to the weekly PM',
        owner_role: 'Maintenance lead',
        due_date: '2026-12-20',
        effectiveness_check: { metric: 'furnace leak rate', threshold: 'below 5 µbar·l/s', window_days: 60 },
        reason: 'the seal was the cause on the line',
      },
      as('admin', { 'if-match': await etagOf() }),
    );
    const { status, body } = await checker.check(added, 'POST /api/v1/analyses/{id}/actions');
    expect(status).toBe(201);
    const actions = (body as { review: { actions: Array<{ id: string }> } }).review.actions;
    const newest = actions.at(-1)?.id ?? '';
    const moved = await send(
      'PATCH',
      `/analyses/${id}/actions/${newest}`,
      { status: 'in_progress' },
      as('admin', { 'if-match': await etagOf() }),
    );
    expect((await checker.check(moved, 'PATCH /api/v1/analyses/{id}/actions/{actionId}')).status).toBe(200);
    const dropped = await send(
      'DELETE',
      `/analyses/${id}/actions/${actions[0]?.id ?? ''}`,
      { reason: 'duplicate of the containment already done' },
      as('admin', { 'if-match': await etagOf() }),
    );
    expect((await checker.check(dropped, 'DELETE /api/v1/analyses/{id}/actions/{actionId}')).status).toBe(
      200,
    );
    const unknownAction = await send(
      'PATCH',
      `/analyses/${id}/actions/A999`,
      { status: 'done' },
      as('admin', { 'if-match': '*' }),
    );
    expect(
      (await checker.check(unknownAction, 'PATCH /api/v1/analyses/{id}/actions/{actionId}')).status,
    ).toBe(404);
    const audit = 'GET /api/v1/analyses/{id}/audit';
    expect((await checker.check(await get(`/analyses/${id}/audit`), audit)).status).toBe(200);
    expect((await checker.check(await get('/analyses/DEF-1/audit'), audit)).status).toBe(400);
    expect((await checker.check(await get('/analyses/DEF-20260101-00000000/audit'), audit)).status).toBe(404);
    const notJson = await fetch(`${api}/analyses/${id}/review`, {
      method: 'POST',
      headers: as('admin', { 'content-type': 'application/json', 'if-match': '*' }),
      body: '{"decision":',
    });
    expect((await checker.check(notJson, review)).status).toBe(400);
    const readOnly = await send('POST', `/analyses/${id}/review`, { decision: 'reject' }, as('reader'));
    expect((await checker.check(readOnly, review)).status).toBe(403);
  });

  it('answers the history, stats, knowledge search and vocabulary, and their refusals', async () => {
    await analyze();
    const calls: Array<[string, string, number, keyof typeof keys]> = [
      ['/defects', 'GET /api/v1/defects', 200, 'admin'],
      ['/defects?facility=yangjiang&limit=1', 'GET /api/v1/defects', 200, 'admin'],
      ['/defects?limit=0', 'GET /api/v1/defects', 400, 'admin'],
      ['/defects?facility=yangjiang', 'GET /api/v1/defects', 403, 'shenzhen'],
      ['/stats', 'GET /api/v1/stats', 200, 'admin'],
      ['/stats?review_state=confirmed&since=2026-01-01', 'GET /api/v1/stats', 200, 'admin'],
      ['/stats?since=yesterday', 'GET /api/v1/stats', 400, 'admin'],
      ['/knowledge/search?q=rust%20after%20quench', 'GET /api/v1/knowledge/search', 200, 'admin'],
      [
        '/knowledge/search?q=weld&doc_type=sop&search_type=lexical&k=3',
        'GET /api/v1/knowledge/search',
        200,
        'admin',
      ],
      ['/knowledge/search', 'GET /api/v1/knowledge/search', 400, 'admin'],
      ['/knowledge/search?q=rust&facility=yangjiang', 'GET /api/v1/knowledge/search', 403, 'shenzhen'],
      ['/defect-types', 'GET /api/v1/defect-types', 200, 'admin'],
      ['/production-stages', 'GET /api/v1/production-stages', 200, 'admin'],
      ['/facilities', 'GET /api/v1/facilities', 200, 'admin'],
    ];
    for (const [path, operation, expected, key] of calls) {
      expect((await checker.check(await get(path, as(key)), operation)).status, path).toBe(expected);
    }
    expect((await checker.check(await get('/stats', {}), 'GET /api/v1/stats')).status).toBe(401);
  });

  it('answers 429 with the error body when the analyses of a minute are used up', async () => {
    const limited = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      auth: 'off',
      analysesPerMinute: 1,
    });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await fetch(`${limited.baseUrl}/api/v1/analyses/DEF-20260101-00000000/questions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: 'why rust?' }),
        });
        statuses.push((await checker.check(response, 'POST /api/v1/analyses/{id}/questions')).status);
      }
      expect(statuses).toEqual([404, 429]);
    } finally {
      await limited.close();
    }
  });

  it('answers 405 and 404 with the component responses of the document', async () => {
    const { MethodNotAllowed, NotFound } = checker.document.components.responses;
    const put = await send('PUT', '/stats', {});
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect((await checker.check(put, 'PUT /api/v1/stats', MethodNotAllowed)).status).toBe(405);
    const none = await get('/no-such-route');
    expect((await checker.check(none, 'GET /api/v1/no-such-route', NotFound)).status).toBe(404);
  });

  it('refuses a status or a content type the document does not list', async () => {
    await expect(checker.check(new Response('{}', { status: 418 }), 'GET /api/v1/stats')).rejects.toThrow(
      /418, which the document does not list/,
    );
    await expect(
      checker.check(
        new Response('<p>stats</p>', { status: 200, headers: { 'content-type': 'text/html' } }),
        'GET /api/v1/stats',
      ),
    ).rejects.toThrow(/answered text\/html/);
    await expect(
      checker.check(
        new Response('{"total":1}', { status: 200, headers: { 'content-type': 'application/json' } }),
        'GET /api/v1/stats',
      ),
    ).rejects.toThrow(/does not match the document/);
  });

  it('called every documented operation with a success', () => {
    const succeeded = new Set(
      [...checker.seen]
        .filter((entry) => / 2\d\d/.test(entry))
        .map((entry) => entry.split(' ').slice(0, 2).join(' ')),
    );
    expect(documentedOperations(checker.document).filter((operation) => !succeeded.has(operation))).toEqual(
      [],
    );
  });

  it('documents every route the app registers, and nothing else', () => {
    const routes = new Set(registeredRoutes(createApp({ ...server.dependencies }).router));
    expect([...routes].sort()).toEqual(documentedOperations(checker.document).sort());
  });
});
