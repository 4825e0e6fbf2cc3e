import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelledError,
  ModelThrottledError,
  UpstreamError,
  ValidationError,
} from '../../../domain/errors.ts';
import type { ConverseParams, Model } from '../model.ts';
import { eventFrame } from '../testing/converse-server.ts';
import { IMAGE_LEFT_OUT_TEXT } from './converse-mapping.ts';
import { createConverseModel, type ConverseModelOptions } from './converse-model.ts';
import { CONVERSE_IMAGE_LIMITS } from './fit-image.ts';

const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/** A 1×1 PNG. */
const ONE_PIXEL_PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** A phone-sized photo of noise, which JPEG cannot compress: several megabytes. */
async function noisePhoto(width: number, height: number): Promise<Uint8Array> {
  const pixels = randomBytes(width * height * 3);
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer(),
  );
}

interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the fake Bedrock answers to one request. */
type Reply =
  | { status: number; headers?: Record<string, string>; json: unknown }
  | { status: 200; events: Array<{ type: string; payload: unknown }> }
  | { hang: true };

const requests: RecordedRequest[] = [];
const replies: Reply[] = [];
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: request.method ?? '',
        path: decodeURIComponent(request.url ?? ''),
        headers: request.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      });
      const reply = replies.shift() ?? { status: 500, json: { message: 'no reply scripted' } };
      if ('hang' in reply) return;
      if ('events' in reply) {
        response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
        for (const event of reply.events) response.write(eventFrame(event.type, event.payload));
        response.end();
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.json));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  requests.length = 0;
  replies.length = 0;
  server.closeAllConnections();
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

