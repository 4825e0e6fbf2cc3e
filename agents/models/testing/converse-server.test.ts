import { ConverseCommand, type Message as BedrockMessage } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, ModelThrottledError, UpstreamError } from '../../../domain/errors.ts';
import {
  createScriptedModel,
  textResponse,
  toolUseResponse,
  type ScriptedModel,
  type ScriptedStep,
} from '../../testing/scripted-model.ts';
import { createConverseModel } from '../converse/converse-model.ts';
import type { ConverseParams, Model } from '../model.ts';
import {
  SENT_AT_HEADER,
  startConverseServer,
  toConverseStreamEvents,
  type ConverseServer,
} from './converse-server.ts';
import { callLatency, type LatencyProfile } from './latency-model.ts';
import { createPromptCache } from './prompt-cache.ts';
import { createTokenCounter, TOOL_USE_SYSTEM_PROMPT_TOKENS } from './token-counter.ts';

let scripted: ScriptedModel = createScriptedModel({ steps: [] });
/** The hosted model: the script of the running test. */
const hosted: Model = {
  id: 'scripted-v1',
  supportsImages: false,
  converse: (params) => scripted.converse(params),
};
let server: ConverseServer;

/** Gives the hosted model a new script. */
function script(...steps: ScriptedStep[]): ScriptedModel {
  scripted = createScriptedModel({ steps });
  return scripted;
}

beforeAll(async () => {
  server = await startConverseServer({ model: hosted, streamChunkLength: 4 });
});

beforeEach(() => {
  server.reset();
  script();
});

afterAll(async () => {
  await server.close();
});

function adapter(options: { stream?: boolean } = {}): Model {
  return createConverseModel({
    modelId: server.modelId,
    client: server.createClient(),
    maxRetries: 0,
    ...options,
  });
}

const lookupTool = {
  name: 'lookup_taxonomy',
  description: 'Looks up the defect taxonomy.',
  inputSchema: { json: { type: 'object', properties: { term: { type: 'string' } } } },
};

