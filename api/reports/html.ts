import type { CorrectableField } from '../../domain/index.ts';
import { renderFishboneSvg } from './fishbone-svg.ts';
import type { Availability, RcaReport, ReportAction } from './report-model.ts';
import {
  ACTION_STATUS_LABELS,
  CATEGORIES_6M,
  EIGHT_D_SECTIONS,
  EMERGENCY_LEVEL_LABELS,
  citationNumbers,
  isCorrected,
} from './report-model.ts';
import { escapeMarkup as h, formatDateTime, formatDays, formatPercent, humanize } from './text.ts';

/** Content-Security-Policy of the standalone page: inline styles and inline images only, no scripts. */
export const REPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 210mm; padding: 12mm 12mm 16mm; font: 10.5pt/1.45 Helvetica, Arial, sans-serif; color: #1f2937; background: #ffffff; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13.5pt; margin: 8mm 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #1f2937; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
p { margin: 0 0 2.5mm; }
ul, ol { margin: 0 0 3mm; padding-left: 6mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; font-size: 9pt; }
th, td { border: 1px solid #cbd5e1; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; overflow-wrap: break-word; word-break: normal; hyphens: auto; }
th { background: #f1f5f9; font-weight: bold; }
table.fields th { width: 32%; }
.code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
.note { border-left: 4px solid #94a3b8; background: #f8fafc; padding: 2mm 3mm; margin: 0 0 3mm; }
.note.partial { border-color: #d97706; background: #fffbeb; }
.note.missing { border-color: #b91c1c; background: #fef2f2; }
.note.not-applicable { border-color: #64748b; background: #f1f5f9; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 8.5pt; font-weight: bold; background: #e2e8f0; }
.badge.critical, .badge.line-stop, .badge.failed { background: #fee2e2; color: #991b1b; }
.badge.major, .badge.hold, .badge.partial { background: #ffedd5; color: #9a3412; }
.badge.minor, .badge.segregate { background: #fef9c3; color: #854d0e; }
.badge.complete { background: #dcfce7; color: #166534; }
.muted { color: #64748b; }
.unresolved { color: #b91c1c; }
.ruled-out { color: #9ca3af; text-decoration: line-through; }
.corrected { display: inline-block; margin-left: 1mm; padding: 0 1.5mm; border-radius: 2mm; font-size: 8pt; font-weight: bold; background: #dbeafe; color: #1e40af; }
.draft-banner { border: 2px solid #d97706; background: #fffbeb; padding: 2mm 3mm; margin: 0 0 3mm; font-weight: bold; }
.badge.verified, .badge.closed, .badge.confirmed { background: #dcfce7; color: #166534; }
.badge.corrected, .badge.in-progress, .badge.done { background: #dbeafe; color: #1e40af; }
.badge.ineffective, .badge.rejected { background: #fee2e2; color: #991b1b; }
.badge.draft { background: #ffedd5; color: #9a3412; }
figure.photo img { display: block; max-width: 100%; max-height: 120mm; border: 1px solid #e2e8f0; }
figure.fishbone-figure { margin: 0 0 4mm; }
figure.fishbone-figure svg { display: block; width: 100%; height: auto; max-width: 100%; border: 1px solid #e2e8f0; }
figcaption { font-size: 8.5pt; color: #64748b; margin-top: 1mm; }
blockquote { margin: 1mm 0 3mm; padding: 1.5mm 3mm; border-left: 3px solid #cbd5e1; background: #f8fafc; white-space: pre-wrap; font-size: 9pt; }
ol.citations > li { margin-bottom: 3mm; }
nav.toc ol { columns: 2; font-size: 9pt; }
nav.toc a, a.cite { color: #1d4ed8; text-decoration: none; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #64748b; border-top: 1px solid #cbd5e1; padding-top: 2mm; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  nav.toc { display: none; }
  .page-break { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, blockquote, .note, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a.cite { color: inherit; }
  .badge, .note, th, figure svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** Renderer state: the report and its citation numbers. */
interface Context {
  report: RcaReport;
  numbers: Map<string, number>;
}

/** The photo of a report, embedded in the page as a data URI. */
export interface ReportPhoto {
  mediaType: string;
  bytes: Uint8Array;
}

/** The mark of a value a person corrected. */
function corrected({ context, field }: { context: Context; field: CorrectableField }): string {
  return isCorrected(context.report, field)
    ? ' <span class="corrected" title="corrected by a person; the machine value is in the Review section">corrected</span>'
    : '';
}

function dateTimeOrDash(value: string | null): string {
  return value ? h(formatDateTime(value)) : '<span class="muted">—</span>';
}

function badge({ text, kind }: { text: string; kind: string }): string {
  return `<span class="badge ${h(kind.replaceAll('_', '-'))}">${h(text)}</span>`;
}

function availabilityNote(availability: Availability): string {
  if (availability.note === null) return '';
  const labels: Record<Availability['state'], string> = {
    available: 'Note',
    partial: 'Partial',
    missing: 'Missing',
    not_applicable: 'Not applicable',
  };
  return `<p class="note ${availability.state.replace('_', '-')}"><strong>${labels[availability.state]}:</strong> ${h(availability.note)}</p>`;
}

function cites({ context, ids }: { context: Context; ids: readonly string[] }): string {
  if (ids.length === 0) return '<span class="muted">none</span>';
  return ids
    .map((id) => {
      const number = context.numbers.get(id);
      return number === undefined
        ? `<span class="unresolved code" title="not found in the knowledge base">${h(id)} (unresolved)</span>`
        : `<a class="cite" href="#cite-${number}">[${number}]</a>`;
    })
    .join(' ');
}

function table({
  headers,
  rows,
  className,
}: {
  headers: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  className?: string;
}): string {
  const head = `<thead><tr>${headers.map((cell) => `<th scope="col">${h(cell)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n')}</tbody>`;
  return `<table${className ? ` class="${h(className)}"` : ''}>${head}\n${body}</table>`;
}

function fields(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<table class="fields"><tbody>${rows
    .map(([label, value]) => `<tr><th scope="row">${h(label)}</th><td>${value}</td></tr>`)
    .join('\n')}</tbody></table>`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '' : `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
}

function actionsTable({ context, actions }: { context: Context; actions: readonly ReportAction[] }): string {
  if (actions.length === 0) return '';
  return table({
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
    rows: actions.map((action) => [
      `<span class="code">${h(action.ref)}</span>`,
      h(action.type),
      badge({ text: ACTION_STATUS_LABELS[action.status], kind: action.status }),
      h(action.description),
      h(action.owner_role),
      h(action.due_date),
      `${h(action.effectiveness_check.metric)}: ${h(action.effectiveness_check.threshold)} within ${formatDays(action.effectiveness_check.window_days)}`,
      h(action.verify_by),
      action.hypothesis
        ? '<span class="unresolved">none (hypothesis)</span>'
        : cites({ context, ids: action.citations }),
    ]),
  });
}

function dSection({
  code,
  body,
  pageBreak = false,
}: {
  code: (typeof EIGHT_D_SECTIONS)[number]['code'];
  body: string;
  pageBreak?: boolean;
}): string {
  const entry = EIGHT_D_SECTIONS.find((section) => section.code === code);
  return `<section id="${code.toLowerCase()}" class="d-section${pageBreak ? ' page-break' : ''}">\n<h2>${code} ${h(entry?.title ?? '')}</h2>\n${body}\n</section>`;
}

function headerHtml(report: RcaReport): string {
  const { subject, analysis } = report;
  const agents = analysis.agents
    .map((agent) => `${h(agent.label)}: ${badge({ text: agent.status, kind: agent.status })}`)
    .join('; ');
  const notes =
    analysis.notes.length > 0
      ? `<div class="note ${analysis.status === 'failed' ? 'missing' : 'partial'}"><strong>Analysis ${h(analysis.status)}:</strong>${list(analysis.notes.map(h))}</div>`
      : '';
  const review = report.review;
  const draft = review.machine_draft
    ? '<p class="draft-banner" role="note">Unconfirmed machine draft: no person has confirmed this analysis yet; every value in it is the machine\'s.</p>'
    : '';
  return `<header>
<h1>${h(report.title)}</h1>
${draft}
${fields([
  ['Defect id', `<span class="code">${h(report.defect_id)}</span>`],
  ['Generated', h(formatDateTime(report.generated_at))],
  [
    'Analysis',
    `${badge({ text: analysis.status, kind: analysis.status })} created ${h(formatDateTime(analysis.created_at))}${analysis.completed_at ? `, completed ${h(formatDateTime(analysis.completed_at))}` : ''}`,
  ],
  [
    'Product',
    subject.product_sku ? `${h(subject.product_sku)} (${h(subject.product_label ?? '')})` : 'not stated',
  ],
  ['Facility', h(subject.facility ?? 'not stated')],
  ['Batch', h(subject.batch_id ?? 'not stated')],
  ['Shift', h(subject.shift ?? 'not stated')],
  ['Agents', agents],
  [
    'Review',
    `${badge({ text: review.label, kind: review.state })}${review.reviewed_by ? ` by ${h(review.reviewed_by)}, ${dateTimeOrDash(review.reviewed_at)}` : ''}`,
  ],
])}
${notes}
</header>`;
}

function tocHtml(): string {
  const entries: Array<[string, string]> = [
    ['review', 'Review'],
    ['classification', 'Classification'],
    ...EIGHT_D_SECTIONS.map((section): [string, string] => [
      section.code.toLowerCase(),
      `${section.code} ${section.title}`,
    ]),
    ['evidence', 'Evidence'],
    ['similar', 'Similar past defects'],
    ['effectiveness', 'Effectiveness-check plan'],
    ['audit-trail', 'Audit trail'],
    ['citations', 'Citations'],
  ];
  return `<nav class="toc" aria-label="Contents"><ol>${entries
    .map(([id, label]) => `<li><a href="#${id}">${h(label)}</a></li>`)
    .join('')}</ol></nav>`;
}

function classificationHtml(context: Context): string {
  const { classification } = context.report;
  const result = classification.result;
  const body = result
    ? fields([
        ['Defect detected', result.defect_detected ? 'yes' : 'no'],
        [
          'Defect type',
          `${h(humanize(result.defect_type))} <span class="code">${h(result.defect_type)}</span>${corrected({ context, field: 'defect_type' })}`,
        ],
        [
          'Severity',
          `${badge({ text: result.severity, kind: result.severity })}${corrected({ context, field: 'severity' })}`,
        ],
        ['Confidence', `${h(formatPercent(result.confidence))} (the machine's)`],
        ['Disposition', `${h(result.recommended_action)}${corrected({ context, field: 'disposition' })}`],
        ['Escalate', result.escalate ? `yes: ${h(result.escalation_reason ?? 'no reason given')}` : 'no'],
        ['Affected area', h(result.affected_area ?? 'not stated')],
        ['Needs human review', classification.needs_human_review ? 'yes' : 'no'],
        [
          'Evidence',
          result.evidence.length > 0 ? list(result.evidence.map(h)) : '<span class="muted">none</span>',
        ],
        ['Citations', cites({ context, ids: result.citations })],
      ])
    : '';
  return `<section id="classification">\n<h2>Classification</h2>\n${availabilityNote(classification.availability)}${body}\n</section>`;
}

function d0Html(context: Context): string {
  const d = context.report.d0_emergency_response;
  return dSection({
    code: 'D0',
    body: [
      availabilityNote(d.availability),
      `<p><strong>Level:</strong> ${badge({ text: EMERGENCY_LEVEL_LABELS[d.level], kind: d.level })}${d.severity ? ` severity ${h(d.severity)}${corrected({ context, field: 'severity' })}` : ''}${d.escalate ? `; escalated${d.escalation_reason ? `: ${h(d.escalation_reason)}` : ''}` : ''}</p>`,
      list(d.actions.map(h)),
    ].join('\n'),
  });
}

function d1Html({ report }: Context): string {
  const d = report.d1_team;
  return dSection({
    code: 'D1',
    body: [
      availabilityNote(d.availability),
      d.members.length > 0
        ? table({
            headers: ['Role', 'Responsibilities'],
            rows: d.members.map((member) => [h(member.role), h(member.responsibilities.join('; '))]),
          })
        : '',
    ].join('\n'),
  });
}

function d2Html({ report }: Context): string {
  const d = report.d2_problem_statement;
  return dSection({
    code: 'D2',
    body: [
      availabilityNote(d.availability),
      `<p><strong>Problem statement:</strong> ${h(d.statement)}</p>`,
      fields([
        ['What', h(d.what)],
        ['Where', h(d.where)],
        ['When', h(d.when)],
        ['Who', h(d.who)],
        ['Why (it matters)', h(d.why)],
        ['How (observed)', h(d.how)],
        ['How many', h(d.how_many)],
      ]),
      table({
        headers: ['Is', 'Is not'],
        rows: [
          [
            list(d.is.map(h)) || '<span class="muted">nothing recorded</span>',
            list(d.is_not.map(h)) || '<span class="muted">nothing recorded</span>',
          ],
        ],
      }),
    ].join('\n'),
  });
}

function d3Html(context: Context): string {
  const d = context.report.d3_containment;
  return dSection({
    code: 'D3',
    body: [
      availabilityNote(d.availability),
      d.disposition
        ? `<p><strong>Disposition of the affected parts:</strong> ${h(d.disposition)}${corrected({ context, field: 'disposition' })}</p>`
        : '',
      actionsTable({ context, actions: d.actions }),
    ].join('\n'),
  });
}

function fishboneList({
  context,
  fishbone,
}: {
  context: Context;
  fishbone: NonNullable<RcaReport['d4_root_causes']['fishbone']>;
}): string {
  return list(
    CATEGORIES_6M.map((branch) => {
      const causes = fishbone[branch];
      const items =
        causes.length === 0
          ? '<ul><li class="muted">no candidate causes</li></ul>'
          : list(
              causes.map(
                (cause) =>
                  `<span${cause.status === 'ruled_out' ? ' class="ruled-out"' : ''}>${h(cause.cause)}</span> (${h(cause.status.replace('_', ' '))})${cause.evidence ? `: ${h(cause.evidence)}` : ''} ${cause.citations.length > 0 ? cites({ context, ids: cause.citations }) : ''}`,
              ),
            );
      return `<strong>${h(humanize(branch))}</strong>${items}`;
    }),
  );
}

function d4Html({ context, fishboneSvg }: { context: Context; fishboneSvg: string | null }): string {
  const d = context.report.d4_root_causes;
  const parts: string[] = [availabilityNote(d.availability)];
  if (d.probable_stage) {
    parts.push(
      isCorrected(context.report, 'probable_stage')
        ? `<p><strong>Probable stage:</strong> ${h(d.probable_stage_label ?? d.probable_stage)} <span class="code">${h(d.probable_stage)}</span>${corrected({ context, field: 'probable_stage' })}</p>`
        : `<p><strong>Probable stage:</strong> ${h(d.probable_stage_label ?? d.probable_stage)} <span class="code">${h(d.probable_stage)}</span>, ${h(formatPercent(d.stage_confidence ?? 0))} confidence${d.stage_needs_review ? ' (below 50 %: needs human review)' : ''}</p>`,
    );
  }
  if (d.root_cause) {
    parts.push(
      fields([
        [
          'Occurrence (why it was made)',
          `${h(d.root_cause.occurrence)}${corrected({ context, field: 'occurrence_cause' })}`,
        ],
        [
          'Escape (why inspection missed it)',
          `${h(d.root_cause.escape)}${corrected({ context, field: 'escape_cause' })}`,
        ],
        [
          'Systemic (why the system allowed both)',
          `${h(d.root_cause.systemic)}${corrected({ context, field: 'systemic_cause' })}`,
        ],
        ['6M category', `${h(d.root_cause.category_6m)}${corrected({ context, field: 'category_6m' })}`],
        ['Citations', cites({ context, ids: d.root_cause.citations })],
      ]),
    );
  }
  if (d.five_why_chain.length > 0) {
    parts.push(
      '<h3>5-why chain</h3>',
      table({
        className: 'five-why',
        headers: ['Step', 'Question', 'Answer', 'Evidence', 'Verified', 'Citations'],
        rows: d.five_why_chain.map((why) => [
          `${why.step}${why.branch ? ` (${h(why.branch)})` : ''}`,
          h(why.question),
          h(why.answer),
          why.evidence.length > 0
            ? list(
                why.evidence.map(
                  (evidence) =>
                    `${h(evidence.kind)}: ${h(evidence.detail)}${evidence.source_id ? ` <span class="code">${h(evidence.source_id)}</span>` : ''}`,
                ),
              )
            : '<span class="muted">none</span>',
          `${why.verified ? 'yes' : 'no'}${why.hypothesis ? ' <span class="unresolved">(hypothesis)</span>' : ''}`,
          cites({ context, ids: why.citations }),
        ]),
      }),
    );
  }
  if (d.fishbone) {
    parts.push('<h3>Fishbone (6M)</h3>');
    parts.push(
      fishboneSvg
        ? `<figure class="fishbone-figure">\n${fishboneSvg}\n<figcaption>Effect: ${h(d.effect)}. Filled marker: supported; hollow: untested; grey and struck through: ruled out.</figcaption>\n</figure>`
        : fishboneList({ context, fishbone: d.fishbone }),
    );
  }
  return dSection({ code: 'D4', body: parts.join('\n'), pageBreak: true });
}

function d5Html(context: Context): string {
  const d = context.report.d5_corrective_actions;
  return dSection({
    code: 'D5',
    body: [availabilityNote(d.availability), actionsTable({ context, actions: d.actions })].join('\n'),
  });
}

function d6Html({ report }: Context): string {
  const d = report.d6_implementation_and_validation;
  return dSection({
    code: 'D6',
    body: [
      availabilityNote(d.availability),
      d.steps.length > 0
        ? table({
            headers: [
              'Ref',
              'Type',
              'Action',
              'Owner',
              'Due',
              'Metric',
              'Threshold',
              'Window',
              'Verify by',
              'Status',
              'Evidence of the check',
            ],
            rows: d.steps.map((step) => [
              `<span class="code">${h(step.action_ref)}</span>${step.origin === 'reviewer' ? '<br/><span class="muted">added by a reviewer</span>' : ''}`,
              h(step.type),
              h(step.description),
              h(step.owner_role),
              h(step.due_date),
              h(step.effectiveness_check.metric),
              h(step.effectiveness_check.threshold),
              formatDays(step.effectiveness_check.window_days),
              h(step.verify_by),
              `${badge({ text: ACTION_STATUS_LABELS[step.status], kind: step.status })}${step.status_changed_by ? `<br/><span class="muted">by ${h(step.status_changed_by)}, ${dateTimeOrDash(step.status_changed_at)}</span>` : ''}`,
              step.effectiveness_evidence ? h(step.effectiveness_evidence) : '<span class="muted">—</span>',
            ]),
          })
        : '',
      d.validated_by ? `<p>All effects are to be shown by <strong>${h(d.validated_by)}</strong>.</p>` : '',
    ].join('\n'),
  });
}

function d7Html(context: Context): string {
  const d = context.report.d7_prevention;
  const deployment = d.horizontal_deployment;
  return dSection({
    code: 'D7',
    body: [
      availabilityNote(d.availability),
      actionsTable({ context, actions: d.actions }),
      d.standardisation.length > 0
        ? `<h3>Standardisation</h3>${table({
            headers: ['Document', 'Update', 'Covered by'],
            rows: d.standardisation.map((entry) => [
              entry.document === 'control_plan' ? 'Control plan' : h(entry.document.toUpperCase()),
              h(entry.update),
              entry.covered_by.length > 0
                ? h(entry.covered_by.join(', '))
                : '<span class="muted">no action yet</span>',
            ]),
          })}`
        : '',
      deployment
        ? `<h3>Other lines, SKUs, facilities</h3><p>${h(deployment.scope)}.</p>${list([
            `Other facilities: ${h(deployment.other_facilities.join(', ') || 'none')}`,
            `Other SKUs: ${h(deployment.other_skus.join(', ') || 'none')}`,
            `Covered by: ${h(deployment.covered_by.join(', ') || 'no preventive action yet')}`,
          ])}`
        : '',
    ].join('\n'),
  });
}

function d8Html({ report }: Context): string {
  const d = report.d8_closure;
  const review = report.review;
  return dSection({
    code: 'D8',
    body: [
      availabilityNote(d.availability),
      `<p><strong>Status:</strong> ${badge({ text: d.status === 'not_required' ? 'not required' : d.status, kind: d.status })}${d.status === 'closed' && review.closed_by ? ` by ${h(review.closed_by)}, ${dateTimeOrDash(review.closed_at)}` : ''}${d.status === 'open' && d.earliest_closure ? ` earliest closure ${h(d.earliest_closure)}` : ''}</p>`,
      d.criteria.length > 0
        ? table({
            headers: ['Closure criterion', 'By', 'Met'],
            rows: d.criteria.map((criterion) => [
              h(criterion.criterion),
              h(criterion.due ?? ''),
              criterion.met ? '&#9745; <span class="muted">met</span>' : '&#9744;',
            ]),
          })
        : '',
    ].join('\n'),
  });
}

function photoHtml({ report, photo }: { report: RcaReport; photo: ReportPhoto | null }): string {
  const image = report.evidence.image;
  if (photo && /^image\/(jpeg|png|webp)$/.test(photo.mediaType)) {
    const data = Buffer.from(photo.bytes).toString('base64');
    return `<h3>Photo</h3><figure class="photo"><img src="data:${photo.mediaType};base64,${data}" alt="${h(`Photo attached to ${report.defect_id}`)}" /><figcaption>The photo attached to the report${image ? ` (also at ${h(image.url)})` : ''}.</figcaption></figure>`;
  }
  if (image) {
    return `<p>A photo (${h(image.media_type)}) is attached to the report: <span class="code">GET ${h(image.url)}</span>.</p>`;
  }
  return report.evidence.image_attached ? '<p>An image is attached to the report.</p>' : '';
}

function evidenceHtml({ context, photo }: { context: Context; photo: ReportPhoto | null }): string {
  const { report } = context;
  const evidence = report.evidence;
  const parts = [
    evidence.description
      ? `<h3>Inspector's description</h3><blockquote>${h(evidence.description)}</blockquote>`
      : '',
    photoHtml({ report, photo }),
    evidence.observations.length > 0 ? `<h3>Observations</h3>${list(evidence.observations.map(h))}` : '',
    evidence.measurements.length > 0
      ? `<h3>Measurements</h3>${table({
          headers: ['Measurement', 'Value', 'Standard', 'Within standard'],
          rows: evidence.measurements.map((measurement) => [
            h(measurement.label),
            h(`${measurement.value}${measurement.unit ? ` ${measurement.unit}` : ''}`),
            h(measurement.spec ?? 'none'),
            measurement.within_spec === null
              ? 'n/a'
              : measurement.within_spec
                ? 'yes'
                : '<strong class="unresolved">no</strong>',
          ]),
        })}`
      : '',
    evidence.production_data.length > 0
      ? `<h3>Production data</h3>${table({
          headers: ['Key', 'Value'],
          rows: evidence.production_data.map((entry) => [h(entry.key), h(entry.value)]),
        })}`
      : '',
    evidence.why_evidence.length > 0
      ? `<h3>Evidence behind the whys</h3>${list(
          evidence.why_evidence.map(
            (entry) =>
              `Why ${entry.step}, ${h(entry.kind)}: ${h(entry.detail)}${entry.source_id ? ` <span class="code">${h(entry.source_id)}</span>` : ''}`,
          ),
        )}`
      : '',
  ].filter(Boolean);
  return `<section id="evidence" class="page-break">\n<h2>Evidence</h2>\n${parts.length > 0 ? parts.join('\n') : '<p class="muted">No evidence recorded.</p>'}\n</section>`;
}

function similarHtml({ report }: Context): string {
  const similar = report.similar_past_defects;
  const items = similar.defects.map((defect) => {
    const passages = defect.passages
      .map((passage) => `<blockquote>${h(passage.excerpt)}</blockquote>`)
      .join('');
    return `<span class="code">${h(defect.defect_id)}</span>${defect.title ? `: ${h(defect.title)}` : ' <span class="muted">(no cited passage)</span>'}${passages}`;
  });
  return `<section id="similar">\n<h2>Similar past defects</h2>\n${availabilityNote(similar.availability)}${list(items)}\n</section>`;
}

function effectivenessHtml({ report }: Context): string {
  const plan = report.effectiveness_check_plan;
  return `<section id="effectiveness">\n<h2>Effectiveness-check plan</h2>\n${availabilityNote(plan.availability)}${
    plan.checks.length > 0
      ? table({
          headers: [
            'Action',
            'Owner',
            'Metric',
            'Threshold',
            'Window',
            'From',
            'Verify by',
            'Status',
            'Found',
          ],
          rows: plan.checks.map((check) => [
            `${h(check.action_ref)} (${h(check.type)})`,
            h(check.owner_role),
            h(check.metric),
            h(check.threshold),
            formatDays(check.window_days),
            h(check.starts_on),
            h(check.verify_by),
            badge({ text: ACTION_STATUS_LABELS[check.status], kind: check.status }),
            check.effectiveness_evidence ? h(check.effectiveness_evidence) : '<span class="muted">—</span>',
          ]),
        })
      : ''
  }\n</section>`;
}

function reviewHtml({ report }: Context): string {
  const review = report.review;
  const decided: Array<[string, string]> = [
    [
      'State',
      `${badge({ text: review.label, kind: review.state })} <span class="muted">version ${review.version}</span>`,
    ],
    [
      'Reviewed by',
      review.reviewed_by
        ? `${h(review.reviewed_by)}, ${dateTimeOrDash(review.reviewed_at)}`
        : '<span class="muted">nobody yet</span>',
    ],
  ];
  if (review.closed_by)
    decided.push(['Closed by', `${h(review.closed_by)}, ${dateTimeOrDash(review.closed_at)}`]);
  if (review.rejected_reason) decided.push(['Rejected because', h(review.rejected_reason)]);
  const steps = report.d6_implementation_and_validation.steps;
  const counts = Object.entries(review.action_status_counts)
    .filter(([, count]) => count > 0)
    .map(
      ([status, count]) => `${count} ${h(ACTION_STATUS_LABELS[status as keyof typeof ACTION_STATUS_LABELS])}`,
    );
  const parts = [
    fields(decided),
    '<h3>Reviewed values</h3>',
    table({
      className: 'reviewed-fields',
      headers: ['Field', 'Reviewed value', 'Machine value'],
      rows: review.fields.map((field) => [
        h(field.label),
        `${field.value ? h(field.value) : '<span class="muted">—</span>'}${field.corrected ? ' <span class="corrected">corrected</span>' : ''}`,
        field.machine_value ? h(field.machine_value) : '<span class="muted">—</span>',
      ]),
    }),
    '<h3>Corrections</h3>',
    review.corrections.length > 0
      ? table({
          className: 'corrections',
          headers: ['Field', 'Machine value → reviewed value', 'Reason', 'By', 'At'],
          rows: review.corrections.map((correction) => [
            h(correction.label),
            `${h(correction.before ?? '—')} &#8594; <strong>${h(correction.after ?? '—')}</strong>`,
            h(correction.reason),
            h(correction.by),
            h(formatDateTime(correction.at)),
          ]),
        })
      : '<p class="muted">No correction: the reviewed values are the machine\'s.</p>',
  ];
  if (steps.length > 0) {
    parts.push(
      `<h3>Action status</h3><p>${counts.join(', ')}.</p>`,
      table({
        className: 'action-status',
        headers: ['Ref', 'Status', 'Set by', 'Started', 'Done', 'Verified', 'Effectiveness evidence'],
        rows: steps.map((step) => [
          `<span class="code">${h(step.action_ref)}</span>${step.origin === 'reviewer' ? '<br/><span class="muted">added by a reviewer</span>' : ''}`,
          badge({ text: ACTION_STATUS_LABELS[step.status], kind: step.status }),
          step.status_changed_by
            ? `${h(step.status_changed_by)}, ${dateTimeOrDash(step.status_changed_at)}`
            : '<span class="muted">—</span>',
          dateTimeOrDash(step.started_at),
          dateTimeOrDash(step.done_at),
          dateTimeOrDash(step.verified_at),
          step.effectiveness_evidence ? h(step.effectiveness_evidence) : '<span class="muted">—</span>',
        ]),
      }),
    );
  }
  if (review.dropped_actions.length > 0) {
    parts.push(
      '<h3>Dropped actions</h3>',
      list(
        review.dropped_actions.map(
          (dropped) =>
            `<span class="code">${h(dropped.ref)}</span>${dropped.description ? `: ${h(dropped.description)}` : ''} <span class="muted">— dropped by ${h(dropped.by)}, ${h(formatDateTime(dropped.at))}</span>${dropped.reason ? `. Why: ${h(dropped.reason)}` : ''}`,
        ),
      ),
    );
  }
  return `<section id="review">\n<h2>Review</h2>\n${parts.join('\n')}\n</section>`;
}

function auditTrailHtml({ report }: Context): string {
  const trail = report.audit_trail;
  return `<section id="audit-trail">\n<h2>Audit trail</h2>\n${availabilityNote(trail.availability)}${
    trail.events.length > 0
      ? table({
          className: 'audit-trail',
          headers: ['#', 'At', 'By', 'Change', 'Target', 'Before', 'After', 'Reason', 'State'],
          rows: trail.events.map((event) => [
            String(event.sequence),
            h(formatDateTime(event.at)),
            `${h(event.by)}${event.api_key_name && event.api_key_name !== event.by ? `<br/><span class="muted">key ${h(event.api_key_name)}</span>` : ''}`,
            h(event.label),
            event.target ? `<span class="code">${h(event.target)}</span>` : '',
            event.before ? h(event.before) : '<span class="muted">—</span>',
            event.after ? h(event.after) : '<span class="muted">—</span>',
            event.reason ? h(event.reason) : '<span class="muted">—</span>',
            event.state_before === event.state_after
              ? h(event.state_after)
              : `${h(event.state_before)} &#8594; ${h(event.state_after)}`,
          ]),
        })
      : ''
  }\n</section>`;
}

function citationsHtml({ report }: Context): string {
  const items = report.citations.map((citation) => {
    const meta = [
      `<span class="code">${h(citation.chunk_id)}</span>`,
      citation.doc_type === 'sop' ? 'SOP' : 'past defect',
      citation.section ? `section ${h(citation.section)}` : '',
      citation.score !== null ? `score ${h(citation.score.toFixed(3))}` : '',
      citation.cited_by.length > 0 ? `cited by ${h(citation.cited_by.join(', '))}` : '',
    ].filter(Boolean);
    return `<li id="cite-${citation.number}" value="${citation.number}"><strong>${h(citation.title)}</strong><br/><span class="muted">${meta.join(' · ')}</span><blockquote>${h(citation.excerpt)}</blockquote></li>`;
  });
  const unresolved =
    report.unresolved_citation_ids.length > 0
      ? `<p class="note missing"><strong>Unresolved citations</strong> (not found in the knowledge base; the claims resting on them are hypotheses): ${report.unresolved_citation_ids.map((id) => `<span class="code">${h(id)}</span>`).join(', ')}</p>`
      : '';
  return `<section id="citations" class="page-break">\n<h2>Citations</h2>\n${
    items.length > 0
      ? `<ol class="citations">\n${items.join('\n')}\n</ol>`
      : '<p class="muted">No knowledge-base passage is cited.</p>'
  }\n${unresolved}\n</section>`;
}

/**
 * Renders the RCA report as a standalone, printable HTML5 page: inline CSS only (A4 print
 * styles with page breaks), no scripts and no external assets, every user text HTML-escaped.
 * `fishboneSvg` is trusted markup from {@link renderFishboneSvg}; when it is undefined the
 * diagram is rendered from the report, and when it is null the fishbone is shown as a list.
 * `photo`, when given, is embedded as a data URI, so the page shows it without the API key.
 * Pure and deterministic.
 */
export function renderHtml(
  report: RcaReport,
  { fishboneSvg, photo = null }: { fishboneSvg?: string | null; photo?: ReportPhoto | null } = {},
): string {
  const context: Context = { report, numbers: citationNumbers(report) };
  const d4 = report.d4_root_causes;
  const svg =
    fishboneSvg !== undefined
      ? fishboneSvg
      : d4.fishbone
        ? renderFishboneSvg({
            ishikawa: d4.fishbone,
            effect: d4.effect,
            highlight: d4.root_cause?.category_6m ?? null,
          })
        : null;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta http-equiv="Content-Security-Policy" content="${h(REPORT_HTML_CSP)}" />
<meta name="generator" content="${h(report.schema_version)}" />
<title>${h(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${headerHtml(report)}
${tocHtml()}
<main>
${reviewHtml(context)}
${classificationHtml(context)}
${d0Html(context)}
${d1Html(context)}
${d2Html(context)}
${d3Html(context)}
${d4Html({ context, fishboneSvg: svg })}
${d5Html(context)}
${d6Html(context)}
${d7Html(context)}
${d8Html(context)}
${evidenceHtml({ context, photo })}
${similarHtml(context)}
${effectivenessHtml(context)}
${auditTrailHtml(context)}
${citationsHtml(context)}
</main>
<footer>Generated ${h(formatDateTime(report.generated_at))} from analysis <span class="code">${h(report.defect_id)}</span> (${h(report.schema_version)}).</footer>
</body>
</html>
`;
}
