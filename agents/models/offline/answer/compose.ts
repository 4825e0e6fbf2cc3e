import type { z } from 'zod';
import type { CountRecurrencesOutput } from '../../../../action-groups/recurrence/schema.ts';
import type { SimilarDefect } from '../../../../action-groups/similar-defects/schema.ts';
import {
  DEFECT_TYPE_DETAILS,
  STAGE_DETAILS,
  type CorrectiveAction,
  type FollowUpAnswer,
  type ProductionStage,
  type Severity,
} from '../../../../domain/index.ts';
import { readReportFacts } from '../../../report-facts/index.ts';
import type { AnswerLanguage } from '../../../router/intent.ts';
import { STAGE_TERMS } from '../../../router/intent-rules.ts';
import {
  ACTION_TYPE_CHINESE,
  DEFECT_TYPE_CHINESE,
  DISPOSITION_CHINESE,
  FACILITY_CHINESE,
  mechanismChinese,
  PASSIVATION_RUST_CHINESE,
  SEVERITY_CHINESE,
  STAGE_CHINESE,
  named,
  say,
} from './labels.ts';
import type { FollowUpContext } from './plan.ts';
import {
  bestSentence,
  quote,
  rankPassages,
  wordCues,
  type QuotedSentence,
  type SentenceCue,
  type SopPassage,
} from './sentences.ts';

/** What the tools returned for a follow-up. */
export interface ToolFindings {
  /** The passages of each `lookup_sop` call, in call order. */
  sopLookups: SopPassage[][];
  /** The outputs of `count_recurrences`: one per facility asked about, in the order asked. */
  recurrences: Array<z.infer<typeof CountRecurrencesOutput>>;
  similarDefects: SimilarDefect[];
}

/** An answer being assembled: sentences and the chunk ids they rest on. */
class AnswerBuilder {
  private readonly parts: string[] = [];
  private readonly citations = new Set<string>();

  constructor(readonly language: AnswerLanguage) {}

  add(english: string, chinese: string, citations: readonly string[] = []): void {
    this.parts.push(say(this.language, english, chinese));
    for (const id of citations) this.citations.add(id);
  }

  addQuote(sentence: QuotedSentence, englishLead: string, chineseLead: string): void {
    this.add(`${englishLead} ${quote(sentence)}.`, `${chineseLead}${quote(sentence)}。`, [
      sentence.passage.chunk_id,
    ]);
  }

  build(): FollowUpAnswer {
    return {
      answer: this.parts.join(this.language === 'zh' ? '' : ' '),
      citations: [...this.citations],
    };
  }
}

function typeName(context: FollowUpContext, language: AnswerLanguage): string {
  const type = context.analysis.classification?.defect_type ?? 'unknown';
  return named(language, type, DEFECT_TYPE_CHINESE);
}

function stageName(stage: ProductionStage, language: AnswerLanguage): string {
  return named(language, stage, STAGE_CHINESE);
}

function typeCues(context: FollowUpContext): SentenceCue[] {
  return context.defectType
    ? wordCues(`${context.defectType.replaceAll('_', ' ')} ${DEFECT_TYPE_DETAILS[context.defectType].sees}`)
    : [];
}

/** Cues from this analysis's defect type and stated occurrence cause. */
function caseCues(context: FollowUpContext): SentenceCue[] {
  return [...typeCues(context), ...wordCues(context.analysis.root_cause?.root_cause.occurrence ?? '', 2)];
}

/**
 * The passages of the analysis's stage (the SOP of another stage is not this case's), the ones
 * closest to this defect and its cause first.
 */
/** The title of an SOP for cast-iron pans and woks. */
const CAST_IRON_TITLE = /cast[- ]iron|\bpans?\b|\bwoks?\b|铸铁/iu;

function ownStagePassages(context: FollowUpContext, passages: readonly SopPassage[]): SopPassage[] {
  const stage = context.sopStage ?? context.stage;
  const ofStage = stage ? passages.filter((passage) => passage.stage === stage) : [...passages];
  // Rust on cast iron answers to the SOP of cast iron, not to the knives' packing SOP.
  const castIron = ofStage.filter((passage) => CAST_IRON_TITLE.test(passage.title));
  const own =
    context.sopStage === 'packaging' && context.defectType === 'rust_spot' && castIron.length > 0
      ? castIron
      : ofStage;
  return rankPassages(own, caseCues(context));
}

function noSubject(
  builder: AnswerBuilder,
  context: FollowUpContext,
  english: string,
  chinese: string,
): FollowUpAnswer {
  const classification = context.analysis.classification;
  builder.add(
    `The analysis has no defect type or stage to look up (${classification ? `classified ${classification.defect_type}, ${classification.recommended_action}` : 'not classified'}), so ${english}`,
    `该分析没有可查询的缺陷类型或工序（${classification ? `判定为${typeName(context, 'zh')}，${DISPOSITION_CHINESE[classification.recommended_action]}` : '尚未分类'}），因此${chinese}`,
    classification?.citations ?? [],
  );
  return builder.build();
}

/** The passages of one SOP section when there are any, else all of them. */
function preferSection(passages: readonly SopPassage[], section: string): SopPassage[] {
  const inSection = passages.filter((passage) => passage.section === section);
  return inSection.length > 0 ? inSection : [...passages];
}

function actionsOf(context: FollowUpContext, ...types: CorrectiveAction['type'][]): CorrectiveAction[] {
  return (context.analysis.corrective_actions ?? []).filter((action) => types.includes(action.type));
}

function describeAction(action: CorrectiveAction, language: AnswerLanguage): string {
  return say(
    language,
    `${action.type}: ${action.description} (owner ${action.owner_role}, due ${action.due_date})`,
    `${ACTION_TYPE_CHINESE[action.type]}：${action.description}（负责：${action.owner_role}，期限 ${action.due_date}）`,
  );
}

