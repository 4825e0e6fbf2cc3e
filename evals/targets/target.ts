import type { InspectionReport } from '../../domain/index.ts';

/** Where the evals send reports: in-process agents, the HTTP API, or Bedrock. */
export interface EvalTarget {
  /** For file names and the scorecard: `local`, the base URL, or `bedrock`. */
  name: string;
  /** The model behind the target, for the price table. */
  model: string;
  /** Analyses one report and returns the raw ConsolidatedAnalysis JSON. */
  analyze(params: { report: InspectionReport; signal: AbortSignal }): Promise<unknown>;
  close(): Promise<void>;
}
