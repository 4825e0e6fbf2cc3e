import { describe, expect, it } from 'vitest';
import { mendPlantWords } from './spelling.ts';

describe('mendPlantWords', () => {
  it('mends two swapped letters and a doubled letter written once in plant words', () => {
    expect(mendPlantWords('light scrtaches on the hnadle, porossity at the bolster')).toBe(
      'light scratches on the handle, porosity at the bolster',
    );
    expect(mendPlantWords('serated edge')).toBe('serrated edge');
  });

  it('leaves real words, inflections and Chinese text alone', () => {
    for (const text of [
      'a sliver of steel',
      'satined finish',
      'scrapping the lot',
      'chipped',
      'new brands',
      '刀身划痕',
    ])
      expect(mendPlantWords(text)).toBe(text);
  });
});
