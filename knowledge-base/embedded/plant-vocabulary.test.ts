import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../domain/index.ts';
import { PLANT_VOCABULARY, validatePlantVocabulary } from './plant-vocabulary.ts';

describe('the plant vocabulary', () => {
  it('holds a few hundred Chinese plant words, each with the English it stands for', () => {
    expect(PLANT_VOCABULARY.size).toBeGreaterThanOrEqual(200);
    expect(PLANT_VOCABULARY.size).toBeLessThanOrEqual(400);
    expect(PLANT_VOCABULARY.get('冷却液')).toBe('coolant');
    expect(PLANT_VOCABULARY.get('落料模')).toBe('blanking die');
    for (const [chinese, english] of PLANT_VOCABULARY) {
      expect([...chinese].length, chinese).toBeGreaterThanOrEqual(2);
      expect(english, chinese).toMatch(/^[a-z0-9][a-z0-9 %-]*$/);
    }
  });

  it('leaves the 6M category names to the glossary, which reads causes', () => {
    const categories = /\b(man|machine|method|material|measurement|environment)\b/;
    for (const [chinese, english] of PLANT_VOCABULARY) expect(english, chinese).not.toMatch(categories);
  });

  it('lists every Chinese word once in the file, not twice within a group', () => {
    const text = readFileSync(new URL('./plant-vocabulary.json', import.meta.url), 'utf8');
    const keys = [...text.matchAll(/^\s*"([^"]+)":\s*"/gmu)].map((match) => match[1]);
    expect(keys.length).toBe(PLANT_VOCABULARY.size);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('rejects a word in two groups, upper-case English and one-character words, naming the file', () => {
    expect(() =>
      validatePlantVocabulary({ tools: { 夹具: 'fixture' }, fixtures: { 夹具: 'jig' } }, 'bad.json'),
    ).toThrow(/bad\.json.*夹具.*tools.*fixtures/);
    expect(() => validatePlantVocabulary({ tools: { 夹具: 'Fixture' } }, 'bad.json')).toThrow(DocumentError);
    expect(() => validatePlantVocabulary({ tools: { 铝: 'aluminium' } }, 'bad.json')).toThrow(
      /two characters/,
    );
    expect(() => validatePlantVocabulary({ tools: { jig: 'jig' } }, 'bad.json')).toThrow(DocumentError);
    expect(validatePlantVocabulary({ tools: { 夹具: 'fixture' } }, 'good.json').get('夹具')).toBe('fixture');
  });
});
