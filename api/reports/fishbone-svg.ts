import type { Category6M, FishboneCause, Ishikawa } from '../../domain/index.ts';
import { escapeMarkup, humanize, wrapText } from './text.ts';

/** Branch order of the diagram: the first three above the spine, the last three below. */
export const FISHBONE_BRANCHES: readonly Category6M[] = [
  'man',
  'machine',
  'method',
  'material',
  'measurement',
  'environment',
];

/** Words used for each cause status in labels, tooltips and the legend. */
export const CAUSE_STATUS_LABELS: Record<FishboneCause['status'], string> = {
  supported: 'supported',
  ruled_out: 'ruled out',
  untested: 'untested',
};

const WIDTH = 1280;
const FONT_SIZE = 12;
const LINE_HEIGHT = 15;
const CAUSE_GAP = 7;
const WRAP_CHARS = 34;
const EFFECT_WRAP_CHARS = 26;
const COLUMN_X = [290, 590, 890] as const;
const SLANT = 100;
const SPINE_START_X = 20;
const HEAD_X = 1030;
const HEAD_WIDTH = 230;
const LABEL_HEIGHT = 26;
const LABEL_WIDTH = 130;
const RIB_PADDING = 24;
const MIN_RIB_LENGTH = 110;
const STRIKE = ' text-decoration="line-through" style="text-decoration: line-through"';
const COLORS = {
  ink: '#1f2937',
  bone: '#374151',
  supported: '#1d4ed8',
  untested: '#1d4ed8',
  ruledOut: '#9ca3af',
  highlight: '#b45309',
  labelFill: '#e5e7eb',
  highlightFill: '#fde68a',
};

