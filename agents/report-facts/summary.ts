import type { ReportFacts } from './schema.ts';

/** The report facts as the agents receive them: what a model should reason from first. */
export interface ReportFactsSummary {
  language: ReportFacts['language'];
  product_family: ReportFacts['product_family'];
  defect_words: Record<string, string[]>;
  negated_defect_words: string[];
  conformance_statements: string[];
  nonconformance_statements: string[];
  counts: string[];
  measurements: string[];
  out_of_spec: string[];
  stated_causes: Array<{ text: string; category_6m: string | null; suspected: boolean }>;
  stage_cues: string[];
  found_at: string | null;
  look_alike_tests: ReportFacts['look_alike_tests'];
  instructions_ignored: number;
}

/**
 * Summarises the report facts for an agent's input (hosted or offline): the defect words by
 * type, what the report negates, its conformance statements, counts, measurements with units,
 * failed standard checks and stated causes.
 */
export function summarizeFacts(facts: ReportFacts): ReportFactsSummary {
  const defectWords: Record<string, string[]> = {};
  for (const hit of facts.defect_terms) {
    if (hit.negated) continue;
    const words = defectWords[hit.code] ?? [];
    if (!words.includes(hit.term)) words.push(hit.term);
    defectWords[hit.code] = words;
  }
  return {
    language: facts.language,
    product_family: facts.product_family,
    defect_words: defectWords,
    negated_defect_words: [
      ...new Set(facts.defect_terms.filter((hit) => hit.negated).map((hit) => hit.term)),
    ],
    conformance_statements: facts.conformance,
    nonconformance_statements: facts.nonconformance,
    counts: facts.counts.map((count) => count.text),
    measurements: facts.measurements.map((value) => `${value.name} ${value.value} ${value.unit}`.trim()),
    out_of_spec: facts.standard_checks
      .filter((check) => check.status !== 'within')
      .map((check) => `${check.name} ${check.value} ${check.status} ${check.limit}`),
    stated_causes: facts.stated_causes.map((cause) => ({
      text: cause.text,
      category_6m: cause.category_6m,
      suspected: cause.hypothesis,
    })),
    stage_cues: [...new Set(facts.stage_cues.filter((hit) => !hit.negated).map((hit) => hit.code))],
    found_at: facts.detection_point,
    look_alike_tests: facts.look_alike_tests,
    instructions_ignored: facts.instructions.length,
  };
}
