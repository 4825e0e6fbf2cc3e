import { describe, expect, it } from 'vitest';
import { renderFishboneSvg } from './fishbone-svg.ts';
import { renderHtml } from './html.ts';
import { CATEGORIES_6M, EIGHT_D_SECTIONS, buildRcaReport, type RcaReport } from './report-model.ts';
import {
  FULL_ACTIONS,
  FULL_ROOT_CAUSE,
  GENERATED_AT,
  completeAnalysis,
  failedAnalysis,
  noDefectAnalysis,
  partialAnalysis,
  photoPng,
  reviewedCase,
} from './testing/fixtures.ts';
import { startTags, wellFormednessErrors } from './testing/markup.ts';
import { escapeMarkup } from './text.ts';

function fishboneOf(report: RcaReport): string | null {
  const d4 = report.d4_root_causes;
  return d4.fishbone
    ? renderFishboneSvg({
        ishikawa: d4.fishbone,
        effect: d4.effect,
        highlight: d4.root_cause?.category_6m ?? null,
      })
    : null;
}

function render(report: RcaReport): string {
  return renderHtml(report, { fishboneSvg: fishboneOf(report) });
}

/** The markup between the start tag matching `open` and the end of its section. */
function sectionOf({ html, id }: { html: string; id: string }): string {
  const start = html.indexOf(`<section id="${id}"`);
  return start === -1 ? '' : html.slice(start, html.indexOf('</section>', start));
}

describe('renderHtml', () => {
  const report = buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT });
  const html = render(report);

  it('is a well-formed standalone HTML5 page', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(wellFormednessErrors({ markup: html, html: true })).toEqual([]);
    expect(html).toContain('<meta charset="utf-8" />');
    expect(html).toContain(`<title>RCA report DEF-20261122-0000ABCD: Rust spot</title>`);
  });

  it('has no scripts and no external assets, only inline CSS with print rules for A4', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    for (const tag of startTags({ markup: html, name: 'a' })) expect(tag).toMatch(/href="#[\w-]+"/);
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).toContain('@media print');
    expect(html).toContain('break-before: page');
    expect(
      startTags({ markup: html, name: 'section' }).filter((tag) => tag.includes('page-break')).length,
    ).toBeGreaterThan(0);
  });

  it('has a section per 8D step', () => {
    for (const section of EIGHT_D_SECTIONS) {
      expect(html).toContain(`<h2>${section.code} ${section.title}</h2>`);
      expect(sectionOf({ html, id: section.code.toLowerCase() })).not.toBe('');
    }
  });

  it('renders the 5-why chain as a table with a row per why', () => {
    const table = html.slice(
      html.indexOf('<table class="five-why">'),
      html.indexOf('</table>', html.indexOf('<table class="five-why">')),
    );
    expect(table).toContain('<th scope="col">Verified</th>');
    const rows = table.split('<tbody>')[1]?.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(FULL_ROOT_CAUSE.five_why_chain.length);
    for (const why of FULL_ROOT_CAUSE.five_why_chain)
      expect(table).toContain(`<td>${escapeMarkup(why.question)}</td>`);
  });

  it('inlines the fishbone SVG with the six branch labels and every cause', () => {
    const d4 = sectionOf({ html, id: 'd4' });
    const svg = d4.slice(d4.indexOf('<svg'), d4.indexOf('</svg>') + 6);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormednessErrors({ markup: svg, html: false })).toEqual([]);
    for (const branch of ['Man', 'Machine', 'Method', 'Material', 'Measurement', 'Environment']) {
      expect(svg).toMatch(new RegExp(`<text class="branch-label"[^>]*>${branch}</text>`));
    }
    for (const category of CATEGORIES_6M) {
      for (const cause of FULL_ROOT_CAUSE.ishikawa[category]) {
        expect(svg).toContain(`<title>${escapeMarkup(cause.cause)} (`);
      }
    }
  });

  it('shows every action with its owner, due date and effectiveness check', () => {
    const d6 = sectionOf({ html, id: 'd6' });
    for (const action of FULL_ACTIONS) {
      expect(d6).toContain(`<td>${escapeMarkup(action.owner_role)}</td>`);
      expect(d6).toContain(`<td>${action.due_date}</td>`);
      expect(d6).toContain(`<td>${escapeMarkup(action.effectiveness_check.metric)}</td>`);
    }
    expect(sectionOf({ html, id: 'd3' })).toContain('<td>Quarantine the suspect lots.</td>');
    expect(sectionOf({ html, id: 'd5' })).toContain('Replace the door seal');
    expect(sectionOf({ html, id: 'd7' })).toContain('<h3>Other lines, SKUs, facilities</h3>');
  });

  it('lists similar past defects and the citations with their passages', () => {
    expect(sectionOf({ html, id: 'similar' })).toContain('Rust spots after vacuum quench, line 2');
    const citations = sectionOf({ html, id: 'citations' });
    expect(citations).toContain('<li id="cite-3" value="3"><strong>Vacuum quench SOP</strong>');
    expect(citations).toContain(
      '<blockquote>Cool from 1000 °C to 600 °C within 2 minutes.\nCheck the chamber vacuum before each run.</blockquote>',
    );
    expect(citations).toContain('NOT-A-PASSAGE#x');
    expect(html).toContain('<a class="cite" href="#cite-4">[4]</a>');
  });

  it('escapes script text from the report and the agents', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain(
      'Orange spots on the bolster after quench. &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(html).toContain('Seal replaced only on failure | &lt;script&gt;');
  });

  it('renders partial, failed and no-defect analyses as well-formed pages that say what is missing', () => {
    const partial = render(buildRcaReport({ analysis: partialAnalysis(), generatedAt: GENERATED_AT }));
    const failed = render(buildRcaReport({ analysis: failedAnalysis(), generatedAt: GENERATED_AT }));
    const none = render(buildRcaReport({ analysis: noDefectAnalysis(), generatedAt: GENERATED_AT }));
    for (const page of [partial, failed, none]) {
      expect(wellFormednessErrors({ markup: page, html: true })).toEqual([]);
      expect(page).not.toContain('<svg');
      expect(page).not.toMatch(/<script/i);
    }
    expect(sectionOf({ html: partial, id: 'd4' })).toContain(
      '<p class="note missing"><strong>Missing:</strong> The root-cause analyst failed (agent_output_invalid: probable_stage: invalid option).</p>',
    );
    expect(sectionOf({ html: failed, id: 'd0' })).toContain(
      'Hold batch B-2026-1122-07 until a person classifies the defect.',
    );
    expect(sectionOf({ html: none, id: 'd5' })).toContain(
      '<strong>Not applicable:</strong> No defect was detected',
    );
  });

  it('renders the fishbone itself when no SVG is passed, a list when null is passed, and is deterministic', () => {
    expect(renderHtml(report)).toBe(html);
    const listed = renderHtml(report, { fishboneSvg: null });
    expect(listed).not.toContain('<svg');
    expect(sectionOf({ html: listed, id: 'd4' })).toContain('<strong>Machine</strong>');
    expect(wellFormednessErrors({ markup: listed, html: true })).toEqual([]);
    expect(render(buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }))).toBe(html);
  });
});

