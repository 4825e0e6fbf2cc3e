import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.ts';
import { fixtureMetrics, fixtureRun } from './fixtures.ts';
import { renderHtmlScorecard } from './html.ts';

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);

/** Checks that every opened element closes in order; returns the problems found. */
function tagProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const body = html.replace(/^<!DOCTYPE html>/i, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^<>]*?(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = match;
    const tag = name.toLowerCase();
    if (selfClosing === '/' || VOID.has(tag)) continue;
    if (closing === '') {
      stack.push(tag);
    } else if (stack.at(-1) === tag) {
      stack.pop();
    } else {
      problems.push(`</${tag}> closes <${stack.at(-1) ?? 'nothing'}>`);
    }
  }
  return [...problems, ...stack.map((tag) => `<${tag}> never closed`)];
}

function sectionOf(html: string, svgClass: string): string {
  const start = html.indexOf(`<svg class="${svgClass}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + '</svg>'.length);
}

describe('renderHtmlScorecard', () => {
  const html = renderHtmlScorecard({ run: fixtureRun() });

  it('is a standalone HTML5 page with balanced tags and no scripts or external assets', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(tagProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|src=|@import|url\(/i);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
  });

  it('catches unbalanced markup in its own checker', () => {
    expect(tagProblems('<table><tr><td>x</tr></table>')).not.toEqual([]);
  });

  it('shows headline tiles', () => {
    expect(html).toContain('<div class="value">60.0%</div><div class="label">Type accuracy</div>');
    expect(html).toContain('<div class="value">0.0123 USD</div><div class="label">Cost per case</div>');
  });

  it('says above the tiles that errored cases are not scored', () => {
    expect(html).toContain(
      '<p class="errored">1 of 5 cases errored (see the failed cases); they are not scored, and the scores below are not valid.</p>',
    );
    const clean = fixtureMetrics({ counts: { cases: 5, ok: 5, errors: 0, invalid: 0 } });
    expect(renderHtmlScorecard({ run: fixtureRun({ metrics: clean }) })).not.toContain('class="errored"');
  });

  it('draws the confusion heatmap over all 14 labels with counts and axis labels', () => {
    const heatmap = sectionOf(html, 'heatmap');
    expect(heatmap.match(/<g class="cell">/g)).toHaveLength(14 * 14);
    expect(heatmap).toContain('>predicted</text>');
    expect(heatmap).toContain('>expected</text>');
    expect(heatmap).toContain('heat_treatment_defect');
    expect(heatmap).toMatch(
      /expected blade_chip, predicted blade_scratch: 1 \(100\.0% of row\)<\/title><rect[^>]*fill="rgb\(220,38,38\)"[^>]*\/><text[^>]*>1<\/text>/,
    );
    expect(heatmap).toMatch(
      /expected rust_spot, predicted rust_spot: 1 [^<]*<\/title><rect[^>]*fill="rgb\(29,78,216\)"/,
    );
  });

  it('draws recall bars for every type with support', () => {
    const bars = sectionOf(html, 'bars');
    expect(bars.match(/class="bar"/g)).toHaveLength(4);
    expect(bars).toMatch(/class="bar" x="190" y="\d+" width="360"/);
    expect(bars).toContain('0.0% (n=2)');
  });

  it('draws a latency histogram of 10 to 20 bins with p50 and p95 marked', () => {
    const histogram = sectionOf(html, 'histogram');
    const bins = histogram.match(/class="hist-bin"/g) ?? [];
    expect(bins.length).toBeGreaterThanOrEqual(10);
    expect(bins.length).toBeLessThanOrEqual(20);
    expect(histogram.match(/class="marker"/g)).toHaveLength(2);
    expect(histogram).toContain('p50 1500 ms');
    expect(histogram).toContain('p95 5000 ms');
  });

  it('lists per-agent latency, metric tables and cases with failing rows highlighted', () => {
    expect(html).toContain(
      '<tr><td>root_cause</td><td class="num">700 ms</td><td class="num">2100 ms</td></tr>',
    );
    expect(html).toContain('<h3>Grounding</h3>');
    expect(html).toContain('<tr><td>Escalation precision</td><td class="num">n/a</td></tr>');
    expect(html.match(/<tr class="fail">/g)).toHaveLength(3);
    expect(html).toMatch(/<tr><td>rust-001<\/td>.*?<td class="verdict-pass">pass<\/td>/);
  });

  it('escapes case ids and error text', () => {
    expect(html).toContain('<tr class="fail"><td>chip-&lt;b&gt;002&lt;/b&gt;</td>');
    expect(html).not.toContain('<b>002');
    expect(html).toContain('timeout after 60000 ms &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('adds an improved / regressed section when given a comparison', () => {
    const baseline = fixtureRun({
      runId: 'run-<base>',
      metrics: fixtureMetrics({ classification: { typeAccuracy: 0.8 }, cost: { costPerCase: 0.02 } }),
    });
    const current = fixtureRun();
    const withComparison = renderHtmlScorecard({
      run: current,
      comparison: compareRuns({ baseline, current }),
    });
    expect(html).not.toContain('class="comparison"');
    expect(tagProblems(withComparison)).toEqual([]);
    expect(withComparison).toContain('Improved / regressed against baseline run-&lt;base&gt;');
    expect(withComparison).toMatch(
      /class="metric-changes regressed-metrics">.*classification\.typeAccuracy/s,
    );
    expect(withComparison).toMatch(/class="metric-changes improved-metrics">.*cost\.costPerCase/s);
    expect(withComparison).toContain('<div class="delta regressed">-20.0 pp vs baseline</div>');
  });
});
