import type { CorrectableField } from '../../domain/index.ts';
import type { Availability, RcaReport, ReportAction } from './report-model.ts';
import {
  ACTION_STATUS_LABELS,
  CATEGORIES_6M,
  EIGHT_D_SECTIONS,
  EMERGENCY_LEVEL_LABELS,
  citationNumbers,
  isCorrected,
} from './report-model.ts';
import { escapeMarkdown as md, formatDateTime, formatDays, formatPercent, humanize } from './text.ts';

const STATUS_MARKERS = { supported: '●', untested: '○', ruled_out: '✕' } as const;

const AVAILABILITY_LABELS: Record<Availability['state'], string> = {
  available: 'Note',
  partial: 'Partial',
  missing: 'Missing',
  not_applicable: 'Not applicable',
};

function table({
  headers,
  rows,
}: {
  headers: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
}): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell || ' ').join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function blockquote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${md(line)}` : '>'))
    .join('\n');
}

function list(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

function availabilityNote(availability: Availability): string | null {
  if (availability.note === null) return null;
  return `> **${AVAILABILITY_LABELS[availability.state]}:** ${md(availability.note)}`;
}

function heading(code: (typeof EIGHT_D_SECTIONS)[number]['code']): string {
  const section = EIGHT_D_SECTIONS.find((entry) => entry.code === code);
  return `## ${code} ${section?.title ?? ''}`.trimEnd();
}

/** Markdown renderer state: the report and its citation numbers. */
interface Context {
  report: RcaReport;
  numbers: Map<string, number>;
}

/** The mark of a value a person corrected. */
function corrected({ context, field }: { context: Context; field: CorrectableField }): string {
  return isCorrected(context.report, field) ? ' _(corrected)_' : '';
}

function dateTimeOrDash(value: string | null): string {
  return value ? formatDateTime(value) : '—';
}

function cites({ context, ids }: { context: Context; ids: readonly string[] }): string {
  return ids
    .map((id) => {
      const number = context.numbers.get(id);
      return number === undefined ? `${md(id)} (unresolved)` : `[${number}]`;
    })
    .join(' ');
}

function actionsTable({ context, actions }: { context: Context; actions: readonly ReportAction[] }): string {
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
      action.ref,
      action.type,
      ACTION_STATUS_LABELS[action.status],
      md(action.description),
      md(action.owner_role),
      action.due_date,
      md(
        `${action.effectiveness_check.metric}: ${action.effectiveness_check.threshold} within ${formatDays(action.effectiveness_check.window_days)}`,
      ),
      action.verify_by,
      action.hypothesis ? 'none (hypothesis)' : cites({ context, ids: action.citations }),
    ]),
  });
}

function section({ title, blocks }: { title: string; blocks: ReadonlyArray<string | null> }): string {
  return [title, ...blocks.filter((block): block is string => block !== null && block !== '')].join('\n\n');
}

function header(report: RcaReport): string {
  const { subject, analysis } = report;
  const rows: Array<[string, string]> = [
    ['Defect id', md(report.defect_id)],
    ['Generated', formatDateTime(report.generated_at)],
    [
      'Analysis',
      `${analysis.status}; created ${formatDateTime(analysis.created_at)}${analysis.completed_at ? `, completed ${formatDateTime(analysis.completed_at)}` : ''}`,
    ],
    [
      'Product',
      subject.product_sku ? `${subject.product_sku} (${md(subject.product_label ?? '')})` : 'not stated',
    ],
    ['Facility', subject.facility ?? 'not stated'],
    ['Batch', subject.batch_id ? md(subject.batch_id) : 'not stated'],
    ['Shift', subject.shift ? md(subject.shift) : 'not stated'],
    ['Agents', analysis.agents.map((agent) => `${agent.label}: ${agent.status}`).join('; ')],
    [
      'Review',
      `${md(report.review.label)}${report.review.reviewed_by ? `; by ${md(report.review.reviewed_by)}, ${dateTimeOrDash(report.review.reviewed_at)}` : ''}`,
    ],
  ];
  const draft = report.review.machine_draft
    ? "> **Unconfirmed machine draft:** no person has confirmed this analysis yet; every value in it is the machine's."
    : null;
  const notes =
    analysis.notes.length > 0
      ? `> **Analysis ${analysis.status}:**\n${analysis.notes.map((note) => `> - ${md(note)}`).join('\n')}`
      : null;
  return section({
    title: `# ${md(report.title)}`,
    blocks: [draft, table({ headers: ['Field', 'Value'], rows }), notes],
  });
}

