import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ActionGroup, type ToolContext } from '../../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../../action-groups/index.ts';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import {
  AgentOutputError,
  CancelledError,
  ModelThrottledError,
  UpstreamError,
} from '../../../domain/index.ts';
import type { KnowledgeBase } from '../../../knowledge-base/knowledge-base.ts';
import { classifierAgent } from '../../classifier/definition.ts';
import type { AgentDefinition } from '../../definition.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../testing/outputs.ts';
import type { AgentEvent } from '../agent-runtime.ts';
import {
  convertParameterValue,
  createBedrockAgentsRuntime,
  invokeSupervisor,
  type BedrockAgentsRuntimeConfig,
} from './bedrock-agents-runtime.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

type Frame = Uint8Array;

function frame(messageType: 'event' | 'exception', type: string, payload: unknown): Frame {
  const typeHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: messageType },
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

function chunk(text: string): Frame {
  return frame('event', 'chunk', { bytes: Buffer.from(text, 'utf8').toString('base64') });
}

function trace(orchestrationTrace: Record<string, unknown>): Frame {
  return frame('event', 'trace', {
    agentId: 'AGENT1',
    agentAliasId: 'ALIAS1',
    sessionId: 'session-1',
    trace: { orchestrationTrace },
  });
}

function modelOutput(inputTokens: number, outputTokens: number): Frame {
  return trace({
    modelInvocationOutput: {
      traceId: `model-${inputTokens}`,
      rawResponse: { content: JSON.stringify({ stop_reason: 'end_turn' }) },
      metadata: { usage: { inputTokens, outputTokens }, totalTimeMs: 120 },
    },
  });
}

function returnControl(
  invocationId: string,
  calls: Array<{ actionGroup: string; function: string; parameters: Array<[string, string, string]> }>,
): Frame {
  return frame('event', 'returnControl', {
    invocationId,
    invocationInputs: calls.map((call) => ({
      functionInvocationInput: {
        actionGroup: call.actionGroup,
        function: call.function,
        parameters: call.parameters.map(([name, type, value]) => ({ name, type, value })),
      },
    })),
  });
}

/** What the fake service answers to one request. */
interface Script {
  frames?: Frame[];
  /** Keep the response open after the frames. */
  hang?: boolean;
  /** An HTTP error instead of a stream. */
  error?: { status: number; type: string; message: string };
}

interface RecordedRequest {
  method: string;
  url: string;
  body: {
    inputText?: string;
    enableTrace?: boolean;
    memoryId?: string;
    sessionState?: {
      sessionAttributes?: Record<string, string>;
      invocationId?: string;
      returnControlInvocationResults?: Array<{
        functionResult?: {
          actionGroup: string;
          function: string;
          responseBody: { TEXT: { body: string } };
          responseState?: string;
        };
      }>;
    };
  };
}

let server: Server;
let endpoint: string;
const scripts: Script[] = [];
const requests: RecordedRequest[] = [];

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  requests.push({
    method: request.method ?? '',
    url: request.url ?? '',
    body: text ? (JSON.parse(text) as RecordedRequest['body']) : {},
  });
  const script = scripts.shift();
  if (!script) {
    response.writeHead(500, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'InternalServerException',
    });
    response.end(JSON.stringify({ message: 'no script left' }));
    return;
  }
  if (script.error) {
    response.writeHead(script.error.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': script.error.type,
    });
    response.end(JSON.stringify({ message: script.error.message }));
    return;
  }
  response.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-agent-content-type': 'application/json',
    'x-amz-bedrock-agent-session-id': 'session-1',
  });
  for (const item of script.frames ?? []) response.write(item);
  if (!script.hang) response.end();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  scripts.length = 0;
  requests.length = 0;
});

const knowledgeBase: KnowledgeBase = {
  retrieve: async () => [],
  getPassages: async () => [],
  describe: async () => ({ documents: 0, chunks: 0, embedderId: null }),
};

const toolContext: Omit<ToolContext, 'signal'> = {
  knowledgeBase,
  defectHistory: createInMemoryDefectHistory(),
  now: () => new Date('2026-11-22T08:00:00Z'),
};

