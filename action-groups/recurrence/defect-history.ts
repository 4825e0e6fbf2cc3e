import type { ConcreteDefectType, Facility, ProductionStage, ProductSku } from '../../domain/index.ts';

/** One analysed defect, as the recurrence count sees it. */
export interface DefectOccurrence {
  defectId: string;
  detectedAt: Date;
  defectType: ConcreteDefectType;
  stage: ProductionStage | null;
  facility: Facility | null;
  productSku: ProductSku | null;
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
 * The part of the analysis store the recurrence tool reads. The API's AnalysisStore implements
 * it; {@link createInMemoryDefectHistory} serves tests and the CLI.
 */
export interface DefectHistory {
  listOccurrences(params: OccurrenceFilter): Promise<DefectOccurrence[]>;
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
