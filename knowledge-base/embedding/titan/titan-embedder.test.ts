import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CancelledError,
  ModelThrottledError,
  UpstreamError,
  ValidationError,
} from '../../../domain/index.ts';
import { createHashingEmbedder } from '../hashing-embedder.ts';
import { describeEmbedderContract } from '../testing/embedder-contract.ts';
import {
  startFakeTitan,
  writeTitanEmbedding,
  writeTitanError,
  type FakeTitan,
} from './testing/fake-titan.ts';
import { createTitanEmbedder } from './titan-embedder.ts';

/** The real SDK client, over HTTP/1.1, pointed at the fake and never retrying on its own. */
function clientFor(fake: FakeTitan): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

describeEmbedderContract('Titan V2 (local InvokeModel server)', async () => {
  const fake = await startFakeTitan();
  const client = clientFor(fake);
  return {
    embedder: createTitanEmbedder({ client, dimensions: 256, concurrency: 2 }),
    batchSize: 2,
    async cleanup() {
      client.destroy();
      await fake.close();
    },
  };
});

describe('createTitanEmbedder against a local Bedrock runtime', () => {
  let fake: FakeTitan;
  let client: BedrockRuntimeClient;

  beforeEach(async () => {
    fake = await startFakeTitan();
    client = clientFor(fake);
  });

  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  it('sends one signed InvokeModel per text, asking for normalised vectors', async () => {
    const embedder = createTitanEmbedder({ client, dimensions: 256 });
    expect(embedder.id).toBe('titan-v2-256');
    expect(embedder.dimensions).toBe(256);
    const texts = ['rust', 'orange rust spots', 'scratch on blade'];
    const vectors = await embedder.embed({ texts });
    expect(vectors).toEqual(await createHashingEmbedder({ dimensions: 256 }).embed({ texts }));
    expect(fake.requests).toHaveLength(3);
    for (const request of fake.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    }
    expect(
      fake.requests.map((request) => request.body).sort((a, b) => a.inputText.localeCompare(b.inputText)),
    ).toEqual([...texts].sort().map((inputText) => ({ inputText, dimensions: 256, normalize: true })));
  });

  it('calls the model it is given', async () => {
    const embedder = createTitanEmbedder({ client, modelId: 'us.amazon.titan-embed-text-v2:0' });
    await embedder.embed({ texts: ['rust'] });
    expect(fake.requests[0]?.path).toBe('/model/us.amazon.titan-embed-text-v2:0/invoke');
    expect(fake.requests[0]?.body.dimensions).toBe(1024);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const embedder = createTitanEmbedder({ client, dimensions: 512, concurrency: 2 });
    const texts = Array.from({ length: 7 }, (_, index) => `text number ${'x'.repeat(index)}`);
    const vectors = await embedder.embed({ texts });
    expect(vectors).toHaveLength(7);
    expect(fake.requests).toHaveLength(7);
    expect(fake.maxInFlight).toBe(2);
  });

  it('retries throttling with backoff and jitter, then succeeds', async () => {
    let calls = 0;
    fake.answerWith(async (request, response) => {
      calls += 1;
      if (calls <= 2)
        writeTitanError(response, 429, 'ThrottlingException', 'Too many requests, please wait.');
      else await fake.answerEmbedding(request, response);
    });
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
    expect(fake.requests).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('retries a 5xx and gives up after maxRetries with a retryable typed error', async () => {
    fake.answerWith((_request, response) =>
      writeTitanError(response, 503, 'ServiceUnavailableException', 'busy'),
    );
    const embedder = createTitanEmbedder({ client, maxRetries: 2, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).cause).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up on throttling with a ModelThrottledError carrying the cause', async () => {
    fake.answerWith((_request, response) =>
      writeTitanError(response, 429, 'ThrottlingException', 'slow down'),
    );
    const embedder = createTitanEmbedder({ client, maxRetries: 1, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).isRetryable).toBe(true);
    expect((error as ModelThrottledError).cause).toMatchObject({ name: 'ThrottlingException' });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a validation error from Bedrock', async () => {
    fake.answerWith((_request, response) =>
      writeTitanError(response, 400, 'ValidationException', 'Malformed input request: extraneous key'),
    );
    const embedder = createTitanEmbedder({ client, sleep: async () => undefined });
    const error = await embedder.embed({ texts: ['rust'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain('ValidationException');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a vector of the wrong length', async () => {
    fake.answerWith((_request, response) => writeTitanEmbedding(response, new Array<number>(512).fill(0), 1));
    const embedder = createTitanEmbedder({ client, dimensions: 1024 });
    await expect(embedder.embed({ texts: ['rust'] })).rejects.toThrow(/returned 512 numbers, expected 1024/);
  });

  it('rejects a body that is not a Titan embedding, with the parse failure as the cause', async () => {
    fake.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ embeddings: [[0.1, 0.2]] }));
    });
    const error = await createTitanEmbedder({ client })
      .embed({ texts: ['rust'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(/not a Titan embedding/);
    expect((error as UpstreamError).cause).toBeDefined();
  });

  it('rejects empty and over-long texts and unsupported dimensions before calling Bedrock', async () => {
    const embedder = createTitanEmbedder({ client });
    await expect(embedder.embed({ texts: ['rust', '  '] })).rejects.toBeInstanceOf(ValidationError);
    await expect(embedder.embed({ texts: ['x'.repeat(50_001)] })).rejects.toThrow(/at most 50000/);
    expect(() => createTitanEmbedder({ client, dimensions: 384 as 256 })).toThrow(ValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops with a CancelledError when the signal is aborted during a call', async () => {
    const embedder = createTitanEmbedder({ client });
    const controller = new AbortController();
    const pending = embedder.embed({ texts: ['rust'], signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('sends nothing for no texts', async () => {
    expect(await createTitanEmbedder({ client }).embed({ texts: [] })).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});
