import { describe, expect, it } from 'vitest';
import { sidesAgree } from './side-agreement.ts';

const LEXICAL: Array<[number, number]> = [
  [1, 9],
  [2, 8],
  [3, 7],
];

describe('sidesAgree', () => {
  it('agrees when the sides share a passage within the depth', () => {
    const semantic: Array<[number, number]> = [
      [7, 0.9],
      [2, 0.8],
    ];
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 2 })).toBe(true);
  });

  it('disagrees when the shared passage lies below the depth', () => {
    const semantic: Array<[number, number]> = [
      [7, 0.9],
      [8, 0.8],
      [3, 0.7],
    ];
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 2 })).toBe(false);
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 3 })).toBe(true);
  });

  it('agrees when the check is off or a side found nothing', () => {
    const semantic: Array<[number, number]> = [[7, 0.9]];
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 0 })).toBe(true);
    expect(sidesAgree({ lexical: [], semantic, depth: 10 })).toBe(true);
    expect(sidesAgree({ lexical: LEXICAL, semantic: [], depth: 10 })).toBe(true);
  });

  it('agrees when a passage of one side is the same as one of the other', () => {
    const semantic: Array<[number, number]> = [[12, 0.9]];
    const same = (left: number, right: number): boolean => left + 10 === right;
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 2 })).toBe(false);
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 2, same })).toBe(true);
    expect(sidesAgree({ lexical: LEXICAL, semantic, depth: 1, same })).toBe(false);
  });
});
