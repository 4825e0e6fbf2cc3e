import {
  AgentName,
  isDomainError,
  type AgentRun,
  type Classification,
  type ConsolidatedAnalysis,
  type DefectId,
  type InspectionReport,
  type Usage,
} from '../../domain/index.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { TokenUsage } from '../models/model.ts';
import type { AgentEvent } from '../runtime/agent-runtime.ts';
import { citedIds, resolveCitations } from './citations.ts';

/**
 * Progress of an analysis, for streaming. Trace events carry the step whose agent produced
 * them; in supervisor mode the supervisor's own traces carry `supervisor`.
 */
export type AnalysisEvent =
  | { type: 'stage_started'; step: AgentName }
  | { type: 'stage_completed'; step: AgentName; status: AgentRun['status']; output: unknown }
  | { type: 'trace'; step: AgentName | 'supervisor'; event: AgentEvent };

/** Runs one step of an analysis: fills its part of the analysis and returns its run and the output to stream. */
export type StepRunner = () => Promise<{ output: unknown; run: AgentRun }>;

/** The reason recorded when an `unknown` classification did not escalate by itself. */
export const UNKNOWN_ESCALATION_REASON = 'the defect type is unknown: a person must classify this report';

/** Milliseconds rounded to two decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Token usage in the wire shape of the analysis. */
export function toUsage(usage: TokenUsage): Usage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    ...(usage.cacheReadInputTokens === undefined
      ? {}
      : { cache_read_input_tokens: usage.cacheReadInputTokens }),
    ...(usage.cacheWriteInputTokens === undefined
      ? {}
      : { cache_write_input_tokens: usage.cacheWriteInputTokens }),
  };
}

