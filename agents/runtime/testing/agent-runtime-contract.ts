import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolResources } from '../../../action-groups/action-group.ts';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import {
  CancelledError,
  FollowUpAnswer,
  isDomainError,
  TimeoutError,
  UpstreamError,
  type InspectionReport,
} from '../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { KnowledgeBase } from '../../../knowledge-base/knowledge-base.ts';
import type { AgentDefinition } from '../../definition.ts';
import { classifierAgent, correctiveActionAgent, rootCauseAgent } from '../../index.ts';
import type { ContentBlock, Message, Model, TokenUsage } from '../../models/model.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { fixtureKnowledgeBase } from '../../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import type { AgentEvent, AgentRuntime, InvokeParams } from '../agent-runtime.ts';
import { agentTools } from '../local-runtime.ts';
import {
  analysisInput,
  finalOf,
  followUpInput,
  recordingModel,
  settle,
  type RecordingModel,
} from './invocations.ts';

/** What an adapter is built from in a contract run. */
export interface AgentRuntimeSetup {
  /** The model the agents must run on: called directly, or hosted by the service the adapter talks to. */
  model: Model;
  /** What the tools get: a small knowledge base (or a failing one), a defect history, a fixed clock. */
  toolContext: ToolResources;
  /**
   * The time limit the adapter must put on each model call, in ms: on the call itself, or on each
   * wait on the service that hosts the model.
   */
  callTimeoutMs: number;
}

/** What a contract run needs from an adapter. */
export interface AgentRuntimeUnderTest {
  runtime: AgentRuntime;
  cleanup?: () => Promise<void>;
}

type ToolCallEvent = Extract<AgentEvent, { type: 'tool_call' }>;
type FinalEvent = Extract<AgentEvent, { type: 'final' }>;

/** The rust report of the sample reports (no measurements). */
const RUST_REPORT: InspectionReport = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };
/** The cracked-handle report of the sample reports: another defect, another answer. */
const HANDLE_REPORT: InspectionReport = SAMPLE_REPORTS[3] ?? { description: 'cracked handle scales' };

const SPECIALISTS: readonly AgentDefinition[] = [classifierAgent, rootCauseAgent, correctiveActionAgent];

let sessionCounter = 0;

/** A session id no other invocation of the run uses. */
function freshSessionId(label: string): string {
  sessionCounter += 1;
  return `contract-${label}-${sessionCounter}`;
}

function toolCallsOf(events: readonly AgentEvent[]): ToolCallEvent[] {
  return events.filter((event): event is ToolCallEvent => event.type === 'tool_call');
}

function addUp(usages: readonly TokenUsage[]): TokenUsage {
  return usages.reduce(
    (sum, usage) => ({
      inputTokens: sum.inputTokens + usage.inputTokens,
      outputTokens: sum.outputTokens + usage.outputTokens,
      totalTokens: sum.totalTokens + usage.totalTokens,
    }),
    { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  );
}

function expectWholeUsage(usage: TokenUsage): void {
  for (const count of [usage.inputTokens, usage.outputTokens, usage.totalTokens]) {
    expect(Number.isInteger(count)).toBe(true);
    expect(count).toBeGreaterThanOrEqual(0);
  }
  expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
}

/** Checks the one `final` event, last, and returns it. */
function expectOneFinalLast(events: readonly AgentEvent[]): FinalEvent {
  expect(events.filter((event) => event.type === 'final')).toHaveLength(1);
  const final = finalOf(events);
  expect(final, `the last event is ${events.at(-1)?.type}, not final`).toBeDefined();
  return final as FinalEvent;
}

/** The tool results of the last user turn of a model call, as the model saw them. */
function toolResultsOf(
  messages: readonly Message[],
): Array<Extract<ContentBlock, { toolResult: unknown }>['toolResult']> {
  const last = messages.at(-1);
  if (last?.role !== 'user') return [];
  return last.content.flatMap((block) => ('toolResult' in block ? [block.toolResult] : []));
}

/** The names of the tool uses the model asked for anywhere in a conversation, by tool use id. */
function toolNamesById(messages: readonly Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages)
    for (const block of message.content)
      if ('toolUse' in block) names.set(block.toolUse.toolUseId, block.toolUse.name);
  return names;
}

/** The part of a tool call that does not depend on the run: what was called with what, and how it went. */
function callSummary(event: ToolCallEvent): { name: string; input: unknown; status: string } {
  return { name: event.name, input: event.input, status: event.status };
}

