import { describe, expect, it } from 'vitest';
import { chineseWords, hasChinese, translateChineseTerms, translateGlossaryTerms } from './multilingual.ts';
import { expandQuery, queryTerms, searchText } from './lexical-query.ts';

describe('query translation through the glossary', () => {
  it('appends the English of each glossary term found, longest terms first, in order of appearance', () => {
    expect(translateGlossaryTerms('刀刃上有锈斑')).toMatch(/cutting edge.*rust spot/);
    expect(translateGlossaryTerms('焊缝气孔')).toContain('porosity');
    expect(expandQuery('锈斑 near the bolster')).toBe('锈斑 near the bolster rust spot rust');
  });

  it('leaves English queries as they are', () => {
    expect(hasChinese('rust spots near the bolster')).toBe(false);
    expect(translateGlossaryTerms('rust spots near the bolster')).toBe('');
    expect(expandQuery('rust spots near the bolster')).toBe('rust spots near the bolster');
  });
});

describe('query translation through the plant vocabulary', () => {
  it('reads everyday plant words the glossary leaves out', () => {
    const english = translateChineseTerms('二号磨床冷却液不够，砂轮也该换了').split(' ');
    expect(english).toEqual(expect.arrayContaining(['coolant', 'wheel', 'grinder']));
    expect(translateChineseTerms('落料模间隙太大')).toContain('blanking die gap');
    expect(translateChineseTerms('氩气流量低 at the bolster weld')).toContain('argon gas flow');
  });

  it('keeps the glossary first and adds only the English words it has not given', () => {
    const glossary = translateGlossaryTerms('换了色母之后');
    expect(glossary.length).toBeGreaterThan(0);
    expect(translateChineseTerms('换了色母之后')).toBe(`${glossary} masterbatch`);
    const wheel = translateChineseTerms('砂轮');
    expect(wheel.startsWith(translateGlossaryTerms('砂轮'))).toBe(true);
    expect(wheel.split(' ').filter((word) => word === 'wheel')).toHaveLength(1);
  });

  it('does not read a plant word inside a longer glossary term', () => {
    expect(translateGlossaryTerms('车间温度偏高')).not.toBe('');
    expect(translateChineseTerms('车间温度偏高')).toBe(translateGlossaryTerms('车间温度偏高'));
  });

  it('expands a query with plant words and leaves English alone', () => {
    expect(expandQuery('硬度计读数偏低')).toContain('hardness tester');
    expect(translateChineseTerms('coolant flow on the grinder')).toBe('');
    expect(chineseWords('冷却液和电解抛光')).toEqual(expect.arrayContaining(['冷却液', '电解抛光']));
  });
});

describe('Chinese words for the lexical index', () => {
  it('segments Chinese with jieba, keeps glossary terms whole and drops function words', () => {
    const words = chineseWords('剪刀刃面出现长划痕，夹具定位销磨损了');
    expect(words).toContain('划痕');
    expect(words).toContain('磨损');
    expect(words).not.toContain('了');
    expect(words.every((word) => word.length >= 2 || word === '锈')).toBe(true);
  });

  it('indexes and queries English and Chinese words alike', () => {
    const indexed = searchText('Rust near the bolster. 刀根附近出现锈斑').split(' ');
    expect(indexed).toEqual(expect.arrayContaining(['rust', 'bolster', '锈斑']));
    const terms = queryTerms(expandQuery('锈斑'));
    expect(terms).toEqual(expect.arrayContaining(['rust', 'spot', '锈斑']));
  });
});
