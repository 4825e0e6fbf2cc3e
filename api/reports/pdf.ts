import PDFDocument from 'pdfkit';
import type { Category6M, CorrectableField, FishboneCause, Ishikawa } from '../../domain/index.ts';
import { CAUSE_STATUS_LABELS, FISHBONE_BRANCHES } from './fishbone-svg.ts';
import type { ReportFonts } from './pdf-fonts.ts';
import type { Availability, RcaReport, ReportAction } from './report-model.ts';
import {
  ACTION_STATUS_LABELS,
  EIGHT_D_SECTIONS,
  EMERGENCY_LEVEL_LABELS,
  citationNumbers,
  isCorrected,
} from './report-model.ts';
import { formatDateTime, formatDays, formatPercent, humanize, sanitizeText } from './text.ts';

/** The photo of a report, drawn in the PDF when it is a JPEG or PNG. */
export interface PdfPhoto {
  mediaType: string;
  bytes: Uint8Array;
}

type Document = PDFKit.PDFDocument;

const MARGINS = { top: 42, bottom: 50, left: 40, right: 40 };
const SIZES = { title: 16, heading: 12.5, subheading: 10.5, body: 9, table: 7.5, small: 7 };
const COLORS = {
  ink: '#1f2937',
  muted: '#64748b',
  border: '#cbd5e1',
  headerFill: '#f1f5f9',
  bone: '#374151',
  supported: '#1d4ed8',
  ruledOut: '#9ca3af',
  highlight: '#b45309',
  labelFill: '#e5e7eb',
  highlightFill: '#fde68a',
  effectFill: '#fef2f2',
  effectStroke: '#b91c1c',
  corrected: '#1e40af',
};
const NOTE_COLORS: Record<Availability['state'], { bar: string; fill: string; label: string }> = {
  available: { bar: '#94a3b8', fill: '#f8fafc', label: 'Note' },
  partial: { bar: '#d97706', fill: '#fffbeb', label: 'Partial' },
  missing: { bar: '#b91c1c', fill: '#fef2f2', label: 'Missing' },
  not_applicable: { bar: '#64748b', fill: '#f1f5f9', label: 'Not applicable' },
};

/** Characters the report uses that the fonts lack, and what is drawn instead. */
const SUBSTITUTES: Record<string, string> = { '✕': '×', '☐': '□', '☑': '■' };
/** Characters beyond Latin-1 that the standard fonts still draw (WinAnsi). */
const WIN_ANSI_EXTRAS = new Set('‘’‚“”„–—•…€™‰†‡ˆ˜ŠšŒœŽžŸƒ');

/** Renderer state: the document, its fonts and the report. */
interface Writer {
  doc: Document;
  fonts: ReportFonts;
  report: RcaReport;
  numbers: Map<string, number>;
}

/** Text the fonts can draw: control characters removed, missing symbols substituted. */
function drawable(writer: Writer, value: string): string {
  const text = sanitizeText(value).replace(/[✕☐☑]/g, (character) => SUBSTITUTES[character] ?? character);
  if (writer.fonts.unicode) return text;
  let result = '';
  for (const character of text.replaceAll('≤', '<=').replaceAll('≥', '>=').replaceAll('→', '->')) {
    const code = character.codePointAt(0) ?? 0;
    result += code <= 0xff || WIN_ANSI_EXTRAS.has(character) ? character : '?';
  }
  return result;
}

function left(): number {
  return MARGINS.left;
}

function contentWidth(doc: Document): number {
  return doc.page.width - MARGINS.left - MARGINS.right;
}

function bottom(doc: Document): number {
  return doc.page.height - MARGINS.bottom;
}

function portraitPage(doc: Document): void {
  doc.addPage({ size: 'A4', layout: 'portrait', margins: MARGINS });
}

/** Starts a new page when less than `height` points are left on this one. */
function ensureSpace(writer: Writer, height: number): void {
  if (writer.doc.y + height > bottom(writer.doc)) portraitPage(writer.doc);
}

function paragraph(
  writer: Writer,
  value: string,
  {
    size = SIZES.body,
    bold = false,
    color = COLORS.ink,
    gap = 4,
    indent = 0,
  }: { size?: number; bold?: boolean; color?: string; gap?: number; indent?: number } = {},
): void {
  const { doc } = writer;
  doc
    .font(bold ? writer.fonts.bold : writer.fonts.regular)
    .fontSize(size)
    .fillColor(color)
    .text(drawable(writer, value), left() + indent, doc.y, {
      width: contentWidth(doc) - indent,
      lineGap: 1,
    });
  doc.y += gap;
}

/** A bold label followed by its value on the same line. */
function labelled(writer: Writer, label: string, value: string): void {
  const { doc } = writer;
  doc
    .font(writer.fonts.bold)
    .fontSize(SIZES.body)
    .fillColor(COLORS.ink)
    .text(drawable(writer, `${label} `), left(), doc.y, {
      width: contentWidth(doc),
      continued: true,
      lineGap: 1,
    })
    .font(writer.fonts.regular)
    .text(drawable(writer, value), { lineGap: 1 });
  doc.y += 3;
}

function heading(writer: Writer, value: string, { level = 2 }: { level?: 2 | 3 } = {}): void {
  const { doc } = writer;
  ensureSpace(writer, level === 2 ? 90 : 60);
  if (level === 2) {
    doc.y += 6;
    paragraph(writer, value, { size: SIZES.heading, bold: true, gap: 1 });
    doc
      .moveTo(left(), doc.y)
      .lineTo(left() + contentWidth(doc), doc.y)
      .lineWidth(1.2)
      .strokeColor(COLORS.ink)
      .stroke();
    doc.y += 5;
  } else {
    doc.y += 3;
    paragraph(writer, value, { size: SIZES.subheading, bold: true, gap: 2 });
  }
}