function reviewSection({ report }: Context): string {
  const review = report.review;
  const decided: string[] = [`**State:** ${md(review.label)} (version ${review.version})`];
  if (review.reviewed_by) {
    decided.push(`**Reviewed by:** ${md(review.reviewed_by)}, ${dateTimeOrDash(review.reviewed_at)}`);
  }
  if (review.closed_by)
    decided.push(`**Closed by:** ${md(review.closed_by)}, ${dateTimeOrDash(review.closed_at)}`);
  if (review.rejected_reason) decided.push(`**Rejected because:** ${md(review.rejected_reason)}`);
  const actions = report.d6_implementation_and_validation.steps;
  return section({
    title: '## Review',
    blocks: [
      list(decided),
      table({
        headers: ['Field', 'Reviewed value', 'Machine value', 'Corrected'],
        rows: review.fields.map((field) => [
          md(field.label),
          field.value ? md(field.value) : '—',
          field.machine_value ? md(field.machine_value) : '—',
          field.corrected ? '**yes**' : 'no',
        ]),
      }),
      review.corrections.length > 0
        ? `**Corrections:**\n\n${table({
            headers: ['Field', 'Machine value → reviewed value', 'Reason', 'By', 'At'],
            rows: review.corrections.map((correction) => [
              md(correction.label),
              `${md(correction.before ?? '—')} → ${md(correction.after ?? '—')}`,
              md(correction.reason),
              md(correction.by),
              formatDateTime(correction.at),
            ]),
          })}`
        : "No correction: the reviewed values are the machine's.",
      actions.length > 0
        ? `**Action status:**\n\n${table({
            headers: [
              'Ref',
              'Status',
              'Set by',
              'Set at',
              'Started',
              'Done',
              'Verified',
              'Effectiveness evidence',
            ],
            rows: actions.map((action) => [
              `${action.action_ref}${action.origin === 'reviewer' ? ' (added by a reviewer)' : ''}`,
              ACTION_STATUS_LABELS[action.status],
              action.status_changed_by ? md(action.status_changed_by) : '—',
              dateTimeOrDash(action.status_changed_at),
              dateTimeOrDash(action.started_at),
              dateTimeOrDash(action.done_at),
              dateTimeOrDash(action.verified_at),
              action.effectiveness_evidence ? md(action.effectiveness_evidence) : '—',
            ]),
          })}`
        : null,
      review.dropped_actions.length > 0
        ? `**Dropped actions:**\n\n${list(
            review.dropped_actions.map(
              (dropped) =>
                `${dropped.ref}${dropped.description ? `: ${md(dropped.description)}` : ''} — dropped by ${md(dropped.by)}, ${formatDateTime(dropped.at)}${dropped.reason ? `. Why: ${md(dropped.reason)}` : ''}`,
            ),
          )}`
        : null,
    ],
  });
}

function auditTrailSection({ report }: Context): string {
  const trail = report.audit_trail;
  return section({
    title: '## Audit trail',
    blocks: [
      availabilityNote(trail.availability),
      trail.events.length > 0
        ? table({
            headers: ['#', 'At', 'By', 'Change', 'Target', 'Before', 'After', 'Reason', 'State'],
            rows: trail.events.map((event) => [
              String(event.sequence),
              formatDateTime(event.at),
              md(event.by),
              event.label,
              event.target ? md(event.target) : '—',
              event.before ? md(event.before) : '—',
              event.after ? md(event.after) : '—',
              event.reason ? md(event.reason) : '—',
              event.state_before === event.state_after
                ? event.state_after
                : `${event.state_before} → ${event.state_after}`,
            ]),
          })
        : null,
    ],
  });
}

