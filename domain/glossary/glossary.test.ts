import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors.ts';
import {
  CONCRETE_DEFECT_TYPES,
  Category6M,
  EscapePoint,
  PRODUCTION_STAGES,
  ProductSku,
} from '../vocabulary.ts';
import {
  AffectedArea,
  DetectionPoint,
  GLOSSARY,
  ProductFamily,
  SeverityCue,
  parseGlossary,
  type TermLists,
} from './glossary.ts';

const LANGUAGES = ['en', 'zh'] as const;

/** Every term list of the glossary, named by its path. */
function allTermLists(): Array<[string, TermLists]> {
  const lists: Array<[string, TermLists]> = [];
  const sections = [
    'defect_types',
    'stages',
    'escape_points',
    'products',
    'areas',
    'causes_6m',
    'detection_points',
    'severity_cues',
  ] as const;
  for (const section of sections) {
    for (const [code, entry] of Object.entries(GLOSSARY[section])) lists.push([`${section}.${code}`, entry]);
  }
  const flatSections = [
    'negation',
    'absence_after',
    'conformance',
    'nonconformance',
    'cause_markers',
    'hypothesis_markers',
    'ambiguous',
  ] as const;
  for (const section of flatSections) lists.push([section, GLOSSARY[section]]);
  return lists;
}

describe('glossary', () => {
  it('has every code of the vocabulary, with terms in both languages', () => {
    const expected: Array<[string, readonly string[]]> = [
      ['defect_types', CONCRETE_DEFECT_TYPES],
      ['stages', PRODUCTION_STAGES],
      ['escape_points', EscapePoint.options],
      ['products', ProductFamily.options],
      ['areas', AffectedArea.options],
      ['causes_6m', Category6M.options],
      ['detection_points', DetectionPoint.options],
      ['severity_cues', SeverityCue.options],
    ];
    for (const [section, codes] of expected) {
      const entries = GLOSSARY[section as keyof typeof GLOSSARY] as Record<string, TermLists>;
      expect(Object.keys(entries).sort(), section).toEqual([...codes].sort());
    }
    for (const [path, lists] of allTermLists()) {
      for (const language of LANGUAGES)
        expect(lists[language].length, `${path}.${language}`).toBeGreaterThan(0);
    }
  });

  it('gives defect types and stages rich lists', () => {
    for (const section of ['defect_types', 'stages'] as const) {
      for (const [code, lists] of Object.entries(GLOSSARY[section])) {
        for (const language of LANGUAGES) {
          expect(lists[language].length, `${section}.${code}.${language}`).toBeGreaterThanOrEqual(10);
        }
      }
    }
  });

  it('maps every SKU to exactly one product family', () => {
    const skus = Object.values(GLOSSARY.products).flatMap((entry) => entry.skus);
    expect([...skus].sort()).toEqual([...ProductSku.options].sort());
  });

  it('lists no term under two defect types, nor a defect-type term as ambiguous', () => {
    for (const language of LANGUAGES) {
      const owners = new Map<string, string>();
      for (const [type, lists] of Object.entries(GLOSSARY.defect_types)) {
        for (const term of lists[language]) {
          expect(owners.get(term), `"${term}" is under ${owners.get(term)} and ${type}`).toBeUndefined();
          owners.set(term, type);
        }
      }
      for (const term of GLOSSARY.ambiguous[language]) {
        expect(owners.get(term), `"${term}" is ambiguous and under ${owners.get(term)}`).toBeUndefined();
      }
    }
  });

  it('keeps terms lower-case and trimmed, with no duplicates within a list', () => {
    for (const [path, lists] of allTermLists()) {
      for (const language of LANGUAGES) {
        const terms = lists[language];
        for (const term of terms) {
          expect(term, `${path}.${language}`).toBe(term.trim().toLowerCase());
          expect(term.length, `${path}.${language}`).toBeGreaterThan(0);
        }
        const duplicates = terms.filter((term, index) => terms.indexOf(term) !== index);
        expect(duplicates, `${path}.${language}`).toEqual([]);
      }
    }
  });

  it('keeps Chinese characters out of English lists and bare Latin tokens out of Chinese lists', () => {
    const han = /\p{Script=Han}/u;
    for (const [path, lists] of allTermLists()) {
      for (const term of lists.en) expect(han.test(term), `${path}.en: ${term}`).toBe(false);
      for (const term of lists.zh) expect(han.test(term), `${path}.zh: ${term}`).toBe(true);
    }
  });

  it('fails fast, naming the file and the path, when the file is bad', () => {
    const text = readFileSync(new URL('./glossary.json', import.meta.url), 'utf8');
    const broken = JSON.parse(text) as { defect_types: Record<string, TermLists> };
    const rust = broken.defect_types.rust_spot;
    if (!rust) throw new Error('rust_spot missing from the glossary');
    rust.en = ['Rust '];
    expect(() => parseGlossary(JSON.stringify(broken), 'broken.json')).toThrow(DocumentError);
    expect(() => parseGlossary(JSON.stringify(broken), 'broken.json')).toThrow(
      /broken\.json.*\n[\s\S]*rust_spot/,
    );

    delete broken.defect_types.rust_spot;
    expect(() => parseGlossary(JSON.stringify(broken), 'broken.json')).toThrow(/rust_spot/);
    expect(() => parseGlossary('{ not json', 'broken.json')).toThrow(/broken\.json: is not valid JSON/);
  });
});