function note(writer: Writer, availability: Availability): void {
  if (availability.note === null) return;
  noteBox(writer, {
    label: NOTE_COLORS[availability.state].label,
    text: availability.note,
    colors: NOTE_COLORS[availability.state],
  });
}

function noteBox(
  writer: Writer,
  { label, text, colors }: { label: string; text: string; colors: { bar: string; fill: string } },
): void {
  const { doc } = writer;
  const width = contentWidth(doc) - 14;
  const value = drawable(writer, `${label}: ${text}`);
  doc.font(writer.fonts.regular).fontSize(SIZES.body);
  const height = doc.heightOfString(value, { width, lineGap: 1 }) + 8;
  ensureSpace(writer, height + 4);
  const top = doc.y;
  doc.rect(left(), top, contentWidth(doc), height).fillColor(colors.fill).fill();
  doc.rect(left(), top, 3, height).fillColor(colors.bar).fill();
  doc
    .fillColor(COLORS.ink)
    .font(writer.fonts.bold)
    .text(drawable(writer, `${label}: `), left() + 9, top + 4, { width, continued: true, lineGap: 1 })
    .font(writer.fonts.regular)
    .text(drawable(writer, text), { lineGap: 1 });
  doc.y = top + height + 5;
}

function bullets(writer: Writer, items: readonly string[], { indent = 0 }: { indent?: number } = {}): void {
  for (const item of items) {
    ensureSpace(writer, 14);
    paragraph(writer, `•  ${item}`, { gap: 1.5, indent: indent + 4 });
  }
  writer.doc.y += 2;
}

/** A table with a shaded header row; long cells wrap, and rows that do not fit move to the next page. */
function table(
  writer: Writer,
  {
    headers,
    rows,
    widths,
  }: {
    headers: readonly string[];
    rows: ReadonlyArray<readonly string[]>;
    widths?: ReadonlyArray<number | '*'>;
  },
): void {
  const { doc } = writer;
  if (rows.length === 0) return;
  doc.font(writer.fonts.regular).fontSize(SIZES.table).fillColor(COLORS.ink);
  ensureSpace(writer, 50);
  doc.table({
    position: { x: left(), y: doc.y },
    maxWidth: contentWidth(doc),
    columnStyles: widths ? [...widths] : undefined,
    defaultStyle: { border: 0.5, borderColor: COLORS.border, padding: 2.5, textColor: COLORS.ink },
    data: [
      // A cell font makes pdfkit re-open the font file after the cell; a thin stroke makes the
      // header bold without it.
      headers.map((header) => ({
        text: drawable(writer, header),
        textStroke: 0.3,
        textStrokeColor: COLORS.ink,
        backgroundColor: COLORS.headerFill,
        type: 'TH' as const,
      })),
      ...rows.map((row) => row.map((cell) => drawable(writer, cell))),
    ],
  });
  doc.x = left();
  doc.y += 6;
}

function fieldsTable(writer: Writer, rows: ReadonlyArray<readonly [string, string]>): void {
  table(writer, { headers: ['Field', 'Value'], rows, widths: [130, '*'] });
}

function dateTime(value: string | null): string {
  return value ? formatDateTime(value) : '—';
}

function corrected(writer: Writer, field: CorrectableField): string {
  return isCorrected(writer.report, field) ? ' [corrected]' : '';
}

function cites(writer: Writer, ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  return ids
    .map((id) => {
      const number = writer.numbers.get(id);
      return number === undefined ? `${id} (unresolved)` : `[${number}]`;
    })
    .join(' ');
}

function actionsTable(writer: Writer, actions: readonly ReportAction[]): void {
  table(writer, {
    headers: [
      'Ref',
      'Type',
      'Status',
      'Action',
      'Owner',
      'Due',
      'Effectiveness check',
      'Verify by',
      'Citations',
    ],
    widths: [26, 52, 48, '*', 70, 50, 95, 50, 50],
    rows: actions.map((action) => [
      action.ref,
      action.type,
      ACTION_STATUS_LABELS[action.status],
      action.description,
      action.owner_role,
      action.due_date,
      `${action.effectiveness_check.metric}: ${action.effectiveness_check.threshold} within ${formatDays(action.effectiveness_check.window_days)}`,
      action.verify_by,
      action.hypothesis ? 'none (hypothesis)' : cites(writer, action.citations),
    ]),
  });
}

function sectionHeading(writer: Writer, code: (typeof EIGHT_D_SECTIONS)[number]['code']): void {
  const section = EIGHT_D_SECTIONS.find((entry) => entry.code === code);
  heading(writer, `${code} ${section?.title ?? ''}`);
}