function classificationSection({ context }: { context: Context }): string {
  const { classification } = context.report;
  const result = classification.result;
  if (!result)
    return section({ title: '## Classification', blocks: [availabilityNote(classification.availability)] });
  return section({
    title: '## Classification',
    blocks: [
      table({
        headers: ['Field', 'Value'],
        rows: [
          ['Defect detected', result.defect_detected ? 'yes' : 'no'],
          [
            'Defect type',
            `${md(humanize(result.defect_type))} (${md(result.defect_type)})${corrected({ context, field: 'defect_type' })}`,
          ],
          ['Severity', `${result.severity}${corrected({ context, field: 'severity' })}`],
          ['Confidence', `${formatPercent(result.confidence)} (the machine's)`],
          ['Disposition', `${result.recommended_action}${corrected({ context, field: 'disposition' })}`],
          ['Escalate', result.escalate ? `yes: ${md(result.escalation_reason ?? 'no reason given')}` : 'no'],
          ['Affected area', result.affected_area ? md(result.affected_area) : 'not stated'],
          ['Needs human review', classification.needs_human_review ? 'yes' : 'no'],
          ['Citations', result.citations.length > 0 ? cites({ context, ids: result.citations }) : 'none'],
        ],
      }),
      result.evidence.length > 0 ? `Evidence:\n\n${list(result.evidence.map(md))}` : null,
    ],
  });
}

function d0(context: Context): string {
  const d = context.report.d0_emergency_response;
  return section({
    title: heading('D0'),
    blocks: [
      availabilityNote(d.availability),
      `**Level:** ${EMERGENCY_LEVEL_LABELS[d.level]}${d.severity ? ` (severity ${d.severity}${corrected({ context, field: 'severity' })})` : ''}${d.escalate ? `; escalated${d.escalation_reason ? `: ${md(d.escalation_reason)}` : ''}` : ''}`,
      d.actions.length > 0 ? list(d.actions.map(md)) : null,
    ],
  });
}

function d1({ report }: Context): string {
  const d = report.d1_team;
  return section({
    title: heading('D1'),
    blocks: [
      availabilityNote(d.availability),
      d.members.length > 0
        ? table({
            headers: ['Role', 'Responsibilities'],
            rows: d.members.map((member) => [md(member.role), md(member.responsibilities.join('; '))]),
          })
        : null,
    ],
  });
}

function d2({ report }: Context): string {
  const d = report.d2_problem_statement;
  return section({
    title: heading('D2'),
    blocks: [
      availabilityNote(d.availability),
      `**Problem statement:** ${md(d.statement)}`,
      table({
        headers: ['5W2H', 'Answer'],
        rows: [
          ['What', md(d.what)],
          ['Where', md(d.where)],
          ['When', md(d.when)],
          ['Who', md(d.who)],
          ['Why (it matters)', md(d.why)],
          ['How (observed)', md(d.how)],
          ['How many', md(d.how_many)],
        ],
      }),
      `**Is:**\n\n${d.is.length > 0 ? list(d.is.map(md)) : '- nothing recorded'}`,
      `**Is not:**\n\n${d.is_not.length > 0 ? list(d.is_not.map(md)) : '- nothing recorded'}`,
    ],
  });
}

function d3(context: Context): string {
  const d = context.report.d3_containment;
  return section({
    title: heading('D3'),
    blocks: [
      availabilityNote(d.availability),
      d.disposition
        ? `**Disposition of the affected parts:** ${d.disposition}${corrected({ context, field: 'disposition' })}`
        : null,
      d.actions.length > 0 ? actionsTable({ context, actions: d.actions }) : null,
    ],
  });
}

