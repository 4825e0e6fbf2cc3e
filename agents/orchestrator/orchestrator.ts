import type { z } from 'zod';
import {
  ActionPlan,
  Classification,
  FollowUpAnswer,
  RootCauseAnalysis,
  type AgentName,
  type AgentRun,
  type AppConfig,
  type Citation,
  type ConsolidatedAnalysis,
  type DefectId,
  type InspectionReport,
  type Usage,
} from '../../domain/index.ts';
import { scopeKnowledgeBase, UNRESTRICTED, type AccessScope } from '../../action-groups/scope.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import { AGENTS } from '../index.ts';
import type { AgentDefinition } from '../definition.ts';
import { formatAgentInput, reportForAgents } from '../input.ts';
import { readReportFacts, summarizeFacts } from '../report-facts/index.ts';
import type { ContentBlock } from '../models/model.ts';
import { runToCompletion, type AgentEvent, type AgentRuntime } from '../runtime/agent-runtime.ts';
import {
  completedRun,
  escalateUnknown,
  finishAnalysis,
  pendingAnalysis,
  runSteps,
  toUsage,
  type AnalysisEvent,
  type StepRunner,
} from './assembly.ts';
import { resolveCitations } from './citations.ts';
import type { QuestionRouter, Specialist } from './router.ts';
import { specialistOf, supervisorSessionId, supervisorSteps } from './supervisor-steps.ts';

export { pendingAnalysis, type AnalysisEvent };

/**
 * How an analysis is orchestrated: `pipeline` runs the three agents in turn from here;
 * `supervisor` makes one call to the deployed supervisor agent (Bedrock multi-agent
 * collaboration), which routes to the three itself.
 */
export type Orchestration = AppConfig['orchestration'];

/** What the orchestrator needs. */
export interface OrchestratorConfig {
  runtime: AgentRuntime;
  knowledgeBase: KnowledgeBase;
  router: QuestionRouter;
  /** `pipeline` by default; `supervisor` needs a runtime that serves the supervisor agent. */
  orchestration?: Orchestration;
  /** The clock, injected for deterministic timestamps. */
  now?: () => Date;
  /** The agent definitions; the ones of `agents/` by default. */
  agents?: Partial<Record<Specialist, AgentDefinition>>;
  /** Where the full error of a failed step is logged (the analysis keeps a plain message). */
  logger?: StepErrorLogger;
}

/** The part of a pino logger the orchestrator writes failed steps to. */
export interface StepErrorLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Parameters of {@link Orchestrator.analyze}. */
export interface AnalyzeParams {
  defectId: DefectId;
  report: InspectionReport;
  /** When the analysis was accepted; `now()` by default. */
  createdAt?: Date;
  /** Inline image bytes for a vision-capable model. */
  image?: { format: 'jpeg' | 'png' | 'webp'; bytes: Uint8Array };
  /**
   * What the agents' tools and the cited passages may come from: the caller's facility (the API
   * key's), or every facility when omitted (the CLI, the evals).
   */
  scope?: AccessScope;
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
}

/** One exchange of a follow-up session. */
export interface FollowUpExchange {
  question: string;
  answer: string;
  agent: Specialist;
}

/** The answer of {@link Orchestrator.ask}. */
export interface AskResult {
  agent: Specialist;
  routeReason: string;
  answer: string;
  citations: Citation[];
  usage: Usage;
}

/** Analyses of inspection reports by the three agents, and follow-up questions about them. */
export interface Orchestrator {
  analyze(params: AnalyzeParams): Promise<ConsolidatedAnalysis>;
  ask(params: {
    analysis: ConsolidatedAnalysis;
    history: readonly FollowUpExchange[];
    question: string;
    /** What the answering agent's tools and citations may read; every facility when omitted. */
    scope?: AccessScope;
    signal?: AbortSignal;
  }): Promise<AskResult>;
}

const STEP_AGENT: Record<AgentName, Specialist> = {
  classifier: 'classifier',
  root_cause: 'root-cause',
  corrective_action: 'corrective-action',
};

/** What {@link formatAgentInput} writes after the last section. */
const INPUT_CLOSING = formatAgentInput({});