function header(writer: Writer): void {
  const { report } = writer;
  const { subject, analysis, review } = report;
  paragraph(writer, report.title, { size: SIZES.title, bold: true, gap: 6 });
  if (review.machine_draft) {
    noteBox(writer, {
      label: 'Unconfirmed machine draft',
      text: "no person has confirmed this analysis yet; every value in it is the machine's.",
      colors: { bar: '#d97706', fill: '#fffbeb' },
    });
  }
  if (writer.fonts.limitation) {
    noteBox(writer, { label: 'Font', text: writer.fonts.limitation, colors: NOTE_COLORS.partial });
  }
  fieldsTable(writer, [
    ['Defect id', report.defect_id],
    ['Generated', formatDateTime(report.generated_at)],
    [
      'Analysis',
      `${analysis.status}; created ${formatDateTime(analysis.created_at)}${analysis.completed_at ? `, completed ${formatDateTime(analysis.completed_at)}` : ''}`,
    ],
    [
      'Product',
      subject.product_sku ? `${subject.product_sku} (${subject.product_label ?? ''})` : 'not stated',
    ],
    ['Facility', subject.facility ?? 'not stated'],
    ['Batch', subject.batch_id ?? 'not stated'],
    ['Shift', subject.shift ?? 'not stated'],
    ['Agents', analysis.agents.map((agent) => `${agent.label}: ${agent.status}`).join('; ')],
    [
      'Review',
      `${review.label}${review.reviewed_by ? `; by ${review.reviewed_by}, ${dateTime(review.reviewed_at)}` : ''}`,
    ],
  ]);
  if (analysis.notes.length > 0) {
    noteBox(writer, {
      label: `Analysis ${analysis.status}`,
      text: analysis.notes.join(' '),
      colors: analysis.status === 'failed' ? NOTE_COLORS.missing : NOTE_COLORS.partial,
    });
  }
}

function reviewSection(writer: Writer): void {
  const { review } = writer.report;
  heading(writer, 'Review');
  labelled(writer, 'State:', `${review.label} (version ${review.version})`);
  labelled(
    writer,
    'Reviewed by:',
    review.reviewed_by ? `${review.reviewed_by}, ${dateTime(review.reviewed_at)}` : 'nobody yet',
  );
  if (review.closed_by) labelled(writer, 'Closed by:', `${review.closed_by}, ${dateTime(review.closed_at)}`);
  if (review.rejected_reason) labelled(writer, 'Rejected because:', review.rejected_reason);
  heading(writer, 'Reviewed values', { level: 3 });
  table(writer, {
    headers: ['Field', 'Reviewed value', 'Machine value'],
    widths: [90, '*', '*'],
    rows: review.fields.map((field) => [
      field.label,
      `${field.value ?? '—'}${field.corrected ? ' [corrected]' : ''}`,
      field.machine_value ?? '—',
    ]),
  });
  heading(writer, 'Corrections', { level: 3 });
  if (review.corrections.length === 0) {
    paragraph(writer, "No correction: the reviewed values are the machine's.", { color: COLORS.muted });
  } else {
    table(writer, {
      headers: ['Field', 'Machine value → reviewed value', 'Reason', 'By', 'At'],
      widths: [70, '*', '*', 70, 70],
      rows: review.corrections.map((correction) => [
        correction.label,
        `${correction.before ?? '—'} → ${correction.after ?? '—'}`,
        correction.reason,
        correction.by,
        formatDateTime(correction.at),
      ]),
    });
  }
  const steps = writer.report.d6_implementation_and_validation.steps;
  if (steps.length > 0) {
    heading(writer, 'Action status', { level: 3 });
    table(writer, {
      headers: ['Ref', 'Status', 'Set by', 'Started', 'Done', 'Verified', 'Effectiveness evidence'],
      widths: [40, 55, 90, 62, 62, 62, '*'],
      rows: steps.map((step) => [
        `${step.action_ref}${step.origin === 'reviewer' ? ' (added by a reviewer)' : ''}`,
        ACTION_STATUS_LABELS[step.status],
        step.status_changed_by ? `${step.status_changed_by}, ${dateTime(step.status_changed_at)}` : '—',
        dateTime(step.started_at),
        dateTime(step.done_at),
        dateTime(step.verified_at),
        step.effectiveness_evidence ?? '—',
      ]),
    });
  }
  if (review.dropped_actions.length > 0) {
    heading(writer, 'Dropped actions', { level: 3 });
    bullets(
      writer,
      review.dropped_actions.map(
        (dropped) =>
          `${dropped.ref}${dropped.description ? `: ${dropped.description}` : ''} — dropped by ${dropped.by}, ${formatDateTime(dropped.at)}${dropped.reason ? `. Why: ${dropped.reason}` : ''}`,
      ),
    );
  }
}

function classificationSection(writer: Writer): void {
  const { classification } = writer.report;
  heading(writer, 'Classification');
  note(writer, classification.availability);
  const result = classification.result;
  if (!result) return;
  fieldsTable(writer, [
    ['Defect detected', result.defect_detected ? 'yes' : 'no'],
    [
      'Defect type',
      `${humanize(result.defect_type)} (${result.defect_type})${corrected(writer, 'defect_type')}`,
    ],
    ['Severity', `${result.severity}${corrected(writer, 'severity')}`],
    ['Confidence', `${formatPercent(result.confidence)} (the machine's)`],
    ['Disposition', `${result.recommended_action}${corrected(writer, 'disposition')}`],
    ['Escalate', result.escalate ? `yes: ${result.escalation_reason ?? 'no reason given'}` : 'no'],
    ['Affected area', result.affected_area ?? 'not stated'],
    ['Needs human review', classification.needs_human_review ? 'yes' : 'no'],
    ['Evidence', result.evidence.length > 0 ? result.evidence.join('; ') : 'none'],
    ['Citations', cites(writer, result.citations)],
  ]);
}

function d0(writer: Writer): void {
  const d = writer.report.d0_emergency_response;
  sectionHeading(writer, 'D0');
  note(writer, d.availability);
  labelled(
    writer,
    'Level:',
    `${EMERGENCY_LEVEL_LABELS[d.level]}${d.severity ? ` (severity ${d.severity}${corrected(writer, 'severity')})` : ''}${d.escalate ? `; escalated${d.escalation_reason ? `: ${d.escalation_reason}` : ''}` : ''}`,
  );
  bullets(writer, d.actions);
}

