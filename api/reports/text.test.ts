import { describe, expect, it } from 'vitest';
import { addDays, escapeMarkdown, escapeMarkup, formatDays, sanitizeText, wrapText } from './text.ts';

describe('report text helpers', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(sanitizeText('a\u0000b\u0007c\td\ne\uFFFF')).toBe('abc\td\ne');
  });

  it('escapes Markdown structure and HTML in user text', () => {
    expect(escapeMarkdown('# <script>x</script> | *a* [l](u) `c`\nnext')).toBe(
      '\\# &lt;script&gt;x&lt;/script&gt; \\| \\*a\\* \\[l\\](u) \\`c\\` next',
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
  });

  it('wraps at word boundaries and splits words longer than the width', () => {
    expect(wrapText({ text: 'one two three four', width: 9 })).toEqual(['one two', 'three', 'four']);
    expect(wrapText({ text: 'abcdefghij', width: 4 })).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText({ text: '   ', width: 4 })).toEqual(['']);
    for (const line of wrapText({ text: 'Vacuum pump throughput below the specification', width: 12 })) {
      expect(line.length).toBeLessThanOrEqual(12);
    }
  });

  it('adds days across month and year ends and counts days', () => {
    expect(addDays({ date: '2026-12-21', days: 90 })).toBe('2027-03-21');
    expect(addDays({ date: '2028-02-28', days: 1 })).toBe('2028-02-29');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(14)).toBe('14 days');
  });
});
