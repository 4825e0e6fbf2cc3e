import { z } from 'zod';
import {
  ActionType,
  Category6M,
  ClassifiedType,
  Disposition,
  InspectionReport,
  ProductionStage,
  readJsonLines,
  Severity,
} from '../domain/index.ts';

/** The expected answer of a case. */
export const CaseLabels = z
  .object({
    defect_detected: z.boolean(),
    defect_type: ClassifiedType,
    /** Further defect types the report also describes (a two-defect report); the primary is `defect_type`. */
    secondary_types: z.array(ClassifiedType).optional(),
    severity: Severity,
    disposition: Disposition,
    escalate: z.boolean(),
    stage: ProductionStage.nullable(),
    category_6m: Category6M.nullable(),
    root_cause_keywords: z.array(z.string()),
    action_types: z.array(ActionType),
    action_keywords: z.array(z.string()),
  })
  .strict();
export type CaseLabels = z.infer<typeof CaseLabels>;

/** One labelled evaluation case: an inspection report in the API's input schema and its labels. */
export const EvalCase = z
  .object({
    id: z.string().min(1).max(80),
    tags: z.array(z.string()),
    input: InspectionReport,
    labels: CaseLabels,
  })
  .strict();
export type EvalCase = z.infer<typeof EvalCase>;

/** Reads a JSONL file of cases; a bad line is a ValidationError naming the file and line. */
export async function readCases(file: string): Promise<EvalCase[]> {
  return readJsonLines(file, EvalCase);
}

/** The language of a report: English, Chinese, or both mixed. */
export type ReportLanguage = 'en' | 'zh' | 'mixed';

/** The language tags a case may carry (exactly one in the held-out set). */
export const LANGUAGE_TAGS: readonly ReportLanguage[] = ['en', 'zh', 'mixed'];

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * The language of a case: its `en`, `zh` or `mixed` tag when it has one, else read from the
 * description (Chinese characters only: zh; Chinese with at least three Latin words: mixed; else en).
 */
export function languageOf(testCase: Pick<EvalCase, 'tags' | 'input'>): ReportLanguage {
  const tagged = LANGUAGE_TAGS.find((language) => testCase.tags.includes(language));
  if (tagged) return tagged;
  const text = testCase.input.description ?? '';
  const hanCount = text.match(HAN)?.length ?? 0;
  if (hanCount === 0) return 'en';
  const latinWords = (text.match(LATIN_WORD) ?? []).filter((word) => !/^WK$|^[A-Z]{2,}\d*$/.test(word));
  return latinWords.length >= 3 ? 'mixed' : 'zh';
}