function whichSop(context: FollowUpContext, findings: ToolFindings, builder: AnswerBuilder): FollowUpAnswer {
  if (!context.defectType && !context.stage)
    return noSubject(
      builder,
      context,
      'no SOP can be named until the defect is identified.',
      '在缺陷确定之前无法指定SOP。',
    );
  const passages = ownStagePassages(context, findings.sopLookups[0] ?? []);
  const where =
    context.sopStage === 'packaging' && context.stage !== undefined
      ? builder.language === 'zh'
        ? '铸铁锅的开锅、油膜与包装'
        : 'the seasoning, oil film and packing of cast iron'
      : context.stage
        ? stageName(context.stage, builder.language)
        : typeName(context, builder.language);
  if (passages.length === 0) {
    builder.add(
      `The knowledge base holds no SOP for ${where}: there is no procedure to cite for this defect.`,
      `知识库中没有${where}的SOP，无法引用相关作业指导书。`,
    );
    return builder.build();
  }
  const bySop = new Map<string, SopPassage>();
  for (const passage of passages) if (!bySop.has(passage.source_id)) bySop.set(passage.source_id, passage);
  const [first, ...others] = [...bySop.values()];
  if (!first) return builder.build();
  builder.add(
    `The SOP that covers ${typeName(context, 'en')} at ${where} is ${first.source_id} "${first.title}" (owner: ${first.owner_role}).`,
    `覆盖${where}${typeName(context, 'zh')}的SOP是 ${first.source_id}《${first.title}》（负责：${first.owner_role}）。`,
    [first.chunk_id],
  );
  if (others.length > 0)
    builder.add(
      `Also relevant: ${others.map((passage) => `${passage.source_id} "${passage.title}"`).join(', ')}.`,
      `相关的还有：${others.map((passage) => `${passage.source_id}《${passage.title}》`).join('、')}。`,
      others.map((passage) => passage.chunk_id),
    );
  const sentence = bestSentence(
    passages.filter((passage) => passage.source_id === first.source_id),
    typeCues(context),
  );
  if (sentence) builder.addQuote(sentence, 'It says in', '其中写道：');
  return builder.build();
}

const PROHIBITION: SentenceCue = {
  pattern: /not permitted|not allowed|may not|must not|never|forbidden|prohibited|\bno re-?\w+/i,
  weight: 3,
};
const REWORK_WORDS: SentenceCue = {
  pattern:
    /\bre-?(weld|work|grind|hone|polish|temper|harden|treat|finish|rivet|print|glaze|sharpen|season|oil|coat|wash|clean)\w*|repair|salvage/i,
  weight: 3,
};
const SCRAP_WORDS: SentenceCue = { pattern: /\bscrap\w*/i, weight: 2 };

/** Whether the parts may go as they are under a concession, by severity (DOMAIN.md's severity rules). */
const CONCESSION_BY_SEVERITY: Record<Severity, readonly [string, string]> = {
  critical: [
    'A concession is not possible: a critical defect is a safety or process failure, and the parts may not ship as they are.',
    '不能让步接收：致命缺陷属于安全或过程失效，零件不得按现状出货。',
  ],
  major: [
    'A concession is not possible: a major defect cannot ship; the parts are held, reworked or scrapped.',
    '不能让步接收：主要缺陷不得出货，零件须隔离、返工或报废。',
  ],
  minor: [
    'A concession is possible for a minor defect: the parts may ship with a concession the MRB approves and records, or after rework.',
    '次要缺陷可以让步接收：经MRB批准并记录后可按让步出货，或返工后出货。',
  ],
  cosmetic: [
    'No concession is needed: a cosmetic defect is logged only and the parts ship.',
    '无需让步：外观缺陷只需记录，零件可以出货。',
  ],
  none: ['No concession is needed: no defect was found.', '无需让步：未发现缺陷。'],
};

/** Whether rework is allowed, by the disposition the severity rule gave, when no SOP sentence settles it. */
const REWORK_BY_DISPOSITION: Record<string, [string, string]> = {
  REWORK: [
    'By that rule rework is allowed: rework the parts, then re-inspect them 100 % before release; a person (MRB) decides anything beyond that.',
    '按该规则允许返工：返工后100%复检再放行；超出范围的由MRB决定。',
  ],
  SCRAP: [
    'By that rule rework is not allowed: the parts are scrapped unless the MRB decides otherwise.',
    '按该规则不允许返工：零件报废，除非MRB另有决定。',
  ],
  HOLD: [
    'Rework is not allowed until a person (MRB) has reviewed the held parts and decided.',
    '在MRB审查隔离的零件并作出决定之前，不允许返工。',
  ],
  PASS: ['No rework is needed: the parts conform.', '无需返工：零件合格。'],
};

function rework(context: FollowUpContext, findings: ToolFindings, builder: AnswerBuilder): FollowUpAnswer {
  const classification = context.analysis.classification;
  if (!context.defectType && !context.stage)
    return noSubject(
      builder,
      context,
      'no SOP rule on rework can be looked up, so no rework is allowed until a person (MRB) reviews the held parts and decides.',
      '无法查询返工规则，在MRB人工审查隔离的零件并作出决定之前，不允许返工。',
    );
  // A question about letting the parts go as they are is answered first by the severity's rule.
  const concession =
    classification && context.question.concession
      ? CONCESSION_BY_SEVERITY[classification.severity]
      : undefined;
  if (concession) builder.add(concession[0], concession[1], classification?.citations);
  const passages = ownStagePassages(context, findings.sopLookups[0] ?? []);
  const best = bestSentence(passages, [PROHIBITION, REWORK_WORDS, SCRAP_WORDS], 3);
  // A rule on rework names rework or scrap; a prohibition of something else is not one.
  const sentence =
    best && (REWORK_WORDS.pattern.test(best.text) || SCRAP_WORDS.pattern.test(best.text)) ? best : undefined;
  if (sentence) {
    const forbids =
      PROHIBITION.pattern.test(sentence.text) &&
      (REWORK_WORDS.pattern.test(sentence.text) || SCRAP_WORDS.pattern.test(sentence.text));
    builder.addQuote(sentence, 'The SOP rule is', 'SOP规定：');
    builder.add(
      forbids
        ? 'So rework is not an option here: follow the SOP and scrap the affected parts rather than rework them.'
        : 'Rework is only acceptable within what this SOP sentence allows; anything beyond it goes to the MRB.',
      forbids
        ? '因此不能返工：请按SOP执行，报废受影响的零件。'
        : '可以返工，但只能在该SOP允许的范围内进行，超出范围的须提交MRB决定。',
    );
  } else {
    builder.add(
      `The SOPs of ${context.sopStage ?? context.defectType} say nothing about reworking this defect, so the severity rule of the type decides.`,
      `${context.stage ? stageName(context.stage, 'zh') : typeName(context, 'zh')}的SOP没有关于返工的规定，因此按该缺陷类型的严重度规则决定。`,
    );
    const byDisposition = classification
      ? REWORK_BY_DISPOSITION[classification.recommended_action]
      : undefined;
    if (byDisposition) builder.add(byDisposition[0], byDisposition[1], classification?.citations);
  }
  if (classification)
    builder.add(
      `The analysis's disposition is ${classification.recommended_action} (${classification.severity}).`,
      `本分析的处置结论为${DISPOSITION_CHINESE[classification.recommended_action]}（${classification.recommended_action}，严重度${SEVERITY_CHINESE[classification.severity]}）。`,
      classification.citations,
    );
  const correction = actionsOf(context, 'correction')[0];
  if (correction)
    builder.add(
      `Planned: ${describeAction(correction, 'en')}.`,
      `计划：${describeAction(correction, 'zh')}。`,
      correction.citations,
    );
  return builder.build();
}

