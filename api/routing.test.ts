import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { ErrorBody } from './middleware/errors.ts';
import {
  corpusKnowledgeBase,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

describe('a wrong method on a known path', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: TestServer;
  const data = temporaryDirectory('api-routing-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
    server = await startTestServer({ knowledgeBase, dataDir: data.directory });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await knowledgeBase.close();
    data.remove();
  });

  it.each([
    ['DELETE', '/api/v1/defects', 'GET, HEAD'],
    ['GET', '/api/v1/analyze', 'POST'],
    ['PUT', '/api/v1/analyses/DEF-20261122-00000001', 'GET, HEAD'],
    ['PATCH', '/api/v1/analyses/DEF-20261122-00000001/questions', 'GET, HEAD, POST'],
    ['DELETE', '/api/v1/jobs/job-1', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
  ])('answers %s %s with 405 and Allow: %s, in the error shape', async (method, path, allow) => {
    const response = await fetch(`${server.baseUrl}${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.message).toBe(`${method} is not allowed on ${path}; allowed: ${allow}`);
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('still answers an unknown path with 404, whatever the method', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${server.baseUrl}/api/v1/no-such-thing`, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get('allow')).toBeNull();
      expect(((await response.json()) as ErrorBody).error.code).toBe('not_found');
    }
  });
});
