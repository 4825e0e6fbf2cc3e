import { describe, expect, it } from 'vitest';
import { chineseWords, hasChinese, translateGlossaryTerms } from './multilingual.ts';
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