function d1(writer: Writer): void {
  const d = writer.report.d1_team;
  sectionHeading(writer, 'D1');
  note(writer, d.availability);
  table(writer, {
    headers: ['Role', 'Responsibilities'],
    widths: [160, '*'],
    rows: d.members.map((member) => [member.role, member.responsibilities.join('; ')]),
  });
}

function d2(writer: Writer): void {
  const d = writer.report.d2_problem_statement;
  sectionHeading(writer, 'D2');
  note(writer, d.availability);
  labelled(writer, 'Problem statement:', d.statement);
  fieldsTable(writer, [
    ['What', d.what],
    ['Where', d.where],
    ['When', d.when],
    ['Who', d.who],
    ['Why (it matters)', d.why],
    ['How (observed)', d.how],
    ['How many', d.how_many],
  ]);
  table(writer, {
    headers: ['Is', 'Is not'],
    rows: [
      [
        d.is.length > 0 ? d.is.map((item) => `• ${item}`).join('\n') : 'nothing recorded',
        d.is_not.length > 0 ? d.is_not.map((item) => `• ${item}`).join('\n') : 'nothing recorded',
      ],
    ],
  });
}

function d3(writer: Writer): void {
  const d = writer.report.d3_containment;
  sectionHeading(writer, 'D3');
  note(writer, d.availability);
  if (d.disposition) {
    labelled(
      writer,
      'Disposition of the affected parts:',
      `${d.disposition}${corrected(writer, 'disposition')}`,
    );
  }
  actionsTable(writer, d.actions);
}

function d4(writer: Writer): void {
  const d = writer.report.d4_root_causes;
  sectionHeading(writer, 'D4');
  note(writer, d.availability);
  if (d.probable_stage) {
    labelled(
      writer,
      'Probable stage:',
      isCorrected(writer.report, 'probable_stage')
        ? `${d.probable_stage_label ?? d.probable_stage} (${d.probable_stage}) [corrected]`
        : `${d.probable_stage_label ?? d.probable_stage} (${d.probable_stage}), ${formatPercent(d.stage_confidence ?? 0)} confidence${d.stage_needs_review ? ' (below 50 %: needs human review)' : ''}`,
    );
  }
  if (d.root_cause) {
    fieldsTable(writer, [
      ['Occurrence (why it was made)', `${d.root_cause.occurrence}${corrected(writer, 'occurrence_cause')}`],
      ['Escape (why inspection missed it)', `${d.root_cause.escape}${corrected(writer, 'escape_cause')}`],
      [
        'Systemic (why the system allowed both)',
        `${d.root_cause.systemic}${corrected(writer, 'systemic_cause')}`,
      ],
      ['6M category', `${d.root_cause.category_6m}${corrected(writer, 'category_6m')}`],
      ['Citations', cites(writer, d.root_cause.citations)],
    ]);
  }
  if (d.five_why_chain.length > 0) {
    heading(writer, '5-why chain', { level: 3 });
    table(writer, {
      headers: ['Step', 'Question', 'Answer', 'Evidence', 'Verified', 'Citations'],
      widths: [30, '*', '*', '*', 62, 50],
      rows: d.five_why_chain.map((why) => [
        `${why.step}${why.branch ? ` (${why.branch})` : ''}`,
        why.question,
        why.answer,
        why.evidence.length > 0
          ? why.evidence
              .map(
                (evidence) =>
                  `${evidence.kind}: ${evidence.detail}${evidence.source_id ? ` (${evidence.source_id})` : ''}`,
              )
              .join('\n')
          : 'none',
        `${why.verified ? 'yes' : 'no'}${why.hypothesis ? ' (hypothesis)' : ''}`,
        cites(writer, why.citations),
      ]),
    });
  }
  const fishbone = d.fishbone;
  if (fishbone) {
    drawFishbonePage(writer, { fishbone, effect: d.effect, highlight: d.root_cause?.category_6m ?? null });
    heading(writer, 'Fishbone (6M): every candidate cause', { level: 3 });
    paragraph(
      writer,
      'The diagram on the landscape page shows the causes; this table lists each one in full with its status, evidence and citations.',
      { color: COLORS.muted, size: SIZES.table },
    );
    table(writer, {
      headers: ['Branch', 'Status', 'Cause', 'Evidence', 'Citations'],
      widths: [62, 52, '*', '*', 60],
      rows: FISHBONE_BRANCHES.flatMap((branch) => {
        const causes = fishbone[branch];
        const name = `${humanize(branch)}${branch === d.root_cause?.category_6m ? ' (root-cause category)' : ''}`;
        if (causes.length === 0) return [[name, '—', 'no candidate causes', '', '']];
        return causes.map((cause) => [
          name,
          CAUSE_STATUS_LABELS[cause.status],
          cause.cause,
          cause.evidence ?? '',
          cause.citations.length > 0 ? cites(writer, cause.citations) : '',
        ]);
      }),
    });
  }
}

/** Geometry of the fishbone page (A4 landscape, in points). */
const FISHBONE = {
  margin: 30,
  top: 92,
  bottomSpace: 74,
  headWidth: 150,
  labelWidth: 92,
  labelHeight: 17,
  slant: 46,
  textWidth: 150,
  causeSize: 8.5,
  labelSize: 10,
  effectSize: 10,
  causeGap: 4,
};

