import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONCRETE_DEFECT_TYPES, DEFECT_TYPE_DETAILS } from '../../domain/index.ts';
import { parseDocument } from '../../knowledge-base/documents/parse.ts';
import { readCases, type EvalCase } from '../case.ts';

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function shingles(text: string, size: number): Set<string> {
  const tokens = words(text);
  const result = new Set<string>();
  for (let index = 0; index + size <= tokens.length; index += 1)
    result.add(tokens.slice(index, index + size).join(' '));
  return result;
}

describe('evaluation cases', async () => {
  const cases: EvalCase[] = await readCases('evals/cases/cases.jsonl');

  it('has at least 150 valid cases with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
  });

  it('covers every concrete type at least 8 times, with a usual origin stage (contamination: every stage before packing)', () => {
    for (const type of CONCRETE_DEFECT_TYPES) {
      const ofType = cases.filter((testCase) => testCase.labels.defect_type === type);
      expect(ofType.length, type).toBeGreaterThanOrEqual(8);
      if (type === 'surface_contamination') continue;
      for (const testCase of ofType)
        expect(DEFECT_TYPE_DETAILS[type].originStages, testCase.id).toContain(testCase.labels.stage);
    }
  });

  it.each(['no_defect', 'vague', 'off_topic', 'injection', 'measurement_only', 'lookalike'])(
    'has %s cases',
    (tag) => {
      expect(cases.filter((testCase) => testCase.tags.includes(tag)).length).toBeGreaterThanOrEqual(5);
    },
  );

  it('spreads over facilities and SKUs', () => {
    expect(new Set(cases.map((testCase) => testCase.input.facility).filter(Boolean)).size).toBe(3);
    expect(
      new Set(cases.map((testCase) => testCase.input.product_sku).filter(Boolean)).size,
    ).toBeGreaterThanOrEqual(5);
  });

  it('does not copy the knowledge base (word 6-gram overlap under 20 % for every case)', () => {
    const corpus = new Set<string>();
    for (const folder of ['past-defects', 'sops']) {
      const directory = path.join('knowledge-base/corpus', folder);
      for (const name of readdirSync(directory)) {
        const document = parseDocument({
          file: name,
          source: readFileSync(path.join(directory, name), 'utf8'),
        });
        for (const shingle of shingles(`${document.metadata.title} ${document.body}`, 6)) corpus.add(shingle);
      }
    }
    const offenders: string[] = [];
    for (const testCase of cases) {
      const own = shingles(testCase.input.description ?? '', 6);
      if (own.size === 0) continue;
      const shared = [...own].filter((shingle) => corpus.has(shingle)).length;
      if (shared / own.size >= 0.2) offenders.push(`${testCase.id} (${shared}/${own.size})`);
    }
    expect(offenders).toEqual([]);
  });
});
