import type { EvalCase, ReportLanguage } from './case.ts';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
import type { FollowUpMetrics, FollowUpResult } from './followups/follow-up.ts';

/** What one case produced: the analysis, or the error that stopped it. */
export interface CaseResult {
  id: string;
  tags: string[];
  /** The report's language: its `en`/`zh`/`mixed` tag, else read from the text. Absent in older result files. */
  language?: ReportLanguage;
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

/** A whole run of one evaluation set: settings, per-case results and the aggregate metrics. */
export interface RunResult {
  runId: string;
  /** The evaluation set's name (`held-out`, `development`, or `cases` for --cases); absent in older result files. */
  set?: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  casesFile: string;
  filter: string | null;
  model: string;
  priceTable: {
    inputPerMillion: number;
    outputPerMillion: number;
    /** Prompt-cache prices; absent in runs made before they were priced. */
    cacheWritePerMillion?: number;
    cacheReadPerMillion?: number;
    currency: string;
  };
  metrics: Metrics;
  cases: CaseResult[];
  /** The follow-up questions asked about this set's cases and how each was judged. */
  followUps?: FollowUpResult[];
}

/** One `npm run evals` invocation: a RunResult per evaluation set, held-out first. */
export interface EvalsRun {
  runId: string;
  target: string;
  model: string;
  startedAt: string;
  finishedAt: string;
  sets: RunResult[];
}

/** Accuracy of one slice of the cases (a language or a kind tag). */
export interface SliceScores {
  cases: number;
  typeAccuracy: number | null;
  stageAccuracy: number | null;
  category6mAccuracy: number | null;
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
    /** Share of labelled secondary types (two-defect cases) that the answer names as a primary or secondary type. */
    secondaryTypeRecall: number | null;
  };
  /** Dispositions that must not happen; counts, 0 is the target. */
  safety: {
    /** Cases labelled with a defect (`defect_detected: true`). */
    defectReports: number;
    /** Cases labelled as passing (`defect_type: none`). */
    passingReports: number;
    /** Defect reports whose answer says PASS (0 is the target). */
    defectGivenPass: number;
    /** Passing reports whose answer says REWORK or SCRAP (0 is the target). */
    passingGivenReworkOrScrap: number;
    /** Share of `unknown`-labelled or `vague`-tagged cases whose answer says HOLD. */
    unknownOrVagueGivenHold: number | null;
  };
  /** Type, stage and 6M accuracy per language (en, zh, mixed, chineseOrMixed) and per kind tag. */
  breakdowns: {
    language: Record<string, SliceScores>;
    kind: Record<string, SliceScores>;
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
    /** All tokens per case: input (uncached, cache write, cache read) and output. */
    tokensPerCase: number | null;
    /** Input tokens neither read from nor written to the prompt cache, per case. */
    inputTokensPerCase?: number | null;
    cacheWriteTokensPerCase?: number | null;
    cacheReadTokensPerCase?: number | null;
    outputTokensPerCase?: number | null;
    /** At the price table's prices, cache writes and reads included. */
    costPerCase: number | null;
  };
  /** Follow-up questions judged against evals/followups/rubric.md; null rates when the set has none. */
  followups: FollowUpMetrics;
}