function d4(context: Context): string {
  const d = context.report.d4_root_causes;
  const blocks: Array<string | null> = [availabilityNote(d.availability)];
  if (d.probable_stage) {
    blocks.push(
      isCorrected(context.report, 'probable_stage')
        ? `**Probable stage:** ${md(d.probable_stage_label ?? d.probable_stage)} (\`${d.probable_stage}\`)${corrected({ context, field: 'probable_stage' })}`
        : `**Probable stage:** ${md(d.probable_stage_label ?? d.probable_stage)} (\`${d.probable_stage}\`), ${formatPercent(d.stage_confidence ?? 0)} confidence${d.stage_needs_review ? ' (below 50 %: needs human review)' : ''}`,
    );
  }
  if (d.root_cause) {
    blocks.push(
      table({
        headers: ['Cause', 'Statement'],
        rows: [
          [
            'Occurrence (why it was made)',
            `${md(d.root_cause.occurrence)}${corrected({ context, field: 'occurrence_cause' })}`,
          ],
          [
            'Escape (why inspection missed it)',
            `${md(d.root_cause.escape)}${corrected({ context, field: 'escape_cause' })}`,
          ],
          [
            'Systemic (why the system allowed both)',
            `${md(d.root_cause.systemic)}${corrected({ context, field: 'systemic_cause' })}`,
          ],
          ['6M category', `${d.root_cause.category_6m}${corrected({ context, field: 'category_6m' })}`],
          [
            'Citations',
            d.root_cause.citations.length > 0 ? cites({ context, ids: d.root_cause.citations }) : 'none',
          ],
        ],
      }),
    );
  }
  if (d.five_why_chain.length > 0) {
    blocks.push(
      '### 5-why chain',
      table({
        headers: ['Step', 'Question', 'Answer', 'Evidence', 'Verified', 'Citations'],
        rows: d.five_why_chain.map((why) => [
          `${why.step}${why.branch ? ` (${md(why.branch)})` : ''}`,
          md(why.question),
          md(why.answer),
          why.evidence.length > 0
            ? md(
                why.evidence
                  .map(
                    (evidence) =>
                      `${evidence.kind}: ${evidence.detail}${evidence.source_id ? ` (${evidence.source_id})` : ''}`,
                  )
                  .join('; '),
              )
            : 'none',
          `${why.verified ? 'yes' : 'no'}${why.hypothesis ? ' (hypothesis)' : ''}`,
          why.citations.length > 0 ? cites({ context, ids: why.citations }) : 'none',
        ]),
      }),
    );
  }
  if (d.fishbone) {
    const fishbone = d.fishbone;
    const category = d.root_cause?.category_6m ?? null;
    blocks.push(
      '### Fishbone (6M)',
      `Effect: **${md(d.effect)}**. Markers: ${STATUS_MARKERS.supported} supported, ${STATUS_MARKERS.untested} untested, ${STATUS_MARKERS.ruled_out} ruled out.`,
      CATEGORIES_6M.map((branch) => {
        const causes = fishbone[branch];
        const title = `- **${humanize(branch)}**${branch === category ? ' (root-cause category)' : ''}`;
        const items =
          causes.length === 0
            ? ['  - no candidate causes']
            : causes.map((cause) => {
                const text = cause.status === 'ruled_out' ? `~~${md(cause.cause)}~~` : md(cause.cause);
                const evidence = cause.evidence ? ` — ${md(cause.evidence)}` : '';
                const citations =
                  cause.citations.length > 0 ? ` ${cites({ context, ids: cause.citations })}` : '';
                return `  - ${STATUS_MARKERS[cause.status]} ${cause.status.replace('_', ' ')}: ${text}${evidence}${citations}`;
              });
        return [title, ...items].join('\n');
      }).join('\n'),
    );
  }
  return section({ title: heading('D4'), blocks });
}

function d5(context: Context): string {
  const d = context.report.d5_corrective_actions;
  return section({
    title: heading('D5'),
    blocks: [
      availabilityNote(d.availability),
      d.actions.length > 0 ? actionsTable({ context, actions: d.actions }) : null,
    ],
  });
}