function makeClient(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

const sleeps: number[] = [];

/** The adapter under test; without prompt caching unless asked, so the wire bodies below stay plain. */
function makeModel(options: Partial<ConverseModelOptions> = {}): Model {
  sleeps.length = 0;
  return createConverseModel({
    modelId: MODEL_ID,
    client: makeClient(),
    promptCaching: false,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
}

function converseReply(content: unknown[], stopReason = 'end_turn'): Reply {
  return {
    status: 200,
    json: {
      output: { message: { role: 'assistant', content } },
      stopReason,
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
      metrics: { latencyMs: 812 },
    },
  };
}

function throttled(): Reply {
  return {
    status: 429,
    headers: {
      'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
    },
    json: { message: 'Too many requests, please wait before trying again.' },
  };
}

const question: ConverseParams = {
  system: [{ text: 'You classify cutlery defects.' }],
  messages: [{ role: 'user', content: [{ text: 'Spoon bowl shows black pits after polishing.' }] }],
};

const classifyTool = {
  name: 'lookup_taxonomy',
  description: 'Looks up the defect taxonomy.',
  inputSchema: {
    json: { type: 'object', properties: { term: { type: 'string' } }, required: ['term'] },
  },
};

describe('createConverseModel', () => {
  it('sends a Converse request and maps the text answer', async () => {
    replies.push(converseReply([{ text: 'Likely porosity from the casting stage.' }]));
    const model = makeModel();

    const result = await model.converse({ ...question, requestMetadata: { agent: 'classifier' } });

    expect(model.id).toBe(MODEL_ID);
    expect(result).toEqual({
      output: {
        message: { role: 'assistant', content: [{ text: 'Likely porosity from the casting stage.' }] },
      },
      stopReason: 'end_turn',
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
      metrics: { latencyMs: 812 },
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/model/${MODEL_ID}/converse`);
    expect(request?.body).toEqual({
      system: [{ text: 'You classify cutlery defects.' }],
      messages: [{ role: 'user', content: [{ text: 'Spoon bowl shows black pits after polishing.' }] }],
      requestMetadata: { agent: 'classifier' },
    });
  });

  it('round-trips a tool use and its tool result', async () => {
    replies.push(
      converseReply(
        [
          { text: 'Let me check the taxonomy.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'lookup_taxonomy', input: { term: 'pitting' } } },
        ],
        'tool_use',
      ),
      converseReply([{ text: 'It is pitting corrosion.' }]),
    );
    const model = makeModel();
    const tools = [classifyTool];

    const first = await model.converse({ ...question, tools, toolChoice: { auto: {} } });
    expect(first.stopReason).toBe('tool_use');
    expect(first.output.message.content[1]).toEqual({
      toolUse: { toolUseId: 'tooluse_1', name: 'lookup_taxonomy', input: { term: 'pitting' } },
    });

    const second = await model.converse({
      ...question,
      tools,
      toolChoice: { tool: { name: 'lookup_taxonomy' } },
      messages: [
        ...question.messages,
        first.output.message,
        {
          role: 'user',
          content: [
            {
              toolResult: {
                toolUseId: 'tooluse_1',
                content: [{ json: { code: 'D-PIT' } }, { text: 'pitting corrosion' }],
                status: 'success',
              },
            },
          ],
        },
      ],
    });
    expect(second.output.message.content).toEqual([{ text: 'It is pitting corrosion.' }]);

    expect(requests[0]?.body.toolConfig).toEqual({
      tools: [{ toolSpec: classifyTool }],
      toolChoice: { auto: {} },
    });
    expect(requests[1]?.body.toolConfig).toEqual({
      tools: [{ toolSpec: classifyTool }],
      toolChoice: { tool: { name: 'lookup_taxonomy' } },
    });
    expect(requests[1]?.body.messages).toEqual([
      { role: 'user', content: [{ text: 'Spoon bowl shows black pits after polishing.' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Let me check the taxonomy.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'lookup_taxonomy', input: { term: 'pitting' } } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tooluse_1',
              content: [{ json: { code: 'D-PIT' } }, { text: 'pitting corrosion' }],
              status: 'success',
            },
          },
        ],
      },
    ]);
  });

  it('puts cache checkpoints after the tool specs, the system prompt and the conversation of a Claude model by default', async () => {
    replies.push({
      status: 200,
      json: {
        output: { message: { role: 'assistant', content: [{ text: 'Pitting.' }] } },
        stopReason: 'end_turn',
        usage: {
          inputTokens: 40,
          outputTokens: 10,
          totalTokens: 2050,
          cacheReadInputTokens: 1800,
          cacheWriteInputTokens: 200,
        },
        metrics: { latencyMs: 300 },
      },
    });
    const model = createConverseModel({ modelId: MODEL_ID, client: makeClient() });

    const result = await model.converse({ ...question, tools: [classifyTool], toolChoice: { auto: {} } });

    expect(requests[0]?.body).toMatchObject({
      system: [{ text: 'You classify cutlery defects.' }, { cachePoint: { type: 'default' } }],
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Spoon bowl shows black pits after polishing.' },
            { cachePoint: { type: 'default' } },
          ],
        },
      ],
      toolConfig: { tools: [{ toolSpec: classifyTool }, { cachePoint: { type: 'default' } }] },
    });
    expect(result.usage).toEqual({
      inputTokens: 40,
      outputTokens: 10,
      totalTokens: 2050,
      cacheReadInputTokens: 1800,
      cacheWriteInputTokens: 200,
    });
  });

  it('sends no cache checkpoints for a model without prompt caching, or when it is turned off', async () => {
    replies.push(converseReply([{ text: 'Pitting.' }]), converseReply([{ text: 'Pitting.' }]));
    const params = { ...question, tools: [classifyTool], toolChoice: { auto: {} } };

    await createConverseModel({ modelId: 'mistral.mistral-large-2407-v1:0', client: makeClient() }).converse(
      params,
    );
    await makeModel().converse(params);

    for (const request of requests) {
      expect(request.body.system).toEqual([{ text: 'You classify cutlery defects.' }]);
      expect(request.body.toolConfig).toEqual({
        tools: [{ toolSpec: classifyTool }],
        toolChoice: { auto: {} },
      });
    }
  });

  it('sends image bytes base64-encoded when the model supports images', async () => {
    replies.push(converseReply([{ text: 'A scratch.' }]));
    const bytes = ONE_PIXEL_PNG;
    const model = makeModel({ supportsImages: true });
    expect(model.supportsImages).toBe(true);

    await model.converse({
      ...question,
      messages: [
        {
          role: 'user',
          content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes } } }],
        },
      ],
    });

    expect(requests[0]?.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { text: 'What is this?' },
          { image: { format: 'png', source: { bytes: Buffer.from(bytes).toString('base64') } } },
        ],
      },
    ]);
  });

  it('fits a large photo within Converse’s limits: scaled to 1568 px and re-encoded as JPEG', async () => {
    const photo = await noisePhoto(4032, 3024);
    expect(photo.byteLength).toBeGreaterThan(CONVERSE_IMAGE_LIMITS.maxBytes);
    replies.push(converseReply([{ text: 'Rust.' }]), converseReply([{ text: 'Rust again.' }]));
    const model = makeModel({ supportsImages: true });
    const params: ConverseParams = {
      ...question,
      messages: [
        {
          role: 'user',
          content: [{ text: 'What is this?' }, { image: { format: 'jpeg', source: { bytes: photo } } }],
        },
      ],
    };

    await model.converse(params);
    await model.converse(params);

    const sent = requests.map((request) => {
      const [message] = request.body.messages as Array<{
        content: Array<{ image?: { format: string; source: { bytes: string } } }>;
      }>;
      return message?.content[1]?.image;
    });
    expect(sent[0]?.format).toBe('jpeg');
    const bytes = Buffer.from(sent[0]?.source.bytes ?? '', 'base64');
    expect(bytes.byteLength).toBeLessThanOrEqual(CONVERSE_IMAGE_LIMITS.maxBytes);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 1568, height: 1176 });
    expect(sent[1]).toEqual(sent[0]);
  });

  it('refuses an image it cannot decode before calling Bedrock', async () => {
    const model = makeModel({ supportsImages: true });
    await expect(
      model.converse({
        ...question,
        messages: [
          {
            role: 'user',
            content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }],
          },
        ],
      }),
    ).rejects.toThrow(ValidationError);
    expect(requests).toHaveLength(0);
  });

  it('leaves image blocks out when the model does not support images', async () => {
    replies.push(converseReply([{ text: 'No image seen.' }]));
    const model = makeModel();
    expect(model.supportsImages).toBe(false);

    await model.converse({
      ...question,
      messages: [
        {
          role: 'user',
          content: [
            { text: 'What is this?' },
            { image: { format: 'jpeg', source: { bytes: new Uint8Array([1, 2, 3]) } } },
          ],
        },
      ],
    });

    expect(requests[0]?.body.messages).toEqual([{ role: 'user', content: [{ text: 'What is this?' }] }]);
  });

  it('puts a note in a turn that held only images when the model does not support images', async () => {
    replies.push(converseReply([{ text: 'No image seen.' }]));
    const model = makeModel();

    await model.converse({
      ...question,
      messages: [
        { role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1, 2]) } } }] },
      ],
    });

    expect(requests[0]?.body.messages).toEqual([{ role: 'user', content: [{ text: IMAGE_LEFT_OUT_TEXT }] }]);
  });

  it('sends the guardrail and inference config', async () => {
    replies.push(converseReply([{ text: 'Blocked.' }], 'guardrail_intervened'));
    const model = makeModel({
      guardrail: { identifier: 'gr-quality', version: '2', trace: 'enabled' },
      inferenceConfig: { maxTokens: 1024, temperature: 0.2, topP: 0.9 },
    });

    const result = await model.converse(question);

    expect(result.stopReason).toBe('guardrail_intervened');
    expect(requests[0]?.body.guardrailConfig).toEqual({
      guardrailIdentifier: 'gr-quality',
      guardrailVersion: '2',
      trace: 'enabled',
    });
    expect(requests[0]?.body.inferenceConfig).toEqual({ maxTokens: 1024, temperature: 0.2, topP: 0.9 });
  });

  it('assembles a ConverseStream of text and tool-use input deltas', async () => {
    replies.push({
      status: 200,
      events: [
        { type: 'messageStart', payload: { role: 'assistant' } },
        { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Checking the ' } } },
        { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'taxonomy.' } } },
        { type: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
        {
          type: 'contentBlockStart',
          payload: {
            contentBlockIndex: 1,
            start: { toolUse: { toolUseId: 'tooluse_9', name: 'lookup_taxonomy' } },
          },
        },
        {
          type: 'contentBlockDelta',
          payload: { contentBlockIndex: 1, delta: { toolUse: { input: '{"term":' } } },
        },
        {
          type: 'contentBlockDelta',
          payload: { contentBlockIndex: 1, delta: { toolUse: { input: ' "pitting"}' } } },
        },
        { type: 'contentBlockStop', payload: { contentBlockIndex: 1 } },
        { type: 'messageStop', payload: { stopReason: 'tool_use' } },
        {
          type: 'metadata',
          payload: {
            usage: { inputTokens: 200, outputTokens: 40, totalTokens: 240 },
            metrics: { latencyMs: 950 },
          },
        },
      ],
    });
    const model = makeModel({ stream: true });

    const result = await model.converse({ ...question, tools: [classifyTool] });

    expect(requests[0]?.path).toBe(`/model/${MODEL_ID}/converse-stream`);
    expect(requests[0]?.body.toolConfig).toEqual({ tools: [{ toolSpec: classifyTool }] });
    expect(result).toEqual({
      output: {
        message: {
          role: 'assistant',
          content: [
            { text: 'Checking the taxonomy.' },
            { toolUse: { toolUseId: 'tooluse_9', name: 'lookup_taxonomy', input: { term: 'pitting' } } },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 200, outputTokens: 40, totalTokens: 240 },
      metrics: { latencyMs: 950 },
    });
  });

  it('retries a ConverseStream that fails mid-stream with a throttlingException', async () => {
    replies.push(
      {
        status: 200,
        events: [
          { type: 'messageStart', payload: { role: 'assistant' } },
          { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Partial' } } },
          { type: 'throttlingException', payload: { message: 'Too many tokens, please wait.' } },
        ],
      },
      {
        status: 200,
        events: [
          { type: 'messageStart', payload: { role: 'assistant' } },
          { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Whole answer.' } } },
          { type: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
          { type: 'messageStop', payload: { stopReason: 'end_turn' } },
          {
            type: 'metadata',
            payload: {
              usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
              metrics: { latencyMs: 5 },
            },
          },
        ],
      },
    );
    const model = makeModel({ stream: true });

    const result = await model.converse(question);

    expect(result.output.message.content).toEqual([{ text: 'Whole answer.' }]);
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 3, totalTokens: 13 });
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([100]);
  });

  it('rejects streamed tool input that is not JSON with a non-retryable UpstreamError', async () => {
    replies.push({
      status: 200,
      events: [
        { type: 'messageStart', payload: { role: 'assistant' } },
        {
          type: 'contentBlockStart',
          payload: {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 'tooluse_2', name: 'lookup_taxonomy' } },
          },
        },
        {
          type: 'contentBlockDelta',
          payload: { contentBlockIndex: 0, delta: { toolUse: { input: '{"term":' } } },
        },
        { type: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
        { type: 'messageStop', payload: { stopReason: 'tool_use' } },
      ],
    });
    const model = makeModel({ stream: true });

    const error = await model.converse(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain(MODEL_ID);
    expect(requests).toHaveLength(1);
  });

  it('retries throttling with jittered exponential backoff, then succeeds', async () => {
    replies.push(throttled(), throttled(), converseReply([{ text: 'Done.' }]));
    const model = makeModel({ baseDelayMs: 100 });

    const result = await model.converse(question);

    expect(result.output.message.content).toEqual([{ text: 'Done.' }]);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('throws ModelThrottledError with the SDK error as cause when retries run out', async () => {
    replies.push(throttled(), throttled(), throttled());
    const model = makeModel({ maxRetries: 2 });

    const error = await model.converse(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).isRetryable).toBe(true);
    expect((error as ModelThrottledError).message).toContain(MODEL_ID);
    expect((error as ModelThrottledError).cause).toMatchObject({
      name: 'ThrottlingException',
      message: 'Too many requests, please wait before trying again.',
      $metadata: { httpStatusCode: 429 },
    });
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('retries a 503 and throws a retryable UpstreamError when retries run out', async () => {
    const unavailable: Reply = {
      status: 503,
      headers: { 'x-amzn-errortype': 'ServiceUnavailableException' },
      json: { message: 'Service unavailable.' },
    };
    replies.push(unavailable, unavailable);
    const model = makeModel({ maxRetries: 1 });

    const error = await model.converse(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).cause).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(requests).toHaveLength(2);
  });

  it('turns a ValidationException into a non-retryable UpstreamError naming the model', async () => {
    replies.push({
      status: 400,
      headers: { 'x-amzn-errortype': 'ValidationException' },
      json: { message: 'A conversation must start with a user message.' },
    });
    const model = makeModel();

    const error = await model.converse(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain(MODEL_ID);
    expect((error as UpstreamError).message).toContain('A conversation must start with a user message.');
    expect((error as UpstreamError).cause).toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('turns an abort into CancelledError', async () => {
    replies.push({ hang: true });
    const model = makeModel();
    const controller = new AbortController();

    const pending = model
      .converse({ ...question, signal: controller.signal })
      .catch((caught: unknown) => caught);
    await expect.poll(() => requests.length).toBe(1);
    controller.abort();
    const error = await pending;

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toContain(MODEL_ID);
    expect((error as CancelledError).cause).toBeDefined();
  });

  it('does not call Bedrock when the signal is already aborted', async () => {
    const model = makeModel();

    const error = await model
      .converse({ ...question, signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CancelledError);
    expect(requests).toHaveLength(0);
  });
});
