import { Agent, type OutgoingHttpHeaders } from 'node:http';
import {
  brotliCompressSync,
  brotliDecompressSync,
  deflateSync,
  gunzipSync,
  gzipSync,
  inflateSync,
} from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { ErrorBody } from './middleware/errors.ts';
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';
import { sendRawBytes, sendRequest, type RawResponse } from './testing/raw-http.ts';

/**
 * A seeded, bounded fuzzer over every endpoint: wrong methods, random and badly percent-encoded
 * path segments and queries, mismatched content-type / content-encoding / content-length headers,
 * JSON, multipart and garbage bodies, oversized and truncated bodies, and raw bytes that `node:http`
 * would refuse to send. The requests are a pure function of the seed; no response may be a 5xx,
 * and the server must still answer afterwards.
 */

const SEED = 0x5eed_0016;
const REQUESTS = 2_500;
const CONCURRENCY = 6;

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Fuzz {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(0, 255);
    return out;
  }
  /** Printable ASCII, sometimes with characters that need escaping. */
  text(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String.fromCharCode(this.int(0x20, 0x7e));
    return out;
  }
}

/** A path segment: plausible, random, or badly percent-encoded. */
function segment(fuzz: Fuzz, known: readonly string[]): string {
  switch (fuzz.int(0, 9)) {
    case 0:
    case 1:
      return fuzz.pick(known);
    case 2:
      return fuzz.pick(['%E0%A4%A', '%', '%Z', '%ZZ', '%C3%28', '%ff', '%C0%AF', '%ED%A0%80', '%E0%A4%A%']);
    case 3:
      return `${fuzz.pick(known)}${fuzz.pick(['%', '%E0%A4%A', '%0', '%FE%FF'])}`;
    case 4:
      return encodeURIComponent(fuzz.text(fuzz.int(1, 40)));
    case 5:
      return fuzz
        .pick(['', '.', '..', '%2e%2e', '%2F', '%00', '%20', 'DEF-20261122-00000000', '\u00e9'])
        .replace('\u00e9', '%C3%A9');
    case 6:
      return 'x'.repeat(fuzz.pick([200, 2_000, 9_000]));
    case 7:
      return fuzz.pick(UUIDS);
    default:
      return encodeURIComponent(fuzz.text(fuzz.int(1, 12)));
  }
}

const UUIDS = ['00000000-0000-4000-8000-000000000000', '6f1e2c1a-8d4b-4c9e-9b7a-2f3e4d5c6b7a', 'not-a-uuid'];

/** The endpoints, as templates: `:id` takes a segment. */
const ENDPOINTS: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/api/v1/defect-types'],
  ['GET', '/api/v1/production-stages'],
  ['GET', '/api/v1/facilities'],
  ['GET', '/api/v1/defects'],
  ['GET', '/api/v1/stats'],
  ['GET', '/api/v1/knowledge/search'],
  ['GET', '/api/v1/analyses/:id'],
  ['GET', '/api/v1/analyses/:id/report'],
  ['GET', '/api/v1/analyses/:id/questions'],
  ['POST', '/api/v1/analyses/:id/questions'],
  ['GET', '/api/v1/jobs/:id'],
  ['POST', '/api/v1/analyze'],
  ['POST', '/api/v1/analyze'],
  ['POST', '/api/v1/analyze'],
  ['POST', '/api/v1/analyze/batch'],
  ['GET', '/api/v1/%E0%A4%A'],
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

function query(fuzz: Fuzz): string {
  if (fuzz.chance(0.6)) return '';
  const pairs: string[] = [];
  for (let i = fuzz.int(1, 4); i > 0; i -= 1) {
    const key = fuzz.pick([
      'q',
      'k',
      'limit',
      'cursor',
      'format',
      'facility',
      'since',
      'type',
      'sku',
      'x',
      '%',
      'q%ZZ',
    ]);
    const value = fuzz.pick([
      'rust',
      'html',
      'md',
      'json',
      '-1',
      '0',
      '9999999999999999999',
      'yangjiang',
      '2026-13-45',
      '%E0%A4%A',
      '%',
      '',
      encodeURIComponent(fuzz.text(fuzz.int(0, 30))),
      'x'.repeat(600),
    ]);
    pairs.push(`${key}=${value}`);
    if (fuzz.chance(0.1)) pairs.push(`${key}=${value}`);
  }
  return `?${pairs.join('&')}`;
}

