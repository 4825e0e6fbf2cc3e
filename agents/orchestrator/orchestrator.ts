import {
  ActionPlan,
  Classification,
  FollowUpAnswer,
  isDomainError,
  RootCauseAnalysis,
  type AgentName,
  type AgentRun,
  type Citation,
  type ConsolidatedAnalysis,
  type DefectId,
  type InspectionReport,
  type Usage,
} from '../../domain/index.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import { AGENTS } from '../index.ts';
import type { AgentDefinition } from '../definition.ts';
import { formatAgentInput, reportForAgents } from '../input.ts';
import type { ContentBlock } from '../models/model.ts';
import { runToCompletion, type AgentEvent, type AgentRuntime } from '../runtime/agent-runtime.ts';
import { citedIds, resolveCitations } from './citations.ts';
import type { QuestionRouter, Specialist } from './router.ts';

/** What the orchestrator needs. */
export interface OrchestratorConfig {
  runtime: AgentRuntime;
  knowledgeBase: KnowledgeBase;
  router: QuestionRouter;
  /** The clock, injected for deterministic timestamps. */
  now?: () => Date;
  /** The agent definitions; the ones of `agents/` by default. */
  agents?: Partial<Record<Specialist, AgentDefinition>>;
}

/** Progress of an analysis, for streaming. */
export type AnalysisEvent =
  | { type: 'stage_started'; step: AgentName }
  | { type: 'stage_completed'; step: AgentName; status: AgentRun['status']; output: unknown }
  | { type: 'trace'; step: AgentName; event: AgentEvent };

/** Parameters of {@link Orchestrator.analyze}. */
export interface AnalyzeParams {
  defectId: DefectId;
  report: InspectionReport;
  /** When the analysis was accepted; `now()` by default. */
  createdAt?: Date;
  /** Inline image bytes for a vision-capable model. */
  image?: { format: 'jpeg' | 'png' | 'webp'; bytes: Uint8Array };
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

/** The multi-agent pipeline and follow-up questions. */
export interface Orchestrator {
  analyze(params: AnalyzeParams): Promise<ConsolidatedAnalysis>;
  ask(params: {
    analysis: ConsolidatedAnalysis;
    history: readonly FollowUpExchange[];
    question: string;
    signal?: AbortSignal;
  }): Promise<AskResult>;
}

const STEP_AGENT: Record<AgentName, Specialist> = {
  classifier: 'classifier',
  root_cause: 'root-cause',
  corrective_action: 'corrective-action',
};

function toUsage(usage: { inputTokens: number; outputTokens: number; totalTokens: number }): Usage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
}

