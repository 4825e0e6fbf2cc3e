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
  reviewedCase,
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

describe('renderMarkdown of a reviewed analysis', () => {
  const { analysis, review, events } = reviewedCase();
  const markdown = renderMarkdown(buildRcaReport({ analysis, review, events, generatedAt: GENERATED_AT }));

  it('says who reviewed it, and labels a draft as an unconfirmed machine draft', () => {
    expect(markdown).toContain('| Review | Corrected by a person; by Li Wei (QA), 2026-11-23 18:00 UTC |');
    expect(markdown).toContain('- **State:** Corrected by a person (version 10)');
    expect(markdown).not.toContain('Unconfirmed machine draft');
    const draft = renderMarkdown(buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }));
    expect(draft).toContain('> **Unconfirmed machine draft:** no person has confirmed this analysis yet');
    expect(draft).toContain('| Review | Unconfirmed machine draft |');
  });

  it('tables the corrections and marks the corrected values where the report states them', () => {
    const corrections = tableRows({
      markdown,
      header: '| Field | Machine value → reviewed value | Reason | By | At |',
    });
    expect(corrections.map(cells)[0]).toEqual([
      'Disposition',
      'SCRAP → HOLD',
      'MRB decides lot by lot after the salt-spray re-test.',
      'Li Wei (QA)',
      '2026-11-23 10:00 UTC',
    ]);
    expect(markdown).toContain('| Disposition | HOLD _(corrected)_ |');
    expect(markdown).toContain('**Disposition of the affected parts:** HOLD _(corrected)_');
    expect(markdown).toContain('| 6M category | method _(corrected)_ |');
    expect(markdown).toContain(
      '| Occurrence (why it was made) | Quench recipe lost its vacuum hold step after the furnace software update. _(corrected)_ |',
    );
    expect(markdown).toContain('| Escape (why inspection missed it) | Salt spray sampled weekly. |');
  });

  it('gives each action its status, who set it, its dates and evidence, and ticks the met closure criteria', () => {
    const statuses = tableRows({
      markdown,
      header: '| Ref | Status | Set by | Set at | Started | Done | Verified | Effectiveness evidence |',
    }).map(cells);
    expect(statuses.map((row) => [row[0], row[1]])).toEqual([
      ['A1', 'verified effective'],
      ['A2', 'done'],
      ['A3', 'in progress'],
      ['A5 (added by a reviewer)', 'open'],
    ]);
    expect(statuses[0]?.[7]).toBe('All 3 suspect lots caged in Q-2; the count matched the MES record.');
    expect(markdown).toContain('- A4: Revise SOP-VQ-01');
    expect(markdown).toContain(
      '— dropped by Li Wei (QA), 2026-11-23 17:00 UTC. Why: Replaced by a recipe lock',
    );
    expect(markdown).toContain('- [x] A1 (containment) effective');
    expect(markdown).toContain('- [ ] A2 (correction) effective');
  });

  it('tables the audit trail', () => {
    const trail = tableRows({
      markdown,
      header: '| # | At | By | Change | Target | Before | After | Reason | State |',
    }).map(cells);
    expect(trail).toHaveLength(9);
    expect(trail[0]).toEqual([
      '1',
      '2026-11-23 10:00 UTC',
      'Li Wei (QA)',
      'Corrected',
      'disposition',
      'SCRAP',
      'HOLD',
      'MRB decides lot by lot after the salt-spray re-test.',
      'draft → corrected',
    ]);
    expect(trail[5]?.slice(2, 7)).toEqual(['Zhang Min', 'Action status changed', 'A2', 'open', 'done']);
    const draft = renderMarkdown(buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }));
    expect(draft).toContain('## Audit trail\n\n> **Not applicable:** Nobody has reviewed the analysis yet');
  });
});