/** The usage of all the runs of an analysis, added up; the cache counts when any run has them. */
export function sumUsage(runs: readonly AgentRun[]): Usage {
  return runs.reduce<Usage>(
    (total, run) => {
      const sum: Usage = {
        input_tokens: total.input_tokens + (run.usage?.input_tokens ?? 0),
        output_tokens: total.output_tokens + (run.usage?.output_tokens ?? 0),
        total_tokens: total.total_tokens + (run.usage?.total_tokens ?? 0),
      };
      for (const key of ['cache_read_input_tokens', 'cache_write_input_tokens'] as const) {
        if (total[key] !== undefined || run.usage?.[key] !== undefined)
          sum[key] = (total[key] ?? 0) + (run.usage?.[key] ?? 0);
      }
      return sum;
    },
    { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  );
}

/** The label of each step in the messages a client reads. */
const STEP_LABELS: Record<AgentName, string> = {
  classifier: 'classifier',
  root_cause: 'root-cause analyst',
  corrective_action: 'corrective-action planner',
};

/**
 * The plain message of each failure code. The client reads only these: the upstream text (which
 * names model ids, accounts and request ids) and the model's raw output stay in the logs.
 */
const PUBLIC_MESSAGES: Record<string, (agent: string) => string> = {
  upstream_error: (agent) => `the ${agent} could not reach the model or a service it needs; try again later`,
  model_throttled: (agent) => `the model service throttled the ${agent}; try again later`,
  timeout: (agent) => `the ${agent} did not answer in time; try again later`,
  agent_output_invalid: (agent) =>
    `the ${agent}'s answer was missing or did not match its schema, so it was not used`,
  agent_step_limit: (agent) => `the ${agent} reached its step limit without an answer`,
  cancelled: (agent) => `the analysis was cancelled while the ${agent} was working`,
  internal_error: (agent) => `an internal error stopped the ${agent}`,
};

/**
 * The stable code and plain message of a thrown value, as stored in a failed run and returned to
 * clients. The message depends only on the code and the step, never on the error's own text.
 */
export function errorInfo(error: unknown, step: AgentName = 'classifier'): { code: string; message: string } {
  const code = isDomainError(error) ? error.code : 'internal_error';
  const agent = STEP_LABELS[step];
  const message = PUBLIC_MESSAGES[code]?.(agent) ?? `the ${agent} failed (${code.replaceAll('_', ' ')})`;
  return { code, message };
}

/** The run of a step that completed. */
export function completedRun({ durationMs, usage }: { durationMs: number; usage: TokenUsage }): AgentRun {
  return { status: 'complete', duration_ms: roundMs(durationMs), usage: toUsage(usage), error: null };
}

/** The run of a step that did not run. */
export function skippedRun(): AgentRun {
  return { status: 'skipped', duration_ms: null, usage: null, error: null };
}

/** A pending analysis: stored before any agent runs. */
export function pendingAnalysis({
  defectId,
  report,
  createdAt,
}: {
  defectId: DefectId;
  report: InspectionReport;
  createdAt: Date;
}): ConsolidatedAnalysis {
  const pending: AgentRun = { status: 'pending', duration_ms: null, usage: null, error: null };
  return {
    defect_id: defectId,
    status: 'pending',
    created_at: createdAt.toISOString(),
    completed_at: null,
    report,
    classification: null,
    root_cause: null,
    corrective_actions: null,
    citations: [],
    agents: { classifier: { ...pending }, root_cause: { ...pending }, corrective_action: { ...pending } },
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    timings: { total_ms: null },
    failure: null,
  };
}

/**
 * Whether the root cause and the actions are worked out after this classification: only for a
 * detected defect of a known type. An `unknown` defect goes to a person first.
 */
export function needsRootCause(classification: Classification | null): boolean {
  return (
    classification !== null && classification.defect_detected && classification.defect_type !== 'unknown'
  );
}

/** The classification with an `unknown` type always escalated to a person. */
export function escalateUnknown(classification: Classification): Classification {
  if (classification.defect_type !== 'unknown' || classification.escalate) return classification;
  return {
    ...classification,
    escalate: true,
    escalation_reason: classification.escalation_reason ?? UNKNOWN_ESCALATION_REASON,
  };
}

/**
 * Runs the steps in order (classifier, root cause, actions) and records each run. A step after
 * the classifier is skipped unless {@link needsRootCause}. A failing step is recorded as
 * failed with a stable code and a plain message (the error itself goes to `onStepError`), the
 * steps after it as skipped, and nothing is thrown. Emits
 * `stage_started` and `stage_completed` for every step that runs.
 */
export async function runSteps({
  analysis,
  steps,
  onEvent,
  onStepError,
}: {
  analysis: ConsolidatedAnalysis;
  steps: Record<AgentName, StepRunner>;
  onEvent?: (event: AnalysisEvent) => void;
  /** Hears the error of a failed step with its full detail (for the logs). */
  onStepError?: (failure: { step: AgentName; error: unknown }) => void;
}): Promise<void> {
  const order = AgentName.options;
  for (const [index, step] of order.entries()) {
    if (step !== 'classifier' && !needsRootCause(analysis.classification)) {
      analysis.agents[step] = skippedRun();
      continue;
    }
    onEvent?.({ type: 'stage_started', step });
    const started = performance.now();
    try {
      const { output, run } = await steps[step]();
      analysis.agents[step] = run;
      onEvent?.({ type: 'stage_completed', step, status: 'complete', output });
    } catch (error) {
      onStepError?.({ step, error });
      const info = errorInfo(error, step);
      analysis.agents[step] = {
        status: 'failed',
        duration_ms: roundMs(performance.now() - started),
        usage: null,
        error: info,
      };
      analysis.failure = { step, ...info };
      onEvent?.({ type: 'stage_completed', step, status: 'failed', output: info });
      for (const later of order.slice(index + 1)) analysis.agents[later] = skippedRun();
      return;
    }
  }
}

/**
 * Completes an analysis after its steps ran: resolves the cited chunk ids into passages (ids the
 * knowledge base does not hold are left out), sets the status (`failed` when the classifier
 * failed, `partial` when a later step did, else `complete`), the completion time, the usage
 * (`usage`, or the runs' usage added up) and the timings.
 */
export async function finishAnalysis({
  analysis,
  knowledgeBase,
  startedAt,
  now,
  usage,
}: {
  analysis: ConsolidatedAnalysis;
  knowledgeBase: KnowledgeBase;
  /** `performance.now()` when the analysis started. */
  startedAt: number;
  now: () => Date;
  /** The total usage, when it is more than the runs' (e.g. the supervisor's own model calls). */
  usage?: Usage;
}): Promise<ConsolidatedAnalysis> {
  const { citations } = await resolveCitations({
    knowledgeBase,
    ids: citedIds({
      classification: analysis.classification,
      rootCause: analysis.root_cause,
      actions: analysis.corrective_actions,
    }),
  });
  analysis.citations = citations;
  analysis.status =
    analysis.failure === null ? 'complete' : analysis.failure.step === 'classifier' ? 'failed' : 'partial';
  analysis.completed_at = now().toISOString();
  analysis.usage = usage ?? sumUsage(Object.values(analysis.agents));
  analysis.timings = {
    total_ms: roundMs(performance.now() - startedAt),
    classifier_ms: analysis.agents.classifier.duration_ms,
    root_cause_ms: analysis.agents.root_cause.duration_ms,
    corrective_action_ms: analysis.agents.corrective_action.duration_ms,
  };
  return analysis;
}
