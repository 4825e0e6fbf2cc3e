import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  Facility,
  formatDefectId,
  InspectionReport,
  loadConfig,
  ProductSku,
  type ConsolidatedAnalysis,
} from '../../domain/index.ts';
import { ingestIntoConfigured, openConfiguredKnowledgeBase } from '../../knowledge-base/open.ts';
import { createAgentSystem } from '../system.ts';

const USAGE = `Usage: npm run analyze -- "<inspection report text>" [options]

Runs the classifier, the root-cause analyst and the corrective-action planner on one report
and prints a readable summary (or the full ConsolidatedAnalysis with --json).
  --facility <yangjiang|shenzhen|hongkong>   --sku <WK-KN-200|…>   --batch <id>   --shift <id>
  --measure key=value   (repeatable, e.g. --measure hardness_hrc=51.5)
  --json                print the ConsolidatedAnalysis as JSON`;

function list(title: string, lines: string[]): string {
  return lines.length > 0 ? `\n${title}\n${lines.map((line) => `  ${line}`).join('\n')}` : '';
}

/** A readable summary of an analysis for the terminal. */
export function formatAnalysis(analysis: ConsolidatedAnalysis): string {
  const out: string[] = [
    `${analysis.defect_id}  status ${analysis.status}  (${analysis.timings.total_ms} ms)`,
  ];
  const classification = analysis.classification;
  if (classification) {
    out.push(
      `\nClassification\n  ${classification.defect_type}  severity ${classification.severity}  confidence ${classification.confidence}  ` +
        `disposition ${classification.recommended_action}${classification.escalate ? `  ESCALATE: ${classification.escalation_reason}` : ''}` +
        `${classification.affected_area ? `\n  area: ${classification.affected_area}` : ''}`,
    );
    out.push(list('Evidence', classification.evidence));
  }
  const rootCause = analysis.root_cause;
  if (rootCause) {
    out.push(`\nProbable stage: ${rootCause.probable_stage} (confidence ${rootCause.stage_confidence})`);
    out.push(
      list(
        '5-why',
        rootCause.five_why_chain.map(
          (why) =>
            `${why.step}${why.branch ?? ''}. ${why.question}\n     → ${why.answer}${why.verified ? ' [verified]' : why.hypothesis ? ' [hypothesis]' : ''}` +
            `${why.citations.length > 0 ? `\n     cites ${why.citations.join(', ')}` : ''}`,
        ),
      ),
    );
    out.push(
      list(
        'Fishbone (6M)',
        Object.entries(rootCause.ishikawa).map(
          ([branch, causes]) =>
            `${branch.padEnd(12)} ${causes.map((cause) => `${cause.cause} [${cause.status}]`).join(' | ')}`,
        ),
      ),
    );
    out.push(
      list('Root causes', [
        `occurrence (${rootCause.root_cause.category_6m}): ${rootCause.root_cause.occurrence}`,
        `escape: ${rootCause.root_cause.escape}`,
        `systemic: ${rootCause.root_cause.systemic}`,
      ]),
    );
  }
  out.push(
    list(
      'Actions',
      (analysis.corrective_actions ?? []).map(
        (action) =>
          `[${action.type}] ${action.description}\n     owner ${action.owner_role}, due ${action.due_date}; check: ${action.effectiveness_check.metric} ${action.effectiveness_check.threshold} within ${action.effectiveness_check.window_days} days`,
      ),
    ),
  );
  out.push(
    list(
      'Citations',
      analysis.citations.map(
        (citation) => `${citation.chunk_id}  ${citation.title} (${citation.section ?? ''})`,
      ),
    ),
  );
  if (analysis.failure)
    out.push(`\nFAILED at ${analysis.failure.step}: ${analysis.failure.code}: ${analysis.failure.message}`);
  return out.filter(Boolean).join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      facility: { type: 'string' },
      sku: { type: 'string' },
      batch: { type: 'string' },
      shift: { type: 'string' },
      measure: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (positionals.length === 0 && !values.measure)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const measurements: Record<string, number> = {};
  for (const entry of values.measure ?? []) {
    const [key, raw] = entry.split('=');
    const value = Number(raw);
    if (!key || raw === undefined || !Number.isFinite(value))
      throw new Error(`--measure ${entry}: expected key=number`);
    measurements[key] = value;
  }
  const parsed = InspectionReport.safeParse({
    description: positionals.join(' ') || undefined,
    facility: values.facility === undefined ? undefined : Facility.parse(values.facility),
    product_sku: values.sku === undefined ? undefined : ProductSku.parse(values.sku),
    batch_id: values.batch,
    shift: values.shift,
    measurements: Object.keys(measurements).length > 0 ? measurements : undefined,
  });
  if (!parsed.success) {
    console.error(
      `Invalid report: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
    return 2;
  }
  const config = loadConfig();
  const configured = await openConfiguredKnowledgeBase(config);
  const { knowledgeBase } = configured;
  try {
    const summary = await ingestIntoConfigured({ configured, corpusDir: config.corpusDir });
    if (summary && summary.failed.length > 0)
      console.error(`warning: ${summary.failed.length} corpus files failed to ingest`);
    const { orchestrator } = createAgentSystem({ config, knowledgeBase });
    const now = new Date();
    const analysis = await orchestrator.analyze({
      defectId: formatDefectId({ date: now, randomBytes: randomBytes(4) }),
      report: parsed.data,
      createdAt: now,
    });
    console.log(values.json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
    return analysis.status === 'failed' ? 1 : 0;
  } finally {
    await knowledgeBase.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