const STOP_WORDS: SentenceCue[] = [
  { pattern: /\bstop(s|ped)?\b|\bhalt/i, weight: 3 },
  { pattern: /\b(line|cell|furnace|machine|press)\b/i, weight: 1 },
  { pattern: /quarantine|hold/i, weight: 1 },
];

function severityLineStop(
  context: FollowUpContext,
  findings: ToolFindings,
  builder: AnswerBuilder,
): FollowUpAnswer {
  const classification = context.analysis.classification;
  if (!classification) {
    builder.add(
      'The report has not been classified, so its severity is not known: hold the parts until a person decides.',
      '该报告尚未分类，严重度未知：请先隔离，等待人工判定。',
    );
    return builder.build();
  }
  const severity = classification.severity;
  const verdict: Record<typeof severity, [string, string]> = {
    critical: [
      'Yes: it is critical (a safety or process failure), and a critical defect stops the line.',
      '需要：该缺陷为关键（严重）级别，属于安全或工艺失效，必须停线。',
    ],
    major: [
      'No line stop is required by the severity: it is major, so the parts cannot ship and are held, reworked or scrapped, and production continues unless the SOP says otherwise.',
      '按严重度不要求停线：该缺陷为主要级别，产品不能出货，须隔离、返工或报废；除非SOP另有规定，生产线可继续运行。',
    ],
    minor: [
      'No need to stop the line: it is minor; the parts ship after rework or with a concession.',
      '不需要停线：该缺陷为次要级别，返工后或经让步接收可出货。',
    ],
    cosmetic: [
      'No need to stop the line: it is cosmetic and is only logged.',
      '不需要停线：该缺陷为外观级别，仅需记录。',
    ],
    none: ['No need to stop the line: no defect was found.', '不需要停线：未发现缺陷。'],
  };
  const [english, chinese] =
    classification.defect_type === 'unknown'
      ? [
          'Not decided yet: the defect could not be classified, so the parts are held (HOLD) and a person decides on a line stop.',
          '尚无结论：缺陷未能分类，产品须隔离待判（HOLD），是否停线由人工决定。',
        ]
      : verdict[severity];
  builder.add(english, chinese);
  if (context.question.concession && classification.defect_type !== 'unknown')
    builder.add(CONCESSION_BY_SEVERITY[severity][0], CONCESSION_BY_SEVERITY[severity][1]);
  builder.add(
    `Classification: ${classification.defect_type}, severity ${severity}, disposition ${classification.recommended_action}${classification.escalate ? `, escalated (${classification.escalation_reason ?? 'to a person'})` : ''}.`,
    `分类：${typeName(context, 'zh')}，严重度${SEVERITY_CHINESE[severity]}（${severity}），处置${DISPOSITION_CHINESE[classification.recommended_action]}（${classification.recommended_action}）${classification.escalate ? `，已升级（${classification.escalation_reason ?? '人工'}）` : ''}。`,
    classification.citations,
  );
  if (context.defectType)
    builder.add(
      `The severity rule for ${context.defectType}: ${DEFECT_TYPE_DETAILS[context.defectType].severityRule}.`,
      `${typeName(context, 'zh')}的严重度规则：${DEFECT_TYPE_DETAILS[context.defectType].severityRule}。`,
    );
  const sentence = bestSentence(ownStagePassages(context, findings.sopLookups.flat()), STOP_WORDS, 3);
  if (sentence) builder.addQuote(sentence, 'The SOP says', 'SOP规定：');
  else if (context.stage)
    builder.add(
      `The SOPs of ${context.stage} do not say to stop the line for it.`,
      `${stageName(context.stage, 'zh')}的SOP没有规定为此停线。`,
    );
  return builder.build();
}

const SHIPPED_WORDS: SentenceCue[] = [
  { pattern: /\bship(ped|ping|ment)?\b|recall|in transit|dispatched/i, weight: 3 },
  { pattern: /warehouse|finished-goods|storage/i, weight: 2 },
  { pattern: /customer/i, weight: 1 },
  { pattern: /notification|lot history|held lots|downstream/i, weight: 1 },
];

/** The escape points, whose SOPs cover stock that has left the line. */
const ESCAPE_POINTS: ReadonlySet<string> = new Set(['inspection', 'packaging']);

function containmentShipped(
  context: FollowUpContext,
  findings: ToolFindings,
  builder: AnswerBuilder,
): FollowUpAnswer {
  if (!context.defectType && !context.stage)
    return noSubject(
      builder,
      context,
      'hold all stock of the lot, shipped or not, until a person (MRB) decides.',
      '请将该批次全部库存（无论是否已发货）隔离，等待MRB决定。',
    );
  const own = ownStagePassages(context, findings.sopLookups[0] ?? []);
  const outgoing = rankPassages(
    (findings.sopLookups[1] ?? []).filter((passage) => ESCAPE_POINTS.has(passage.stage)),
    typeCues(context),
  );
  const sentence =
    bestSentence(own, SHIPPED_WORDS, 3) ??
    bestSentence(outgoing, [...SHIPPED_WORDS, ...typeCues(context)], 4);
  if (sentence)
    builder.addQuote(
      sentence,
      'For stock that has left the line, the SOP says',
      '对于已离开产线的产品，SOP规定：',
    );
  else
    builder.add(
      `The SOPs of ${context.sopStage ?? context.defectType} say nothing about stock already shipped or in the warehouse: the knowledge base does not settle it, so the MRB decides on those lots.`,
      `${context.stage ? stageName(context.stage, 'zh') : typeName(context, 'zh')}的SOP没有关于已发货或仓库库存的规定，知识库无法给出结论，由MRB决定。`,
    );
  const batch = context.analysis.report?.batch_id;
  builder.add(
    `Extend the quarantine to warehouse and in-transit stock of the same suspect ${batch ? `lot (${batch})` : 'lots'} and trace where shipped units went.`,
    `将隔离范围扩大到同一可疑批次${batch ? `（${batch}）` : ''}的仓库库存和在途产品，并追溯已发出产品的去向。`,
  );
  const containment = actionsOf(context, 'containment');
  if (containment.length > 0)
    builder.add(
      `The analysis's containment: ${containment.map((action) => describeAction(action, 'en')).join('; ')}.`,
      `本分析的围堵措施：${containment.map((action) => describeAction(action, 'zh')).join('；')}。`,
      containment.flatMap((action) => action.citations),
    );
  return builder.build();
}