function sumUsage(runs: readonly AgentRun[]): Usage {
  return runs.reduce<Usage>(
    (total, run) => ({
      input_tokens: total.input_tokens + (run.usage?.input_tokens ?? 0),
      output_tokens: total.output_tokens + (run.usage?.output_tokens ?? 0),
      total_tokens: total.total_tokens + (run.usage?.total_tokens ?? 0),
    }),
    { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  );
}

function errorInfo(error: unknown): { code: string; message: string } {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
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
 * The orchestrator: classify, then (when a defect of a known type was found) find the root
 * cause, then plan actions; an `unknown` defect goes to a person first. Typed results pass between steps; a failing later step yields a `partial` analysis
 * naming the step and the reason instead of an exception.
 */
export function createOrchestrator(config: OrchestratorConfig): Orchestrator {
  const now = config.now ?? (() => new Date());
  const agents = { ...AGENTS, ...config.agents } as Record<Specialist, AgentDefinition>;

  async function runStep<T>({
    step,
    input,
    defectId,
    signal,
    onEvent,
    parse,
  }: {
    step: AgentName;
    input: string | ContentBlock[];
    defectId: string;
    signal?: AbortSignal;
    onEvent?: (event: AnalysisEvent) => void;
    parse: (output: unknown) => T;
  }): Promise<{ output: T; run: AgentRun }> {
    onEvent?.({ type: 'stage_started', step });
    const final = await runToCompletion(
      config.runtime.invoke({
        agent: agents[STEP_AGENT[step]],
        input,
        sessionId: `${defectId}:${step}`,
        signal,
      }),
      (event) => onEvent?.({ type: 'trace', step, event }),
    );
    const output = parse(final.output);
    const run: AgentRun = {
      status: 'complete',
      duration_ms: Math.round(final.durationMs * 100) / 100,
      usage: toUsage(final.usage),
      error: null,
    };
    onEvent?.({ type: 'stage_completed', step, status: 'complete', output });
    return { output, run };
  }

  return {
    async analyze({ defectId, report, createdAt, image, signal, onEvent }) {
      const started = performance.now();
      const analysis = pendingAnalysis({ defectId, report, createdAt: createdAt ?? now() });
      const agentReport = reportForAgents(report);
      const steps: Array<[AgentName, () => Promise<void>]> = [
        [
          'classifier',
          async () => {
            const text = formatAgentInput({ report: agentReport });
            const input: string | ContentBlock[] = image
              ? [{ text }, { image: { format: image.format, source: { bytes: image.bytes } } }]
              : text;
            const { output, run } = await runStep({
              step: 'classifier',
              input,
              defectId,
              signal,
              onEvent,
              parse: (value) => Classification.parse(value),
            });
            analysis.classification = output;
            analysis.agents.classifier = run;
          },
        ],
        [
          'root_cause',
          async () => {
            const input = formatAgentInput({ report: agentReport, classification: analysis.classification });
            const { output, run } = await runStep({
              step: 'root_cause',
              input,
              defectId,
              signal,
              onEvent,
              parse: (value) => RootCauseAnalysis.parse(value),
            });
            analysis.root_cause = output;
            analysis.agents.root_cause = run;
          },
        ],
        [
          'corrective_action',
          async () => {
            const input = formatAgentInput({
              report: agentReport,
              classification: analysis.classification,
              root_cause: analysis.root_cause,
            });
            const { output, run } = await runStep({
              step: 'corrective_action',
              input,
              defectId,
              signal,
              onEvent,
              parse: (value) => ActionPlan.parse(value),
            });
            analysis.corrective_actions = output.corrective_actions;
            analysis.agents.corrective_action = run;
          },
        ],
      ];

      for (const [step, run] of steps) {
        const classified = analysis.classification;
        if (step !== 'classifier' && (!classified?.defect_detected || classified.defect_type === 'unknown')) {
          analysis.agents[step] = { status: 'skipped', duration_ms: null, usage: null, error: null };
          continue;
        }
        const stepStarted = performance.now();
        try {
          await run();
        } catch (error) {
          const info = errorInfo(error);
          analysis.agents[step] = {
            status: 'failed',
            duration_ms: Math.round((performance.now() - stepStarted) * 100) / 100,
            usage: null,
            error: info,
          };
          analysis.failure = { step, ...info };
          onEvent?.({ type: 'stage_completed', step, status: 'failed', output: info });
          for (const [later] of steps.slice(steps.findIndex(([name]) => name === step) + 1)) {
            analysis.agents[later] = { status: 'skipped', duration_ms: null, usage: null, error: null };
          }
          break;
        }
      }

      const { citations } = await resolveCitations({
        knowledgeBase: config.knowledgeBase,
        ids: citedIds({
          classification: analysis.classification,
          rootCause: analysis.root_cause,
          actions: analysis.corrective_actions,
        }),
      });
      analysis.citations = citations;
      analysis.status =
        analysis.failure === null
          ? 'complete'
          : analysis.failure.step === 'classifier'
            ? 'failed'
            : 'partial';
      analysis.completed_at = now().toISOString();
      analysis.usage = sumUsage(Object.values(analysis.agents));
      analysis.timings = {
        total_ms: Math.round((performance.now() - started) * 100) / 100,
        classifier_ms: analysis.agents.classifier.duration_ms,
        root_cause_ms: analysis.agents.root_cause.duration_ms,
        corrective_action_ms: analysis.agents.corrective_action.duration_ms,
      };
      return analysis;
    },

    async ask({ analysis, history, question, signal }) {
      const route = await config.router.route({ question, signal });
      const final = await runToCompletion(
        config.runtime.invoke({
          agent: agents[route.agent],
          mode: 'answer',
          outputSchema: FollowUpAnswer,
          input: formatAgentInput({ analysis, history: history.slice(-10), question }),
          sessionId: `${analysis.defect_id}:questions`,
          signal,
        }),
      );
      const answer = FollowUpAnswer.parse(final.output);
      const { citations } = await resolveCitations({
        knowledgeBase: config.knowledgeBase,
        ids: answer.citations,
      });
      return {
        agent: route.agent,
        routeReason: route.reason,
        answer: answer.answer,
        citations,
        usage: toUsage(final.usage),
      };
    },
  };
}