const question: ConverseParams = {
  system: [{ text: 'You classify cutlery defects.' }],
  messages: [{ role: 'user', content: [{ text: 'Black pits on a spoon bowl.' }] }],
  tools: [lookupTool],
  toolChoice: { tool: { name: 'lookup_taxonomy' } },
  requestMetadata: { agent: 'classifier', mode: 'analyze' },
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('local Converse server', () => {
  it.each([false, true])('hands the hosted model the request as sent (stream: %s)', async (stream) => {
    const hostedModel = script(
      toolUseResponse([{ name: 'lookup_taxonomy', input: { term: 'pitting' }, toolUseId: 'tu_1' }]),
    );

    const result = await adapter({ stream }).converse(question);

    expect(hostedModel.calls).toHaveLength(1);
    const { signal, ...received } = hostedModel.calls[0] ?? question;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(received).toEqual({ ...question, toolChoice: { tool: { name: 'lookup_taxonomy' } } });
    expect(server.receivedCalls()).toEqual([received]);
    expect(server.requests[0]).toMatchObject({
      operation: stream ? 'ConverseStream' : 'Converse',
      modelId: 'scripted-v1',
      status: 200,
    });
    expect(result.output.message.content).toEqual([
      { text: 'Let me look that up.' },
      { toolUse: { toolUseId: 'tu_1', name: 'lookup_taxonomy', input: { term: 'pitting' } } },
    ]);
    expect(result.stopReason).toBe('tool_use');
  });

  it('streams text and tool input in deltas, as ConverseStream does', () => {
    const events = toConverseStreamEvents(
      toolUseResponse([{ name: 'lookup_taxonomy', input: { term: 'pit' }, toolUseId: 'tu_2' }], 'Checking.'),
      { chunkLength: 6, latencyMs: 870 },
    );

    expect(events).toEqual([
      { type: 'messageStart', payload: { role: 'assistant' } },
      { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Checki' } } },
      { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'ng.' } } },
      { type: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      {
        type: 'contentBlockStart',
        payload: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tu_2', name: 'lookup_taxonomy' } } },
      },
      {
        type: 'contentBlockDelta',
        payload: { contentBlockIndex: 1, delta: { toolUse: { input: '{"term' } } },
      },
      {
        type: 'contentBlockDelta',
        payload: { contentBlockIndex: 1, delta: { toolUse: { input: '":"pit' } } },
      },
      { type: 'contentBlockDelta', payload: { contentBlockIndex: 1, delta: { toolUse: { input: '"}' } } } },
      { type: 'contentBlockStop', payload: { contentBlockIndex: 1 } },
      { type: 'messageStop', payload: { stopReason: 'tool_use' } },
      {
        type: 'metadata',
        payload: {
          usage: { inputTokens: 1024, outputTokens: 96, totalTokens: 1120 },
          metrics: { latencyMs: 870 },
        },
      },
    ]);
  });

  it.each<[string, BedrockMessage[], string]>([
    [
      'a conversation that starts with the assistant',
      [{ role: 'assistant', content: [{ text: 'Hello.' }] }],
      'A conversation must start with a user message.',
    ],
    [
      'a message with no content',
      [{ role: 'user', content: [] }],
      'The content field in the Message object at messages.0 is empty.',
    ],
    [
      'a blank text block',
      [{ role: 'user', content: [{ text: '  ' }] }],
      'The text field in the ContentBlock object at messages.0.content.0 is blank.',
    ],
    [
      'two user turns in a row',
      [
        { role: 'user', content: [{ text: 'One.' }] },
        { role: 'user', content: [{ text: 'Two.' }] },
      ],
      'A conversation must alternate between user and assistant roles.',
    ],
    [
      'a tool result without toolConfig',
      [
        { role: 'user', content: [{ text: 'Look it up.' }] },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'tu_3', name: 'lookup_taxonomy', input: {} } }],
        },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tu_3', content: [{ text: 'pitting' }] } }] },
      ],
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    ],
    [
      'an image for a model that does not read images',
      [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }],
      "This model doesn't support the image content block at messages.0.content.0.",
    ],
  ])('rejects %s with a ValidationException, as Bedrock does', async (_name, messages, message) => {
    const error = await rejection(
      server.createClient().send(new ConverseCommand({ modelId: server.modelId, messages })),
    );

    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain(message);
    expect(scripted.calls).toEqual([]);
    expect(server.requests[0]?.status).toBe(400);
  });

  it('rejects tool results that do not answer the previous turn', async () => {
    const error = await rejection(
      adapter().converse({
        ...question,
        messages: [
          ...question.messages,
          {
            role: 'assistant',
            content: [{ toolUse: { toolUseId: 'tu_4', name: 'lookup_taxonomy', input: { term: 'pit' } } }],
          },
          {
            role: 'user',
            content: [{ toolResult: { toolUseId: 'tu_5', content: [{ json: { code: 'D' } }] } }],
          },
        ],
      }),
    );

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toContain('answers toolUseId tu_5');
    expect(scripted.calls).toEqual([]);
  });

  it('rejects a model id it does not host', async () => {
    const model = createConverseModel({
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      client: server.createClient(),
      maxRetries: 0,
    });

    const error = await rejection(model.converse(question));

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toContain('The provided model identifier is invalid.');
    expect(server.requests[0]?.modelId).toBe('anthropic.claude-3-5-sonnet-20240620-v1:0');
  });

  it('answers a throttled hosted model with a ThrottlingException', async () => {
    script(new ModelThrottledError('slow down'));

    const error = await rejection(adapter().converse(question));

    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).cause).toMatchObject({
      name: 'ThrottlingException',
      message: 'slow down',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('answers a failing hosted model with a ModelErrorException', async () => {
    script(new Error('the weights are missing'));

    const error = await rejection(adapter({ stream: true }).converse(question));

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).cause).toMatchObject({
      name: 'ModelErrorException',
      $metadata: { httpStatusCode: 424 },
    });
  });

  it('aborts the hosted call when the client goes away', async () => {
    const hostedModel = script({ delayMs: 60_000, then: textResponse('too late') });
    const controller = new AbortController();

    const pending = rejection(adapter({ stream: true }).converse({ ...question, signal: controller.signal }));
    await expect.poll(() => hostedModel.calls.length).toBe(1);
    controller.abort(new Error('the caller gave up'));
    const error = await pending;

    expect(error).toBeInstanceOf(CancelledError);
    const hostedSignal = hostedModel.calls[0]?.signal;
    await expect.poll(() => hostedSignal?.aborted).toBe(true);
    expect(hostedSignal?.reason).toBeInstanceOf(CancelledError);
    expect(server.requests[0]?.status).toBeUndefined();
  });
});