/** Runs two invocations event by event in turn, one event of each at a time, and returns their events. */
async function interleave(
  first: AsyncIterable<AgentEvent>,
  second: AsyncIterable<AgentEvent>,
): Promise<[AgentEvent[], AgentEvent[]]> {
  const runs = [first, second].map((iterable) => ({
    iterator: iterable[Symbol.asyncIterator](),
    events: [] as AgentEvent[],
    done: false,
  }));
  while (runs.some((run) => !run.done)) {
    for (const run of runs) {
      if (run.done) continue;
      const next = await run.iterator.next();
      if (next.done) run.done = true;
      else run.events.push(next.value);
    }
  }
  return [runs[0]?.events ?? [], runs[1]?.events ?? []];
}

/** A model that never answers: its calls end only when their signal aborts, with a CancelledError. */
function silentModel(): Model {
  return {
    id: 'silent',
    supportsImages: false,
    converse: ({ signal }) =>
      new Promise((_resolve, reject) => {
        const stop = (): void =>
          reject(new CancelledError('the call was aborted', { cause: signal?.reason }));
        signal?.addEventListener('abort', stop, { once: true });
      }),
  };
}

/** How long a case waits for an invocation that should stop on its own before it fails the case. */
const GIVE_UP_MS = 5_000;

/** A knowledge base that is down: every call throws an {@link UpstreamError}. */
function failingKnowledgeBase(): KnowledgeBase {
  const down = async (): Promise<never> => {
    throw new UpstreamError('the knowledge base is unreachable', { isRetryable: true });
  };
  return { retrieve: down, getPassages: down, describe: down };
}

/**
 * The AgentRuntime contract: every adapter (local, bedrock-agents, …) must pass it with the real
 * agent definitions, the real action groups over a small knowledge base, and the offline model
 * behind them. `create` is called once for the suite with the model, tool context and time limit to
 * use, and once more for each case that needs something broken: a knowledge base that fails, a
 * model that never answers. The offline model it is given records its calls, so the contract sees
 * what reached the model whether the adapter calls it in-process or a service hosts it.
 */
