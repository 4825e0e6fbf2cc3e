import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CancelledError,
  ModelThrottledError,
  UpstreamError,
  ValidationError,
} from '../../../domain/index.ts';
import { createTitanEmbedder } from './titan-embedder.ts';

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: { inputText: string; dimensions: number; normalize: boolean };
}

type Responder = (request: RecordedRequest, response: ServerResponse) => void;

/** A unit vector whose first component encodes the text length, so answers can be told apart. */
function vectorFor(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  vector[0] = text.length;
  return vector;
}

const answerEmbedding: Responder = (request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
  response.end(
    JSON.stringify({
      embedding: vectorFor(request.body.inputText, request.body.dimensions),
      inputTextTokenCount: request.body.inputText.split(' ').length,
    }),
  );
};

function answerError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'req-err',
  });
  response.end(JSON.stringify({ message }));
}

describe('createTitanEmbedder against a local Bedrock runtime', () => {
  let server: Server;
  let client: BedrockRuntimeClient;
  let requests: RecordedRequest[];
  let responder: Responder;
  let inFlight: number;
  let maxInFlight: number;

  beforeEach(async () => {
    requests = [];
    responder = answerEmbedding;
    inFlight = 0;
    maxInFlight = 0;
    server = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (part: Buffer) => parts.push(part));
      request.on('end', () => {
        const recorded: RecordedRequest = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(Buffer.concat(parts).toString('utf8')) as RecordedRequest['body'],
        };
        requests.push(recorded);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          responder(recorded, response);
        }, 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends one InvokeModel per text and returns the vectors in order', async () => {
    const embedder = createTitanEmbedder({ client, dimensions: 256 });
    expect(embedder.id).toBe('titan-v2-256');
    expect(embedder.dimensions).toBe(256);
    const texts = ['rust', 'orange rust spots', 'scratch on blade'];
    const vectors = await embedder.embed({ texts });
    expect(vectors.map((vector) => vector.length)).toEqual([256, 256, 256]);
    expect(vectors.map((vector) => vector[0])).toEqual(texts.map((text) => text.length));
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(decodeURIComponent(request.url)).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    }
    expect(
      requests.map((request) => request.body).sort((a, b) => a.inputText.localeCompare(b.inputText)),
    ).toEqual([...texts].sort().map((inputText) => ({ inputText, dimensions: 256, normalize: true })));
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const embedder = createTitanEmbedder({ client, dimensions: 512, concurrency: 2 });
    const texts = Array.from({ length: 7 }, (_, index) => `text number ${'x'.repeat(index)}`);
    const vectors = await embedder.embed({ texts });
    expect(vectors.map((vector) => vector[0])).toEqual(texts.map((text) => text.length));
    expect(requests).toHaveLength(7);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBe(2);
  });

  it('retries throttling with backoff and jitter, then succeeds', async () => {
    let calls = 0;
    responder = (request, response) => {
      calls += 1;
      if (calls <= 2) answerError(response, 429, 'ThrottlingException', 'Too many requests, please wait.');
      else answerEmbedding(request, response);
    };
    const delays: number[] = [];
    const embedder = createTitanEmbedder({
      client,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    });
    const [vector] = await embedder.embed({ texts: ['rust spots'] });
    expect(vector?.length).toBe(1024);
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('retries a 5xx and gives up after maxRetries with a retryable typed error', async () => {
    responder = (_request, response) => answerError(response, 503, 'ServiceUnavailableException', 'busy');
    const embedder = createTitanEmbedder({ client, maxRetries: 2, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).cause).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(requests).toHaveLength(3);
  });

  it('gives up on throttling with a ModelThrottledError carrying the cause', async () => {
    responder = (_request, response) => answerError(response, 429, 'ThrottlingException', 'slow down');
    const embedder = createTitanEmbedder({ client, maxRetries: 1, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).isRetryable).toBe(true);
    expect((error as ModelThrottledError).cause).toMatchObject({ name: 'ThrottlingException' });
    expect(requests).toHaveLength(2);
  });

  it('does not retry a validation error from Bedrock', async () => {
    responder = (_request, response) =>
      answerError(response, 400, 'ValidationException', 'Malformed input request: extraneous key');
    const embedder = createTitanEmbedder({ client, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain('ValidationException');
    expect(requests).toHaveLength(1);
  });

  it('rejects a vector of the wrong length', async () => {
    responder = (request, response) =>
      answerEmbedding({ ...request, body: { ...request.body, dimensions: 512 } }, response);
    const embedder = createTitanEmbedder({ client, dimensions: 1024 });
    await expect(embedder.embed({ texts: ['rust'] })).rejects.toThrow(/returned 512 numbers, expected 1024/);
  });

  it('rejects empty texts and unsupported dimensions before calling Bedrock', async () => {
    const embedder = createTitanEmbedder({ client });
    await expect(embedder.embed({ texts: ['rust', '  '] })).rejects.toBeInstanceOf(ValidationError);
    expect(() => createTitanEmbedder({ client, dimensions: 384 as 256 })).toThrow(ValidationError);
    expect(requests).toHaveLength(0);
  });

  it('stops with a CancelledError when the signal is aborted', async () => {
    const embedder = createTitanEmbedder({ client });
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed({ texts: ['rust'], signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    const during = new AbortController();
    const pending = embedder.embed({ texts: ['rust'], signal: during.signal });
    during.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('returns nothing for no texts', async () => {
    expect(await createTitanEmbedder({ client }).embed({ texts: [] })).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});