const CHECK_WORDS: SentenceCue[] = [
  {
    pattern: /\bevery\b|\beach\b|per (shift|load|lot|batch)|start of (shift|day)|once|sample|weekly|daily/i,
    weight: 2,
  },
  { pattern: /\b(check|measure|test|record|inspect|log)\w*/i, weight: 1 },
];

function effectivenessCheck(
  context: FollowUpContext,
  findings: ToolFindings,
  builder: AnswerBuilder,
): FollowUpAnswer {
  const actions = context.analysis.corrective_actions ?? [];
  if (actions.length === 0) {
    builder.add(
      'No actions were planned for this analysis, so there is no effectiveness check to run yet.',
      '本分析尚未制定措施，因此还没有可执行的有效性验证。',
    );
    // The check every action of DOMAIN.md's practice carries, so the answer still gives a metric,
    // a threshold and a window to plan with.
    const defect = context.defectType;
    builder.add(
      `Once an action is in place, judge it by the number of parts with ${defect ? defect.replaceAll('_', ' ') : 'the reported defect'} found in the inspection of the lots made after the change: threshold 0 rejects in the samples of the inspection plan, window 30 days (or the next 10 lots, whichever is longer).`,
      `措施落实后，以变更后生产批次检验中${defect ? DEFECT_TYPE_CHINESE[defect] : '所报缺陷'}的检出数为指标：判定标准为检验计划抽样中不合格品为0件，期限 30 天（或之后 10 批，取较长者）。`,
    );
  }
  for (const action of actions
    .filter((candidate) => candidate.type === 'corrective' || candidate.type === 'preventive')
    .concat(actions.filter((candidate) => candidate.type !== 'corrective' && candidate.type !== 'preventive'))
    .slice(0, 3)) {
    const check = action.effectiveness_check;
    builder.add(
      `For the ${action.type} action (${action.description}): ${check.metric}, threshold ${check.threshold}, within ${check.window_days} days.`,
      `${ACTION_TYPE_CHINESE[action.type]}（${action.description}）的验证：${check.metric}，判定标准 ${check.threshold}，期限 ${check.window_days} 天。`,
      action.citations,
    );
  }
  const sentence = bestSentence(
    preferSection(ownStagePassages(context, findings.sopLookups[0] ?? []), 'Checks'),
    [...CHECK_WORDS, ...typeCues(context)],
    3,
  );
  if (sentence) builder.addQuote(sentence, 'The routine check to watch is', '需持续监控的例行检查：');
  else if (context.stage)
    builder.add(
      `The SOPs of ${context.stage} name no routine check for it.`,
      `${stageName(context.stage, 'zh')}的SOP没有规定相应的例行检查。`,
    );
  builder.add(
    'If the same defect comes back within the window, the action did not work and the root cause is reopened.',
    '若在验证期内同类缺陷再次出现，说明措施无效，须重新分析根因。',
  );
  return builder.build();
}

const OWNER_WORDS: SentenceCue[] = [
  { pattern: /engineer|supervisor|MRB|manager|lead(er)?\b|technician/i, weight: 2 },
  { pattern: /inform|report|escalat|within \d+ ?h/i, weight: 1 },
];

function owner(context: FollowUpContext, findings: ToolFindings, builder: AnswerBuilder): FollowUpAnswer {
  const actions = context.analysis.corrective_actions ?? [];
  if (actions.length > 0) {
    const byOwner = new Map<string, CorrectiveAction[]>();
    for (const action of actions)
      byOwner.set(action.owner_role, [...(byOwner.get(action.owner_role) ?? []), action]);
    builder.add(
      `Owners in the plan: ${[...byOwner].map(([role, owned]) => `${role} (${owned.map((action) => `${action.type}, due ${action.due_date}`).join('; ')})`).join('; ')}.`,
      `措施负责人：${[...byOwner].map(([role, owned]) => `${role}（${owned.map((action) => `${ACTION_TYPE_CHINESE[action.type]}，期限 ${action.due_date}`).join('；')}）`).join('；')}。`,
      actions.flatMap((action) => action.citations),
    );
  } else
    builder.add(
      'No actions, and so no owners, were planned for this analysis.',
      '本分析尚未制定措施，因此没有负责人。',
    );
  // DOMAIN.md: held parts wait for a person's decision, and escalation goes to MRB or the supervisor.
  const classification = context.analysis.classification;
  if (classification?.recommended_action === 'HOLD' || classification?.escalate)
    builder.add(
      `The decision on the ${classification.recommended_action === 'HOLD' ? 'held' : 'escalated'} parts is a person's: the MRB (or the shift supervisor) decides their disposition, with the quality engineer who reviews this analysis.`,
      `${classification.recommended_action === 'HOLD' ? '隔离' : '升级'}产品的处置由人来决定：MRB（或当班主管）与审核本分析的质量工程师共同判定。`,
    );
  const passages = preferSection(ownStagePassages(context, findings.sopLookups[0] ?? []), 'Escalation path');
  const sop = passages[0];
  if (sop?.owner_role)
    builder.add(
      `The SOP of the stage, ${sop.source_id}, is owned by the ${sop.owner_role}.`,
      `该工序的SOP ${sop.source_id} 由${sop.owner_role}负责。`,
      [sop.chunk_id],
    );
  const sentence = bestSentence(passages.slice(0, 2), [...OWNER_WORDS, ...caseCues(context)], 3);
  if (sentence) builder.addQuote(sentence, 'Escalation:', '升级路径：');
  return builder.build();
}

/** Whether a text has more Chinese characters than Latin words (the report's own text, not a template). */
function mostlyChinese(text: string): boolean {
  return (text.match(/\p{Script=Han}/gu) ?? []).length > (text.match(/[A-Za-z]{2,}/g) ?? []).length;
}

