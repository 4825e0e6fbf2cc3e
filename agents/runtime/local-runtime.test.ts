import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ActionGroup, type ToolResources } from '../../action-groups/action-group.ts';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { AgentOutputError, AgentStepLimitError, CancelledError, TimeoutError } from '../../domain/index.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { AgentDefinition } from '../definition.ts';
import type { Model } from '../models/model.ts';
import { createScriptedModel, textResponse, toolUseResponse } from '../testing/scripted-model.ts';
import { runToCompletion, type AgentEvent } from './agent-runtime.ts';
import { createLocalRuntime, extractJson } from './local-runtime.ts';

const calls: Array<{ a: number; b: number }> = [];
const calculator: ActionGroup = {
  name: 'calculator',
  description: 'arithmetic',
  tools: [
    defineTool({
      name: 'add',
      description: 'Adds two numbers',
      input: z.object({ a: z.number(), b: z.number() }),
      output: z.object({ sum: z.number(), chunk_id: z.string() }),
      handler: async ({ a, b }) => {
        calls.push({ a, b });
        return { sum: a + b, chunk_id: 'SOP-XX-01#process-window' };
      },
    }),
    defineTool({
      name: 'explode',
      description: 'Always fails',
      input: z.object({}),
      output: z.object({}),
      handler: async () => {
        throw new Error('the tool broke');
      },
    }),
    defineTool({
      name: 'slow',
      description: 'Never finishes in time',
      input: z.object({}),
      output: z.object({}),
      handler: () => new Promise<Record<string, never>>(() => undefined),
    }),
  ],
};

/** Two tools that each finish only once the other has started: they complete only when run at once. */
let arrivals = 0;
let bothArrived: () => void = () => undefined;
const together = new Promise<void>((resolve) => {
  bothArrived = resolve;
});
const rendezvous: ActionGroup = {
  name: 'rendezvous',
  description: 'tools that wait for each other',
  tools: ['left', 'right'].map((name) =>
    defineTool({
      name,
      description: `Waits for the other tool (${name})`,
      input: z.object({}),
      output: z.object({ side: z.string() }),
      handler: async () => {
        arrivals += 1;
        if (arrivals === 2) bothArrived();
        await together;
        return { side: name };
      },
    }),
  ),
};

const Answer = z.object({ answer: z.number() });
const agent: AgentDefinition = {
  name: 'classifier',
  description: 'test agent',
  foundationModelId: 'test',
  instruction: 'You add numbers.',
  actionGroups: ['calculator'],
  usesKnowledgeBase: false,
  outputSchema: Answer,
};

const toolContext: ToolResources = {
  knowledgeBase: {} as KnowledgeBase,
  defectHistory: createInMemoryDefectHistory(),
  now: () => new Date('2026-11-22T08:00:00Z'),
};

