import { describe, expect, it } from 'vitest';
import { fixtureMetrics, fixtureRun } from './fixtures.ts';
import { renderMarkdownSummary } from './markdown.ts';

describe('renderMarkdownSummary', () => {
  const markdown = renderMarkdownSummary({ run: fixtureRun() });

  it('heads the summary with target, model, dates and counts', () => {
    expect(markdown).toContain('# Evals run: local-orchestrator');
    expect(markdown).toContain('- Model: `test-model-v1`');
    expect(markdown).toContain('- Started: 2025-03-01T10:00:00.000Z');
    expect(markdown).toContain('(3 min 30 s)');
    expect(markdown).toContain('- Cases: 5 (4 ok, 1 errors, 0 invalid); 2 of 5 passed type and stage');
    expect(markdown).toContain(
      '**1 of 5 cases errored (see the failed cases); they are not scored, and the scores below are not valid.**',
    );
    expect(
      renderMarkdownSummary({
        run: fixtureRun({ metrics: fixtureMetrics({ counts: { cases: 5, ok: 5, errors: 0, invalid: 0 } }) }),
      }),
    ).not.toContain('errored');
  });

  it('renders every metric table with percentages, units and n/a', () => {
    for (const title of ['Classification', 'Root cause', 'Actions', 'Grounding', 'Robustness', 'Cost']) {
      expect(markdown).toContain(`## ${title}\n\n| Metric | Value |\n| --- | ---: |`);
    }
    expect(markdown).toContain('| Type accuracy | 60.0% |');
    expect(markdown).toContain('| Escalation precision | n/a |');
    expect(markdown).toContain('| Mean why depth | 4.25 |');
    expect(markdown).toContain('| Latency p95 (end to end) | 5000 ms |');
    expect(markdown).toContain('| Tokens per case | 5321 |');
    expect(markdown).toContain('| Cost per case | 0.0123 USD |');
  });

  it('renders per-type scores with support and per-agent latency', () => {
    expect(markdown).toContain('| Type | Support | Precision | Recall | F1 |');
    expect(markdown).toContain('| `blade_chip` | 2 | n/a | 0.0% | n/a |');
    expect(markdown).toContain('| `root_cause` | 700 ms | 2100 ms |');
  });

  it('renders the confusion matrix over the labels in the data', () => {
    const section = markdown.slice(
      markdown.indexOf('## Confusion matrix'),
      markdown.indexOf('## Failed cases'),
    );
    expect(section).toContain(
      '| Expected \\ predicted | `blade_scratch` | `blade_chip` | `weld_defect` | `rust_spot` | `none` |',
    );
    expect(section).toContain('| `blade_chip` | 1 | 0 | 0 | 0 | 0 |');
  });

  it('lists the failed and errored cases with their mismatches or error', () => {
    const section = markdown.slice(markdown.indexOf('## Failed cases'));
    expect(section).toContain(
      '| `chip-<b>002</b>` | ok | `blade_chip` / `cutting_edge_honing` | `blade_scratch` / `blade_glazing` | wrong type and stage |',
    );
    expect(section).toContain(
      '| `weld-005` | ok | `weld_defect` / `bolster_welding` | `weld_defect` / `heat_treatment` | wrong stage |',
    );
    expect(section).toContain('timeout after 60000 ms \\<script\\>alert(1)\\</script\\> \\| pipe');
    expect(section).not.toContain('rust-001');
    expect(section).not.toContain('none-004');
  });
});