/**
 * The occurrence cause for a Chinese answer: a cause the report states is given in the report's
 * own words ("Stated in the report: 炉门密封圈超期没换 (machine)." becomes "报告所述：炉门密封圈超期没换");
 * other causes keep the analysis's English.
 */
function occurrenceInChinese(occurrence: string): string {
  const stated =
    /^Stated in the report:\s*(.+?)\s*(?:\((?:man|machine|method|material|measurement|environment)\))?\.?$/s.exec(
      occurrence,
    );
  return stated?.[1] ? `报告所述：${stated[1]}` : occurrence;
}

/** Whether the analysis is of rust on a cast-iron pan or wok, which no production stage of the list makes. */
function castIronRust(context: FollowUpContext): boolean {
  const report = context.analysis.report;
  if (context.defectType !== 'rust_spot' || !report) return false;
  const family = readReportFacts(report).product_family;
  return family === 'cast_iron_pan' || family === 'wok';
}

/** Process steps of the plant that its list of production stages does not name. */
interface OffListStep {
  name: string;
  zh: string;
  pattern: RegExp;
  /** How to tell a cause at this step from one at the stage the analysis records, in both languages. */
  test: readonly [string, string];
}

const OFF_LIST_STEPS: readonly OffListStep[] = [
  {
    name: 'passivation',
    zh: '钝化',
    pattern: /passivat|钝化|\b(nitric|citric) (acid )?bath\b|酸洗槽/iu,
    test: [
      'To tell the two apart: re-passivate parts from that lot in fresh, titrated acid and put them through the 96 h salt-spray early read; parts that then pass point to the bath, parts that still rust point to the quench (steel sensitised by a slow quench shows grain-boundary ditching in an oxalic-acid etch, ASTM A262 Practice A).',
      '区分方法：用新配并滴定合格的钝化液对同批零件重新钝化，再做 96 h 盐雾早期判读；若通过，原因在钝化槽；若仍生锈，原因在淬火（淬火过慢导致敏化的钢在草酸电解浸蚀中可见晶界沟槽，ASTM A262 Practice A）。',
    ],
  },
  {
    name: 'seasoning',
    zh: '开锅上油',
    pattern: /\bseason|开锅|上油/iu,
    test: [
      'To tell the two apart: check the oil film of parts of the same lot straight after seasoning against parts that have rusted; bare or thin film on both points to seasoning.',
      '区分方法：对比同批刚上油的零件与已生锈零件的油膜；两者油膜都薄或裸露，说明原因在开锅上油。',
    ],
  },
  {
    name: 'storage',
    zh: '仓储',
    pattern: /\b(storage|stored|warehouse)\b|仓储|仓库|库存/iu,
    test: [
      'To tell the two apart: compare parts of the same lot taken straight from the line with parts from the store; rust only on stored parts points to storage.',
      '区分方法：对比同批直接从产线取下的零件与仓库中的零件；只有库存零件生锈，说明原因在仓储。',
    ],
  },
];

/** The off-list step a cause stated in the report names ("the passivation bath shortened to a third"). */
function statedOffListStep(occurrence: string): OffListStep | undefined {
  if (!occurrence.startsWith('Stated in the report:')) return undefined;
  return OFF_LIST_STEPS.find((step) => step.pattern.test(occurrence));
}