export function describeAgentRuntimeContract(
  name: string,
  create: (setup: AgentRuntimeSetup) => Promise<AgentRuntimeUnderTest>,
): void {
  describe(`AgentRuntime contract: ${name}`, () => {
    let knowledgeBase: EmbeddedKnowledgeBase;
    let model: RecordingModel;
    let subject: AgentRuntimeUnderTest;
    let runtime: AgentRuntime;
    const toolContext = (base: KnowledgeBase): ToolResources => ({
      knowledgeBase: base,
      defectHistory: createInMemoryDefectHistory(),
      now: () => new Date('2026-11-22T08:00:00Z'),
    });

    beforeAll(async () => {
      knowledgeBase = await fixtureKnowledgeBase();
      model = recordingModel(createOfflineModel());
      subject = await create({ model, toolContext: toolContext(knowledgeBase), callTimeoutMs: 10_000 });
      runtime = subject.runtime;
    });

    afterAll(async () => {
      await subject?.cleanup?.();
      knowledgeBase?.close();
    });

    function invoke(
      params: Omit<InvokeParams, 'sessionId'> & { sessionId?: string },
    ): AsyncIterable<AgentEvent> {
      return runtime.invoke({ sessionId: freshSessionId(params.agent.name), ...params });
    }

    it.each(SPECIALISTS.map((agent) => [agent.name, agent] as const))(
      '%s: ends with one final event whose output matches its schema, after calls of its own tools, with usage and steps',
      async (_name, agent) => {
        const { events, error } = await settle(invoke({ agent, input: analysisInput(agent, RUST_REPORT) }));
        expect(error).toBeUndefined();
        const final = expectOneFinalLast(events);
        const parsed = agent.outputSchema.safeParse(final.output);
        expect(parsed.error).toBeUndefined();

        const ownTools = new Set(agentTools(agent).map((tool) => tool.name));
        const toolCalls = toolCallsOf(events);
        expect(toolCalls.length).toBeGreaterThan(0);
        for (const call of toolCalls) {
          expect(ownTools.has(call.name), `${call.name} is not a tool of ${agent.name}`).toBe(true);
          expect(call.status, call.error).toBe('success');
        }

        const modelCalls = events.filter((event) => event.type === 'model_call');
        expect(final.steps).toBe(modelCalls.length);
        expect(final.steps).toBeGreaterThan(1);
        expectWholeUsage(final.usage);
        expect(final.usage.totalTokens).toBeGreaterThan(0);
        expect(final.usage).toEqual(addUp(modelCalls.map((event) => event.usage)));
        for (const event of modelCalls) expectWholeUsage(event.usage);
      },
    );

    it('streams events in order: tool calls after the model call that asked for them, their results in the next model call, retrievals after their tool call, final last; every event names the agent', async () => {
      const agent = rootCauseAgent;
      const before = model.calls.length;
      const { events, error } = await settle(invoke({ agent, input: analysisInput(agent, RUST_REPORT) }));
      expect(error).toBeUndefined();
      const final = expectOneFinalLast(events);
      const calls = model.calls.slice(before);

      for (const event of events) expect(event.agent).toBe(agent.name);
      const modelSteps = events.flatMap((event) => (event.type === 'model_call' ? [event.step] : []));
      expect(modelSteps).toEqual(modelSteps.map((_step, index) => index + 1));
      expect(calls).toHaveLength(modelSteps.length);

      const toolUseIds = new Set<string>();
      events.forEach((event, index) => {
        if (event.type === 'final') return;
        const earlier = events.slice(0, index);
        if (event.type === 'tool_call') {
          expect(toolUseIds.has(event.toolUseId), `toolUseId ${event.toolUseId} is used twice`).toBe(false);
          toolUseIds.add(event.toolUseId);
          expect(earlier.some((other) => other.type === 'model_call' && other.step === event.step)).toBe(
            true,
          );
          expect(earlier.some((other) => other.type === 'model_call' && other.step > event.step)).toBe(false);
        }
        if (event.type === 'retrieval') {
          expect(event.chunkIds.length).toBeGreaterThan(0);
          const call = earlier.findLast((other): other is ToolCallEvent => other.type === 'tool_call');
          expect(call).toMatchObject({ name: event.tool, step: event.step, status: 'success' });
        }
      });

      for (const step of modelSteps.slice(0, -1)) {
        const stepCalls = toolCallsOf(events).filter((event) => event.step === step);
        const next = calls[step];
        const results = next ? toolResultsOf(next.messages) : [];
        const names = next ? toolNamesById(next.messages) : new Map<string, string>();
        expect(
          results.map((result) => ({ name: names.get(result.toolUseId), status: result.status })),
        ).toEqual(stepCalls.map((event) => ({ name: event.name, status: event.status })));
      }
      expect(final.steps).toBe(modelSteps.length);
    });

    it.each(SPECIALISTS.map((agent) => [agent.name, agent] as const))(
      '%s: gives the same final output, after the same tool calls, for the same input twice',
      async (_name, agent) => {
        const input = analysisInput(agent, RUST_REPORT);
        const first = await settle(invoke({ agent, input }));
        const second = await settle(invoke({ agent, input }));
        expect(first.error).toBeUndefined();
        expect(second.error).toBeUndefined();
        expect(finalOf(second.events)?.output).toEqual(finalOf(first.events)?.output);
        expect(toolCallsOf(second.events).map(callSummary)).toEqual(
          toolCallsOf(first.events).map(callSummary),
        );
      },
    );

    it('keeps sessions apart: interleaved invocations in two sessions, and a second invocation in one of them, each answer as if alone', async () => {
      const agent = classifierAgent;
      const rustInput = analysisInput(agent, RUST_REPORT);
      const handleInput = analysisInput(agent, HANDLE_REPORT);
      const rustAlone = finalOf((await settle(invoke({ agent, input: rustInput }))).events)?.output;
      const handleAlone = finalOf((await settle(invoke({ agent, input: handleInput }))).events)?.output;
      expect(rustAlone).toBeDefined();
      expect(handleAlone).not.toEqual(rustAlone);

      const firstSession = freshSessionId('first');
      const secondSession = freshSessionId('second');
      const [rustEvents, handleEvents] = await interleave(
        runtime.invoke({ agent, input: rustInput, sessionId: firstSession }),
        runtime.invoke({ agent, input: handleInput, sessionId: secondSession }),
      );
      expect(finalOf(rustEvents)?.output).toEqual(rustAlone);
      expect(finalOf(handleEvents)?.output).toEqual(handleAlone);

      const again = await settle(runtime.invoke({ agent, input: handleInput, sessionId: firstSession }));
      expect(again.error).toBeUndefined();
      expect(finalOf(again.events)?.output).toEqual(handleAlone);
    });

    it('rejects with CancelledError, before any model call, when the signal is already aborted', async () => {
      const before = model.calls.length;
      const reason = new Error('the caller gave up');
      const { events, error } = await settle(
        invoke({
          agent: classifierAgent,
          input: analysisInput(classifierAgent, RUST_REPORT),
          signal: AbortSignal.abort(reason),
        }),
      );
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as CancelledError).cause).toBe(reason);
      expect(events).toEqual([]);
      expect(model.calls.length).toBe(before);
    });

    it('stops with CancelledError, with no further event or model call, when the signal aborts during the invocation', async () => {
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const events: AgentEvent[] = [];
      let callsAtAbort = 0;
      const error = await (async () => {
        for await (const event of invoke({
          agent: rootCauseAgent,
          input: analysisInput(rootCauseAgent, RUST_REPORT),
          signal: controller.signal,
        })) {
          events.push(event);
          if (!controller.signal.aborted) {
            callsAtAbort = model.calls.length;
            controller.abort(reason);
          }
        }
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as CancelledError).cause).toBe(reason);
      expect(events.map((event) => event.type)).toEqual(['model_call']);
      expect(model.calls.length).toBe(callsAtAbort);
    });

    it('reports a failing tool (its knowledge base down) as a tool error to the model, and ends with a final answer or a typed error', async () => {
      const failingModel = recordingModel(createOfflineModel());
      const failing = await create({
        model: failingModel,
        toolContext: toolContext(failingKnowledgeBase()),
        callTimeoutMs: 10_000,
      });
      try {
        const agent = classifierAgent;
        const { events, error } = await settle(
          failing.runtime.invoke({
            agent,
            input: analysisInput(agent, RUST_REPORT),
            sessionId: freshSessionId('failing'),
          }),
        );
        const failed = toolCallsOf(events).filter((event) => event.status === 'error');
        expect(failed.map((event) => event.name)).toContain('find_similar_defects');
        for (const event of failed) expect(event.error?.length).toBeGreaterThan(0);

        const reported = failingModel.calls.flatMap((call) => {
          const names = toolNamesById(call.messages);
          return toolResultsOf(call.messages)
            .filter((result) => result.status === 'error')
            .map((result) => names.get(result.toolUseId));
        });
        expect(reported).toContain('find_similar_defects');

        if (error === undefined) {
          const final = expectOneFinalLast(events);
          expect(agent.outputSchema.safeParse(final.output).error).toBeUndefined();
        } else {
          expect(isDomainError(error), `untyped error: ${String(error)}`).toBe(true);
        }
      } finally {
        await failing.cleanup?.();
      }
    });

    it('stops with TimeoutError when a model call outlasts the time limit', async () => {
      const silent = await create({
        model: silentModel(),
        toolContext: toolContext(knowledgeBase),
        callTimeoutMs: 100,
      });
      try {
        const agent = classifierAgent;
        const outcome = settle(
          silent.runtime.invoke({
            agent,
            input: analysisInput(agent, RUST_REPORT),
            sessionId: freshSessionId('silent'),
          }),
        );
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<'gave up'>((resolve) => {
          timer = setTimeout(() => resolve('gave up'), GIVE_UP_MS);
        });
        const result = await Promise.race([outcome, gaveUp]);
        clearTimeout(timer);
        expect(result, `the invocation was still running after ${GIVE_UP_MS} ms`).not.toBe('gave up');
        const { events, error } = result as Awaited<typeof outcome>;
        expect(error).toBeInstanceOf(TimeoutError);
        expect(events.some((event) => event.type === 'final')).toBe(false);
      } finally {
        await silent.cleanup?.();
      }
    });

    it('answers a follow-up question in answer mode, validated against the output schema it is given', async () => {
      const agent = rootCauseAgent;
      const { events, error } = await settle(
        invoke({
          agent,
          input: followUpInput(RUST_REPORT, 'Which check should have caught the slow quench?'),
          mode: 'answer',
          outputSchema: FollowUpAnswer,
        }),
      );
      expect(error).toBeUndefined();
      const final = expectOneFinalLast(events);
      const parsed = FollowUpAnswer.safeParse(final.output);
      expect(parsed.error).toBeUndefined();
      expect(agent.outputSchema.safeParse(final.output).success).toBe(false);
    });
  });
}
