import glossaryData from './glossary.json' with { type: 'json' };
import { z } from 'zod';
import { DocumentError } from '../errors.ts';
import { Category6M, ConcreteDefectType, EscapePoint, ProductSku, ProductionStage } from '../vocabulary.ts';

/**
 * An English glossary term: lower-case and trimmed. It matches on word boundaries; a trailing `*`
 * makes it a prefix match (`scratch*` matches "scratches", "scratched"). Multi-word terms match as
 * a phrase. No Chinese characters: those belong in the `zh` list.
 */
export const EnglishTerm = z
  .string()
  .min(1)
  .refine((term) => term === term.trim().toLowerCase(), 'must be lower-case and trimmed')
  .refine((term) => !term.slice(0, -1).includes('*'), 'may contain `*` only at its end')
  .refine((term) => !/\p{Script=Han}/u.test(term), 'must not contain Chinese characters (put it under zh)');

/**
 * A Chinese glossary term. It matches as a substring, so it contains at least one Chinese character
 * (a bare Latin token such as "ng" would match inside English words) and has no `*`. Latin letters are
 * lower-case ("判定ok").
 */
export const ChineseTerm = z
  .string()
  .min(1)
  .refine((term) => term === term.trim().toLowerCase(), 'must be lower-case and trimmed')
  .refine((term) => /\p{Script=Han}/u.test(term), 'must contain a Chinese character (put it under en)')
  .refine((term) => !term.includes('*'), 'must not contain `*`: Chinese terms always match as substrings');

/** The terms of one glossary entry in both languages. */
export const TermLists = z.strictObject({
  en: z.array(EnglishTerm).min(1),
  zh: z.array(ChineseTerm).min(1),
});
export type TermLists = z.infer<typeof TermLists>;

/** Product families: what the causes considered must fit (a wok is not vacuum-quenched). */
export const ProductFamily = z.enum(['knife', 'scissors', 'cast_iron_pan', 'wok']);
export type ProductFamily = z.infer<typeof ProductFamily>;

/** Areas of a product where a defect is seen (knife, scissors and cookware). */
export const AffectedArea = z.enum([
  'cutting_edge',
  'tip',
  'heel',
  'spine',
  'bolster',
  'rivets',
  'handle',
  'blade_body',
  'pivot',
  'logo_area',
  'cooking_surface',
  'rim',
]);
export type AffectedArea = z.infer<typeof AffectedArea>;

/** When or where a defect was found: at the customer, at an inspection gate, or after a given treatment. */
export const DetectionPoint = z.enum([
  'customer',
  'incoming_inspection',
  'final_inspection',
  'in_process',
  'storage',
  'after_passivation',
  'after_salt_spray',
  'after_washing',
  'at_unpacking',
]);
export type DetectionPoint = z.infer<typeof DetectionPoint>;

/** Words that bear on severity: a safety risk, a structural or cosmetic defect, a patchy or uniform one. */
export const SeverityCue = z.enum(['safety', 'structural', 'cosmetic', 'patchy', 'uniform']);
export type SeverityCue = z.infer<typeof SeverityCue>;

/** A product family's SKUs and the words that name it. */
export const ProductEntry = TermLists.extend({ skus: z.array(ProductSku).min(1) });
export type ProductEntry = z.infer<typeof ProductEntry>;

/**
 * The bilingual glossary of domain terms: how people in the plant talk about defects, stages,
 * products, conformance and causes, in English and simplified Chinese. Every code of the
 * vocabulary has an entry; no term is listed under two defect types, and words that could mean
 * more than one type (crack, discoloration, tint) are in `ambiguous` instead.
 *
 * Matching rules for readers: English terms on word boundaries (`*` at the end for a prefix),
 * Chinese terms as substrings. Terms overlap across entries by design ("rust" and "rust spot",
 * 合格 and 不合格, 锈 and 防锈纸): a reader should prefer the longest match at a position.
 */
export const Glossary = z.strictObject({
  /** Words for each concrete defect type, including inspectors' shorthand and common misspellings. */
  defect_types: z.record(ConcreteDefectType, TermLists),
  /** Cues that point at a production stage (its machines, consumables, process words). */
  stages: z.record(ProductionStage, TermLists),
  /** Cues for the two escape points, where a defect should have been caught. */
  escape_points: z.record(EscapePoint, TermLists),
  /** Product families with their SKUs and the words that name them. */
  products: z.record(ProductFamily, ProductEntry),
  /** Where on the product the defect is. */
  areas: z.record(AffectedArea, TermLists),
  /** Words that negate what follows ("no rust", 未见锈点). */
  negation: TermLists,
  /** Words that negate what came before, at the end of a clause ("rust: none found", 锈点：无). */
  absence_after: TermLists,
  /** Statements that a lot or part conforms ("all ok", "within tolerance", 合格, 允收). */
  conformance: TermLists,
  /** Statements that a lot or part does not conform ("ng", "out of spec", 不合格, 超差). */
  nonconformance: TermLists,
  /** Words that introduce a stated cause ("due to", "caused by", 由于, 导致). */
  cause_markers: TermLists,
  /** Words that mark a cause as a guess rather than a finding ("suspect", 怀疑, 疑似). */
  hypothesis_markers: TermLists,
  /** Words that place a stated cause in a 6M category. */
  causes_6m: z.record(Category6M, TermLists),
  /** Cues for when or where the defect was found. */
  detection_points: z.record(DetectionPoint, TermLists),
  /** Cues that bear on severity. */
  severity_cues: z.record(SeverityCue, TermLists),
  /** Defect words that could mean more than one defect type; the context decides. */
  ambiguous: TermLists,
});
export type Glossary = z.infer<typeof Glossary>;

/**
 * Parses and validates glossary JSON text.
 *
 * @param text - the JSON text of a glossary.
 * @param source - the file it came from, named in the error.
 * @throws DocumentError when the text is not JSON or does not match the {@link Glossary} schema;
 *   the message lists every issue with its path.
 */
export function parseGlossary(text: string, source: string): Glossary {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DocumentError(source, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateGlossary(data, source);
}

/** Validates parsed glossary data against the {@link Glossary} schema. */
export function validateGlossary(data: unknown, source: string): Glossary {
  const result = Glossary.safeParse(data);
  if (!result.success) {
    throw new DocumentError(source, `does not match the glossary schema:\n${z.prettifyError(result.error)}`, {
      cause: result.error,
      details: result.error.issues,
    });
  }
  return result.data;
}

/**
 * The plant's bilingual glossary, imported from `glossary.json` (so bundlers inline it, as in the
 * action-group Lambdas) and validated once at module load, so a bad file fails at start-up with an
 * error naming the file and the offending paths.
 */
export const GLOSSARY: Glossary = validateGlossary(glossaryData, 'domain/glossary/glossary.json');