/** How the causes of one branch are drawn: as many as fit, each cut to a number of lines. */
function fitCauses({
  doc,
  font,
  causes,
  available,
}: {
  doc: Document;
  font: string;
  causes: readonly FishboneCause[];
  available: number;
}): { shown: FishboneCause[]; maxLines: number; hidden: number } {
  doc.font(font).fontSize(FISHBONE.causeSize);
  const lineHeight = doc.currentLineHeight(true);
  const linesOf = (cause: FishboneCause) =>
    Math.max(1, Math.round(doc.heightOfString(cause.cause, { width: FISHBONE.textWidth }) / lineHeight));
  for (let maxLines = 4; maxLines >= 1; maxLines -= 1) {
    const height = causes.reduce(
      (sum, cause) => sum + Math.min(linesOf(cause), maxLines) * lineHeight + FISHBONE.causeGap,
      0,
    );
    if (height <= available) return { shown: [...causes], maxLines, hidden: 0 };
  }
  const fitting = Math.max(1, Math.floor((available - lineHeight) / (lineHeight + FISHBONE.causeGap)));
  return { shown: causes.slice(0, fitting), maxLines: 1, hidden: causes.length - fitting };
}

function causeMarker(
  doc: Document,
  { status, x, y }: { status: FishboneCause['status']; x: number; y: number },
): void {
  const radius = 3;
  if (status === 'supported') {
    doc.circle(x, y, radius).fillColor(COLORS.supported).fill();
  } else if (status === 'untested') {
    doc.circle(x, y, radius).lineWidth(1).strokeColor(COLORS.supported).stroke();
  } else {
    const arm = 2.1;
    doc.circle(x, y, radius).lineWidth(0.8).strokeColor(COLORS.ruledOut).stroke();
    doc
      .moveTo(x - arm, y - arm)
      .lineTo(x + arm, y + arm)
      .moveTo(x - arm, y + arm)
      .lineTo(x + arm, y - arm)
      .lineWidth(0.8)
      .strokeColor(COLORS.ruledOut)
      .stroke();
  }
}

/**
 * Draws the 6M fishbone on its own A4 landscape page, in vector: the spine ending in the effect
 * box, three ribs above and three below, each cause with its status marker, wrapped to the rib's
 * column (8.5 pt) and cut with an ellipsis when a branch has more than fits; the table after the
 * page lists every cause in full.
 */
