import type {
  ActionPlan,
  Classification,
  InspectionReport,
  RootCauseAnalysis,
} from '../../../domain/index.ts';
import type { AgentDefinition } from '../../definition.ts';
import { formatAgentInput, reportForAgents } from '../../input.ts';
import type { ConverseParams, Model } from '../../models/model.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../testing/outputs.ts';
import type { AgentEvent } from '../agent-runtime.ts';

/** What the earlier agents of the pipeline found, for the user turn of a later one. */
export interface UpstreamOutputs {
  classification?: Classification;
  rootCause?: RootCauseAnalysis;
}

/**
 * The user turn an agent gets for a report in `analyze` mode, as the orchestrator builds it: the
 * report for the classifier, plus the classification for the root-cause analyst, plus the root
 * cause for the corrective-action planner. The upstream outputs are the rust fixtures unless given.
 */
export function analysisInput(
  agent: AgentDefinition,
  report: InspectionReport,
  { classification = RUST_CLASSIFICATION, rootCause = RUST_ROOT_CAUSE }: UpstreamOutputs = {},
): string {
  const agentReport = reportForAgents(report);
  switch (agent.name) {
    case 'classifier':
      return formatAgentInput({ report: agentReport });
    case 'root-cause':
      return formatAgentInput({ report: agentReport, classification });
    default:
      return formatAgentInput({ report: agentReport, classification, root_cause: rootCause });
  }
}

/** The user turn of a follow-up question (`answer` mode) about the rust fixture analysis of a report. */
export function followUpInput(report: InspectionReport, question: string): string {
  const plan: ActionPlan = RUST_PLAN;
  return formatAgentInput({
    analysis: {
      report,
      classification: RUST_CLASSIFICATION,
      root_cause: RUST_ROOT_CAUSE,
      corrective_actions: plan.corrective_actions,
    },
    history: [],
    question,
  });
}

/** A model that records what it is asked. */
export interface RecordingModel extends Model {
  /** Every call so far, in order (copies of the messages; the signal left out). */
  readonly calls: ReadonlyArray<Omit<ConverseParams, 'signal'>>;
}

/** Wraps a model so that every call to it is recorded, whoever makes it (a runtime, or a service hosting it). */
export function recordingModel(model: Model): RecordingModel {
  const calls: Array<Omit<ConverseParams, 'signal'>> = [];
  return {
    id: model.id,
    supportsImages: model.supportsImages,
    calls,
    converse({ signal, ...params }) {
      calls.push({ ...params, messages: structuredClone([...params.messages]) });
      return model.converse({ ...params, ...(signal ? { signal } : {}) });
    },
  };
}

/** The events of one invocation, and the error that ended it, if any. */
export interface InvocationOutcome {
  events: AgentEvent[];
  error?: unknown;
}

/** Runs an invocation to its end, keeping its events and the error it throws instead of throwing it. */
export async function settle(iterable: AsyncIterable<AgentEvent>): Promise<InvocationOutcome> {
  const events: AgentEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** The final event of an invocation's events, or undefined. */
export function finalOf(events: readonly AgentEvent[]): Extract<AgentEvent, { type: 'final' }> | undefined {
  const last = events.at(-1);
  return last?.type === 'final' ? last : undefined;
}