function d6({ report }: Context): string {
  const d = report.d6_implementation_and_validation;
  return section({
    title: heading('D6'),
    blocks: [
      availabilityNote(d.availability),
      d.steps.length > 0
        ? table({
            headers: ['Ref', 'Type', 'Action', 'Owner', 'Due', 'Metric', 'Threshold', 'Window', 'Verify by'],
            rows: d.steps.map((step) => [
              step.action_ref,
              step.type,
              md(step.description),
              md(step.owner_role),
              step.due_date,
              md(step.effectiveness_check.metric),
              md(step.effectiveness_check.threshold),
              formatDays(step.effectiveness_check.window_days),
              step.verify_by,
            ]),
          })
        : null,
      d.validated_by ? `All effects are to be shown by **${d.validated_by}**.` : null,
    ],
  });
}

function d7(context: Context): string {
  const d = context.report.d7_prevention;
  const deployment = d.horizontal_deployment;
  return section({
    title: heading('D7'),
    blocks: [
      availabilityNote(d.availability),
      d.actions.length > 0 ? actionsTable({ context, actions: d.actions }) : null,
      d.standardisation.length > 0
        ? `**Standardisation:**\n\n${list(
            d.standardisation.map(
              (entry) =>
                `**${entry.document === 'control_plan' ? 'Control plan' : entry.document.toUpperCase()}:** ${md(entry.update)}${entry.covered_by.length > 0 ? ` (covered by ${entry.covered_by.join(', ')})` : ' (no action covers this yet)'}`,
            ),
          )}`
        : null,
      deployment
        ? `**Other lines, SKUs, facilities:** ${md(deployment.scope)}.\n\n${list([
            `Other facilities: ${deployment.other_facilities.join(', ') || 'none'}`,
            `Other SKUs: ${deployment.other_skus.join(', ') || 'none'}`,
            `Covered by: ${deployment.covered_by.join(', ') || 'no preventive action yet'}`,
          ])}`
        : null,
    ],
  });
}

function d8({ report }: Context): string {
  const d = report.d8_closure;
  return section({
    title: heading('D8'),
    blocks: [
      availabilityNote(d.availability),
      `**Status:** ${d.status === 'not_required' ? 'not required' : d.status}${d.status === 'closed' && report.review.closed_by ? ` by ${md(report.review.closed_by)}, ${dateTimeOrDash(report.review.closed_at)}` : ''}${d.status === 'open' && d.earliest_closure ? `; earliest closure ${d.earliest_closure}` : ''}`,
      d.criteria.length > 0
        ? `**Closure criteria:**\n\n${d.criteria
            .map(
              (criterion) =>
                `- [${criterion.met ? 'x' : ' '}] ${md(criterion.criterion)}${criterion.due ? ` (by ${criterion.due})` : ''}`,
            )
            .join('\n')}`
        : null,
    ],
  });
}

function evidenceSection({ report }: Context): string {
  const evidence = report.evidence;
  return section({
    title: '## Evidence',
    blocks: [
      evidence.description ? `**Inspector's description:**\n\n${blockquote(evidence.description)}` : null,
      evidence.image
        ? `A photo (${md(evidence.image.media_type)}) is attached to the report: \`GET ${md(evidence.image.url)}\`.`
        : evidence.image_attached
          ? 'An image is attached to the report.'
          : null,
      evidence.observations.length > 0 ? `**Observations:**\n\n${list(evidence.observations.map(md))}` : null,
      evidence.measurements.length > 0
        ? table({
            headers: ['Measurement', 'Value', 'Standard', 'Within standard'],
            rows: evidence.measurements.map((measurement) => [
              md(measurement.label),
              `${measurement.value}${measurement.unit ? ` ${md(measurement.unit)}` : ''}`,
              measurement.spec ? md(measurement.spec) : 'none',
              measurement.within_spec === null ? 'n/a' : measurement.within_spec ? 'yes' : '**no**',
            ]),
          })
        : null,
      evidence.production_data.length > 0
        ? table({
            headers: ['Production data', 'Value'],
            rows: evidence.production_data.map((entry) => [md(entry.key), md(entry.value)]),
          })
        : null,
      evidence.why_evidence.length > 0
        ? `**Evidence behind the whys:**\n\n${list(
            evidence.why_evidence.map(
              (entry) =>
                `Why ${entry.step}, ${entry.kind}: ${md(entry.detail)}${entry.source_id ? ` (${md(entry.source_id)})` : ''}`,
            ),
          )}`
        : null,
    ],
  });
}

