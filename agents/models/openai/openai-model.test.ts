import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentOutputError,
  CancelledError,
  ModelThrottledError,
  UpstreamError,
} from '../../../domain/errors.ts';
import type { ConverseParams, ConverseResult, Model } from '../model.ts';
import { startOpenAiServer, type OpenAiServer } from '../testing/openai-server.ts';
import { IMAGE_LEFT_OUT_TEXT } from './openai-mapping.ts';
import { createOpenAiModel, retryAfterMs, type OpenAiModelOptions } from './openai-model.ts';

const MODEL_NAME = 'Qwen/Qwen2.5-7B-Instruct';
const API_KEY = 'sk-local-0123456789abcdef';

/** What the hosted model answers next; by default a short text. */
let answer: (params: ConverseParams) => Promise<ConverseResult> = () => Promise.resolve(textResult('ok'));

const hosted: Model = {
  id: MODEL_NAME,
  supportsImages: true,
  converse: (params) => answer(params),
};

function textResult(text: string): ConverseResult {
  return {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
  };
}

let server: OpenAiServer;
const sleeps: number[] = [];

beforeAll(async () => {
  server = await startOpenAiServer({ model: hosted, apiKey: API_KEY, streamChunkLength: 5 });
});

afterEach(() => {
  server.reset();
  sleeps.length = 0;
  answer = () => Promise.resolve(textResult('ok'));
});

afterAll(async () => {
  await server.close();
});