describe('renderHtml of a reviewed analysis', () => {
  const { analysis, review, events } = reviewedCase();
  const html = render(buildRcaReport({ analysis, review, events, generatedAt: GENERATED_AT }));

  it('stays a well-formed page, with a review section and an audit trail in the contents', () => {
    expect(wellFormednessErrors({ markup: html, html: true })).toEqual([]);
    expect(html).toContain('<li><a href="#review">Review</a></li>');
    expect(html).toContain('<li><a href="#audit-trail">Audit trail</a></li>');
    expect(html).not.toContain('class="draft-banner"');
    const draft = render(buildRcaReport({ analysis: completeAnalysis(), generatedAt: GENERATED_AT }));
    expect(draft).toContain('<p class="draft-banner" role="note">Unconfirmed machine draft:');
  });

  it('shows who reviewed, the corrections with machine and reviewed values, and marks corrected values', () => {
    const section = sectionOf({ html, id: 'review' });
    expect(section).toContain('<span class="badge corrected">Corrected by a person</span>');
    expect(section).toContain('Li Wei (QA), 2026-11-23 18:00 UTC');
    expect(section).toContain('SCRAP &#8594; <strong>HOLD</strong>');
    expect(section).toContain('MRB decides lot by lot after the salt-spray re-test.');
    const classification = sectionOf({ html, id: 'classification' });
    expect(classification).toMatch(/HOLD <span class="corrected"[^>]*>corrected<\/span>/);
    expect(classification).not.toMatch(/critical<\/span> <span class="corrected"/);
    expect(sectionOf({ html, id: 'd4' })).toMatch(/method <span class="corrected"[^>]*>corrected<\/span>/);
  });

  it('gives each action its status and evidence, ticks the met closure criteria, and tables the trail', () => {
    expect(sectionOf({ html, id: 'd6' })).toContain('<span class="badge verified">verified effective</span>');
    expect(sectionOf({ html, id: 'd6' })).toContain('All 3 suspect lots caged in Q-2');
    expect(sectionOf({ html, id: 'd8' })).toContain('&#9745;');
    const trail = sectionOf({ html, id: 'audit-trail' });
    expect(trail.match(/<tr>/g)).toHaveLength(10);
    expect(trail).toContain('<span class="code">A4</span>');
    expect(trail).toContain('draft &#8594; corrected');
  });

  it('embeds the photo as a data URI, and only an image type', () => {
    const report = buildRcaReport({ analysis, generatedAt: GENERATED_AT });
    const bytes = photoPng();
    const withPhoto = renderHtml(report, { photo: { mediaType: 'image/png', bytes } });
    expect(withPhoto).toContain(`<img src="data:image/png;base64,${Buffer.from(bytes).toString('base64')}"`);
    expect(wellFormednessErrors({ markup: withPhoto, html: true })).toEqual([]);
    const notAnImage = renderHtml(report, { photo: { mediaType: 'text/html', bytes } });
    expect(notAnImage).not.toContain('<img');
  });
});
