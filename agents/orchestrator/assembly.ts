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
  };
}

/** The usage of all the runs of an analysis, added up. */
export function sumUsage(runs: readonly AgentRun[]): Usage {
  return runs.reduce<Usage>(
    (total, run) => ({
      input_tokens: total.input_tokens + (run.usage?.input_tokens ?? 0),
      output_tokens: total.output_tokens + (run.usage?.output_tokens ?? 0),
      total_tokens: total.total_tokens + (run.usage?.total_tokens ?? 0),
    }),
    { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  );
}

/** The stable code and message of a thrown value, as stored in a failed run. */
export function errorInfo(error: unknown): { code: string; message: string } {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
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
 * failed with its reason, the steps after it as skipped, and nothing is thrown. Emits
 * `stage_started` and `stage_completed` for every step that runs.
 */
export async function runSteps({
  analysis,
  steps,
  onEvent,
}: {
  analysis: ConsolidatedAnalysis;
  steps: Record<AgentName, StepRunner>;
  onEvent?: (event: AnalysisEvent) => void;
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
      const info = errorInfo(error);
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