function makeModel(options: Partial<OpenAiModelOptions> = {}): Model {
  return createOpenAiModel({
    baseUrl: `${server.baseUrl}/`,
    modelName: MODEL_NAME,
    apiKey: API_KEY,
    maxRetries: 2,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
}

const LOOKUP_TOOL = {
  name: 'lookup_defect_taxonomy',
  description: 'Looks up the defect taxonomy.',
  inputSchema: {
    json: {
      type: 'object',
      properties: { query: { type: 'string' } },
      required: ['query'],
      additionalProperties: false,
    },
  },
};

function call(extra: Partial<ConverseParams> = {}): ConverseParams {
  return {
    system: [{ text: 'You classify defects.' }],
    messages: [{ role: 'user', content: [{ text: 'orange spots after quench' }] }],
    ...extra,
  };
}

/** A non-streamed vLLM answer that calls a tool, as it arrives on the wire. */
const TOOL_CALL_COMPLETION = {
  id: 'chatcmpl-8c1f2a9e4b7d4c0e9f6a',
  object: 'chat.completion',
  created: 1_764_806_400,
  model: MODEL_NAME,
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        reasoning_content: null,
        tool_calls: [
          {
            id: 'chatcmpl-tool-3f0c7d8e2a4b4f1c',
            type: 'function',
            function: { name: 'lookup_defect_taxonomy', arguments: '{"query": "rust spots"}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
      stop_reason: null,
    },
  ],
  usage: { prompt_tokens: 412, total_tokens: 431, completion_tokens: 19, prompt_tokens_details: null },
  prompt_logprobs: null,
};

/** A non-streamed Ollama answer with text. */
const TEXT_COMPLETION = {
  id: 'chatcmpl-512',
  object: 'chat.completion',
  created: 1_764_806_401,
  model: 'qwen2.5:7b',
  system_fingerprint: 'fp_ollama',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: '{"defectType":"rust"}' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 230, completion_tokens: 8, total_tokens: 238 },
};

describe('createOpenAiModel', () => {
  it('sends system, messages, tools, tool_choice and metadata, with the API key as a bearer token', async () => {
    const model = makeModel();
    await model.converse(
      call({ tools: [LOOKUP_TOOL], toolChoice: { any: {} }, requestMetadata: { agent: 'classifier' } }),
    );
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({
      model: MODEL_NAME,
      messages: [
        { role: 'system', content: 'You classify defects.' },
        { role: 'user', content: 'orange spots after quench' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup_defect_taxonomy',
            description: 'Looks up the defect taxonomy.',
            parameters: LOOKUP_TOOL.inputSchema.json,
          },
        },
      ],
      tool_choice: 'required',
      metadata: { agent: 'classifier' },
    });
  });

  it('names a required tool as a function, and leaves tools and tool_choice out when none are offered', async () => {
    const model = makeModel();
    await model.converse(call({ tools: [LOOKUP_TOOL], toolChoice: { tool: { name: LOOKUP_TOOL.name } } }));
    await model.converse(call({ toolChoice: { auto: {} } }));
    const [named, none] = server.requests.map((request) => request.body as Record<string, unknown>);
    expect(named?.tool_choice).toEqual({ type: 'function', function: { name: LOOKUP_TOOL.name } });
    expect(none).not.toHaveProperty('tools');
    expect(none).not.toHaveProperty('tool_choice');
  });

  it('reads a tool call with JSON string arguments as a toolUse block, with the usage', async () => {
    server.script({ status: 200, body: TOOL_CALL_COMPLETION });
    const result = await makeModel().converse(call({ tools: [LOOKUP_TOOL], toolChoice: { any: {} } }));
    expect(result.output.message).toEqual({
      role: 'assistant',
      content: [
        {
          toolUse: {
            toolUseId: 'chatcmpl-tool-3f0c7d8e2a4b4f1c',
            name: 'lookup_defect_taxonomy',
            input: { query: 'rust spots' },
          },
        },
      ],
    });
    expect(result.stopReason).toBe('tool_use');
    expect(result.usage).toEqual({ inputTokens: 412, outputTokens: 19, totalTokens: 431 });
  });

  it('reads a text answer as end_turn', async () => {
    server.script({ status: 200, body: TEXT_COMPLETION });
    const result = await makeModel().converse(call());
    expect(result.output.message.content).toEqual([{ text: '{"defectType":"rust"}' }]);
    expect(result.stopReason).toBe('end_turn');
    expect(result.usage).toEqual({ inputTokens: 230, outputTokens: 8, totalTokens: 238 });
  });

  it('reads tool calls as tool_use even when the finish reason says stop, and length as max_tokens', async () => {
    const [choice] = TOOL_CALL_COMPLETION.choices;
    server.script(
      { status: 200, body: { ...TOOL_CALL_COMPLETION, choices: [{ ...choice, finish_reason: 'stop' }] } },
      {
        status: 200,
        body: {
          ...TEXT_COMPLETION,
          choices: [
            { index: 0, message: { role: 'assistant', content: '{"defect' }, finish_reason: 'length' },
          ],
        },
      },
    );
    const model = makeModel();
    expect((await model.converse(call({ tools: [LOOKUP_TOOL] }))).stopReason).toBe('tool_use');
    expect((await model.converse(call())).stopReason).toBe('max_tokens');
  });

  it('gives a tool call that came without an id one of its own', async () => {
    const [choice] = TOOL_CALL_COMPLETION.choices;
    const withoutId = { type: 'function', function: { name: 'lookup_defect_taxonomy', arguments: '{}' } };
    server.script({
      status: 200,
      body: {
        ...TOOL_CALL_COMPLETION,
        choices: [{ ...choice, message: { role: 'assistant', content: null, tool_calls: [withoutId] } }],
      },
    });
    const result = await makeModel({ newToolUseId: () => 'call_generated' }).converse(
      call({ tools: [LOOKUP_TOOL] }),
    );
    expect(result.output.message.content).toEqual([
      { toolUse: { toolUseId: 'call_generated', name: 'lookup_defect_taxonomy', input: {} } },
    ]);
  });

  it('sends tool uses as tool_calls and tool results as tool messages with their tool_call_id', async () => {
    const model = makeModel();
    await model.converse(
      call({
        tools: [LOOKUP_TOOL],
        messages: [
          { role: 'user', content: [{ text: 'orange spots after quench' }] },
          {
            role: 'assistant',
            content: [
              { text: 'Looking it up.' },
              { toolUse: { toolUseId: 'call_1', name: LOOKUP_TOOL.name, input: { query: 'rust' } } },
              { toolUse: { toolUseId: 'call_2', name: LOOKUP_TOOL.name, input: { query: 'stain' } } },
            ],
          },
          {
            role: 'user',
            content: [
              {
                toolResult: { toolUseId: 'call_1', content: [{ json: { code: 'rust' } }], status: 'success' },
              },
              { toolResult: { toolUseId: 'call_2', content: [{ text: 'no match' }], status: 'error' } },
              { text: 'Now answer.' },
            ],
          },
        ],
      }),
    );
    const body = server.requests[0]?.body as { messages: unknown[] };
    expect(body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Looking it up.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: LOOKUP_TOOL.name, arguments: '{"query":"rust"}' },
          },
          {
            id: 'call_2',
            type: 'function',
            function: { name: LOOKUP_TOOL.name, arguments: '{"query":"stain"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"code":"rust"}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: no match' },
      { role: 'user', content: 'Now answer.' },
    ]);
    expect(server.receivedCalls()[0]?.messages[2]?.content).toEqual([
      { toolResult: { toolUseId: 'call_1', content: [{ json: { code: 'rust' } }], status: 'success' } },
      { toolResult: { toolUseId: 'call_2', content: [{ text: 'no match' }], status: 'error' } },
      { text: 'Now answer.' },
    ]);
  });

  it('sends images as image_url data URLs when the model supports them, and leaves them out otherwise', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const messages: ConverseParams['messages'] = [
      { role: 'user', content: [{ text: 'see photo' }, { image: { format: 'png', source: { bytes } } }] },
    ];
    const imageOnly: ConverseParams['messages'] = [
      { role: 'user', content: [{ image: { format: 'jpeg', source: { bytes } } }] },
    ];
    await makeModel({ supportsImages: true }).converse(call({ messages }));
    await makeModel({ supportsImages: false }).converse(call({ messages }));
    await makeModel({ supportsImages: false }).converse(call({ messages: imageOnly }));
    const sent = server.requests.map((request) => (request.body as { messages: unknown[] }).messages[1]);
    expect(sent).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'see photo' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
        ],
      },
      { role: 'user', content: 'see photo' },
      { role: 'user', content: IMAGE_LEFT_OUT_TEXT },
    ]);
  });

  it('streams: asks for usage, and assembles content and tool call arguments from their pieces', async () => {
    answer = () =>
      Promise.resolve({
        output: {
          message: {
            role: 'assistant',
            content: [
              { text: 'Checking the taxonomy first.' },
              { toolUse: { toolUseId: 'call_9', name: LOOKUP_TOOL.name, input: { query: 'orange spots' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 40, outputTokens: 11, totalTokens: 51 },
      });
    const result = await makeModel({ stream: true }).converse(call({ tools: [LOOKUP_TOOL] }));
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(result.output.message.content).toEqual([
      { text: 'Checking the taxonomy first.' },
      { toolUse: { toolUseId: 'call_9', name: LOOKUP_TOOL.name, input: { query: 'orange spots' } } },
    ]);
    expect(result.stopReason).toBe('tool_use');
    expect(result.usage).toEqual({ inputTokens: 40, outputTokens: 11, totalTokens: 51 });
  });

  it('reads a recorded stream with CRLF lines, comments and no usage', async () => {
    const chunk = (delta: unknown, finish: string | null = null): string =>
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: MODEL_NAME, choices: [{ index: 0, delta, finish_reason: finish }] })}\r\n\r\n`;
    server.script({
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8' },
      body: [
        ': keep-alive\r\n\r\n',
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: '{"defect' }),
        chunk({ content: 'Type":"rust"}' }),
        chunk({}, 'stop'),
        'data: [DONE]\r\n\r\n',
      ].join(''),
    });
    const result = await makeModel({ stream: true }).converse(call());
    expect(result.output.message.content).toEqual([{ text: '{"defectType":"rust"}' }]);
    expect(result.stopReason).toBe('end_turn');
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('waits at least Retry-After on a 429, then succeeds', async () => {
    server.script({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { error: { message: 'Rate limit reached', type: 'rate_limit_exceeded', code: null } },
    });
    const result = await makeModel().converse(call());
    expect(result.output.message.content).toEqual([{ text: 'ok' }]);
    expect(sleeps).toEqual([2000]);
    expect(server.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('throws a retryable ModelThrottledError with the cause when 429s outlast the retries', async () => {
    const throttled = {
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
      },
    };
    server.script(throttled, throttled, throttled);
    const error = await makeModel()
      .converse(call())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).isRetryable).toBe(true);
    expect((error as ModelThrottledError).message).toMatch(/3 attempt\(s\): HTTP 429: Rate limit reached/);
    expect((error as ModelThrottledError).cause).toBeInstanceOf(Error);
    expect((error as ModelThrottledError).details).toEqual({ retryAfterMs: 1000 });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a 500 and throws a retryable UpstreamError when retries run out', async () => {
    const failed = {
      status: 500,
      body: { error: { message: 'CUDA out of memory', type: 'InternalServerError' } },
    };
    server.script(failed, failed, failed);
    const error = await makeModel()
      .converse(call())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).message).toMatch(/HTTP 500: CUDA out of memory/);
    expect(sleeps).toEqual([100, 200]);
  });

  it('turns a 400 into a non-retryable UpstreamError naming the model, without retrying or showing the key', async () => {
    server.script({
      status: 400,
      body: {
        object: 'error',
        message: "This model's maximum context length is 32768 tokens.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    });
    const error = await makeModel()
      .converse(call())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain(MODEL_NAME);
    expect((error as UpstreamError).message).toContain('maximum context length');
    expect((error as UpstreamError).message).not.toContain(API_KEY);
    expect((error as UpstreamError).cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(1);
  });

  it('turns a wrong API key into a non-retryable UpstreamError', async () => {
    const error = await makeModel({ apiKey: 'sk-wrong-key-000000' })
      .converse(call())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toMatch(/HTTP 401: Incorrect API key/);
  });

  it('turns tool call arguments that are not JSON into an AgentOutputError, without retrying', async () => {
    const [choice] = TOOL_CALL_COMPLETION.choices;
    const broken = {
      id: 'call_bad',
      type: 'function',
      function: { name: 'lookup_defect_taxonomy', arguments: '{"query": "rust spots"' },
    };
    server.script({
      status: 200,
      body: {
        ...TOOL_CALL_COMPLETION,
        choices: [{ ...choice, message: { role: 'assistant', content: null, tool_calls: [broken] } }],
      },
    });
    const error = await makeModel()
      .converse(call({ tools: [LOOKUP_TOOL] }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentOutputError);
    expect((error as AgentOutputError).message).toMatch(
      /lookup_defect_taxonomy \(call_bad\) with arguments that are not JSON/,
    );
    expect((error as AgentOutputError).cause).toBeInstanceOf(SyntaxError);
    expect(server.requests).toHaveLength(1);
  });

  it('turns tool call arguments that are JSON but not an object into an AgentOutputError', async () => {
    const [choice] = TOOL_CALL_COMPLETION.choices;
    const listed = {
      id: 'call_list',
      type: 'function',
      function: { name: 'lookup_defect_taxonomy', arguments: '["rust"]' },
    };
    server.script({
      status: 200,
      body: {
        ...TOOL_CALL_COMPLETION,
        choices: [{ ...choice, message: { role: 'assistant', content: null, tool_calls: [listed] } }],
      },
    });
    const error = await makeModel()
      .converse(call({ tools: [LOOKUP_TOOL] }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentOutputError);
  });

  it('retries a connection that is refused, then throws a retryable UpstreamError with the cause', async () => {
    const closed = await startOpenAiServer({ model: hosted });
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await makeModel({ baseUrl })
      .converse(call())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(true);
    expect((error as UpstreamError).message).toMatch(/fetch failed/);
    expect(sleeps).toHaveLength(2);
  });

  it('turns an abort during the call into CancelledError and cancels the request', async () => {
    let started: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      started = resolve;
    });
    answer = (params) =>
      new Promise((_resolve, reject) => {
        started();
        params.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    const controller = new AbortController();
    const pending = makeModel().converse(call({ signal: controller.signal }));
    await reached;
    controller.abort(new Error('the caller gave up'));
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(server.requests).toHaveLength(1);
  });

  it('makes no request when the signal is already aborted', async () => {
    const error = await makeModel()
      .converse(call({ signal: AbortSignal.abort() }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(server.requests).toHaveLength(0);
  });

  it('uses an injected fetch', async () => {
    const urls: string[] = [];
    const model = makeModel({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await model.converse(call());
    expect(urls).toEqual([`${server.baseUrl}/chat/completions`]);
  });
});

describe('retryAfterMs', () => {
  it('reads delay seconds and HTTP dates', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('0.5', 0)).toBe(500);
    expect(retryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', Date.parse('2026-12-04T10:00:00Z'))).toBe(5000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