const REPORTS = [
  { description: 'orange rust spots on the blade after quench', facility: 'yangjiang' },
  { description: 'pinholes in the bolster weld seam' },
  { description: 'no defects found, all within spec', measurements: { hardness_hrc: 55 } },
];

/** A JSON value that is almost, or not at all, a report. */
function jsonValue(fuzz: Fuzz, depth = 0): unknown {
  switch (fuzz.int(0, depth > 3 ? 4 : 8)) {
    case 0:
      return null;
    case 1:
      return fuzz.int(-1e6, 1e6) / fuzz.pick([1, 7, 0.001]);
    case 2:
      return fuzz.text(fuzz.int(0, 50));
    case 3:
      return fuzz.chance(0.5);
    case 4:
      return fuzz.pick(['', '\u0000', '\ud800', '<script>', '../../etc/passwd', 'DEF-20261122-00000000']);
    case 5:
      return Array.from({ length: fuzz.int(0, 4) }, () => jsonValue(fuzz, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = fuzz.int(0, 5); i > 0; i -= 1) {
        const key = fuzz.pick([
          'description',
          'facility',
          'measurements',
          'production_data',
          'image',
          'reports',
          'question',
          '__proto__',
          'constructor',
          fuzz.text(fuzz.int(0, 10)),
        ]);
        object[key] = jsonValue(fuzz, depth + 1);
      }
      return object;
    }
  }
}

const BOUNDARY = 'FuzzBoundary0016';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082',
  'hex',
);

