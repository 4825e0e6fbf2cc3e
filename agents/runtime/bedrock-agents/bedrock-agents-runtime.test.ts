import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ActionGroup, type ToolResources } from '../../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../../action-groups/index.ts';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import {
  AgentOutputError,
  CancelledError,
  FollowUpAnswer,
  ModelThrottledError,
  TimeoutError,
  UpstreamError,
} from '../../../domain/index.ts';
import type { KnowledgeBase } from '../../../knowledge-base/knowledge-base.ts';
import { classifierAgent } from '../../classifier/definition.ts';
import type { AgentDefinition } from '../../definition.ts';
import {
  chunk,
  frame,
  modelOutput,
  returnControl,
  startInvokeAgentServer,
  trace,
  type InvokeAgentServer,
} from '../../testing/invoke-agent-server.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../testing/outputs.ts';
import type { AgentEvent } from '../agent-runtime.ts';
import {
  createBedrockAgentsRuntime,
  invokeSupervisor,
  type BedrockAgentsRuntimeConfig,
} from './bedrock-agents-runtime.ts';

let server: InvokeAgentServer;
let scripts: InvokeAgentServer['scripts'];
let requests: InvokeAgentServer['requests'];

beforeAll(async () => {
  server = await startInvokeAgentServer();
  scripts = server.scripts;
  requests = server.requests;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

const knowledgeBase: KnowledgeBase = {
  retrieve: async () => [],
  getPassages: async () => [],
  describe: async () => ({ documents: 0, chunks: 0, embedderId: null }),
};

const toolContext: ToolResources = {
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
  const client = server.createClient();
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
        modelOutput({ inputTokens: 100, outputTokens: 20 }),
        trace({
          orchestrationTrace: {
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
          },
        }),
        trace({
          orchestrationTrace: {
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
          },
        }),
        modelOutput({ inputTokens: 200, outputTokens: 50 }),
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
          modelOutput({ inputTokens: 50, outputTokens: 10 }),
          returnControl({
            invocationId: 'rc-1',
            calls: [
              {
                actionGroup: 'defect-taxonomy',
                function: 'assess_severity',
                parameters: [
                  ['defect_type', 'string', 'rust_spot'],
                  ['defect_size_mm', 'number', '3'],
                  ['confidence', 'number', '0.9'],
                ],
              },
            ],
          }),
        ],
      },
      {
        frames: [
          modelOutput({ inputTokens: 80, outputTokens: 30 }),
          chunk(JSON.stringify(RUST_CLASSIFICATION)),
        ],
      },
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
          returnControl({
            invocationId: 'rc-2',
            calls: [
              { actionGroup: 'broken', function: 'explode', parameters: [['reason', 'string', 'boom']] },
              {
                actionGroup: 'defect-taxonomy',
                function: 'assess_severity',
                parameters: [['defect_type', 'string', 'not_a_defect']],
              },
              { actionGroup: 'sop-lookup', function: 'not_my_tool', parameters: [] },
            ],
          }),
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
          modelOutput({ inputTokens: 10, outputTokens: 1 }),
          frame({
            messageType: 'exception',
            type: 'throttlingException',
            payload: { message: 'Your request rate is too high.' },
          }),
        ],
      },
      { error: { status: 503, type: 'ServiceUnavailableException', message: 'try later' } },
      { frames: [modelOutput({ inputTokens: 20, outputTokens: 5 }), chunk(answer)] },
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
      scripts.push({
        frames: [
          frame({ messageType: 'exception', type: 'throttlingException', payload: { message: 'slow down' } }),
        ],
      });
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
    scripts.push({ frames: [modelOutput({ inputTokens: 10, outputTokens: 1 })], hang: true });
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

  it('sends the mode as a prompt session attribute with every request of the invocation', async () => {
    scripts.push(
      {
        frames: [
          returnControl({
            invocationId: 'rc-mode',
            calls: [
              {
                actionGroup: 'defect-taxonomy',
                function: 'assess_severity',
                parameters: [['defect_type', 'string', 'rust_spot']],
              },
            ],
          }),
        ],
      },
      { frames: [chunk('{"answer": "Because rust is a process failure.", "citations": []}')] },
    );
    const { runtime } = makeRuntime();
    const events = await collect(
      runtime.invoke({
        agent,
        input: '<question>Why critical?</question>',
        sessionId: 'session-1',
        mode: 'answer',
        outputSchema: FollowUpAnswer,
      }),
    );
    expect(requests.map((request) => request.body.sessionState?.promptSessionAttributes)).toEqual([
      { mode: 'answer' },
      { mode: 'answer' },
    ]);
    expect(requests.map((request) => request.body.sessionState?.sessionAttributes)).toEqual([
      { facility: 'solingen' },
      { facility: 'solingen' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'final',
      output: { answer: 'Because rust is a process failure.' },
    });

    server.reset();
    scripts.push({ frames: [chunk(answer)] });
    await collect(runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' }));
    expect(requests[0]?.body.sessionState?.promptSessionAttributes).toEqual({ mode: 'analyze' });
  });

  it('throws TimeoutError, without retrying, when the stream goes quiet for longer than callTimeoutMs', async () => {
    scripts.push({ frames: [modelOutput({ inputTokens: 10, outputTokens: 1 })], hang: true });
    const { runtime, sleeps } = makeRuntime({ callTimeoutMs: 50 });
    const events: AgentEvent[] = [];
    const error = await (async () => {
      for await (const event of runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' }))
        events.push(event);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('50 ms');
    expect(events.map((event) => event.type)).toEqual(['model_call']);
    expect(sleeps).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('does not count the time the caller spends between events against callTimeoutMs', async () => {
    scripts.push({
      frames: [
        modelOutput({ inputTokens: 10, outputTokens: 1 }),
        modelOutput({ inputTokens: 20, outputTokens: 2 }),
        chunk(answer),
      ],
    });
    const { runtime } = makeRuntime({ callTimeoutMs: 50 });
    const events: AgentEvent[] = [];
    for await (const event of runtime.invoke({ agent, input: 'spots', sessionId: 'session-1' })) {
      events.push(event);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    expect(events.map((event) => event.type)).toEqual(['model_call', 'model_call', 'final']);
  });

  it('invokes the deployed supervisor and validates the consolidated output', async () => {
    const consolidated = {
      classification: RUST_CLASSIFICATION,
      root_cause: RUST_ROOT_CAUSE,
      corrective_actions: RUST_PLAN.corrective_actions,
    };
    scripts.push({
      frames: [
        frame({
          messageType: 'event',
          type: 'trace',
          payload: {
            agentId: 'CLS1',
            agentAliasId: 'CLSALIAS',
            sessionId: 'session-9',
            collaboratorName: 'classifier',
            trace: {
              orchestrationTrace: {
                modelInvocationOutput: { metadata: { usage: { inputTokens: 7, outputTokens: 3 } } },
              },
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

describe('bedrock-agents runtime parameters', () => {
  it('converts RETURN_CONTROL parameters by the tool schema, JSON object parameters included', async () => {
    scripts.push(
      {
        frames: [
          returnControl({
            invocationId: 'rc-3',
            calls: [
              {
                actionGroup: 'process-windows',
                function: 'check_measurements',
                parameters: [['measurements', 'string', '{"hardness_hrc": 51, "sharpness_icp": "42"}']],
              },
              {
                actionGroup: 'process-windows',
                function: 'check_measurements',
                parameters: [['measurements', 'string', '{hardness_hrc: 51']],
              },
            ],
          }),
        ],
      },
      { frames: [chunk(JSON.stringify(RUST_CLASSIFICATION))] },
    );
    const { runtime } = makeRuntime();
    const measuringAgent: AgentDefinition = {
      ...agent,
      actionGroups: [...agent.actionGroups, 'process-windows'],
    };
    const events = await collect(
      runtime.invoke({ agent: measuringAgent, input: 'soft and dull', sessionId: 'session-1' }),
    );

    const results = requests[1]?.body.sessionState?.returnControlInvocationResults ?? [];
    expect(results.map((item) => item.functionResult?.responseState)).toEqual([undefined, 'REPROMPT']);
    expect(JSON.parse(results[0]?.functionResult?.responseBody.TEXT.body ?? '{}')).toMatchObject({
      out_of_spec: true,
    });
    expect(JSON.parse(results[1]?.functionResult?.responseBody.TEXT.body ?? '{}')).toMatchObject({
      error: expect.stringContaining('measurements'),
      details: [{ path: 'measurements' }],
    });
    const toolCalls = events.filter((event) => event.type === 'tool_call');
    expect(toolCalls[0]).toMatchObject({
      input: { measurements: { hardness_hrc: 51, sharpness_icp: 42 } },
      status: 'success',
    });
    expect(toolCalls[1]).toMatchObject({ input: { measurements: '{hardness_hrc: 51' }, status: 'error' });
  });
});
