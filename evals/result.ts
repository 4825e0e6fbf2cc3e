import type { EvalCase } from './case.ts';
import type { ConsolidatedAnalysis } from '../domain/index.ts';

/** What one case produced: the analysis, or the error that stopped it. */
export interface CaseResult {
  id: string;
  tags: string[];
  labels: EvalCase['labels'];
  outcome: 'ok' | 'error' | 'invalid';
  /** Set when the target failed or timed out. */
  error: string | null;
  /** Schema issues when the answer did not match ConsolidatedAnalysis. */
  schemaIssues: string[];
  analysis: ConsolidatedAnalysis | null;
  latencyMs: number;
  /** Scores of this case (filled by the metrics). */
  checks: Record<string, number | boolean | string | null>;
}

/** A whole run: settings, per-case results and the aggregate metrics. */
export interface RunResult {
  runId: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  casesFile: string;
  filter: string | null;
  model: string;
  priceTable: { inputPerMillion: number; outputPerMillion: number; currency: string };
  metrics: Metrics;
  cases: CaseResult[];
}

/** The aggregate scores of a run. Rates are 0..1; null when no case applies. */
export interface Metrics {
  counts: { cases: number; ok: number; errors: number; invalid: number };
  classification: {
    typeAccuracy: number | null;
    typeMacroF1: number | null;
    perType: Record<
      string,
      { support: number; precision: number | null; recall: number | null; f1: number | null }
    >;
    /** confusion[expected][predicted] = count. */
    confusion: Record<string, Record<string, number>>;
    severityAccuracy: number | null;
    dispositionAccuracy: number | null;
    escalationPrecision: number | null;
    escalationRecall: number | null;
  };
  rootCause: {
    stageAccuracy: number | null;
    category6mAccuracy: number | null;
    keywordRecall: number | null;
    whyDepthMean: number | null;
    noOperatorErrorTerminus: number | null;
    escapeCausePresent: number | null;
  };
  actions: {
    typeCoverage: number | null;
    keywordRecall: number | null;
    ownerPresent: number | null;
    dueDatePresent: number | null;
    effectivenessCheckPresent: number | null;
  };
  grounding: {
    citationValidity: number | null;
    whysWithCitations: number | null;
    actionsWithCitations: number | null;
  };
  robustness: {
    abstentionOffTopic: number | null;
    abstentionInjection: number | null;
    schemaValidRate: number | null;
  };
  cost: {
    latencyMs: { p50: number | null; p95: number | null };
    perAgentLatencyMs: Record<string, { p50: number | null; p95: number | null }>;
    tokensPerCase: number | null;
    costPerCase: number | null;
  };
}