function drawFishbonePage(
  writer: Writer,
  {
    fishbone,
    effect,
    highlight,
  }: {
    fishbone: Ishikawa;
    effect: string;
    highlight: Category6M | null;
  },
): void {
  const { doc } = writer;
  doc.addPage({ size: 'A4', layout: 'landscape', margins: MARGINS });
  const width = doc.page.width;
  const height = doc.page.height;
  const margin = FISHBONE.margin;
  paragraph(writer, `D4 Fishbone (6M) of ${writer.report.defect_id}`, {
    size: SIZES.heading,
    bold: true,
    gap: 0,
  });
  paragraph(writer, `Effect: ${effect}`, { size: SIZES.body, color: COLORS.muted, gap: 0 });

  const top = FISHBONE.top;
  const diagramBottom = height - FISHBONE.bottomSpace;
  const spineY = (top + diagramBottom) / 2;
  const headX = width - margin - FISHBONE.headWidth;
  const spineStart = margin;
  const columnWidth = (headX - 40 - spineStart) / 3;

  doc
    .moveTo(spineStart, spineY)
    .lineTo(headX - 10, spineY)
    .lineWidth(2.2)
    .strokeColor(COLORS.bone)
    .stroke();
  doc
    .moveTo(headX - 12, spineY - 6)
    .lineTo(headX, spineY)
    .lineTo(headX - 12, spineY + 6)
    .closePath()
    .fillColor(COLORS.bone)
    .fill();

  const effectText = drawable(writer, effect);
  doc.font(writer.fonts.bold).fontSize(FISHBONE.effectSize);
  const effectTextHeight = doc.heightOfString(effectText, {
    width: FISHBONE.headWidth - 14,
    align: 'center',
  });
  const headHeight = Math.max(48, effectTextHeight + 16);
  doc
    .roundedRect(headX, spineY - headHeight / 2, FISHBONE.headWidth, headHeight, 5)
    .lineWidth(1.5)
    .fillAndStroke(COLORS.effectFill, COLORS.effectStroke);
  doc.fillColor('#7f1d1d').text(effectText, headX + 7, spineY - effectTextHeight / 2, {
    width: FISHBONE.headWidth - 14,
    align: 'center',
  });

  FISHBONE_BRANCHES.forEach((branch, index) => {
    const above = index < 3;
    const column = index % 3;
    const ribOuterX = spineStart + column * columnWidth + FISHBONE.textWidth + 24;
    const ribInnerX = ribOuterX + FISHBONE.slant;
    const labelY = above ? top : diagramBottom - FISHBONE.labelHeight;
    const ribOuterY = above ? top + FISHBONE.labelHeight : diagramBottom - FISHBONE.labelHeight;
    const ribLength = Math.abs(spineY - ribOuterY);
    const ribXAt = (y: number) =>
      ribOuterX + (FISHBONE.slant * (ribLength - Math.abs(spineY - y))) / ribLength;
    const highlighted = highlight === branch;
    const stroke = highlighted ? COLORS.highlight : COLORS.bone;

    doc
      .moveTo(ribOuterX, ribOuterY)
      .lineTo(ribInnerX, spineY)
      .lineWidth(highlighted ? 2.4 : 1.5)
      .strokeColor(stroke)
      .stroke();
    doc
      .roundedRect(ribOuterX - FISHBONE.labelWidth / 2, labelY, FISHBONE.labelWidth, FISHBONE.labelHeight, 3)
      .lineWidth(0.8)
      .fillAndStroke(highlighted ? COLORS.highlightFill : COLORS.labelFill, stroke);
    doc
      .font(writer.fonts.bold)
      .fontSize(FISHBONE.labelSize)
      .fillColor(COLORS.ink)
      .text(humanize(branch), ribOuterX - FISHBONE.labelWidth / 2, labelY + 3, {
        width: FISHBONE.labelWidth,
        align: 'center',
        lineBreak: false,
      });

    const causes = fishbone[branch];
    const areaTop = above ? ribOuterY + 8 : spineY + 8;
    const areaBottom = above ? spineY - 8 : ribOuterY - 4;
    doc.font(writer.fonts.regular).fontSize(FISHBONE.causeSize);
    const lineHeight = doc.currentLineHeight(true);
    if (causes.length === 0) {
      doc
        .fillColor(COLORS.ruledOut)
        .text('no candidate causes', ribXAt(areaTop + 4) - 14 - FISHBONE.textWidth, areaTop, {
          width: FISHBONE.textWidth,
          align: 'right',
        });
      return;
    }
    const { shown, maxLines, hidden } = fitCauses({
      doc,
      font: writer.fonts.regular,
      causes,
      available: areaBottom - areaTop,
    });
    let cursor = areaTop;
    for (const cause of shown) {
      const text = drawable(writer, cause.cause);
      doc.font(writer.fonts.regular).fontSize(FISHBONE.causeSize);
      const lines = Math.min(
        maxLines,
        Math.max(1, Math.round(doc.heightOfString(text, { width: FISHBONE.textWidth }) / lineHeight)),
      );
      const markerY = cursor + lineHeight / 2;
      const ribX = ribXAt(markerY);
      const markerX = ribX - 9;
      doc
        .moveTo(markerX + 3, markerY)
        .lineTo(ribX, markerY)
        .lineWidth(0.6)
        .strokeColor(COLORS.bone)
        .stroke();
      causeMarker(doc, { status: cause.status, x: markerX, y: markerY });
      const ruledOut = cause.status === 'ruled_out';
      doc
        .fillColor(ruledOut ? COLORS.ruledOut : COLORS.ink)
        .text(text, markerX - 6 - FISHBONE.textWidth, cursor, {
          width: FISHBONE.textWidth,
          height: lines * lineHeight,
          ellipsis: true,
          align: 'right',
          strike: ruledOut,
        });
      cursor += lines * lineHeight + FISHBONE.causeGap;
    }
    if (hidden > 0) {
      doc
        .fillColor(COLORS.muted)
        .text(`+${hidden} more in the table`, ribXAt(cursor) - 15 - FISHBONE.textWidth, cursor, {
          width: FISHBONE.textWidth,
          align: 'right',
        });
    }
  });

  const legendY = diagramBottom + 20;
  const legend: Array<{ status: FishboneCause['status']; label: string }> = [
    { status: 'supported', label: 'supported by evidence' },
    { status: 'untested', label: 'untested' },
    { status: 'ruled_out', label: 'ruled out (grey, struck through)' },
  ];
  doc
    .font(writer.fonts.bold)
    .fontSize(SIZES.table)
    .fillColor(COLORS.ink)
    .text('Legend', margin, legendY - 4, { lineBreak: false });
  legend.forEach((item, index) => {
    const x = margin + 52 + index * 150;
    causeMarker(doc, { status: item.status, x, y: legendY });
    doc
      .font(writer.fonts.regular)
      .fillColor(COLORS.ink)
      .text(drawable(writer, item.label), x + 8, legendY - 4, { lineBreak: false });
  });
  if (highlight) {
    const x = margin + 52 + legend.length * 150;
    doc
      .roundedRect(x - 4, legendY - 5, 10, 10, 2)
      .lineWidth(0.8)
      .fillAndStroke(COLORS.highlightFill, COLORS.highlight);
    doc
      .fillColor(COLORS.ink)
      .text(`root-cause category (${highlight})`, x + 10, legendY - 4, { lineBreak: false });
  }
  portraitPage(doc);
}

function d5(writer: Writer): void {
  const d = writer.report.d5_corrective_actions;
  sectionHeading(writer, 'D5');
  note(writer, d.availability);
  actionsTable(writer, d.actions);
}

function d6(writer: Writer): void {
  const d = writer.report.d6_implementation_and_validation;
  sectionHeading(writer, 'D6');
  note(writer, d.availability);
  table(writer, {
    headers: ['Ref', 'Action', 'Owner', 'Due', 'Check', 'Verify by', 'Status', 'Evidence of the check'],
    widths: [26, '*', 65, 50, 90, 50, 70, 90],
    rows: d.steps.map((step) => [
      step.action_ref,
      `${step.type}: ${step.description}${step.origin === 'reviewer' ? ' (added by a reviewer)' : ''}`,
      step.owner_role,
      step.due_date,
      `${step.effectiveness_check.metric}: ${step.effectiveness_check.threshold}, ${formatDays(step.effectiveness_check.window_days)}`,
      step.verify_by,
      `${ACTION_STATUS_LABELS[step.status]}${step.status_changed_by ? `\nby ${step.status_changed_by}, ${dateTime(step.status_changed_at)}` : ''}`,
      step.effectiveness_evidence ?? '—',
    ]),
  });
  if (d.validated_by) paragraph(writer, `All effects are to be shown by ${d.validated_by}.`);
}