function whyStage(context: FollowUpContext, findings: ToolFindings, builder: AnswerBuilder): FollowUpAnswer {
  const rootCause = context.analysis.root_cause;
  if (!rootCause || !context.stage) {
    builder.add(
      'No root-cause analysis exists for this report, so no stage was chosen.',
      '该报告没有根因分析，因此未确定工序。',
    );
    return builder.build();
  }
  const { language } = builder;
  if (castIronRust(context)) {
    // The stage list of the plant has no seasoning or storage step: the analysis records the
    // nearest stage, and the answer says where rust on cast iron really arises.
    builder.add(
      `Rust on cast iron arises at seasoning, oil film and storage, not at ${context.stage}: cast iron is never vacuum quenched, and the plant's list of production stages has no seasoning or storage step, so the analysis records ${context.stage} only as the nearest one. The iron rusts where its seasoning or oil film is thin, bare or damaged and it meets moisture (damp storage, wet packing or washing), as SOP-PK-03 sets out.`,
      `铸铁生锈产生于上油、开锅涂层和仓储环节，而不是${stageName(context.stage, 'zh')}：铸铁锅从不做真空淬火；产线的固定工序表中没有开锅/上油和仓储环节，分析只是记录了最接近的工序。开锅涂层或油膜过薄、裸露或受损，铁遇潮（仓储潮湿、包装受潮或清洗后未干）就会生锈，见 SOP-PK-03。`,
    );
    builder.add(
      `Occurrence cause: ${rootCause.root_cause.occurrence} (6M: ${rootCause.root_cause.category_6m}).`,
      `发生原因：${occurrenceInChinese(rootCause.root_cause.occurrence)}（6M：${rootCause.root_cause.category_6m}）。`,
      rootCause.root_cause.citations,
    );
    const weighed = context.question.alternative;
    if (weighed && weighed.stage !== context.stage)
      builder.add(
        `So the evidence points to the seasoning, oil film and storage of these pans, not to ${weighed.text}.`,
        `因此证据指向这批锅的开锅涂层、油膜和仓储，而不是${weighed.text}。`,
      );
    return builder.build();
  }
  builder.add(
    `The analysis puts it at ${context.stage} (confidence ${rootCause.stage_confidence}).`,
    `分析判定缺陷产生于${stageName(context.stage, 'zh')}（置信度 ${rootCause.stage_confidence}）。`,
  );
  if (context.defectType) {
    const origins = DEFECT_TYPE_DETAILS[context.defectType].originStages;
    builder.add(
      `${context.defectType} usually originates at ${origins.join(', ')}.`,
      `${typeName(context, 'zh')}通常产生于${origins.map((stage) => stageName(stage, 'zh')).join('、')}。`,
    );
  }
  const firstWhy = rootCause.five_why_chain[0];
  if (firstWhy) {
    const evidence = firstWhy.evidence.map((item) => item.detail).join('; ');
    // A Chinese answer gives the mechanism in Chinese and, as evidence, what the report and its
    // readings say; the passages behind the why are cited rather than quoted in English.
    const reportEvidence = firstWhy.evidence
      .filter((item) => item.kind === 'measurement' || (item.kind === 'report' && mostlyChinese(item.detail)))
      .map((item) => item.detail)
      .slice(0, 2)
      .join('；');
    const chineseAnswer = /passive chromium-oxide film/.test(firstWhy.answer)
      ? `因为${PASSIVATION_RUST_CHINESE}（报告所述原因在钝化环节，分析记录最接近的工序${stageName(context.stage, 'zh')}）`
      : context.defectType
        ? `因为${mechanismChinese(context.defectType, context.stage)}，发生在${stageName(context.stage, 'zh')}`
        : firstWhy.answer;
    builder.add(
      `Why 1: ${firstWhy.answer}${evidence ? ` (evidence: ${evidence})` : ''}${firstWhy.hypothesis ? ' (a hypothesis, not verified)' : ''}.`,
      `第一问：${chineseAnswer}${reportEvidence ? `（证据：${reportEvidence}）` : ''}${firstWhy.hypothesis ? '（假设，未验证）' : ''}。`,
      firstWhy.citations,
    );
  }
  builder.add(
    `Occurrence cause: ${rootCause.root_cause.occurrence} (6M: ${rootCause.root_cause.category_6m}).`,
    `发生原因：${occurrenceInChinese(rootCause.root_cause.occurrence)}（6M：${rootCause.root_cause.category_6m}）。`,
    rootCause.root_cause.citations,
  );
  const offList = statedOffListStep(rootCause.root_cause.occurrence);
  if (offList)
    builder.add(
      `The cause the report states is at ${offList.name}, a step the plant's list of production stages does not have, so the analysis records ${context.stage} only as the nearest stage rather than ${offList.name}; check ${offList.name} first.`,
      `报告所述原因在${offList.zh}环节，而产线的固定工序表中没有${offList.zh}，分析只是记录了最接近的工序${stageName(context.stage, 'zh')}，而不是${offList.zh}；应先检查${offList.zh}。`,
    );
  if (offList) builder.add(offList.test[0], offList.test[1]);
  // The alternative the question weighs is the step the stated cause names ("the bath", "passivation"):
  // the sentences above answer it.
  const weighsTheStatedStep =
    offList !== undefined &&
    (context.question.alternative === undefined ||
      offList.pattern.test(context.question.alternative.text) ||
      /\bbath\b|槽/iu.test(context.question.alternative.text));
  const alternative = weighsTheStatedStep ? undefined : context.question.alternative;
  // The stage the question weighs against the chosen one: its alternative, or, when the question
  // names the chosen stage as the alternative ("why honing and not the furnace?" when the analysis
  // chose the furnace), the stage it assumed.
  const otherStage = [alternative?.stage, ...context.question.stages].find(
    (stage): stage is ProductionStage => stage !== undefined && stage !== context.stage,
  );
  if (otherStage && otherStage !== context.stage) {
    const origins = context.defectType ? DEFECT_TYPE_DETAILS[context.defectType].originStages : [];
    const order = STAGE_DETAILS[otherStage].order - STAGE_DETAILS[context.stage].order;
    // The asker's own word for the other stage ("the furnace") comes first, the stage code after it.
    const asked =
      alternative?.stage === otherStage && alternative.text.toLowerCase() !== otherStage.replaceAll('_', ' ')
        ? `${alternative.text} (${otherStage})`
        : otherStage;
    builder.add(
      origins.includes(otherStage)
        ? `${asked} is also a usual origin of ${context.defectType}, but the evidence above points to ${context.stage} rather than ${otherStage}; ${otherStage} is ${order > 0 ? 'later' : 'earlier'} in the line.`
        : `${asked} is not a usual origin of ${context.defectType ?? 'this defect'}, and it comes ${order > 0 ? 'after' : 'before'} ${context.stage} in the line.`,
      origins.includes(otherStage)
        ? `${stageName(otherStage, 'zh')}也是${typeName(context, 'zh')}的常见来源，但上述证据指向${stageName(context.stage, 'zh')}，而不是${stageName(otherStage, 'zh')}。`
        : `${stageName(otherStage, 'zh')}不是${typeName(context, 'zh')}的常见来源，且在产线中位于${stageName(context.stage, 'zh')}之${order > 0 ? '后' : '前'}。`,
    );
    const sentence = bestSentence(findings.sopLookups[1] ?? [], typeCues(context), 2);
    if (sentence)
      builder.addQuote(sentence, `What ${otherStage}'s SOP says:`, `${stageName(otherStage, 'zh')}的SOP：`);
  } else if (alternative && alternative.stage !== context.stage) {
    builder.add(
      `The evidence above points to ${context.stage}, not to ${alternative.text}.`,
      `上述证据指向${stageName(context.stage, 'zh')}，而不是${alternative.text}。`,
    );
    const stem = alternative.text.toLowerCase().split(/\s+/)[0]?.slice(0, 6) ?? '';
    const mentions = (findings.sopLookups[1] ?? []).filter(
      (passage) => stem.length >= 3 && passage.text.toLowerCase().includes(stem),
    );
    const sentence = bestSentence(
      mentions,
      [{ pattern: new RegExp(stem, 'i'), weight: 2 }, ...typeCues(context)],
      2,
    );
    if (sentence)
      builder.addQuote(
        sentence,
        `On ${alternative.text}, the knowledge base says`,
        `关于${alternative.text}，知识库写道：`,
      );
    else
      builder.add(
        `The knowledge base says nothing about ${alternative.text}: it is not one of the production stages, and no SOP or past case mentions it, so the analysis cannot weigh it. To test it, compare parts of the same lot taken before and after ${alternative.text}.`,
        `知识库中没有关于“${alternative.text}”的内容：它不是产线工序之一，也没有SOP或历史案例提到它，因此分析无法评估它。如需验证，请比较同一批次在${alternative.text}前后的零件。`,
      );
  }
  // The question takes the analysis to have put the defect somewhere it did not ("why put it at the
  // final wash rather than …"): the answer corrects the premise and says how to test that place.
  const assumed = context.question.assumed;
  if (assumed && !STAGE_TERMS[context.stage].test(assumed) && !otherStage)
    builder.add(
      `The analysis does not put it at ${assumed}; it puts it at ${context.stage}. If ${assumed} is suspected, compare parts of the same lot taken before and after it.`,
      `分析并没有把它归在${assumed}，而是${stageName(context.stage, 'zh')}。如怀疑${assumed}，请比较同一批次在其前后的零件。`,
    );
  // "… or somewhere else?": the other places are answered together.
  const elsewhere = context.question.elsewhere;
  if (elsewhere && !otherStage && !assumed)
    builder.add(
      `So the evidence above points to ${context.stage}, not ${elsewhere}${context.defectType && DEFECT_TYPE_DETAILS[context.defectType].originStages.includes(context.stage) ? `, and ${context.stage} is where ${context.defectType} usually originates` : ''}.`,
      `因此证据指向${stageName(context.stage, 'zh')}，而不是其他工序。`,
    );
  const sentence = bestSentence(
    ownStagePassages(context, findings.sopLookups[0] ?? []),
    typeCues(context),
    2,
  );
  if (sentence)
    builder.addQuote(
      sentence,
      `The SOP of ${context.stage}:`,
      `${stageName(context.stage, language)}的SOP：`,
    );
  return builder.build();
}