const brokenGroup: ActionGroup = {
  name: 'broken',
  description: 'A tool that always fails',
  tools: [
    defineTool({
      name: 'explode',
      description: 'Always fails',
      input: z.object({ reason: z.string() }),
      output: z.object({}),
      handler: async ({ reason }) => {
        throw new Error(`exploded: ${reason}`);
      },
    }),
  ],
};

const agent: AgentDefinition = { ...classifierAgent, actionGroups: ['defect-taxonomy', 'broken'] };

function makeRuntime(overrides: Partial<BedrockAgentsRuntimeConfig> = {}): {
  runtime: ReturnType<typeof createBedrockAgentsRuntime>;
  sleeps: number[];
} {
  const sleeps: number[] = [];
  const client = new BedrockAgentRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
  const runtime = createBedrockAgentsRuntime({
    client,
    agents: {
      classifier: { agentId: 'AGENT1', agentAliasId: 'ALIAS1' },
      supervisor: { agentId: 'SUPER1', agentAliasId: 'SALIAS1' },
    },
    toolContext,
    actionGroups: [...ACTION_GROUPS, brokenGroup],
    sessionAttributes: { facility: 'solingen' },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { runtime, sleeps };
}

async function collect(iterable: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

const answer = `Here is the classification:\n\`\`\`json\n${JSON.stringify(RUST_CLASSIFICATION)}\n\`\`\``;

describe('bedrock-agents runtime', () => {
  it('streams traces as events and validates the final answer', async () => {
    scripts.push({
      frames: [
        modelOutput(100, 20),
        trace({
          invocationInput: {
            traceId: 'inv-1',
            invocationType: 'ACTION_GROUP',
            actionGroupInvocationInput: {
              actionGroupName: 'process-windows',
              function: 'check_process_window',
              executionType: 'LAMBDA',
              parameters: [{ name: 'temperature_c', type: 'number', value: '1050' }],
            },
          },
        }),
        trace({
          observation: {
            traceId: 'obs-1',
            type: 'KNOWLEDGE_BASE',
            knowledgeBaseLookupOutput: {
              retrievedReferences: [
                { content: { text: 'quench' }, metadata: { chunk_id: 'SOP-VQ-01#process-window' } },
                { content: { text: 'rust' }, metadata: { chunk_id: 'DEF-20240314-3FA2B91C#description' } },
                { content: { text: 'no id' }, metadata: {} },
              ],
            },
          },
        }),
        modelOutput(200, 50),
        chunk(answer.slice(0, 40)),
        chunk(answer.slice(40)),
      ],
    });
    const { runtime } = makeRuntime();
    const events = await collect(
      runtime.invoke({
        agent,
        input: [{ text: 'Orange spots on the bolster' }, { text: 'after the vacuum quench' }],
        sessionId: 'session-1',
      }),
    );

    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe('/agents/AGENT1/agentAliases/ALIAS1/sessions/session-1/text');
    expect(requests[0]?.body).toMatchObject({
      inputText: 'Orange spots on the bolster\nafter the vacuum quench',
      enableTrace: true,
      sessionState: { sessionAttributes: { facility: 'solingen' } },
    });

    expect(events.map((event) => event.type)).toEqual([
      'model_call',
      'tool_call',
      'retrieval',
      'model_call',
      'final',
    ]);
    expect(events[0]).toMatchObject({
      type: 'model_call',
      agent: 'classifier',
      step: 1,
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120 },
      stopReason: 'end_turn',
      durationMs: 120,
    });
    expect(events[1]).toMatchObject({
      type: 'tool_call',
      name: 'check_process_window',
      toolUseId: 'inv-1',
      input: { temperature_c: 1050 },
      status: 'success',
    });
    expect(events[2]).toEqual({
      type: 'retrieval',
      agent: 'classifier',
      step: 1,
      tool: 'knowledge_base',
      chunkIds: ['SOP-VQ-01#process-window', 'DEF-20240314-3FA2B91C#description'],
    });
    const final = events.at(-1);
    expect(final).toMatchObject({
      type: 'final',
      agent: 'classifier',
      output: RUST_CLASSIFICATION,
      usage: { inputTokens: 300, outputTokens: 70, totalTokens: 370 },
      steps: 2,
    });
  });

  it('answers RETURN_CONTROL by running the tool in-process and sending the result back', async () => {
    scripts.push(
      {
        frames: [
          modelOutput(50, 10),
          returnControl('rc-1', [
            {
              actionGroup: 'defect-taxonomy',
              function: 'assess_severity',
              parameters: [
                ['defect_type', 'string', 'rust_spot'],
                ['defect_size_mm', 'number', '3'],
                ['confidence', 'number', '0.9'],
              ],
            },
          ]),
        ],
      },
      { frames: [modelOutput(80, 30), chunk(JSON.stringify(RUST_CLASSIFICATION))] },
    );
    const { runtime } = makeRuntime();
    const events = await collect(
      runtime.invoke({ agent, input: 'Orange spots on the bolster', sessionId: 'session-1' }),
    );

    expect(requests).toHaveLength(2);
    const second = requests[1]?.body;
    expect(second?.inputText).toBeUndefined();
    expect(second?.sessionState?.invocationId).toBe('rc-1');
    expect(second?.sessionState?.sessionAttributes).toEqual({ facility: 'solingen' });
    const result = second?.sessionState?.returnControlInvocationResults?.[0]?.functionResult;
    expect(result).toMatchObject({ actionGroup: 'defect-taxonomy', function: 'assess_severity' });
    expect(result?.responseState).toBeUndefined();
    expect(JSON.parse(result?.responseBody.TEXT.body ?? '{}')).toMatchObject({
      severity: 'critical',
      recommended_action: 'SCRAP',
      escalate: true,
    });

    const toolCall = events.find((event) => event.type === 'tool_call');
    expect(toolCall).toMatchObject({
      name: 'assess_severity',
      toolUseId: 'rc-1:0',
      input: { defect_type: 'rust_spot', defect_size_mm: 3, confidence: 0.9 },
      status: 'success',
    });
    expect(events.at(-1)).toMatchObject({
      type: 'final',
      output: RUST_CLASSIFICATION,
      usage: { inputTokens: 130, outputTokens: 40, totalTokens: 170 },
    });
  });

  it('sends FAILURE for a failing tool and REPROMPT for invalid arguments', async () => {
    scripts.push(
      {
        frames: [
          returnControl('rc-2', [
            { actionGroup: 'broken', function: 'explode', parameters: [['reason', 'string', 'boom']] },
            {
              actionGroup: 'defect-taxonomy',
              function: 'assess_severity',
              parameters: [['defect_type', 'string', 'not_a_defect']],
            },
            { actionGroup: 'sop-lookup', function: 'not_my_tool', parameters: [] },
          ]),
        ],
      },
      { frames: [chunk(JSON.stringify(RUST_CLASSIFICATION))] },
    );
    const { runtime } = makeRuntime();
    const events = await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' }));

    const results = requests[1]?.body.sessionState?.returnControlInvocationResults ?? [];
    expect(results.map((item) => item.functionResult?.responseState)).toEqual([
      'FAILURE',
      'REPROMPT',
      'FAILURE',
    ]);
    expect(JSON.parse(results[0]?.functionResult?.responseBody.TEXT.body ?? '{}')).toEqual({
      error: 'exploded: boom',
    });
    expect(JSON.parse(results[1]?.functionResult?.responseBody.TEXT.body ?? '{}')).toMatchObject({
      error: 'invalid arguments for assess_severity',
    });
    const toolCalls = events.filter((event) => event.type === 'tool_call');
    expect(toolCalls.map((event) => event.status)).toEqual(['error', 'error', 'error']);
    expect(events.at(-1)?.type).toBe('final');
  });

  it('retries a throttling exception event inside the stream with jittered backoff', async () => {
    scripts.push(
      {
        frames: [
          modelOutput(10, 1),
          frame('exception', 'throttlingException', { message: 'Your request rate is too high.' }),
        ],
      },
      { error: { status: 503, type: 'ServiceUnavailableException', message: 'try later' } },
      { frames: [modelOutput(20, 5), chunk(answer)] },
    );
    const { runtime, sleeps } = makeRuntime({ baseDelayMs: 100 });
    const events = await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' }));

    expect(requests).toHaveLength(3);
    expect(requests[2]?.body.inputText).toBe('spots');
    expect(sleeps).toEqual([50, 100]);
    expect(events.at(-1)).toMatchObject({ type: 'final', output: RUST_CLASSIFICATION });
  });

  it('gives up after maxRetries with a retryable ModelThrottledError', async () => {
    for (let index = 0; index < 3; index += 1)
      scripts.push({ frames: [frame('exception', 'throttlingException', { message: 'slow down' })] });
    const { runtime, sleeps } = makeRuntime({ maxRetries: 2 });
    const error = await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ModelThrottledError);
    expect((error as ModelThrottledError).isRetryable).toBe(true);
    expect((error as ModelThrottledError).cause).toBeInstanceOf(Error);
    expect(sleeps).toHaveLength(2);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a client error and wraps it in a non-retryable UpstreamError', async () => {
    scripts.push({ error: { status: 400, type: 'ValidationException', message: 'bad alias' } });
    const { runtime, sleeps } = makeRuntime();
    const error = await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect(((error as UpstreamError).cause as Error).name).toBe('ValidationException');
    expect(sleeps).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('throws AgentOutputError for an answer that does not match the schema', async () => {
    scripts.push({ frames: [chunk('{"defect_detected": "maybe"}')] });
    const { runtime } = makeRuntime();
    const error = await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentOutputError);
    expect((error as AgentOutputError).cause).toBeInstanceOf(z.ZodError);
  });

  it('throws AgentOutputError for an answer without JSON', async () => {
    scripts.push({ frames: [chunk('I could not decide.')] });
    const { runtime } = makeRuntime();
    await expect(
      collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' })),
    ).rejects.toBeInstanceOf(AgentOutputError);
  });

  it('throws CancelledError when the caller aborts mid-stream', async () => {
    scripts.push({ frames: [modelOutput(10, 1)], hang: true });
    const { runtime } = makeRuntime();
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const error = await (async () => {
      for await (const event of runtime.invoke({
        agent,
        input: 'spots',
        sessionId: 'session-1',
        signal: controller.signal,
      })) {
        events.push(event);
        controller.abort(new Error('user left'));
      }
    })().catch((caught: unknown) => caught);
    expect(events.map((event) => event.type)).toEqual(['model_call']);
    expect(error).toBeInstanceOf(CancelledError);
    expect(((error as CancelledError).cause as Error).message).toBe('user left');
  });

  it('invokes the deployed supervisor and validates the consolidated output', async () => {
    const consolidated = {
      classification: RUST_CLASSIFICATION,
      root_cause: RUST_ROOT_CAUSE,
      corrective_actions: RUST_PLAN.corrective_actions,
    };
    scripts.push({
      frames: [
        frame('event', 'trace', {
          agentId: 'CLS1',
          agentAliasId: 'CLSALIAS',
          sessionId: 'session-9',
          collaboratorName: 'classifier',
          trace: {
            orchestrationTrace: {
              modelInvocationOutput: { metadata: { usage: { inputTokens: 7, outputTokens: 3 } } },
            },
          },
        }),
        chunk(JSON.stringify(consolidated)),
      ],
    });
    const { runtime } = makeRuntime();
    const seen: AgentEvent[] = [];
    const result = await invokeSupervisor({
      runtime,
      input: 'Orange spots on the bolster',
      sessionId: 'session-9',
      onEvent: (event) => seen.push(event),
    });
    expect(requests[0]?.url).toBe('/agents/SUPER1/agentAliases/SALIAS1/sessions/session-9/text');
    expect(result.output.classification.defect_type).toBe('rust_spot');
    expect(result.output.root_cause?.probable_stage).toBe('vacuum_quench');
    expect(result.usage.totalTokens).toBe(10);
    expect(seen[0]).toMatchObject({ type: 'model_call', agent: 'classifier' });
  });
});

describe('convertParameterValue', () => {
  it('converts by the declared type and keeps what does not convert', () => {
    expect(convertParameterValue('number', '2.5')).toBe(2.5);
    expect(convertParameterValue('integer', '3')).toBe(3);
    expect(convertParameterValue('number', 'abc')).toBe('abc');
    expect(convertParameterValue('boolean', 'TRUE')).toBe(true);
    expect(convertParameterValue('boolean', 'false')).toBe(false);
    expect(convertParameterValue('array', '["a","b"]')).toEqual(['a', 'b']);
    expect(convertParameterValue('array', '[grinding, polishing]')).toEqual(['grinding', 'polishing']);
    expect(convertParameterValue('array', '[]')).toEqual([]);
    expect(convertParameterValue('string', '42')).toBe('42');
  });
});