function format(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function causeLines(cause: FishboneCause): string[] {
  return wrapText({ text: cause.cause, width: WRAP_CHARS });
}

function branchHeight(causes: readonly FishboneCause[]): number {
  const lines = causes.length === 0 ? 1 : causes.reduce((sum, cause) => sum + causeLines(cause).length, 0);
  return lines * LINE_HEIGHT + Math.max(causes.length - 1, 0) * CAUSE_GAP + 2 * RIB_PADDING;
}

function marker({ status, cx, cy }: { status: FishboneCause['status']; cx: number; cy: number }): string {
  const r = 4.5;
  if (status === 'supported') {
    return `<circle cx="${format(cx)}" cy="${format(cy)}" r="${r}" fill="${COLORS.supported}" stroke="${COLORS.supported}"/>`;
  }
  if (status === 'untested') {
    return `<circle cx="${format(cx)}" cy="${format(cy)}" r="${r}" fill="#ffffff" stroke="${COLORS.untested}" stroke-width="1.5"/>`;
  }
  const d = 3.2;
  return (
    `<circle cx="${format(cx)}" cy="${format(cy)}" r="${r}" fill="#ffffff" stroke="${COLORS.ruledOut}" stroke-width="1.2"/>` +
    `<path d="M${format(cx - d)} ${format(cy - d)}L${format(cx + d)} ${format(cy + d)}M${format(cx - d)} ${format(cy + d)}L${format(cx + d)} ${format(cy - d)}" stroke="${COLORS.ruledOut}" stroke-width="1.2"/>`
  );
}

/** Summary of the diagram for screen readers: every branch and its causes with their status. */
function description({ ishikawa, effect }: { ishikawa: Ishikawa; effect: string }): string {
  const branches = FISHBONE_BRANCHES.map((branch) => {
    const causes = ishikawa[branch];
    const listed =
      causes.length === 0
        ? 'no candidate causes'
        : causes.map((cause) => `${cause.cause} (${CAUSE_STATUS_LABELS[cause.status]})`).join('; ');
    return `${humanize(branch)}: ${listed}.`;
  });
  return `Effect: ${effect}. ${branches.join(' ')}`;
}

/**
 * Renders an Ishikawa (6M fishbone) diagram as a standalone inline SVG: a spine ending in the
 * effect box, three branches above (man, machine, method) and three below (material,
 * measurement, environment), each listing its candidate causes with a status marker (supported
 * filled, untested hollow, ruled out grey and struck through) and a legend. All text is wrapped
 * and XML-escaped; the `viewBox` lets it scale, and it carries `role="img"`, a `<title>` and a
 * `<desc>`. `highlight` emphasises the branch of the root-cause category. Pure and deterministic.
 */
export function renderFishboneSvg({
  ishikawa,
  effect,
  highlight = null,
  title = 'Ishikawa (6M fishbone) diagram',
}: {
  ishikawa: Ishikawa;
  effect: string;
  highlight?: Category6M | null;
  title?: string;
}): string {
  const top = FISHBONE_BRANCHES.slice(0, 3);
  const bottom = FISHBONE_BRANCHES.slice(3);
  const topRib = Math.max(MIN_RIB_LENGTH, ...top.map((branch) => branchHeight(ishikawa[branch])));
  const effectLines = wrapText({ text: effect, width: EFFECT_WRAP_CHARS });
  const headHeight = Math.max(64, effectLines.length * (LINE_HEIGHT + 2) + 24);
  const bottomRib = Math.max(
    MIN_RIB_LENGTH,
    headHeight / 2 + 10,
    ...bottom.map((branch) => branchHeight(ishikawa[branch])),
  );

  const topLabelY = 16;
  const topRibStart = topLabelY + LABEL_HEIGHT;
  const spineY = Math.max(topRibStart + topRib, topLabelY + headHeight / 2);
  const bottomRibEnd = spineY + bottomRib;
  const bottomLabelY = bottomRibEnd;
  const legendY = bottomLabelY + LABEL_HEIGHT + 30;
  const height = legendY + 28;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="fishbone" viewBox="0 0 ${WIDTH} ${format(height)}" width="100%" role="img" aria-labelledby="fishbone-title fishbone-desc" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    `<title id="fishbone-title">${escapeMarkup(`${title}: ${effect}`)}</title>`,
    `<desc id="fishbone-desc">${escapeMarkup(description({ ishikawa, effect }))}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${format(height)}" fill="#ffffff"/>`,
    `<line class="spine" x1="${SPINE_START_X}" y1="${format(spineY)}" x2="${HEAD_X - 12}" y2="${format(spineY)}" stroke="${COLORS.bone}" stroke-width="3"/>`,
    `<path d="M${HEAD_X - 14} ${format(spineY - 8)}L${HEAD_X} ${format(spineY)}L${HEAD_X - 14} ${format(spineY + 8)}Z" fill="${COLORS.bone}"/>`,
  );

  const headY = spineY - headHeight / 2;
  parts.push(
    `<g class="effect">`,
    `<rect x="${HEAD_X}" y="${format(headY)}" width="${HEAD_WIDTH}" height="${format(headHeight)}" rx="6" fill="#fef2f2" stroke="#b91c1c" stroke-width="2"/>`,
  );
  const effectTop = spineY - ((effectLines.length - 1) * (LINE_HEIGHT + 2)) / 2 + 5;
  parts.push(
    `<text x="${HEAD_X + HEAD_WIDTH / 2}" y="${format(effectTop)}" text-anchor="middle" font-weight="bold" font-size="13" fill="#7f1d1d">` +
      effectLines
        .map(
          (line, index) =>
            `<tspan x="${HEAD_X + HEAD_WIDTH / 2}" y="${format(effectTop + index * (LINE_HEIGHT + 2))}">${escapeMarkup(line)}</tspan>`,
        )
        .join('') +
      `</text>`,
    `</g>`,
  );

  const drawBranch = ({ branch, column, above }: { branch: Category6M; column: number; above: boolean }) => {
    const labelX = COLUMN_X[column] ?? COLUMN_X[0];
    const ribOuterY = above ? topRibStart : bottomRibEnd;
    const ribLength = Math.abs(spineY - ribOuterY);
    const ribXAt = (y: number) => labelX + (SLANT * (ribLength - Math.abs(spineY - y))) / ribLength;
    const highlighted = highlight === branch;
    const causes = ishikawa[branch];
    const stroke = highlighted ? COLORS.highlight : COLORS.bone;
    const labelBoxY = above ? topLabelY : bottomLabelY;
    parts.push(
      `<g class="branch branch-${branch}${highlighted ? ' branch-highlight' : ''}">`,
      `<line x1="${labelX}" y1="${format(ribOuterY)}" x2="${labelX + SLANT}" y2="${format(spineY)}" stroke="${stroke}" stroke-width="${highlighted ? 3 : 2}"/>`,
      `<rect x="${labelX - LABEL_WIDTH / 2}" y="${format(labelBoxY)}" width="${LABEL_WIDTH}" height="${LABEL_HEIGHT}" rx="4" fill="${highlighted ? COLORS.highlightFill : COLORS.labelFill}" stroke="${stroke}"/>`,
      `<text class="branch-label" x="${labelX}" y="${format(labelBoxY + 17)}" text-anchor="middle" font-weight="bold" font-size="13" fill="${COLORS.ink}">${escapeMarkup(humanize(branch))}</text>`,
    );

    let cursor = above ? ribOuterY + RIB_PADDING : spineY + RIB_PADDING;
    if (causes.length === 0) {
      const y = cursor + FONT_SIZE;
      parts.push(
        `<text class="no-causes" x="${format(ribXAt(y - 4) - 14)}" y="${format(y)}" text-anchor="end" font-style="italic" fill="${COLORS.ruledOut}">no candidate causes</text>`,
      );
    }
    for (const cause of causes) {
      const lines = causeLines(cause);
      const firstBaseline = cursor + FONT_SIZE;
      const ruledOut = cause.status === 'ruled_out';
      const tooltip = `${cause.cause} (${CAUSE_STATUS_LABELS[cause.status]})${cause.evidence ? `: ${cause.evidence}` : ''}`;
      const markerX = ribXAt(firstBaseline - 4) - 12;
      parts.push(
        `<g class="cause cause-${cause.status.replace('_', '-')}">`,
        `<title>${escapeMarkup(tooltip)}</title>`,
        `<line x1="${format(markerX + 5)}" y1="${format(firstBaseline - 4)}" x2="${format(ribXAt(firstBaseline - 4))}" y2="${format(firstBaseline - 4)}" stroke="${COLORS.bone}" stroke-width="1"/>`,
        marker({ status: cause.status, cx: markerX, cy: firstBaseline - 4 }),
        `<text text-anchor="end" fill="${ruledOut ? COLORS.ruledOut : COLORS.ink}"${ruledOut ? STRIKE : ''}>` +
          lines
            .map((line, index) => {
              const baseline = firstBaseline + index * LINE_HEIGHT;
              return `<tspan x="${format(ribXAt(baseline - 4) - 22)}" y="${format(baseline)}">${escapeMarkup(line)}</tspan>`;
            })
            .join('') +
          `</text>`,
        `</g>`,
      );
      cursor += lines.length * LINE_HEIGHT + CAUSE_GAP;
    }
    parts.push(`</g>`);
  };

  top.forEach((branch, column) => drawBranch({ branch, column, above: true }));
  bottom.forEach((branch, column) => drawBranch({ branch, column, above: false }));

  const legendItems: Array<{ status: FishboneCause['status']; label: string }> = [
    { status: 'supported', label: 'supported by evidence' },
    { status: 'untested', label: 'untested' },
    { status: 'ruled_out', label: 'ruled out' },
  ];
  parts.push(`<g class="legend">`);
  parts.push(
    `<text x="${SPINE_START_X}" y="${format(legendY + 4)}" font-weight="bold" fill="${COLORS.ink}">Legend</text>`,
  );
  legendItems.forEach((item, index) => {
    const x = SPINE_START_X + 80 + index * 190;
    parts.push(
      marker({ status: item.status, cx: x, cy: legendY }),
      `<text x="${x + 12}" y="${format(legendY + 4)}" fill="${item.status === 'ruled_out' ? COLORS.ruledOut : COLORS.ink}"${item.status === 'ruled_out' ? STRIKE : ''}>${escapeMarkup(item.label)}</text>`,
    );
  });
  if (highlight) {
    const x = SPINE_START_X + 80 + legendItems.length * 190;
    parts.push(
      `<rect x="${x - 6}" y="${format(legendY - 8)}" width="16" height="16" rx="3" fill="${COLORS.highlightFill}" stroke="${COLORS.highlight}"/>`,
      `<text x="${x + 16}" y="${format(legendY + 4)}" fill="${COLORS.ink}">root-cause category (${escapeMarkup(highlight)})</text>`,
    );
  }
  parts.push(`</g>`, `</svg>`);
  return parts.join('\n');
}
