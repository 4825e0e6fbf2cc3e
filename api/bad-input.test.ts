import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { ErrorBody } from './middleware/errors.ts';
import {
  corpusKnowledgeBase,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';
import { sendRequest, type RawResponse, type RequestSpec } from './testing/raw-http.ts';

const BOUNDARY = 'fuzz-boundary-7MA4YWxkTrZu0gW';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A well-formed multipart body with one `description` field, to cut or spoil. */
function multipartBody(description = 'rust spots on the blade after quench'): string {
  return (
    `--${BOUNDARY}\r\n` +
    'Content-Disposition: form-data; name="description"\r\n\r\n' +
    `${description}\r\n` +
    `--${BOUNDARY}--\r\n`
  );
}

describe('malformed client input answers 400 in the error shape, never 500', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  const data = temporaryDirectory('api-bad-input-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  const send = (spec: RequestSpec): Promise<RawResponse> => sendRequest(server.baseUrl, spec);

  /** Checks a 400 in the API's error shape, with the request id of the response and no stack trace. */
  function expectClientError(response: RawResponse, code: string): ErrorBody {
    expect(response.status, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.body) as ErrorBody;
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.requestId).toMatch(/^req-\d+$/);
    expect(body.error.requestId).toBe(response.headers['x-request-id']);
    expect(response.body).not.toMatch(/at .*\.(ts|js):\d+|node_modules|Error:/);
    return body;
  }

  it.each([
    '/api/v1/analyses/%E0%A4%A',
    '/api/v1/analyses/%E0%A4%A/report',
    '/api/v1/analyses/%ZZ/questions',
    '/api/v1/jobs/%C3%28%',
  ])('an invalid percent-encoding in the path %s', async (path) => {
    const body = expectClientError(await send({ method: 'GET', path }), 'invalid_path');
    // The message is ours: it does not echo the undecodable parameter.
    expect(body.error.message).not.toContain('%');
  });

  it('a multipart body without a boundary', async () => {
    const response = await send({
      method: 'POST',
      path: '/api/v1/analyze',
      headers: { 'content-type': 'multipart/form-data' },
      body: multipartBody(),
    });
    const body = expectClientError(response, 'invalid_multipart');
    expect(body.error.message).not.toMatch(/Boundary not found/);
  });

  it('a truncated multipart body (no closing boundary)', async () => {
    const whole = multipartBody();
    const response = await send({
      method: 'POST',
      path: '/api/v1/analyze',
      headers: { 'content-type': MULTIPART },
      body: whole.slice(0, whole.indexOf('\r\n\r\n') + 12),
    });
    const body = expectClientError(response, 'invalid_multipart');
    expect(body.error.message).not.toMatch(/Unexpected end of form/);
  });

  it('a multipart part header with a NUL byte', async () => {
    const response = await send({
      method: 'POST',
      path: '/api/v1/analyze',
      headers: { 'content-type': MULTIPART },
      body: multipartBody().replace('Content-Disposition', 'Content-Dis\u0000position'),
    });
    expectClientError(response, 'invalid_multipart');
  });

  it.each(['gzip', 'deflate', 'br'])(
    'content-encoding: %s on a body that is not compressed',
    async (encoding) => {
      for (const body of ['{"description":"rust spots on the blade"}', '']) {
        const response = await send({
          method: 'POST',
          path: '/api/v1/analyze',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body,
        });
        expectClientError(response, 'invalid_content_encoding');
      }
    },
  );

  it('still reads a body that is compressed as it says', async () => {
    const json = JSON.stringify({ description: 'orange rust spots on the blade after quench' });
    const compress: Record<string, (input: string) => Buffer> = {
      gzip: (input) => gzipSync(input),
      deflate: (input) => deflateSync(input),
      br: (input) => brotliCompressSync(input),
    };
    for (const [encoding, encode] of Object.entries(compress)) {
      const response = await send({
        method: 'POST',
        path: '/api/v1/analyze',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: encode(json),
      });
      expect(response.status, response.body).toBe(201);
    }
  });

  it('answers 415 for a content-encoding it does not know', async () => {
    const unknown = await send({
      method: 'POST',
      path: '/api/v1/analyze',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nope' },
      body: '{}',
    });
    expect(unknown.status).toBe(415);
    expect((JSON.parse(unknown.body) as ErrorBody).error.code).toBe('unsupported_media_type');
  });
});
