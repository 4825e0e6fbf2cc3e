import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApp } from './app.ts';
import type { EventLoopDelayProbe } from './middleware/admission.ts';
import { corpusKnowledgeBase, postJson, startTestServer, temporaryDirectory } from './testing/harness.ts';

const RUST = { description: 'orange rust spots near the bolster after quench' };
const SWIRLS = { description: 'swirl marks and haze on mirror finished blades after buffing' };

/** A POST whose headers and first half of the body are sent; the rest waits for `finish()`. */
function halfSentReport(
  url: string,
  report: unknown,
): {
  request: ClientRequest;
  response: Promise<IncomingMessage>;
  finish(): void;
} {
  const body = Buffer.from(JSON.stringify(report));
  const request = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  request.flushHeaders();
  request.write(body.subarray(0, body.length / 2));
  return { request, response, finish: () => request.end(body.subarray(body.length / 2)) };
}

async function expectRefusal(response: Response, message: RegExp): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toMatchObject({ code: 'service_unavailable', requestId: expect.any(String) });
  expect(body.error.message).toMatch(message);
}

describe('admission control under overload', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const data = temporaryDirectory('api-admission-');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
  }, 60_000);
  afterAll(async () => {
    await knowledgeBase.close();
    data.remove();
  });

  it('counts a report from its arrival, before its body is read, and refuses the next one at once', async () => {
    const server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      settings: { ANALYSIS_CONCURRENCY: '1', ANALYSIS_QUEUE_LIMIT: '0' },
    });
    const slow = halfSentReport(`${server.baseUrl}/api/v1/analyze`, RUST);
    try {
      // The half-sent report has not reached the analysis yet, but it holds the only place.
      await expect.poll(() => server.dependencies.analysisSlots.load().admitted).toBe(1);
      expect(server.dependencies.analysisSlots.load()).toMatchObject({ running: 0, waiting: 0 });
      await expectRefusal(await postJson(`${server.baseUrl}/api/v1/analyze`, SWIRLS), /at capacity/);
      const listed = (await (await fetch(`${server.baseUrl}/api/v1/defects`)).json()) as { items: unknown[] };
      expect(listed.items).toHaveLength(0);

      slow.finish();
      expect((await slow.response).statusCode).toBe(201);
      await expect.poll(() => server.dependencies.analysisSlots.load().admitted).toBe(0);
      expect((await postJson(`${server.baseUrl}/api/v1/analyze`, SWIRLS)).status).toBe(201);
    } finally {
      slow.request.destroy();
      await server.close();
    }
  });

  it('gives the place back when the client goes away before its report is read', async () => {
    const server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      settings: { ANALYSIS_CONCURRENCY: '1', ANALYSIS_QUEUE_LIMIT: '0' },
    });
    try {
      const slow = halfSentReport(`${server.baseUrl}/api/v1/analyze`, RUST);
      slow.response.catch(() => undefined);
      await expect.poll(() => server.dependencies.analysisSlots.load().admitted).toBe(1);
      slow.request.destroy();
      await expect.poll(() => server.dependencies.analysisSlots.load().admitted).toBe(0);
      expect((await postJson(`${server.baseUrl}/api/v1/analyze`, SWIRLS)).status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('refuses reports while the event loop stalls beyond the limit, and never health checks or reads', async () => {
    const server = await startTestServer({ knowledgeBase, dataDir: data.directory });
    let stallMs = 1_500;
    const eventLoopDelay: EventLoopDelayProbe = { delayMs: () => stallMs };
    const shedding = createApp({ ...server.dependencies, eventLoopDelay, maxEventLoopDelayMs: 1_000 }).listen(
      0,
    );
    await new Promise<void>((resolve) => shedding.once('listening', resolve));
    const url = `http://127.0.0.1:${(shedding.address() as AddressInfo).port}`;
    try {
      await expectRefusal(
        await postJson(`${url}/api/v1/analyze`, RUST),
        /overloaded \(its event loop stalled for 1500 ms\)/,
      );
      expect(server.dependencies.analysisSlots.load()).toEqual({ running: 0, waiting: 0, admitted: 0 });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      const listed = (await (await fetch(`${url}/api/v1/defects`)).json()) as { items: unknown[] };
      expect(listed.items).toHaveLength(0);

      stallMs = 1_000;
      expect((await postJson(`${url}/api/v1/analyze`, RUST)).status).toBe(201);
    } finally {
      await new Promise((resolve) => shedding.close(resolve));
      await server.close();
    }
  });
});
