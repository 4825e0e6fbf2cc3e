import type { ConcreteDefectType, Facility, ProductionStage, ProductSku } from '../../domain/index.ts';

/** One analysed defect, as the recurrence count sees it. */
export interface DefectOccurrence {
  defectId: string;
  detectedAt: Date;
  defectType: ConcreteDefectType;
  stage: ProductionStage | null;
  facility: Facility | null;
  productSku: ProductSku | null;
  /** A person confirmed or corrected the analysis; false for an unreviewed machine draft. */
  confirmed: boolean;
}

/** Filter of {@link DefectHistory.listOccurrences}; every field that is set must match. */
export interface OccurrenceFilter {
  defectType?: ConcreteDefectType;
  stage?: ProductionStage;
  facility?: Facility;
  productSku?: ProductSku;
  /** Only occurrences detected at or after this instant. */
  since: Date;
}

/**
 * The part of the analysis store the recurrence tool reads: finished production analyses with a
 * concrete type, confirmed or still drafts (rejected ones and evaluation runs are left out). The API's AnalysisStore implements
 * it; {@link createInMemoryDefectHistory} serves tests and the CLI.
 */
export interface DefectHistory {
  listOccurrences(params: OccurrenceFilter): Promise<DefectOccurrence[]>;
  /** Counts without loading every occurrence: totals by facility and stage, and the newest ids. */
  summarizeOccurrences(params: OccurrenceFilter & { recentLimit: number }): Promise<OccurrenceSummary>;
}

/**
 * Aggregates of {@link DefectHistory.summarizeOccurrences}: the counts, by facility and stage, and
 * the newest ids are of confirmed occurrences; `unconfirmed` counts the drafts beside them.
 */
export interface OccurrenceSummary {
  count: number;
  unconfirmed: number;
  byFacility: Record<string, number>;
  byStage: Record<string, number>;
  /** Newest first. */
  recentDefectIds: string[];
}

/** The key counting occurrences without a facility or stage. */
export const UNSPECIFIED = 'unspecified';

/** Summarises occurrences in memory; adapters without a query language use it. */
export function summarize(all: readonly DefectOccurrence[], recentLimit: number): OccurrenceSummary {
  const byFacility: Record<string, number> = {};
  const byStage: Record<string, number> = {};
  const occurrences = all.filter((occurrence) => occurrence.confirmed);
  for (const occurrence of occurrences) {
    const facility = occurrence.facility ?? UNSPECIFIED;
    const stage = occurrence.stage ?? UNSPECIFIED;
    byFacility[facility] = (byFacility[facility] ?? 0) + 1;
    byStage[stage] = (byStage[stage] ?? 0) + 1;
  }
  const newestFirst = [...occurrences].sort(
    (left, right) =>
      right.detectedAt.getTime() - left.detectedAt.getTime() || right.defectId.localeCompare(left.defectId),
  );
  return {
    count: occurrences.length,
    unconfirmed: all.length - occurrences.length,
    byFacility,
    byStage,
    recentDefectIds: newestFirst.slice(0, recentLimit).map((occurrence) => occurrence.defectId),
  };
}

/** A DefectHistory over an array, for tests and single-process use. */
export function createInMemoryDefectHistory(initial: readonly DefectOccurrence[] = []): DefectHistory & {
  record(occurrence: DefectOccurrence): void;
} {
  const occurrences = [...initial];
  return {
    record(occurrence) {
      occurrences.push(occurrence);
    },
    async summarizeOccurrences({ recentLimit, ...filter }) {
      return summarize(await this.listOccurrences(filter), recentLimit);
    },
    async listOccurrences({ defectType, stage, facility, productSku, since }) {
      return occurrences.filter(
        (occurrence) =>
          occurrence.detectedAt.getTime() >= since.getTime() &&
          (defectType === undefined || occurrence.defectType === defectType) &&
          (stage === undefined || occurrence.stage === stage) &&
          (facility === undefined || occurrence.facility === facility) &&
          (productSku === undefined || occurrence.productSku === productSku),
      );
    },
  };
}