/**
 * The report as every agent reads it and the facts read off it, formatted once per analysis:
 * `input` is the classifier's turn, `sections` the same without its closing sentence.
 */
interface ReportView {
  input: string;
  sections: string;
}

function reportView(report: InspectionReport): ReportView {
  const input = formatAgentInput({
    report: reportForAgents(report),
    report_facts: summarizeFacts(readReportFacts(report)),
  });
  return { input, sections: input.slice(0, input.length - INPUT_CLOSING.length) };
}

/**
 * The turn of an agent after the classifier: the same text as `formatAgentInput` of the report,
 * its facts and `parts`, without serialising the report again.
 */
function inputAfterReport(view: ReportView, parts: Record<string, unknown>): string {
  return `${view.sections}\n${formatAgentInput(parts)}`;
}

/** The classifier's user turn: the report as data, and the photo when there is one. */
function reportInput({
  view,
  image,
}: {
  view: ReportView;
  image?: AnalyzeParams['image'];
}): string | ContentBlock[] {
  const text = view.input;
  return image ? [{ text }, { image: { format: image.format, source: { bytes: image.bytes } } }] : text;
}

/**
 * The root cause as the corrective-action agent reads it: the stage, the cause (occurrence, escape,
 * systemic, 6M category) and the similar past defects, without the 5-why chain and the Ishikawa
 * diagram that led to it, which the plan does not use.
 */
function rootCauseForPlanning(rootCause: RootCauseAnalysis | null): Partial<RootCauseAnalysis> | null {
  if (!rootCause) return null;
  const { probable_stage, stage_confidence, root_cause, similar_defects } = rootCause;
  return { probable_stage, stage_confidence, root_cause, similar_defects };
}

/**
 * The orchestrator. In `pipeline` mode it classifies, then (when a defect of a known type was
 * found) finds the root cause, then plans actions, passing typed results between the steps. In
 * `supervisor` mode one call to the deployed supervisor does the three steps, and its answer is
 * taken apart into the same steps. Either way an `unknown` defect is escalated and goes to a
 * person first, cited ids are resolved against the knowledge base, and a failing step yields a
 * `partial` (or, for the classifier, `failed`) analysis naming the step and the reason instead of
 * an exception. Follow-up questions go to the specialist the router picks, or in `supervisor`
 * mode to the supervisor, in the session of the analysis.
 */
