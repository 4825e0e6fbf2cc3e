import {
  ActionPlan,
  AgentOutputError,
  type AgentName,
  type ConsolidatedAnalysis,
  type Usage,
} from '../../domain/index.ts';
import { addUsage, NO_USAGE, type ContentBlock, type TokenUsage } from '../models/model.ts';
import type { AgentEvent, AgentRuntime } from '../runtime/agent-runtime.ts';
import type { AccessScope } from '../../action-groups/scope.ts';
import { invokeSupervisor, type SupervisorResult } from '../runtime/bedrock-agents/bedrock-agents-runtime.ts';
import { completedRun, escalateUnknown, toUsage, type AnalysisEvent, type StepRunner } from './assembly.ts';
import type { Specialist } from './router.ts';

/** The step each specialist (as a supervisor's collaborator) answers. */
const SPECIALIST_STEPS: Record<Specialist, AgentName> = {
  classifier: 'classifier',
  'root-cause': 'root_cause',
  'corrective-action': 'corrective_action',
};

/** The specialist an agent name in a trace stands for, if it is one. */
export function specialistOf(agentName: string): Specialist | undefined {
  return Object.hasOwn(SPECIALIST_STEPS, agentName) ? (agentName as Specialist) : undefined;
}

/** The session of an analysis with the deployed supervisor; its follow-up questions use it too. */
export function supervisorSessionId(defectId: string): string {
  return `${defectId}:supervisor`;
}

/** What one collaborator did, as seen in the supervisor's traces. */
interface Activity {
  durationMs: number;
  usage: TokenUsage;
}

/**
 * The steps of an analysis by the deployed supervisor (Bedrock multi-agent collaboration). The
 * classifier step makes the one {@link invokeSupervisor} call and takes the classification from
 * its answer (an `unknown` type escalated); the root-cause and action steps take their parts of
 * the same answer, and fail with an {@link AgentOutputError} when the supervisor left a part out
 * (its collaborator failed). Each step's run has the usage and model and tool time of its
 * collaborator's traces; every trace is forwarded, a collaborator's with its step and the
 * supervisor's own with `supervisor`. `usage()` is the supervisor call's total, its own model
 * calls included, once it answered.
 */
export function supervisorSteps({
  runtime,
  analysis,
  input,
  scope,
  signal,
  onEvent,
}: {
  runtime: AgentRuntime;
  /** The analysis the steps fill in. */
  analysis: ConsolidatedAnalysis;
  input: string | ContentBlock[];
  /** What the collaborators' tools may read; every facility when omitted. */
  scope?: AccessScope;
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
}): { steps: Record<AgentName, StepRunner>; usage: () => Usage | undefined } {
  let answer: SupervisorResult | undefined;
  const activity = new Map<AgentName, Activity>();

  function observe(event: AgentEvent): void {
    const specialist = specialistOf(event.agent);
    const step = specialist ? SPECIALIST_STEPS[specialist] : undefined;
    if (step && (event.type === 'model_call' || event.type === 'tool_call')) {
      const seen = activity.get(step) ?? { durationMs: 0, usage: NO_USAGE };
      activity.set(step, {
        durationMs: seen.durationMs + event.durationMs,
        usage: event.type === 'model_call' ? addUsage(seen.usage, event.usage) : seen.usage,
      });
    }
    onEvent?.({ type: 'trace', step: step ?? 'supervisor', event });
  }

  const runOf = (step: AgentName) => completedRun(activity.get(step) ?? { durationMs: 0, usage: NO_USAGE });

  const missing = (part: string, collaborator: Specialist): AgentOutputError =>
    new AgentOutputError(
      `supervisor: the answer has no ${part} for a detected defect of a known type (the ${collaborator} collaborator failed or gave no usable answer)`,
    );

  return {
    usage: () => (answer ? toUsage(answer.usage) : undefined),
    steps: {
      classifier: async () => {
        answer = await invokeSupervisor({
          runtime,
          input,
          sessionId: supervisorSessionId(analysis.defect_id),
          onEvent: observe,
          ...(scope ? { scope } : {}),
          ...(signal ? { signal } : {}),
        });
        const classification = escalateUnknown(answer.output.classification);
        analysis.classification = classification;
        return { output: classification, run: runOf('classifier') };
      },
      root_cause: async () => {
        const rootCause = answer?.output.root_cause;
        if (!rootCause) throw missing('root cause', 'root-cause');
        analysis.root_cause = rootCause;
        return { output: rootCause, run: runOf('root_cause') };
      },
      corrective_action: async () => {
        const actions = answer?.output.corrective_actions;
        if (!actions) throw missing('corrective actions', 'corrective-action');
        const plan = ActionPlan.safeParse({ corrective_actions: actions });
        if (!plan.success) {
          throw new AgentOutputError(
            `supervisor: the corrective actions are invalid: ${plan.error.message}`,
            {
              cause: plan.error,
            },
          );
        }
        analysis.corrective_actions = plan.data.corrective_actions;
        return { output: plan.data, run: runOf('corrective_action') };
      },
    },
  };
}