const MEASUREMENTS_BY_TYPE: Partial<Record<string, readonly string[]>> = {
  rust_spot: ['salt_spray_hours'],
  heat_treatment_defect: ['hardness_hrc'],
  blade_chip: ['hardness_hrc', 'defect_size_mm'],
  edge_irregularity: ['edge_angle_deg', 'sharpness_icp'],
  blade_scratch: ['defect_size_mm'],
  assembly_misalignment: ['defect_size_mm'],
  dimensional_error: ['defect_size_mm'],
  weld_defect: ['defect_size_mm'],
};

function missingEvidence(
  context: FollowUpContext,
  findings: ToolFindings,
  builder: AnswerBuilder,
): FollowUpAnswer {
  const { analysis } = context;
  const classification = analysis.classification;
  const report = analysis.report;
  const needs: Array<[string, string]> = [];
  if (!classification || classification.defect_type === 'unknown' || classification.confidence < 0.5)
    needs.push([
      'a description of what is seen (scratch, chip, rust, crack, ...), where on the part, how many parts of how many, and at which stage it was found',
      '所见缺陷的描述（划痕、崩口、锈斑、裂纹等）、在零件上的位置、多少件中有几件、在哪道工序发现',
    ]);
  if (!report?.product_sku) needs.push(['the product SKU', '产品SKU']);
  if (!report?.facility) needs.push(['the facility', '工厂']);
  if (!report?.batch_id) needs.push(['the batch or lot id', '批次号']);
  if (!report?.shift) needs.push(['the shift', '班次']);
  const measured = report?.measurements ?? {};
  for (const measurement of MEASUREMENTS_BY_TYPE[context.defectType ?? ''] ?? [])
    if (!(measurement in measured)) needs.push([`the measurement ${measurement}`, `测量值 ${measurement}`]);
  if (!report?.image) needs.push(['a photo of the defect', '缺陷照片']);
  builder.add(
    needs.length > 0
      ? `To firm up this analysis, please send: ${needs.map(([english]) => english).join('; ')}.`
      : 'The report already gives the SKU, facility, lot, shift, the key measurement and a photo.',
    needs.length > 0
      ? `为完善本分析，请提供：${needs.map(([, chinese]) => chinese).join('；')}。`
      : '报告已包含SKU、工厂、批次、班次、关键测量值和照片。',
  );
  const rootCause = analysis.root_cause;
  const unverified = (rootCause?.five_why_chain ?? [])
    .filter((why) => why.hypothesis || !why.verified)
    .slice(0, 3);
  if (unverified.length > 0)
    builder.add(
      `Still to verify: ${unverified.map((why) => `why ${why.step} "${why.answer}"`).join('; ')}.`,
      `仍需验证：${unverified.map((why) => `第${why.step}问“${why.answer}”`).join('；')}。`,
    );
  const untested = Object.entries(rootCause?.ishikawa ?? {})
    .flatMap(([branch, causes]) =>
      causes.filter((cause) => cause.status === 'untested').map((cause) => `${cause.cause} (${branch})`),
    )
    .slice(0, 3);
  if (untested.length > 0)
    builder.add(
      `Untested fishbone causes: ${untested.join('; ')}.`,
      `鱼骨图中未验证的原因：${untested.join('；')}。`,
    );
  const sentence = bestSentence(
    preferSection(ownStagePassages(context, findings.sopLookups[0] ?? []), 'Checks'),
    [...CHECK_WORDS, ...typeCues(context)],
    3,
  );
  if (sentence)
    builder.addQuote(
      sentence,
      'The stage SOP records this check, worth attaching:',
      '该工序SOP规定了以下检查，可附上记录：',
    );
  if (!context.defectType)
    builder.add(
      'Until the defect is identified the knowledge base cannot point to an SOP or a past case for it.',
      '在缺陷确定之前，知识库无法指向相应的SOP或历史案例。',
    );
  return builder.build();
}