export function createOrchestrator(config: OrchestratorConfig): Orchestrator {
  const now = config.now ?? (() => new Date());
  const orchestration = config.orchestration ?? 'pipeline';
  const agents = { ...AGENTS, ...config.agents } as Record<Specialist, AgentDefinition>;

  async function invokeStep<T>({
    step,
    input,
    defectId,
    scope,
    signal,
    onEvent,
    schema,
  }: {
    step: AgentName;
    input: string | ContentBlock[];
    defectId: string;
    scope: AccessScope;
    signal?: AbortSignal;
    onEvent?: (event: AnalysisEvent) => void;
    schema: z.ZodType<T>;
  }): Promise<{ output: T; run: AgentRun }> {
    const agent = agents[STEP_AGENT[step]];
    const final = await runToCompletion(
      config.runtime.invoke({ agent, input, sessionId: `${defectId}:${step}`, scope, signal }),
      onEvent && ((event) => onEvent({ type: 'trace', step, event })),
    );
    // Every runtime validates the final answer against the agent's output schema before it
    // yields it: when that is the schema of the step, the answer is not parsed a second time.
    const output = agent.outputSchema === schema ? (final.output as T) : schema.parse(final.output);
    return { output, run: completedRun(final) };
  }

  function pipelineSteps({
    analysis,
    view,
    image,
    scope,
    signal,
    onEvent,
  }: {
    analysis: ConsolidatedAnalysis;
    view: ReportView;
    image?: AnalyzeParams['image'];
    scope: AccessScope;
    signal?: AbortSignal;
    onEvent?: (event: AnalysisEvent) => void;
  }): Record<AgentName, StepRunner> {
    const defectId = analysis.defect_id;
    return {
      classifier: async () => {
        const { output, run } = await invokeStep({
          step: 'classifier',
          input: reportInput({ view, image }),
          defectId,
          scope,
          signal,
          onEvent,
          schema: Classification,
        });
        analysis.classification = escalateUnknown(output);
        return { output: analysis.classification, run };
      },
      root_cause: async () => {
        const { output, run } = await invokeStep({
          step: 'root_cause',
          input: inputAfterReport(view, { classification: analysis.classification }),
          defectId,
          scope,
          signal,
          onEvent,
          schema: RootCauseAnalysis,
        });
        analysis.root_cause = output;
        return { output, run };
      },
      corrective_action: async () => {
        const { output, run } = await invokeStep({
          step: 'corrective_action',
          input: inputAfterReport(view, {
            classification: analysis.classification,
            root_cause: rootCauseForPlanning(analysis.root_cause),
          }),
          defectId,
          scope,
          signal,
          onEvent,
          schema: ActionPlan,
        });
        analysis.corrective_actions = output.corrective_actions;
        return { output, run };
      },
    };
  }

  async function followUpResult({
    final,
    agent,
    routeReason,
    scope,
  }: {
    final: Extract<AgentEvent, { type: 'final' }>;
    agent: Specialist;
    routeReason: string;
    scope: AccessScope;
  }): Promise<AskResult> {
    const answer = FollowUpAnswer.parse(final.output);
    const { citations } = await resolveCitations({
      knowledgeBase: scopeKnowledgeBase(config.knowledgeBase, scope),
      ids: answer.citations,
    });
    return { agent, routeReason, answer: answer.answer, citations, usage: toUsage(final.usage) };
  }

  return {
    async analyze({ defectId, report, createdAt, image, scope = UNRESTRICTED, signal, onEvent }) {
      const startedAt = performance.now();
      const analysis = pendingAnalysis({ defectId, report, createdAt: createdAt ?? now() });
      let usage: () => Usage | undefined = () => undefined;
      let steps: Record<AgentName, StepRunner>;
      if (orchestration === 'supervisor') {
        const supervisor = supervisorSteps({
          runtime: config.runtime,
          analysis,
          input: reportInput({ view: reportView(report), image }),
          scope,
          signal,
          onEvent,
        });
        steps = supervisor.steps;
        usage = supervisor.usage;
      } else {
        steps = pipelineSteps({ analysis, view: reportView(report), image, scope, signal, onEvent });
      }
      await runSteps({
        analysis,
        steps,
        onEvent,
        onStepError: ({ step, error }) =>
          config.logger?.warn({ err: error, defectId, step }, 'an agent step failed'),
      });
      return finishAnalysis({
        analysis,
        knowledgeBase: scopeKnowledgeBase(config.knowledgeBase, scope),
        startedAt,
        now,
        usage: usage(),
      });
    },

    async ask({ analysis, history, question, scope = UNRESTRICTED, signal }) {
      const input = formatAgentInput({ analysis, history: history.slice(-10), question });
      if (orchestration === 'supervisor') {
        let answeredBy: Specialist | undefined;
        const final = await runToCompletion(
          config.runtime.invoke({
            agent: AGENTS.supervisor,
            mode: 'answer',
            outputSchema: FollowUpAnswer,
            input,
            sessionId: supervisorSessionId(analysis.defect_id),
            scope,
            signal,
          }),
          (event) => {
            answeredBy = specialistOf(event.agent) ?? answeredBy;
          },
        );
        return followUpResult({
          final,
          agent: answeredBy ?? 'root-cause',
          routeReason: answeredBy
            ? 'routed by the deployed supervisor'
            : 'answered by the deployed supervisor without a collaborator',
          scope,
        });
      }
      const route = await config.router.route({ question, signal });
      const final = await runToCompletion(
        config.runtime.invoke({
          agent: agents[route.agent],
          mode: 'answer',
          outputSchema: FollowUpAnswer,
          input,
          sessionId: `${analysis.defect_id}:questions`,
          scope,
          signal,
        }),
      );
      return followUpResult({ final, agent: route.agent, routeReason: route.reason, scope });
    },
  };
}
