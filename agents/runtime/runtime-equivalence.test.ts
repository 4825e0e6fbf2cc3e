import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolResources } from '../../action-groups/action-group.ts';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import {
  ActionPlan,
  Classification,
  FollowUpAnswer,
  RootCauseAnalysis,
  type InspectionReport,
} from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { AgentDefinition } from '../definition.ts';
import { classifierAgent, correctiveActionAgent, rootCauseAgent } from '../index.ts';
import { createOfflineModel } from '../models/offline/offline-model.ts';
import { fixtureKnowledgeBase } from '../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../testing/sample-reports.ts';
import type { AgentEvent, AgentRuntime, InvokeParams } from './agent-runtime.ts';
import { createBedrockAgentsRuntime } from './bedrock-agents/bedrock-agents-runtime.ts';
import {
  startFakeAgentsService,
  type FakeAgentsService,
} from './bedrock-agents/testing/fake-agents-service.ts';
import { createLocalRuntime } from './local-runtime.ts';
import { analysisInput, finalOf, followUpInput, settle } from './testing/invocations.ts';

/**
 * What must not depend on the runtime: the final output, the steps and usage, and every model call,
 * tool call and retrieval with what it was called with (ids and durations left out).
 */
function comparable(events: readonly AgentEvent[]): unknown[] {
  return events.map((event) => {
    switch (event.type) {
      case 'model_call':
        return {
          type: event.type,
          agent: event.agent,
          step: event.step,
          usage: event.usage,
          stopReason: event.stopReason,
        };
      case 'tool_call':
        return {
          type: event.type,
          agent: event.agent,
          step: event.step,
          name: event.name,
          input: event.input,
          status: event.status,
          error: event.error,
        };
      case 'final':
        return {
          type: event.type,
          agent: event.agent,
          output: event.output,
          usage: event.usage,
          steps: event.steps,
        };
      default:
        return event;
    }
  });
}

describe('local and bedrock-agents runtimes over the offline model', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let service: FakeAgentsService;
  let local: AgentRuntime;
  let bedrock: AgentRuntime;
  let sessionCounter = 0;

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    const toolContext: ToolResources = {
      knowledgeBase,
      defectHistory: createInMemoryDefectHistory(),
      now: () => new Date('2026-11-22T08:00:00Z'),
    };
    service = await startFakeAgentsService({ model: createOfflineModel() });
    local = createLocalRuntime({ model: createOfflineModel(), toolContext });
    bedrock = createBedrockAgentsRuntime({
      client: service.createClient(),
      agents: service.aliases,
      toolContext,
      sleep: async () => undefined,
    });
  });

  afterAll(async () => {
    await service?.close();
    knowledgeBase?.close();
  });

  /** Runs the same invocation on both runtimes, each in a fresh session, and returns both event lists. */
  async function both(
    params: Omit<InvokeParams, 'sessionId'>,
  ): Promise<{ local: AgentEvent[]; bedrock: AgentEvent[] }> {
    sessionCounter += 1;
    const sessionId = `equivalence-${sessionCounter}`;
    const [onLocal, onBedrock] = await Promise.all([
      settle(local.invoke({ ...params, sessionId })),
      settle(bedrock.invoke({ ...params, sessionId })),
    ]);
    expect(onLocal.error).toBeUndefined();
    expect(onBedrock.error).toBeUndefined();
    return { local: onLocal.events, bedrock: onBedrock.events };
  }

  it.each(SAMPLE_REPORTS.map((report) => [report.description ?? '', report] as const))(
    'runs the pipeline the same way on both for "%s"',
    async (_description, report: InspectionReport) => {
      const steps: Array<{ agent: AgentDefinition; parse: (output: unknown) => unknown }> = [
        { agent: classifierAgent, parse: (output) => Classification.parse(output) },
        { agent: rootCauseAgent, parse: (output) => RootCauseAnalysis.parse(output) },
        { agent: correctiveActionAgent, parse: (output) => ActionPlan.parse(output) },
      ];
      let classification: Classification | undefined;
      let rootCause: RootCauseAnalysis | undefined;
      for (const { agent, parse } of steps) {
        const input = analysisInput(agent, report, {
          ...(classification ? { classification } : {}),
          ...(rootCause ? { rootCause } : {}),
        });
        const events = await both({ agent, input });
        expect(comparable(events.bedrock)).toEqual(comparable(events.local));
        const output = parse(finalOf(events.bedrock)?.output);
        if (agent === classifierAgent) classification = output as Classification;
        if (agent === rootCauseAgent) rootCause = output as RootCauseAnalysis;
        if (classification?.defect_type === 'unknown' || classification?.defect_type === 'none') break;
      }
    },
  );

  it.each(
    [classifierAgent, rootCauseAgent, correctiveActionAgent].map((agent) => [agent.name, agent] as const),
  )('answers a follow-up question to %s the same way on both', async (_name, agent) => {
    const events = await both({
      agent,
      input: followUpInput(SAMPLE_REPORTS[0] ?? {}, 'What should we check first on the quench line?'),
      mode: 'answer',
      outputSchema: FollowUpAnswer,
    });
    const localFinal = finalOf(events.local);
    expect(FollowUpAnswer.safeParse(localFinal?.output).success).toBe(true);
    expect(finalOf(events.bedrock)?.output).toEqual(localFinal?.output);
    expect(finalOf(events.bedrock)?.steps).toBe(localFinal?.steps);
  });
});
