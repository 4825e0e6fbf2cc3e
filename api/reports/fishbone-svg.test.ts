import { describe, expect, it } from 'vitest';
import type { Ishikawa } from '../../domain/index.ts';
import { FISHBONE_BRANCHES, renderFishboneSvg } from './fishbone-svg.ts';
import { FULL_ROOT_CAUSE, SCRIPT_TEXT } from './testing/fixtures.ts';
import { startTags, wellFormednessErrors } from './testing/markup.ts';
import { escapeMarkup } from './text.ts';

const EFFECT = 'Rust spot (critical) on the bolster, WK-KN-200';

function causeGroups(svg: string): Array<{ className: string; title: string }> {
  return [...svg.matchAll(/<g class="cause (cause-[a-z-]+)">\n<title>([^<]*)<\/title>/g)].map((match) => ({
    className: match[1] ?? '',
    title: match[2] ?? '',
  }));
}

describe('renderFishboneSvg', () => {
  const svg = renderFishboneSvg({ ishikawa: FULL_ROOT_CAUSE.ishikawa, effect: EFFECT, highlight: 'machine' });

  it('is well-formed XML with a viewBox, role="img", a title and a description', () => {
    expect(wellFormednessErrors({ markup: svg, html: false })).toEqual([]);
    const [root] = startTags({ markup: svg, name: 'svg' });
    expect(root).toMatch(/viewBox="0 0 1280 \d+(\.\d)?"/);
    expect(root).toContain('role="img"');
    expect(root).toContain('aria-labelledby="fishbone-title fishbone-desc"');
    expect(svg).toContain(`<title id="fishbone-title">Ishikawa (6M fishbone) diagram: ${EFFECT}</title>`);
    expect(svg).toMatch(/<desc id="fishbone-desc">Effect: /);
  });

  it('draws the six 6M branches, three above and three below the spine', () => {
    const labels = [...svg.matchAll(/<text class="branch-label" x="\d+" y="(\d+)"[^>]*>([^<]+)<\/text>/g)];
    expect(labels.map((match) => match[2])).toEqual([
      'Man',
      'Machine',
      'Method',
      'Material',
      'Measurement',
      'Environment',
    ]);
    const spineY = Number(/<line class="spine" x1="\d+" y1="(\d+(?:\.\d)?)"/.exec(svg)?.[1]);
    const labelYs = labels.map((match) => Number(match[1]));
    expect(labelYs.slice(0, 3).every((y) => y < spineY)).toBe(true);
    expect(labelYs.slice(3).every((y) => y > spineY)).toBe(true);
    expect(svg).toContain('class="branch branch-machine branch-highlight"');
  });

  it('lists every cause with a marker for its status', () => {
    const groups = causeGroups(svg);
    const causes = FISHBONE_BRANCHES.flatMap((branch) => FULL_ROOT_CAUSE.ishikawa[branch]);
    expect(groups).toHaveLength(causes.length);
    causes.forEach((cause, index) => {
      expect(groups[index]?.title.startsWith(escapeMarkup(cause.cause))).toBe(true);
      expect(groups[index]?.className).toBe(`cause-${cause.status.replace('_', '-')}`);
    });
    const supported = svg.split('<g class="cause cause-supported">').slice(1);
    expect(supported.every((group) => /<circle [^>]*fill="#1d4ed8"/.test(group.split('</g>')[0] ?? ''))).toBe(
      true,
    );
    const untested = svg.split('<g class="cause cause-untested">').slice(1);
    expect(untested.every((group) => /<circle [^>]*fill="#ffffff"/.test(group.split('</g>')[0] ?? ''))).toBe(
      true,
    );
    const ruledOut = svg.split('<g class="cause cause-ruled-out">').slice(1);
    expect(ruledOut).toHaveLength(2);
    expect(
      ruledOut.every((group) => (group.split('</g>')[0] ?? '').includes('text-decoration="line-through"')),
    ).toBe(true);
  });

  it('has a legend with the three statuses', () => {
    const legend = svg.slice(svg.indexOf('<g class="legend">'));
    expect(legend).toContain('supported by evidence');
    expect(legend).toContain('>untested<');
    expect(legend).toContain('ruled out');
    expect(legend).toContain('root-cause category (machine)');
  });

  it('wraps long causes into lines and keeps them inside the viewBox', () => {
    const long = svg.split('<g class="cause cause-untested">').find((group) => group.includes('Vacuum pump'));
    const lines = [
      ...(long?.split('</g>')[0] ?? '').matchAll(/<tspan x="([\d.]+)" y="[\d.]+">([^<]*)<\/tspan>/g),
    ];
    expect(lines.length).toBeGreaterThan(1);
    for (const [, x, text] of lines) {
      expect((text ?? '').length).toBeLessThanOrEqual(34);
      expect(Number(x)).toBeGreaterThan((text ?? '').length * 6.6);
    }
    const height = Number(/viewBox="0 0 1280 ([\d.]+)"/.exec(svg)?.[1]);
    for (const match of svg.matchAll(/ y="([\d.]+)"/g)) expect(Number(match[1])).toBeLessThan(height);
  });

  it('escapes script text instead of embedding it', () => {
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const effectSvg = renderFishboneSvg({ ishikawa: FULL_ROOT_CAUSE.ishikawa, effect: SCRIPT_TEXT });
    expect(effectSvg).not.toMatch(/<script/i);
    expect(wellFormednessErrors({ markup: effectSvg, html: false })).toEqual([]);
  });

  it('says so on a branch without candidate causes and is deterministic', () => {
    const empty: Ishikawa = {
      man: [],
      machine: [],
      method: [],
      material: [],
      measurement: [],
      environment: [],
    };
    const emptySvg = renderFishboneSvg({ ishikawa: empty, effect: 'Blade chip' });
    expect(emptySvg.match(/no candidate causes<\/text>/g)).toHaveLength(6);
    expect(wellFormednessErrors({ markup: emptySvg, html: false })).toEqual([]);
    expect(
      renderFishboneSvg({ ishikawa: FULL_ROOT_CAUSE.ishikawa, effect: EFFECT, highlight: 'machine' }),
    ).toBe(svg);
  });
});