function history(context: FollowUpContext, findings: ToolFindings, builder: AnswerBuilder): FollowUpAnswer {
  const { facility, facilities, productSku } = context.historyScope;
  const type = context.defectType;
  const scopes = (facilities ?? [facility]).map((one) => ({
    facility: one,
    english: [one ? `at ${one}` : 'at all facilities', productSku ? `on ${productSku}` : '']
      .filter(Boolean)
      .join(' '),
    chinese: [one ? `${FACILITY_CHINESE[one]}（${one}）` : '所有工厂', productSku ? `${productSku}` : '']
      .filter(Boolean)
      .join('、'),
  }));
  const scopeEnglish = scopes.map((scope) => scope.english).join(' or ');
  const scopeChinese = scopes.map((scope) => scope.chinese).join('或');
  const what = type ?? 'defect';
  if (findings.recurrences.length === 0)
    builder.add('The recurrence count was not available to this answer.', '本次回答无法获取重复发生次数。');
  findings.recurrences.forEach((recurrence, index) => {
    const scope = scopes[index] ?? scopes[0]!;
    builder.add(
      `In the last ${recurrence.window_days} days (since ${recurrence.since}) this service's own history of reviewed analyses holds ${recurrence.count} confirmed ${what} case${recurrence.count === 1 ? '' : 's'} ${scope.english}${recurrence.recent_defect_ids.length > 0 ? `: ${recurrence.recent_defect_ids.slice(0, 5).join(', ')}` : ''}${recurrence.unconfirmed_count > 0 ? `, and ${recurrence.unconfirmed_count} unconfirmed machine draft${recurrence.unconfirmed_count === 1 ? '' : 's'}` : ''}.`,
      `近 ${recurrence.window_days} 天（自 ${recurrence.since} 起），${scope.chinese}共有 ${recurrence.count} 起经确认的${type ? typeName(context, 'zh') : '缺陷'}记录${recurrence.recent_defect_ids.length > 0 ? `：${recurrence.recent_defect_ids.slice(0, 5).join('、')}` : ''}${recurrence.unconfirmed_count > 0 ? `，另有 ${recurrence.unconfirmed_count} 起未确认的机器草稿` : ''}。`,
    );
    if (recurrence.recurring)
      builder.add(
        'That is a recurring defect (3 or more in the window): the earlier corrective actions did not hold.',
        '这属于重复发生（期内3次及以上），说明之前的纠正措施没有见效。',
      );
  });
  const records = findings.similarDefects.filter(
    (record) =>
      (!type || record.defect_type === type) &&
      (facilities ? facilities.includes(record.facility) : !facility || record.facility === facility) &&
      (!productSku || record.product_sku === productSku),
  );
  // The knowledge base's records are dated: how many fall in the window the count looked back over.
  const since = findings.recurrences[0]?.since;
  const inWindow = since ? records.filter((record) => record.date >= since).length : 0;
  const windowNote = since && inWindow > 0 ? ` (${inWindow} of them dated since ${since})` : '';
  const windowNoteChinese = since && inWindow > 0 ? `（其中 ${inWindow} 条在 ${since} 之后）` : '';
  if (records.length > 0)
    builder.add(
      `The knowledge base holds ${records.length} confirmed past ${what} record${records.length === 1 ? '' : 's'} ${scopeEnglish}${windowNote}: ${records
        .slice(0, 3)
        .map(
          (record) =>
            `${record.source_id} (${record.date}, ${record.stage}, actions effective: ${record.effective})`,
        )
        .join('; ')}.`,
      `知识库中有 ${records.length} 条${scopeChinese}已确认的${type ? typeName(context, 'zh') : '缺陷'}历史记录${windowNoteChinese}：${records
        .slice(0, 3)
        .map(
          (record) =>
            `${record.source_id}（${record.date}，${stageName(record.stage, 'zh')}，措施有效：${record.effective}）`,
        )
        .join('；')}。`,
      records.slice(0, 3).map((record) => record.chunk_id),
    );
  else if (type)
    builder.add(
      `The knowledge base holds no confirmed past ${what} record ${scopeEnglish}.`,
      `知识库中没有${scopeChinese}已确认的${typeName(context, 'zh')}历史记录。`,
    );
  else
    builder.add(
      'The defect type is not known, so the knowledge base cannot be searched for the same defect.',
      '缺陷类型未知，无法在知识库中检索同类缺陷。',
    );
  return builder.build();
}

function general(
  context: FollowUpContext,
  findings: ToolFindings,
  builder: AnswerBuilder,
  agent: string,
): FollowUpAnswer {
  const { classification, root_cause: rootCause } = context.analysis;
  const actions = context.analysis.corrective_actions ?? [];
  if (agent === 'classifier' || !rootCause) {
    if (classification)
      builder.add(
        `It was classified as ${classification.defect_type} (${classification.severity}, confidence ${classification.confidence}), disposition ${classification.recommended_action}${classification.escalate ? `, escalated: ${classification.escalation_reason}` : ''}. Evidence: ${classification.evidence.slice(0, 3).join('; ')}.`,
        `分类为${typeName(context, 'zh')}，严重度${SEVERITY_CHINESE[classification.severity]}，置信度 ${classification.confidence}，处置${DISPOSITION_CHINESE[classification.recommended_action]}${classification.escalate ? `，已升级：${classification.escalation_reason}` : ''}。依据：${classification.evidence.slice(0, 3).join('；')}。`,
        classification.citations,
      );
    else builder.add('The report has not been classified.', '该报告尚未分类。');
  } else if (agent === 'corrective-action' && actions.length > 0) {
    builder.add(
      actions
        .map(
          (action) =>
            `${describeAction(action, 'en')}; check ${action.effectiveness_check.metric}, ${action.effectiveness_check.threshold} within ${action.effectiveness_check.window_days} days.`,
        )
        .join(' '),
      actions
        .map(
          (action) =>
            `${describeAction(action, 'zh')}；验证：${action.effectiveness_check.metric}，${action.effectiveness_check.threshold}，${action.effectiveness_check.window_days} 天内。`,
        )
        .join(''),
      actions.flatMap((action) => action.citations),
    );
  } else {
    builder.add(
      `Probable stage: ${rootCause.probable_stage} (confidence ${rootCause.stage_confidence}). Occurrence: ${rootCause.root_cause.occurrence} Escape: ${rootCause.root_cause.escape} Systemic: ${rootCause.root_cause.systemic} (6M: ${rootCause.root_cause.category_6m}).`,
      `可能工序：${stageName(rootCause.probable_stage, 'zh')}（置信度 ${rootCause.stage_confidence}）。发生原因：${rootCause.root_cause.occurrence} 流出原因：${rootCause.root_cause.escape} 系统原因：${rootCause.root_cause.systemic}（6M：${rootCause.root_cause.category_6m}）。`,
      rootCause.root_cause.citations,
    );
  }
  const sentence = bestSentence(
    ownStagePassages(context, findings.sopLookups[0] ?? []),
    typeCues(context),
    2,
  );
  if (sentence) builder.addQuote(sentence, 'See', '参见');
  return builder.build();
}

/**
 * Composes the answer to a follow-up from the stored analysis and what the tools returned, for
 * the recognised intent and in the question's language. Every quoted SOP sentence and past record
 * is cited; where the knowledge base has nothing on the point, the answer says so.
 */
export function composeAnswer(
  context: FollowUpContext,
  findings: ToolFindings,
  agent: string,
): FollowUpAnswer {
  const builder = new AnswerBuilder(context.question.language);
  switch (context.question.intent) {
    case 'which_sop':
      return whichSop(context, findings, builder);
    case 'rework':
      return rework(context, findings, builder);
    case 'severity_line_stop':
      return severityLineStop(context, findings, builder);
    case 'containment_shipped':
      return containmentShipped(context, findings, builder);
    case 'effectiveness_check':
      return effectivenessCheck(context, findings, builder);
    case 'owner':
      return owner(context, findings, builder);
    case 'why_stage':
      return whyStage(context, findings, builder);
    case 'missing_evidence':
      return missingEvidence(context, findings, builder);
    case 'history':
      return history(context, findings, builder);
    case 'general':
      return general(context, findings, builder, agent);
  }
}