function d7(writer: Writer): void {
  const d = writer.report.d7_prevention;
  sectionHeading(writer, 'D7');
  note(writer, d.availability);
  actionsTable(writer, d.actions);
  if (d.standardisation.length > 0) {
    heading(writer, 'Standardisation', { level: 3 });
    table(writer, {
      headers: ['Document', 'Update', 'Covered by'],
      widths: [70, '*', 70],
      rows: d.standardisation.map((entry) => [
        entry.document === 'control_plan' ? 'Control plan' : entry.document.toUpperCase(),
        entry.update,
        entry.covered_by.length > 0 ? entry.covered_by.join(', ') : 'no action yet',
      ]),
    });
  }
  const deployment = d.horizontal_deployment;
  if (deployment) {
    heading(writer, 'Other lines, SKUs, facilities', { level: 3 });
    paragraph(writer, `${deployment.scope}.`);
    bullets(writer, [
      `Other facilities: ${deployment.other_facilities.join(', ') || 'none'}`,
      `Other SKUs: ${deployment.other_skus.join(', ') || 'none'}`,
      `Covered by: ${deployment.covered_by.join(', ') || 'no preventive action yet'}`,
    ]);
  }
}

function d8(writer: Writer): void {
  const { report } = writer;
  const d = report.d8_closure;
  sectionHeading(writer, 'D8');
  note(writer, d.availability);
  labelled(
    writer,
    'Status:',
    `${d.status === 'not_required' ? 'not required' : d.status}${d.status === 'closed' && report.review.closed_by ? ` by ${report.review.closed_by}, ${dateTime(report.review.closed_at)}` : ''}${d.status === 'open' && d.earliest_closure ? `; earliest closure ${d.earliest_closure}` : ''}`,
  );
  table(writer, {
    headers: ['Closure criterion', 'By', 'Met'],
    widths: ['*', 60, 40],
    rows: d.criteria.map((criterion) => [
      criterion.criterion,
      criterion.due ?? '',
      criterion.met ? 'yes' : 'no',
    ]),
  });
}

function photo(writer: Writer, attached: PdfPhoto | null): void {
  const { doc, report } = writer;
  const image = report.evidence.image;
  if (!attached) {
    if (image)
      paragraph(writer, `A photo (${image.media_type}) is attached to the report: GET ${image.url}.`);
    else if (report.evidence.image_attached) paragraph(writer, 'An image is attached to the report.');
    return;
  }
  heading(writer, 'Photo', { level: 3 });
  if (attached.mediaType !== 'image/jpeg' && attached.mediaType !== 'image/png') {
    paragraph(
      writer,
      `The photo is ${attached.mediaType}, which a PDF cannot embed; it is served at GET ${image?.url ?? 'the image endpoint'} and shown in the HTML report.`,
    );
    return;
  }
  const maxHeight = 300;
  ensureSpace(writer, maxHeight + 24);
  try {
    // Without x and y the image is in the document flow: pdfkit moves y below it.
    doc.x = left();
    doc.image(Buffer.from(attached.bytes), {
      fit: [contentWidth(doc), maxHeight],
      align: 'center',
    });
  } catch (error) {
    paragraph(
      writer,
      `The photo could not be drawn (${error instanceof Error ? error.message : String(error)}); it is served at GET ${image?.url ?? 'the image endpoint'}.`,
    );
    return;
  }
  doc.x = left();
  doc.y += 4;
  paragraph(writer, `The photo attached to the report${image ? ` (also at ${image.url})` : ''}.`, {
    size: SIZES.small,
    color: COLORS.muted,
  });
}

function evidence(writer: Writer, attached: PdfPhoto | null): void {
  const { evidence: found } = writer.report;
  if (writer.doc.y > MARGINS.top + 1) portraitPage(writer.doc);
  heading(writer, 'Evidence');
  if (found.description) {
    heading(writer, "Inspector's description", { level: 3 });
    paragraph(writer, found.description, { indent: 8 });
  }
  photo(writer, attached);
  if (found.observations.length > 0) {
    heading(writer, 'Observations', { level: 3 });
    bullets(writer, found.observations);
  }
  if (found.measurements.length > 0) {
    heading(writer, 'Measurements', { level: 3 });
    table(writer, {
      headers: ['Measurement', 'Value', 'Standard', 'Within standard'],
      rows: found.measurements.map((measurement) => [
        measurement.label,
        `${measurement.value}${measurement.unit ? ` ${measurement.unit}` : ''}`,
        measurement.spec ?? 'none',
        measurement.within_spec === null ? 'n/a' : measurement.within_spec ? 'yes' : 'NO',
      ]),
    });
  }
  if (found.production_data.length > 0) {
    heading(writer, 'Production data', { level: 3 });
    table(writer, {
      headers: ['Key', 'Value'],
      widths: [150, '*'],
      rows: found.production_data.map((entry) => [entry.key, entry.value]),
    });
  }
  if (found.why_evidence.length > 0) {
    heading(writer, 'Evidence behind the whys', { level: 3 });
    bullets(
      writer,
      found.why_evidence.map(
        (entry) =>
          `Why ${entry.step}, ${entry.kind}: ${entry.detail}${entry.source_id ? ` (${entry.source_id})` : ''}`,
      ),
    );
  }
}

function similar(writer: Writer): void {
  const found = writer.report.similar_past_defects;
  heading(writer, 'Similar past defects');
  note(writer, found.availability);
  bullets(
    writer,
    found.defects.map(
      (defect) =>
        `${defect.defect_id}${defect.title ? `: ${defect.title}` : ' (no cited passage)'}${defect.passages[0] ? ` — ${defect.passages[0].excerpt}` : ''}`,
    ),
  );
}

