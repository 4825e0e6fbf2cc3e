import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { EIGHT_D_SECTIONS, buildRcaReport } from './report-model.ts';
import {
  FULL_ACTIONS,
  FULL_ROOT_CAUSE,
  GENERATED_AT,
  completeAnalysis,
  failedAnalysis,
  noDefectAnalysis,
  partialAnalysis,
} from './testing/fixtures.ts';

/** The rows of the Markdown table whose header line is `header`. */
function tableRows({ markdown, header }: { markdown: string; header: string }): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(header);
  if (start === -1) return [];
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

/** Splits a table row into cells, honouring escaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((cell) => cell.trim());
}

const WHY_HEADER = '| Step | Question | Answer | Evidence | Verified | Citations |';
const ACTION_HEADER =
  '| Ref | Type | Status | Action | Owner | Due | Effectiveness check | Verify by | Citations |';

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(
    buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }),
  );

  it('has a heading per 8D section, in order', () => {
    const headings = markdown.split('\n').filter((line) => /^## D\d /.test(line));
    expect(headings).toEqual(EIGHT_D_SECTIONS.map((section) => `## ${section.code} ${section.title}`));
    expect(markdown.startsWith('# RCA report DEF-20261122-0000ABCD: Rust spot\n')).toBe(true);
    for (const heading of [
      '## Classification',
      '## Evidence',
      '## Similar past defects',
      '## Effectiveness-check plan',
      '## Citations',
    ]) {
      expect(markdown.split('\n')).toContain(heading);
    }
  });

  it('renders the 5-why chain as a table with one row per why', () => {
    const rows = tableRows({ markdown, header: WHY_HEADER });
    expect(rows).toHaveLength(FULL_ROOT_CAUSE.five_why_chain.length);
    rows.forEach((row, index) => {
      const why = FULL_ROOT_CAUSE.five_why_chain[index];
      const [step, question, , , verified, citations] = cells(row);
      expect(step).toBe(String(why?.step));
      expect(question).toBe(why?.question);
      expect(verified).toBe(`${why?.verified ? 'yes' : 'no'}${why?.hypothesis ? ' (hypothesis)' : ''}`);
      expect(citations).toMatch(/^(\[\d\]( |$))+|none$/);
    });
    expect(cells(rows[0] ?? '')[3]).toBe('passage: quench window (SOP-VQ-01)');
    expect(cells(rows[0] ?? '')[5]).toBe('[3]');
    expect(cells(rows[2] ?? '')).toHaveLength(6);
  });

  it('lists the fishbone per 6M branch with status markers', () => {
    for (const branch of ['Man', 'Machine', 'Method', 'Material', 'Measurement', 'Environment']) {
      expect(markdown).toMatch(new RegExp(`^- \\*\\*${branch}\\*\\*`, 'm'));
    }
    expect(markdown).toContain('- **Machine** (root-cause category)\n  - ● supported: Door seal worn [2]');
    expect(markdown).toContain('  - ✕ ruled out: ~~Steel lot~~');
    expect(markdown).toContain('  - ○ untested: Humidity');
  });

  it('tables the actions with owner, due date and effectiveness check', () => {
    const containment = tableRows({ markdown, header: ACTION_HEADER });
    expect(containment.map((row) => cells(row)[0])).toEqual(['A1', 'A2']);
    expect(cells(containment[0] ?? '')).toEqual([
      'A1',
      'containment',
      'open',
      'Quarantine the suspect lots.',
      'Quality engineer',
      '2026-11-23',
      'suspect units contained: 100 % within 1 day',
      '2026-11-24',
      '[4] NOT-A-PASSAGE#x (unresolved)',
    ]);
    const plan = tableRows({
      markdown,
      header: '| Action | Owner | Metric | Threshold | Window | From | Verify by |',
    });
    expect(plan).toHaveLength(FULL_ACTIONS.length);
    expect(markdown).toContain('- [ ] A3 (corrective) effective: quench time 1000→600 °C');
  });

  it('lists similar past defects and citations with their excerpts', () => {
    expect(markdown).toContain(
      '- **DEF-20240314-3FA2B91C**: Rust spots after vacuum quench, line 2 — Orange spots on the bolster',
    );
    expect(markdown).toContain('### [3] Vacuum quench SOP');
    expect(markdown).toContain(
      '> Cool from 1000 °C to 600 °C within 2 minutes.\n> Check the chamber vacuum before each run.',
    );
    expect(markdown).toContain('- NOT-A-PASSAGE#x');
  });

  it('escapes script text and pipes in user text', () => {
    expect(markdown).not.toMatch(/<script/i);
    expect(markdown).not.toContain('<b>');
    expect(markdown).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(markdown).toContain('Seal replaced only on failure \\| &lt;script&gt;');
  });

  it('says what is missing in partial, failed and no-defect analyses', () => {
    const partial = renderMarkdown(
      buildRcaReport({ analysis: partialAnalysis(), generatedAt: GENERATED_AT }),
    );
    expect(partial).toContain(
      '## D4 Root causes\n\n> **Missing:** The root-cause analyst failed (agent\\_output\\_invalid: probable\\_stage: invalid option).',
    );
    expect(partial).toContain('> **Analysis partial:**');
    expect(tableRows({ markdown: partial, header: WHY_HEADER })).toEqual([]);
    const failed = renderMarkdown(buildRcaReport({ analysis: failedAnalysis(), generatedAt: GENERATED_AT }));
    expect(failed).toContain('**Level:** Undetermined: hold until classified');
    const none = renderMarkdown(buildRcaReport({ analysis: noDefectAnalysis(), generatedAt: GENERATED_AT }));
    expect(none).toContain('## D3 Containment\n\n> **Not applicable:** No defect was detected');
    expect(none).toContain('**Status:** not required');
    for (const text of [partial, failed, none]) {
      expect(text.split('\n').filter((line) => /^## D\d /.test(line))).toHaveLength(9);
    }
  });

  it('is deterministic for a fixed generatedAt', () => {
    const again = renderMarkdown(buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }));
    expect(again).toBe(markdown);
  });
});