async function collect(iterable: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('local runtime', () => {
  it('runs the tool uses of one turn at once and keeps their results and events in the order asked', async () => {
    const model = createScriptedModel({
      steps: [
        toolUseResponse([
          { name: 'left', input: {}, toolUseId: 'tu_left' },
          { name: 'right', input: {}, toolUseId: 'tu_right' },
        ]),
        textResponse('{"answer": 2}'),
      ],
    });
    const runtime = createLocalRuntime({
      model,
      toolContext,
      actionGroups: [rendezvous],
      callTimeoutMs: 60_000,
    });

    const events = await collect(
      runtime.invoke({ agent: { ...agent, actionGroups: ['rendezvous'] }, input: 'meet', sessionId: 's0' }),
    );

    expect(
      events.flatMap((event) => (event.type === 'tool_call' ? [[event.name, event.status]] : [])),
    ).toEqual([
      ['left', 'success'],
      ['right', 'success'],
    ]);
    expect(model.calls[1]?.messages.at(-1)?.content).toEqual([
      { toolResult: { toolUseId: 'tu_left', content: [{ json: { side: 'left' } }], status: 'success' } },
      { toolResult: { toolUseId: 'tu_right', content: [{ json: { side: 'right' } }], status: 'success' } },
    ]);
  });

  it('runs the tool loop, validates arguments, traces every step and validates the answer', async () => {
    const model = createScriptedModel({
      steps: [
        toolUseResponse([{ name: 'add', input: { a: 2, b: 3 } }]),
        textResponse('Here it is: ```json\n{"answer": 5}\n```'),
      ],
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator] });
    const events = await collect(runtime.invoke({ agent, input: 'add 2 and 3', sessionId: 's1' }));
    expect(events.map((event) => event.type)).toEqual([
      'model_call',
      'tool_call',
      'retrieval',
      'model_call',
      'final',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'final', output: { answer: 5 }, steps: 2 });
    expect((events.at(-1) as { usage: { totalTokens: number } }).usage.totalTokens).toBe(976 + 1120);
    expect(model.calls[0]?.tools?.map((tool) => tool.name)).toEqual(['add', 'explode', 'slow']);
    expect(model.calls[0]?.requestMetadata).toEqual({ agent: 'classifier', mode: 'analyze', session: 's1' });
    expect(model.calls[0]?.system[0]?.text).toBe('You add numbers.');
    const toolResult = model.calls[1]?.messages.at(-1)?.content[0];
    expect(toolResult).toEqual({
      toolResult: {
        toolUseId: 'tooluse_0_add',
        content: [{ json: { sum: 5, chunk_id: 'SOP-XX-01#process-window' } }],
        status: 'success',
      },
    });
  });

  it('returns bad arguments and tool failures to the model as error results, without running the tool', async () => {
    calls.length = 0;
    const model = createScriptedModel({
      steps: [
        toolUseResponse([
          { name: 'add', input: { a: 'two', b: 3 } },
          { name: 'explode', input: {} },
          { name: 'nope', input: {} },
        ]),
        textResponse('{"answer": 0}'),
      ],
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator] });
    const events = await collect(runtime.invoke({ agent, input: 'x', sessionId: 's2' }));
    expect(calls).toEqual([]);
    const toolEvents = events.filter((event) => event.type === 'tool_call');
    expect(toolEvents.map((event) => event.type === 'tool_call' && event.status)).toEqual([
      'error',
      'error',
      'error',
    ]);
    const results = model.calls[1]?.messages.at(-1)?.content ?? [];
    expect(JSON.stringify(results[0])).toContain('invalid arguments for add');
    expect(JSON.stringify(results[1])).toContain('the tool broke');
    expect(JSON.stringify(results[2])).toContain('unknown tool nope');
  });

  it('asks once for a repair of an invalid answer, then accepts the fix', async () => {
    const model = createScriptedModel({
      steps: [textResponse('{"answer": "five"}'), textResponse('{"answer": 5}')],
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator] });
    const events = await collect(runtime.invoke({ agent, input: 'x', sessionId: 's3' }));
    expect(events.map((event) => event.type)).toEqual(['model_call', 'repair', 'model_call', 'final']);
    const repairPrompt = model.calls[1]?.messages.at(-1)?.content[0];
    expect(JSON.stringify(repairPrompt)).toContain('answer');
  });

  it('fails with AgentOutputError when the repair is invalid too', async () => {
    const model = createScriptedModel({
      steps: [textResponse('not json at all'), textResponse('{"answer": null}')],
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator] });
    await expect(
      runToCompletion(runtime.invoke({ agent, input: 'x', sessionId: 's4' })),
    ).rejects.toBeInstanceOf(AgentOutputError);
  });

  it('stops at the step limit', async () => {
    const model = createScriptedModel({
      steps: Array.from({ length: 3 }, () => toolUseResponse([{ name: 'add', input: { a: 1, b: 1 } }])),
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator], maxSteps: 3 });
    await expect(
      runToCompletion(runtime.invoke({ agent, input: 'x', sessionId: 's5' })),
    ).rejects.toBeInstanceOf(AgentStepLimitError);
    expect(model.calls).toHaveLength(3);
  });

  it('times out a model call that takes too long', async () => {
    const model = createScriptedModel({ steps: [{ delayMs: 5_000, then: textResponse('{"answer": 1}') }] });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator], callTimeoutMs: 50 });
    await expect(
      runToCompletion(runtime.invoke({ agent, input: 'x', sessionId: 's6' })),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it('times out a model call that ignores its signal', async () => {
    const deaf: Model = { id: 'deaf', supportsImages: false, converse: () => new Promise(() => undefined) };
    const runtime = createLocalRuntime({
      model: deaf,
      toolContext,
      actionGroups: [calculator],
      callTimeoutMs: 50,
    });
    await expect(
      runToCompletion(runtime.invoke({ agent, input: 'x', sessionId: 's6b' })),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it('times out a tool call and tells the model', async () => {
    const model = createScriptedModel({
      steps: [toolUseResponse([{ name: 'slow', input: {} }]), textResponse('{"answer": 1}')],
    });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator], callTimeoutMs: 50 });
    const events = await collect(runtime.invoke({ agent, input: 'x', sessionId: 's7' }));
    expect(events.find((event) => event.type === 'tool_call')).toMatchObject({
      status: 'error',
      error: 'tool slow timed out after 50 ms',
    });
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    const model = createScriptedModel({ steps: [{ delayMs: 5_000, then: textResponse('{"answer": 1}') }] });
    const runtime = createLocalRuntime({ model, toolContext, actionGroups: [calculator] });
    setTimeout(() => controller.abort(new Error('user left')), 20);
    await expect(
      runToCompletion(runtime.invoke({ agent, input: 'x', sessionId: 's8', signal: controller.signal })),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it('extracts JSON from plain, fenced or wrapped answers', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Sure:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(extractJson('The answer is {"a":3}. Done.')).toEqual({ a: 3 });
    expect(() => extractJson('no json')).toThrow(SyntaxError);
  });
});