function multipart(fuzz: Fuzz): { contentType: string; body: Buffer } {
  const parts: Buffer[] = [];
  const field = (name: string, value: string | Buffer, filename?: string): void => {
    const disposition = `Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
    const type = filename ? '\r\nContent-Type: image/png' : '';
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\n${disposition}${type}\r\n\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    );
  };
  const count = fuzz.chance(0.1) ? 25 : fuzz.int(0, 3);
  for (let i = 0; i < count; i += 1) {
    field(
      fuzz.pick([
        'description',
        'report',
        'measurements',
        'production_data',
        'facility',
        'x',
        '',
        '__proto__',
        'a[b][c]',
      ]),
      fuzz.chance(0.5) ? JSON.stringify(jsonValue(fuzz)) : fuzz.text(fuzz.int(0, 60)),
    );
  }
  if (fuzz.chance(0.3)) {
    const image = fuzz.chance(0.5)
      ? Buffer.concat([PNG, fuzz.bytes(fuzz.int(0, 200))])
      : fuzz.bytes(fuzz.int(0, 300));
    field(
      fuzz.pick(['image', 'image', 'photo']),
      image,
      fuzz.pick(['a.png', '', '..\\..\\x.png', '%00.png']),
    );
    if (fuzz.chance(0.1)) field('image', PNG, 'second.png');
  }
  if (fuzz.chance(0.05)) field('description', 'y'.repeat(70 * 1024));
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  let body = Buffer.concat(parts);
  switch (fuzz.int(0, 9)) {
    case 0: // truncated
      body = body.subarray(0, fuzz.int(0, body.length - 1));
      break;
    case 1:
    case 3: {
      // a NUL or another bad byte in a part header
      const at = body.indexOf('Content-Disposition');
      if (at >= 0) body[at + fuzz.int(0, 18)] = fuzz.pick([0, 0, 0x0a, 0x7f, 0xff]);
      break;
    }
    case 2: // garbage in the middle
      body = Buffer.concat([
        body.subarray(0, body.length >> 1),
        fuzz.bytes(fuzz.int(1, 64)),
        body.subarray(body.length >> 1),
      ]);
      break;
    default:
      break;
  }
  const contentType = fuzz.pick([
    `multipart/form-data; boundary=${BOUNDARY}`,
    `multipart/form-data; boundary=${BOUNDARY}`,
    `multipart/form-data; boundary="${BOUNDARY}"`,
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary=other',
    'multipart/form-datax; boundary=x',
    'multipart/mixed; boundary=' + BOUNDARY,
    `multipart/form-data; charset=%%%; boundary=${BOUNDARY}`,
    `multipart/form-data; boundary=${'b'.repeat(100)}`,
  ]);
  return { contentType, body };
}

/** One generated request: over `node:http`, or raw bytes for what it refuses to send. */
type Case =
  | { kind: 'http'; method: string; path: string; headers: OutgoingHttpHeaders; body?: Buffer }
  | { kind: 'raw'; bytes: Buffer; label: string };

function body(fuzz: Fuzz, endpoint: string): { contentType?: string; body?: Buffer } {
  switch (fuzz.int(0, 11)) {
    case 0:
      return {};
    case 1: {
      // a valid report now and then, so the deep paths run too (each one is a real analysis)
      const report = fuzz.pick(REPORTS);
      const value = endpoint.endsWith('/batch')
        ? { reports: [report] }
        : endpoint.endsWith('/questions')
          ? { question: 'why did this happen?' }
          : report;
      return fuzz.chance(0.35)
        ? { contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) }
        : {
            contentType: 'application/json',
            body: Buffer.from(JSON.stringify({ ...value, extra: jsonValue(fuzz) })),
          };
    }
    case 2:
    case 3:
      return { contentType: 'application/json', body: Buffer.from(JSON.stringify(jsonValue(fuzz))) };
    case 4:
      return {
        contentType: 'application/json',
        body: Buffer.from(
          fuzz.pick([
            '{"description": ',
            '{',
            '[',
            'nul',
            '{"a":1}}',
            '\u0000',
            '{"description":"\ud800"}',
            '',
          ]),
        ),
      };
    case 5:
      return {
        contentType: fuzz.pick(['application/json', 'application/octet-stream', 'text/plain']),
        body: fuzz.bytes(fuzz.int(0, 512)),
      };
    case 6:
    case 7: {
      const { contentType, body: multipartBody } = multipart(fuzz);
      return { contentType, body: multipartBody };
    }
    case 8:
      return {
        contentType: fuzz.pick([
          'application/json; charset=latin9',
          'application/json; charset=utf-16',
          'application/json; charset=utf-8',
          'application/x-www-form-urlencoded',
          'text/event-stream',
          'application/json-patch+json',
          ';;;',
          'application/json; boundary',
          '*/*',
        ]),
        body: Buffer.from(JSON.stringify(jsonValue(fuzz))),
      };
    case 9:
      // oversized JSON (over the 1 MB limit), rarely
      return fuzz.chance(0.15)
        ? {
            contentType: 'application/json',
            body: Buffer.from(JSON.stringify({ description: 'z'.repeat(1_100_000) })),
          }
        : {
            contentType: 'application/json',
            body: Buffer.from(JSON.stringify({ description: fuzz.text(5_000) })),
          };
    case 10: {
      // deeply nested JSON
      const depth = fuzz.pick([100, 5_000]);
      return {
        contentType: 'application/json',
        body: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`),
      };
    }
    default:
      return {
        contentType: 'application/json',
        body: Buffer.from(
          JSON.stringify({ reports: Array.from({ length: fuzz.int(0, 3) }, () => jsonValue(fuzz)) }),
        ),
      };
  }
}

