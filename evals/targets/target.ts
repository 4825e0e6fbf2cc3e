import type { ConsolidatedAnalysis, InspectionReport } from '../../domain/index.ts';

/** A target's answer to a follow-up question. */
export interface TargetAnswer {
  answer: string;
  /** Chunk ids of the passages the answer cites. */
  citations: string[];
}

/** Where the evals send reports: in-process agents, the HTTP API, or Bedrock. */
export interface EvalTarget {
  /** For file names and the scorecard: `local`, the base URL, or `bedrock`. */
  name: string;
  /** The model behind the target, for the price table. */
  model: string;
  /** Analyses one report and returns the raw ConsolidatedAnalysis JSON. */
  analyze(params: { report: InspectionReport; signal: AbortSignal }): Promise<unknown>;
  /**
   * Asks a follow-up question about an analysis this target produced, through the same path the
   * API uses (the orchestrator's `ask`, or `POST /api/v1/analyses/:id/questions`).
   */
  ask(params: {
    analysis: ConsolidatedAnalysis;
    question: string;
    signal: AbortSignal;
  }): Promise<TargetAnswer>;
  close(): Promise<void>;
}

/**
 * A failure no other case can get past (the service refuses the API key): the runner stops the
 * run with this message instead of recording the same error against every case.
 */
export class StopRunError extends Error {
  /** Retrying the same request cannot help. */
  readonly isRetryable = false;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StopRunError';
  }
}