function effectiveness(writer: Writer): void {
  const plan = writer.report.effectiveness_check_plan;
  heading(writer, 'Effectiveness-check plan');
  note(writer, plan.availability);
  table(writer, {
    headers: ['Action', 'Owner', 'Metric', 'Threshold', 'Window', 'From', 'Verify by', 'Status', 'Found'],
    widths: [55, 65, '*', 55, 40, 50, 50, 50, '*'],
    rows: plan.checks.map((check) => [
      `${check.action_ref} (${check.type})`,
      check.owner_role,
      check.metric,
      check.threshold,
      formatDays(check.window_days),
      check.starts_on,
      check.verify_by,
      ACTION_STATUS_LABELS[check.status],
      check.effectiveness_evidence ?? '—',
    ]),
  });
}

function auditTrail(writer: Writer): void {
  const trail = writer.report.audit_trail;
  heading(writer, 'Audit trail');
  note(writer, trail.availability);
  table(writer, {
    headers: ['#', 'At', 'By', 'Change', 'Target', 'Before', 'After', 'Reason', 'State'],
    widths: [16, 52, 55, 52, 44, '*', '*', '*', 48],
    rows: trail.events.map((event) => [
      String(event.sequence),
      formatDateTime(event.at),
      event.by,
      event.label,
      event.target ?? '—',
      event.before ?? '—',
      event.after ?? '—',
      event.reason ?? '—',
      event.state_before === event.state_after
        ? event.state_after
        : `${event.state_before} → ${event.state_after}`,
    ]),
  });
}

function citations(writer: Writer): void {
  const { report } = writer;
  heading(writer, 'Citations');
  if (report.citations.length === 0)
    paragraph(writer, 'No knowledge-base passage is cited.', { color: COLORS.muted });
  for (const citation of report.citations) {
    ensureSpace(writer, 50);
    paragraph(writer, `[${citation.number}] ${citation.title}`, { bold: true, gap: 1 });
    paragraph(
      writer,
      [
        citation.chunk_id,
        citation.doc_type === 'sop' ? 'SOP' : 'past defect',
        citation.section ? `section ${citation.section}` : null,
        citation.score !== null ? `score ${citation.score.toFixed(3)}` : null,
        citation.cited_by.length > 0 ? `cited by ${citation.cited_by.join(', ')}` : null,
      ]
        .filter((item): item is string => item !== null)
        .join(' · '),
      { size: SIZES.table, color: COLORS.muted, gap: 1 },
    );
    paragraph(writer, citation.excerpt, { size: SIZES.table, indent: 10, gap: 5 });
  }
  if (report.unresolved_citation_ids.length > 0) {
    noteBox(writer, {
      label: 'Unresolved citations',
      text: `not found in the knowledge base; the claims resting on them are hypotheses: ${report.unresolved_citation_ids.join(', ')}`,
      colors: NOTE_COLORS.missing,
    });
  }
}

/** Writes "defect id · page n of m" at the foot of every page. */
function pageFooters(writer: Writer): void {
  const { doc, report } = writer;
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(writer.fonts.regular)
      .fontSize(SIZES.small)
      .fillColor(COLORS.muted)
      .text(
        drawable(
          writer,
          `${report.defect_id} · ${report.review.label} · generated ${formatDateTime(report.generated_at)} (${report.schema_version}) · page ${index - range.start + 1} of ${range.count}`,
        ),
        MARGINS.left,
        doc.page.height - 30,
        { width: doc.page.width - MARGINS.left - MARGINS.right, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = margin;
  }
}

/** Reads everything the document has written: pdfkit writes synchronously, so after `end()` it is all buffered. */
function readAll(doc: Document): Buffer {
  const chunks: Buffer[] = [];
  for (let chunk: unknown = doc.read(); chunk !== null; chunk = doc.read()) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'latin1'));
  }
  const pdf = Buffer.concat(chunks);
  if (!pdf.subarray(-8).toString('latin1').includes('%%EOF')) {
    throw new Error('the PDF document was not complete after it ended');
  }
  return pdf;
}

/**
 * Renders the RCA report as an A4 PDF with the same sections as the HTML report: header,
 * review, classification, D0 to D8 (the fishbone drawn in vector on its own landscape page, with
 * every cause in a table after it), evidence with the photo (JPEG or PNG), similar past defects,
 * the effectiveness-check plan, the audit trail and the citations, and a footer with the page
 * number on every page. Text is drawn with `fonts` (Chinese too with the Noto fonts); only the
 * glyphs used are embedded. Synchronous: pdfkit lays out and writes without waiting on anything.
 */
export function renderPdf(
  report: RcaReport,
  { fonts, photo: attached = null }: { fonts: ReportFonts; photo?: PdfPhoto | null },
): Buffer {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: {
      Title: report.title,
      Subject: `8D root-cause analysis report of ${report.defect_id}`,
      Creator: report.schema_version,
      CreationDate: new Date(report.generated_at),
    },
    lang: 'en',
    displayTitle: true,
  });
  try {
    const writer: Writer = { doc, fonts, report, numbers: citationNumbers(report) };
    header(writer);
    reviewSection(writer);
    classificationSection(writer);
    d0(writer);
    d1(writer);
    d2(writer);
    d3(writer);
    d4(writer);
    d5(writer);
    d6(writer);
    d7(writer);
    d8(writer);
    evidence(writer, attached);
    similar(writer);
    effectiveness(writer);
    auditTrail(writer);
    citations(writer);
    pageFooters(writer);
    doc.end();
    return readAll(doc);
  } catch (cause) {
    throw new Error(`rendering the PDF report of ${report.defect_id} failed`, { cause });
  }
}