/** Sets `content-encoding`: the body compressed as it says, or a false claim. */
function encode(fuzz: Fuzz, payload: Buffer | undefined, headers: OutgoingHttpHeaders): Buffer | undefined {
  if (payload === undefined || !fuzz.chance(0.25)) return payload;
  const encoding = fuzz.pick(['gzip', 'deflate', 'br', 'identity', 'zstd', 'gzip, br', 'x-gzip', 'GZIP', '']);
  headers['content-encoding'] = encoding;
  if (!fuzz.chance(0.4)) return payload; // not compressed, whatever the header says
  switch (encoding.toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return fuzz.chance(0.3) ? gzipSync(payload).subarray(0, fuzz.int(1, 20)) : gzipSync(payload);
    case 'deflate':
      return deflateSync(payload);
    case 'br':
      return brotliCompressSync(payload);
    default:
      return payload;
  }
}

function headerValue(fuzz: Fuzz): string {
  return fuzz.pick([
    '',
    'x',
    'text/event-stream',
    '*/*',
    'retry-test-0001',
    'abc',
    'z'.repeat(300),
    encodeURIComponent(fuzz.text(20)),
  ]);
}

/** Raw requests: content-length mismatches, bad framing, bad header bytes, cut-off requests. */
function rawCase(fuzz: Fuzz, path: string): Case {
  const json = Buffer.from(JSON.stringify(fuzz.pick(REPORTS)));
  const head = (lines: string[]): Buffer =>
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n${lines.join('\r\n')}\r\n\r\n`,
      'latin1',
    );
  switch (fuzz.int(0, 8)) {
    case 0: // declares more than it sends, then half-closes
      return {
        kind: 'raw',
        label: 'short body',
        bytes: Buffer.concat([
          head(['Content-Type: application/json', `Content-Length: ${json.length + fuzz.int(1, 500)}`]),
          json,
        ]),
      };
    case 1: // declares less than it sends: the rest is a second, garbage request
      return {
        kind: 'raw',
        label: 'long body',
        bytes: Buffer.concat([
          head(['Content-Type: application/json', `Content-Length: ${fuzz.int(0, json.length - 1)}`]),
          json,
        ]),
      };
    case 2:
      return {
        kind: 'raw',
        label: 'bad content-length',
        bytes: Buffer.concat([
          head([
            'Content-Type: application/json',
            `Content-Length: ${fuzz.pick(['-1', 'abc', '1e3', '12, 13', '99999999999999999999'])}`,
          ]),
          json,
        ]),
      };
    case 3:
      return {
        kind: 'raw',
        label: 'both framings',
        bytes: Buffer.concat([
          head([
            'Content-Type: application/json',
            'Transfer-Encoding: chunked',
            `Content-Length: ${json.length}`,
          ]),
          json,
        ]),
      };
    case 4: {
      const chunked = `${json.length.toString(16)}\r\n${json.toString()}\r\n${fuzz.pick(['0\r\n\r\n', 'zz\r\n', '', '5\r\nab'])}`;
      return {
        kind: 'raw',
        label: 'chunked',
        bytes: Buffer.concat([
          head(['Content-Type: application/json', 'Transfer-Encoding: chunked']),
          Buffer.from(chunked),
        ]),
      };
    }
    case 5: // a NUL or control byte in a header value
      return {
        kind: 'raw',
        label: 'bad header byte',
        bytes: Buffer.concat([
          head([
            'Content-Type: application/json',
            `X-Fuzz: a${String.fromCharCode(fuzz.pick([0, 1, 0x7f]))}b`,
            `Content-Length: ${json.length}`,
          ]),
          json,
        ]),
      };
    case 6: // cut off in the headers
      return {
        kind: 'raw',
        label: 'cut headers',
        bytes: head(['Content-Type: application/json']).subarray(0, fuzz.int(5, 60)),
      };
    case 7: {
      // a multipart body cut off, with a content-length for the whole
      const { body: multipartBody } = multipart(fuzz);
      return {
        kind: 'raw',
        label: 'cut multipart',
        bytes: Buffer.concat([
          head([
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
            `Content-Length: ${multipartBody.length}`,
          ]),
          multipartBody.subarray(0, multipartBody.length >> 1),
        ]),
      };
    }
    default: // a gzip header on a body that is not, sent raw
      return {
        kind: 'raw',
        label: 'false gzip',
        bytes: Buffer.concat([
          head([
            'Content-Type: application/json',
            'Content-Encoding: gzip',
            `Content-Length: ${json.length}`,
          ]),
          json,
        ]),
      };
  }
}

function generate(seed: number, count: number, known: readonly string[]): Case[] {
  const fuzz = new Fuzz(seed);
  const cases: Case[] = [];
  for (let i = 0; i < count; i += 1) {
    const [endpointMethod, template] = fuzz.pick(ENDPOINTS);
    const path =
      template.replace(':id', () => segment(fuzz, known)) +
      (fuzz.chance(0.05) ? `/${segment(fuzz, known)}` : '') +
      query(fuzz);
    if (fuzz.chance(0.08)) {
      cases.push(rawCase(fuzz, path));
      continue;
    }
    const method = fuzz.chance(0.15) ? fuzz.pick(METHODS) : endpointMethod;
    const headers: OutgoingHttpHeaders = { connection: 'close' };
    const { contentType, body: payload } = method === 'GET' && fuzz.chance(0.7) ? {} : body(fuzz, template);
    if (contentType !== undefined && !fuzz.chance(0.05)) headers['content-type'] = contentType;
    const encoded = encode(fuzz, payload, headers);
    if (fuzz.chance(0.15))
      headers.accept = fuzz.pick(['text/event-stream', 'application/json', '*/*', 'text/html', '']);
    if (fuzz.chance(0.05)) headers['idempotency-key'] = headerValue(fuzz);
    if (fuzz.chance(0.05)) headers['x-request-id'] = headerValue(fuzz);
    // (no x-api-key: a wrong key is an authentication failure, limited per address)
    if (fuzz.chance(0.03)) headers.origin = fuzz.pick(['https://evil.example', 'null']);
    cases.push({ kind: 'http', method, path, headers, body: encoded });
  }
  return cases;
}

/** Whether a path (without its query) has a segment that does not percent-decode. */
function hasBadPercentEncoding(path: string): boolean {
  return (path.split('?')[0] ?? '').split('/').some((part) => {
    try {
      decodeURIComponent(part);
      return false;
    } catch {
      return true;
    }
  });
}

const DECOMPRESS: Record<string, (input: Buffer) => Buffer> = {
  gzip: (input) => gunzipSync(input),
  'x-gzip': (input) => gunzipSync(input),
  deflate: (input) => inflateSync(input),
  br: (input) => brotliDecompressSync(input),
};

/** The malformed inputs of issue 16, item 7, that a generated request holds. */
function malformedKinds(item: Case): string[] {
  if (item.kind === 'raw') return [];
  const kinds: string[] = [];
  if (hasBadPercentEncoding(item.path)) kinds.push('bad percent-encoding in the path');
  const type = String(item.headers['content-type'] ?? '');
  const body = item.body ?? Buffer.alloc(0);
  if (type.startsWith('multipart/form-data')) {
    if (!/boundary=[^;\s]/.test(type)) kinds.push('multipart without a boundary');
    else if (!body.includes(`--${BOUNDARY}--`)) kinds.push('truncated multipart');
    const lines = body.toString('latin1').split('\r\n');
    if (lines.some((line) => line.includes('\u0000') && line.includes('form-data'))) {
      kinds.push('NUL in a part header');
    }
  }
  const decompress = DECOMPRESS[String(item.headers['content-encoding'] ?? '').toLowerCase()];
  if (decompress) {
    try {
      decompress(body);
    } catch {
      kinds.push('false content-encoding');
    }
  }
  return kinds;
}

describe('fuzzing every endpoint with malformed input', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  const known: string[] = [];
  const data = temporaryDirectory('api-fuzz-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory });
    const analysis = (await (await postJson(`${server.baseUrl}/api/v1/analyze`, REPORTS[0])).json()) as {
      defect_id: string;
    };
    const job = (await (
      await postJson(`${server.baseUrl}/api/v1/analyze/batch`, { reports: [REPORTS[1]] })
    ).json()) as { job_id: string };
    known.push(analysis.defect_id, job.job_id);
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it('generates the same requests from the same seed', () => {
    const render = (cases: Case[]): string => JSON.stringify(cases.slice(0, 200));
    expect(render(generate(SEED, 200, ['DEF-X']))).toBe(render(generate(SEED, 200, ['DEF-X'])));
    expect(render(generate(SEED, 200, ['DEF-X']))).not.toBe(render(generate(SEED + 1, 200, ['DEF-X'])));
  });

  it('holds each malformed input of issue 16 (item 7) many times', () => {
    const counts = new Map<string, number>();
    for (const item of generate(SEED, REQUESTS, ['DEF-X'])) {
      for (const kind of malformedKinds(item)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    console.info(`fuzz: malformed inputs ${JSON.stringify(Object.fromEntries(counts))}`);
    for (const kind of [
      'bad percent-encoding in the path',
      'multipart without a boundary',
      'truncated multipart',
      'NUL in a part header',
      'false content-encoding',
    ]) {
      expect(counts.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(10);
    }
  });

  it(`answers ${REQUESTS} fuzzed requests without a single 5xx, and stays up`, async () => {
    const cases = generate(SEED, REQUESTS, known);
    const agent = new Agent({ keepAlive: false, maxSockets: CONCURRENCY });
    const histogram = new Map<string, number>();
    const serverErrors: string[] = [];
    const badShapes: string[] = [];
    const failures: string[] = [];
    const describeCase = (item: Case): string =>
      item.kind === 'raw'
        ? `raw ${item.label}: ${item.bytes.subarray(0, 160).toString('latin1')}`
        : `${item.method} ${item.path.slice(0, 160)} ${JSON.stringify(item.headers)}`;

    const record = (item: Case, response: RawResponse): void => {
      const key = response.status === 0 ? 'closed' : String(response.status);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      if (response.status >= 500)
        serverErrors.push(`${response.status} ← ${describeCase(item)} → ${response.body.slice(0, 200)}`);
      // Every error the app answers (it sets x-request-id) is in the error shape.
      const id = response.headers['x-request-id'];
      if (item.kind === 'http' && item.method !== 'HEAD' && response.status >= 400 && id !== undefined) {
        try {
          const body = JSON.parse(response.body) as ErrorBody;
          if (typeof body.error.code !== 'string' || body.error.requestId !== id) throw new Error('shape');
        } catch {
          badShapes.push(`${response.status} ← ${describeCase(item)} → ${response.body.slice(0, 200)}`);
        }
      }
    };

    let index = 0;
    const worker = async (): Promise<void> => {
      while (index < cases.length) {
        const item = cases[index];
        index += 1;
        if (item === undefined) break;
        try {
          const response =
            item.kind === 'raw'
              ? await sendRawBytes(server.baseUrl, item.bytes, { timeoutMs: 5_000 })
              : await sendRequest(server.baseUrl, { ...item, agent, timeoutMs: 10_000 });
          record(item, response);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // The server may answer a large body early (413, 415, 400) and close while it is still
          // being sent; a small request must always get its answer.
          const large = item.kind === 'http' && (item.body?.length ?? 0) > 64 * 1024;
          if (large && (code === 'ECONNRESET' || code === 'EPIPE')) {
            histogram.set('reset', (histogram.get('reset') ?? 0) + 1);
          } else {
            failures.push(`${String(error)} ← ${describeCase(item)}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    const counts = Object.fromEntries([...histogram.entries()].sort(([a], [b]) => a.localeCompare(b)));
    console.info(
      `fuzz: ${cases.length} requests (seed ${SEED.toString(16)}), statuses ${JSON.stringify(counts)}`,
    );
    expect(serverErrors).toEqual([]);
    expect(failures).toEqual([]);
    expect(badShapes).toEqual([]);
    expect([...histogram.values()].reduce((sum, count) => sum + count, 0)).toBe(cases.length);

    // Still up, and still doing real work.
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    const after = await postJson(`${server.baseUrl}/api/v1/analyze`, REPORTS[1]);
    expect(after.status).toBe(201);
  }, 120_000);
});