function similarSection({ report }: Context): string {
  const similar = report.similar_past_defects;
  return section({
    title: '## Similar past defects',
    blocks: [
      availabilityNote(similar.availability),
      similar.defects.length > 0
        ? list(
            similar.defects.map((defect) => {
              const excerpt = defect.passages[0]?.excerpt;
              return `**${md(defect.defect_id)}**${defect.title ? `: ${md(defect.title)}` : ' (no cited passage)'}${excerpt ? ` — ${md(excerpt)}` : ''}`;
            }),
          )
        : null,
    ],
  });
}

function effectivenessSection({ report }: Context): string {
  const plan = report.effectiveness_check_plan;
  return section({
    title: '## Effectiveness-check plan',
    blocks: [
      availabilityNote(plan.availability),
      plan.checks.length > 0
        ? table({
            headers: ['Action', 'Owner', 'Metric', 'Threshold', 'Window', 'From', 'Verify by'],
            rows: plan.checks.map((check) => [
              `${check.action_ref} (${check.type})`,
              md(check.owner_role),
              md(check.metric),
              md(check.threshold),
              formatDays(check.window_days),
              check.starts_on,
              check.verify_by,
            ]),
          })
        : null,
    ],
  });
}

function citationsSection({ report }: Context): string {
  const blocks: Array<string | null> = [];
  if (report.citations.length === 0) blocks.push('No knowledge-base passage is cited.');
  for (const citation of report.citations) {
    const meta = [
      md(citation.chunk_id),
      citation.doc_type === 'sop' ? 'SOP' : 'past defect',
      citation.section ? `section ${md(citation.section)}` : null,
      citation.score !== null ? `score ${citation.score.toFixed(3)}` : null,
      citation.cited_by.length > 0 ? `cited by ${md(citation.cited_by.join(', '))}` : null,
    ].filter((item): item is string => item !== null);
    blocks.push(
      `### [${citation.number}] ${md(citation.title)}\n\n${meta.join(' · ')}\n\n${blockquote(citation.excerpt)}`,
    );
  }
  if (report.unresolved_citation_ids.length > 0) {
    blocks.push(
      `**Unresolved citations** (not found in the knowledge base; the claims resting on them are hypotheses):\n\n${list(report.unresolved_citation_ids.map(md))}`,
    );
  }
  return section({ title: '## Citations', blocks });
}

/**
 * Renders the RCA report as GitHub-flavoured Markdown: a header table, the classification, one
 * heading per 8D section (the 5-why chain as a table, the fishbone as a list per 6M branch,
 * action tables with owner, due date and effectiveness check), the evidence, similar past
 * defects, the effectiveness-check plan and the cited passages. User text is escaped so that it
 * cannot inject Markdown structure or HTML. Pure and deterministic.
 */
export function renderMarkdown(report: RcaReport): string {
  const context: Context = { report, numbers: citationNumbers(report) };
  return `${[
    header(report),
    reviewSection(context),
    classificationSection({ context }),
    d0(context),
    d1(context),
    d2(context),
    d3(context),
    d4(context),
    d5(context),
    d6(context),
    d7(context),
    d8(context),
    evidenceSection(context),
    similarSection(context),
    effectivenessSection(context),
    auditTrailSection(context),
    citationsSection(context),
    `---\n\n_Generated ${formatDateTime(report.generated_at)} from analysis ${md(report.defect_id)} (${md(report.schema_version)})._`,
  ].join('\n\n')}\n`;
}