describe('local Converse server with token accounting and modelled latency', () => {
  const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const profile: LatencyProfile = { firstTokenMs: 40, msPerInputToken: 0, msPerOutputToken: 2 };
  const countTokens = createTokenCounter();
  const longSystem = 'Classify the defect of the report from its evidence. '.repeat(150);
  let accounted: ConverseServer;

  beforeAll(async () => {
    accounted = await startConverseServer({
      model: hosted,
      modelId: 'other-model',
      otherModelIds: [CLAUDE],
      accounting: { countTokens, promptCache: createPromptCache() },
      latency: ({ usage }) => callLatency(profile, usage),
    });
  });

  afterAll(async () => {
    await accounted.close();
  });

  function claude(options: { stream?: boolean } = {}): Model {
    return createConverseModel({
      modelId: CLAUDE,
      client: accounted.createClient(),
      maxRetries: 0,
      ...options,
    });
  }

  it.each([false, true])(
    'counts tokens from the wire, accounts cache writes then reads, and reports the modelled latency (stream: %s)',
    async (stream) => {
      accounted.reset();
      script(textResponse('Pitting corrosion.'), textResponse('Pitting corrosion.'));
      const system = `${longSystem} Stream: ${stream}.`;
      const params = { ...question, system: [{ text: system }], toolChoice: { auto: {} } };

      const first = await claude({ stream }).converse(params);
      const second = await claude({ stream }).converse(params);

      const systemTokens = countTokens(system);
      const toolTokens = countTokens(JSON.stringify(lookupTool));
      const prefix = TOOL_USE_SYSTEM_PROMPT_TOKENS + toolTokens + systemTokens;
      const outputTokens = countTokens('Pitting corrosion.');
      expect(first.usage).toMatchObject({
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: prefix,
        outputTokens,
      });
      expect(second.usage).toMatchObject({
        cacheReadInputTokens: prefix,
        cacheWriteInputTokens: 0,
        outputTokens,
      });
      expect(second.usage.inputTokens).toBe(first.usage.inputTokens);
      expect(second.usage.totalTokens).toBe(prefix + second.usage.inputTokens + outputTokens);
      const latency = accounted.requests[1]?.latency;
      expect(latency?.totalMs).toBe(40 + 2 * outputTokens);
      expect(second.metrics?.latencyMs).toBe(Math.round(latency?.totalMs ?? 0));
    },
  );

  it('starts the modelled latency when the client sent the request, if asked to', async () => {
    const slow: LatencyProfile = { firstTokenMs: 400, msPerInputToken: 0, msPerOutputToken: 0 };
    const fromSent = await startConverseServer({
      model: hosted,
      modelId: CLAUDE,
      latencyFrom: 'sent',
      latency: ({ usage }) => callLatency(slow, usage),
    });
    try {
      const client = fromSent.createClient();
      // A request that waited 350 ms before the server read it: the server owes only the rest.
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { headers: Record<string, string> };
          request.headers[SENT_AT_HEADER] = String(performance.timeOrigin + performance.now() - 350);
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low' },
      );
      script(textResponse('Pitting corrosion.'));
      await createConverseModel({ modelId: CLAUDE, client, maxRetries: 0 }).converse(question);
      const [recorded] = fromSent.requests;
      const sentAt = recorded?.sentAt ?? Number.NaN;
      const receivedAt = recorded?.receivedAt ?? Number.NaN;
      const answeredAt = recorded?.answeredAt ?? Number.NaN;
      expect(receivedAt - sentAt).toBeGreaterThanOrEqual(350);
      expect(answeredAt - sentAt).toBeGreaterThan(390); // timers may fire a few ms early
      expect(answeredAt - receivedAt).toBeLessThan(400);
    } finally {
      await fromSent.close();
    }
  });

  it('refuses more than four cache checkpoints', async () => {
    const client = accounted.createClient();
    const cachePoint = { cachePoint: { type: 'default' as const } };
    const error = await rejection(
      client.send(
        new ConverseCommand({
          modelId: CLAUDE,
          system: [{ text: 'Be brief.' }, cachePoint, cachePoint, cachePoint],
          messages: [{ role: 'user', content: [{ text: 'Hello.' }, cachePoint, cachePoint] }],
        }),
      ),
    );

    expect(error).toMatchObject({ name: 'ValidationException' });
  });
});
