import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import type { FollowUp, FollowUpTopic, FollowUpVerdict } from './follow-up.ts';

/**
 * The deterministic rubric of evals/followups/rubric.md. It is written from DOMAIN.md and the
 * issue, not from the answering code, and uses its own bilingual word lists on purpose: the judge
 * must not share vocabulary with the system it judges.
 */

const HAN = /\p{Script=Han}/gu;
/** A Chinese question needs at least this many Chinese characters in the answer. */
export const MINIMUM_CHINESE_CHARACTERS = 4;

/** Names of the production stages and escape points, in English and Chinese. */
export const STAGE_NAMES: Readonly<Record<string, readonly string[]>> = {
  blade_stamp: ['blade_stamp', 'blade stamp', 'stamping', 'forging', '冲压', '锻造', '下料'],
  bolster_welding: ['bolster_welding', 'bolster weld', 'welding', '焊接', '刀枕'],
  back_edge_polishing: [
    'back_edge_polishing',
    'back edge polish',
    'back-edge polish',
    '刀背抛光',
    '背刃抛光',
  ],
  taper_grinding: ['taper_grinding', 'taper grind', 'v-grind', 'grinding', '研磨', '磨削'],
  heat_treatment: ['heat_treatment', 'heat treat', 'heat-treat', '热处理'],
  vacuum_quench: ['vacuum_quench', 'vacuum quench', 'quench', '淬火'],
  handle_injection: ['handle_injection', 'injection', 'moulding', 'molding', '注塑'],
  rivet_assembly: ['rivet_assembly', 'rivet', '铆接', '铆钉'],
  handle_polishing: ['handle_polishing', 'handle polish', '手柄抛光', '柄抛光'],
  blade_glazing: ['blade_glazing', 'glazing', '镜面', '刀身抛光', '上光'],
  cutting_edge_honing: ['cutting_edge_honing', 'honing', 'edge hon', '开刃', '磨刃'],
  logo_print: ['logo_print', 'logo', 'printing', '印标', '印字', '丝印'],
  inspection: ['inspection', '检验'],
  packaging: ['packaging', 'packing', '包装'],
};

const SEVERITY_WORDS: Readonly<Record<string, RegExp>> = {
  critical: /\bcritical\b|严重|致命|关键缺陷/i,
  major: /\bmajor\b|主要缺陷|重大|较严重/i,
  minor: /\bminor\b|次要|轻微|轻度/i,
  cosmetic: /\bcosmetic\b|外观/i,
  none: /\bno defect\b|\bseverity[: ]+none\b|\bnot a defect\b|无缺陷|合格/i,
};
const ANY_SEVERITY = new RegExp(
  Object.values(SEVERITY_WORDS)
    .map((pattern) => pattern.source)
    .join('|'),
  'i',
);

const SOP_ID = /\bSOP-[A-Z0-9]+(?:-[A-Z0-9]+)*/gi;
const NO_SOP =
  /\bno SOP\b|\bSOP (?:does not|doesn't) (?:say|cover|state)|not covered by (?:an|any) SOP|knowledge base does not|no (?:written )?rule|没有.{0,8}(?:SOP|规定|规程|条款)|(?:SOP|规程).{0,6}(?:未|没有)(?:规定|说明|覆盖)/i;
const CONTRAST =
  /\bnot\b|\brather than\b|\binstead of\b|\bruled? out\b|\bunlikely\b|\bexcluded?\b|\bwhereas\b|\bwould (?:show|have|give|leave)\b|\bagainst\b|不是|而非|排除|不太可能|否则|而不/i;
const STAGE_UNDETERMINED =
  /not (?:been )?determined|\bundetermined\b|cannot (?:be )?(?:determined|told|tell)|no (?:probable )?stage|\bunknown\b|无法确定|未确定|不能确定|不确定/i;
const FACILITY_NAMES: Readonly<Record<string, readonly string[]>> = {
  yangjiang: ['yangjiang', '阳江'],
  shenzhen: ['shenzhen', '深圳'],
  hongkong: ['hong kong', 'hongkong', '香港'],
};
const SKU = /\bWK-[A-Z]{2}-\d{3}\b/gi;
const PERIOD_IN_QUESTION =
  /\b20\d\d\b|\b(?:last|past|this|previous|since)\s+(?:\d+\s+)?(?:week|month|quarter|year|days?|weeks|months|years)\b|\bQ[1-4]\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|去年|今年|上个?月|本月|近.{0,3}(?:天|周|个月|年)|以来|季度/i;
const TIME_EXPRESSION =
  /\b20\d\d\b|\b(?:day|week|month|quarter|year)s?\b|\bsince\b|\b(?:last|past|recent)\b|\bQ[1-4]\b|\d{4}-\d{2}|年|月|周|天|以来|季度|近期/i;
const NONE_STATEMENT =
  /\bno (?:past|previous|prior|earlier|similar|recorded|matching|other|such|recurrence|history|records?)\b|\bnone\b|\bnever\b|\bhas not (?:happened|occurred)|\bhasn't (?:happened|occurred)|\bno (?:cases?|occurrences?|incidents?|defects?) (?:found|recorded|on record)|\bzero\b|没有|无(?:相关|类似|记录|历史|先例)|未(?:发生|出现|发现)|从未/i;
const COUNT =
  /\b\d+\b(?!-\d)|\b(?:once|twice|one|two|three|four|five|six|seven|eight|nine|ten|several)\b|[一二两三四五六七八九十\d]+\s*(?:次|起|例|个|件|宗|批)/i;

const REWORK_DECISION =
  /\b(?:rework|re-?weld|re-?grind|re-?polish|re-?hone|re-?sharpen|repair)\w*\b.{0,40}\b(?:allowed|permitted|acceptable|possible|ok|forbidden|prohibited|not allowed)\b|\b(?:can|cannot|can't|may|may not|must not|should not|do not|don't|not)\b.{0,30}\b(?:rework|re-?weld|re-?grind|re-?polish|re-?hone|re-?sharpen|repair)|\bscrap(?:ped)?\b|\bno rework\b|(?:不|禁止)(?:允许|可以|能|得)?(?:返工|返修|补焊|重焊)|(?:可以|允许|能)(?:返工|返修|补焊|重焊)|报废/i;
const REASON =
  /\bbecause\b|\bsince\b|\bdue to\b|\bper\b|\baccording to\b|\bas (?:the|a|per)\b|\bso\b|\bgiven\b|\bthe SOP\b|因为|由于|根据|按照|依据|所以|因此/i;
const LINE_STOP =
  /\bstop(?:ping)? (?:the )?(?:line|production)\b|\bline[- ]stop\b|\bhalt(?:ing)? (?:the )?(?:line|production)\b|\b(?:continue|keep) (?:running|production|the line)\b|\bno need to stop\b|\b(?:not|no) (?:need )?(?:to )?stop\b|\bshut ?down\b|停线|停产|停机|继续生产|不需要停|无需停|不必停/i;
const NO_LINE_STOP =
  /\bno need to stop\b|\b(?:do not|don't|not|no) (?:need )?(?:to )?stop\b|\b(?:continue|keep) (?:running|production|the line)\b|不需要停|无需停|不必停|继续生产/i;

const EVIDENCE_TERMS =
  /\bphoto|\bpicture|\bimage|close-?up|\bmeasure|\bhardness|\bHRC\b|edge angle|\bangle\b|sharpness|\bICP\b|CATRA|\bsize\b|\blength|\bdepth|\bwidth|\bdimension|\bmm\b|salt spray|\bbatch|\blot\b|\blot (?:number|id)|\bshift\b|\bSKU\b|\bfacility|\bquantity|how many|\bcount\b|sample size|\blocation\b|\bposition\b|where on|temperature|humidity|furnace|\bchart\b|\blog\b|\brecords?\b|\bdate\b|\bsupplier|certificate|\bcert\b|material|照片|图片|图像|硬度|角度|锋利|尺寸|长度|深度|批次|批号|班次|数量|位置|温度|湿度|记录|日期|设备|型号|材料|证书|炉号|测量/i;
const MISSING_MARKER =
  /\bmissing\b|\bneeds?\b|\bneeded\b|please (?:provide|send|add|attach|measure|confirm|give)|\bnot (?:stated|given|provided|reported|recorded|known|included)\b|\bunknown\b|would (?:help|confirm|allow)|\bto confirm\b|\blacks?\b|\bwithout\b|缺少|缺失|需要|请提供|请补充|未提供|未说明|不清楚|没有提供/i;

const METRIC =
  /defect rate|reject rate|scrap rate|\bNG\b|pass rate|\byield\b|first[- ]pass|\bhardness|\bHRC\b|sharpness|\bICP\b|edge angle|flatness|salt spray|\brust\b|leak rate|\bvacuum\b|\bpressure\b|temperature|\bcount\b|number of|occurrences?|recurrence|\bppm\b|\bmetric\b|\bCpk\b|\brate\b|不良率|合格率|良率|硬度|锋利度|平面度|泄漏|复发|次数|指标/i;
const THRESHOLD =
  /[<>≤≥]=?\s*\d|\b(?:at most|at least|no more than|not more than|less than|more than|below|under|above|over|within|≤|≥|max(?:imum)?|min(?:imum)?)\b\s*[\d±]|\d+(?:\.\d+)?\s*(?:%|HRC|ICP|mm|°|ppm|Pa|mbar|h\b)|\bzero\b|\b0 (?:defects?|recurrences?|occurrences?|NG|rejects?)\b|不超过|低于|高于|小于|大于|至少|以内|为零|为0|零缺陷/i;
const TIME_WINDOW =
  /\d+\s*(?:consecutive\s+)?(?:days?|weeks?|months?|lots?|batches?|shifts?|hours?|runs?|production runs?)\b|\b(?:next|following|over|for|within)\s+(?:the\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|lots?|batches?|shifts?)\b|\d+\s*(?:天|周|个月|月|批|班|小时)|[一二两三四五六七八九十]+\s*(?:天|周|个月|批|班)/i;

const OWNER_ROLE =
  /\b(?:quality|process|production|manufacturing|maintenance|tooling|equipment|QA|QC|supplier(?: quality)?|logistics|warehouse|plant|line|shift|heat[- ]treatment|welding|moulding|molding|customer)\s+(?:engineer|manager|supervisor|lead|leader|technician|team|inspector|planner|coordinator|department|head)\b|\bMRB\b|\bsupervisor\b|\bengineer\b|\bmanager\b|\bforeman\b|\btechnician\b|\bshift lead(?:er)?\b|工程师|主管|经理|班长|组长|负责人|技术员|质量部|生产部|设备部|维修部/i;

const CONTAINMENT_ACTION =
  /\b(?:hold|quarantin|recall|sort|re-?inspect|100 ?% (?:inspection|check)|block|freeze|segregat|contain|notify|inform|alert|customer notice|stop (?:shipment|shipping|delivery)|return)\w*|冻结|隔离|召回|挑选|筛选|全检|通知客户|告知客户|扣留|停止发货|退回|封存/i;
const CONTAINMENT_SCOPE =
  /\bship(?:ped|ment|ments|ping)?\b|\bstock\b|in[- ]stock|warehouse|finished goods|in transit|\bcustomers?\b|distribution|\bfield\b|delivered|inventory|已发货|发货|出货|库存|仓库|在途|客户|成品/i;

/** Normalises an answer for the canned-answer comparison: case and whitespace do not matter. */
export function normalizeAnswer(answer: string): string {
  return answer.toLowerCase().replace(/\s+/g, ' ').trim();
}

function mentionsAny(text: string, names: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return names.some((name) => lower.includes(name.toLowerCase()));
}

function sopIds(text: string): string[] {
  return [...text.matchAll(SOP_ID)].map((match) => match[0].toUpperCase());
}

function citesSop(citations: readonly string[], ids?: readonly string[]): boolean {
  const cited = citations.map((citation) => citation.toUpperCase());
  if (ids === undefined) return cited.some((citation) => citation.startsWith('SOP-'));
  return ids.some((id) => cited.some((citation) => citation.startsWith(id)));
}

/** The alternatives a "why this stage" question names: other stages, and what follows "not"/"instead of"/"而不是". */
function alternativesIn(question: string, chosen: string | null): string[][] {
  const alternatives: string[][] = [];
  for (const [stage, names] of Object.entries(STAGE_NAMES)) {
    if (stage !== chosen && mentionsAny(question, names)) alternatives.push([...names]);
  }
  for (const match of question.matchAll(
    /\b(?:not|instead of|rather than|vs\.?|versus|or)\s+(?:the\s+|at\s+|in\s+)?([a-z][a-z-]{3,})/gi,
  )) {
    const word = match[1]?.toLowerCase();
    if (word && !['the', 'this', 'that', 'another', 'other', 'something'].includes(word))
      alternatives.push([word.slice(0, Math.max(4, word.length - 3))]);
  }
  for (const match of question.matchAll(/(?:而不是|不是|而非|还是)(\p{Script=Han}{2,4})/gu)) {
    const words = match[1];
    if (words) alternatives.push([words.slice(0, 2)]);
  }
  return alternatives;
}

type Requirement = readonly [description: string, met: boolean];

function topicRequirements({
  topic,
  question,
  answer,
  citations,
  analysis,
}: {
  topic: FollowUpTopic;
  question: string;
  answer: string;
  citations: readonly string[];
  analysis: ConsolidatedAnalysis | null;
}): Requirement[] {
  switch (topic) {
    case 'why_stage': {
      const chosen = analysis?.root_cause?.probable_stage ?? null;
      if (chosen === null)
        return [['says the stage could not be determined', STAGE_UNDETERMINED.test(answer)]];
      const alternatives = alternativesIn(question, chosen);
      const otherStages = Object.entries(STAGE_NAMES)
        .filter(([stage]) => stage !== chosen)
        .map(([, names]) => names);
      const candidates = alternatives.length > 0 ? alternatives : otherStages;
      return [
        [`names the chosen stage (${chosen})`, mentionsAny(answer, STAGE_NAMES[chosen] ?? [chosen])],
        [
          'gives evidence against the alternative (names it with a contrast)',
          candidates.some((names) => mentionsAny(answer, names)) && CONTRAST.test(answer),
        ],
      ];
    }
    case 'which_sop': {
      const named = sopIds(answer);
      return [
        ['names an SOP id', named.length > 0],
        ['cites the SOP it names', named.length > 0 && citesSop(citations, named)],
      ];
    }
    case 'history': {
      const facilities = Object.values(FACILITY_NAMES).filter((names) => mentionsAny(question, names));
      const skus = [...question.matchAll(SKU)].map((match) => match[0]);
      const scope: Requirement[] = [
        ...facilities.map((names): Requirement => [
          `names the facility asked about (${names[0]})`,
          mentionsAny(answer, names),
        ]),
        ...skus.map((sku): Requirement => [`names the SKU asked about (${sku})`, mentionsAny(answer, [sku])]),
      ];
      if (PERIOD_IN_QUESTION.test(question))
        scope.push(['names the period asked about', TIME_EXPRESSION.test(answer)]);
      if (NONE_STATEMENT.test(answer)) return [['says plainly there is none', true]];
      return [
        ['gives a count (or says plainly there is none)', COUNT.test(answer.replace(SKU, ''))],
        ...scope,
      ];
    }
    case 'containment_shipped':
      return [
        [
          'says what to do (hold, quarantine, recall, sort, notify the customer)',
          CONTAINMENT_ACTION.test(answer),
        ],
        ['about shipped or stocked parts', CONTAINMENT_SCOPE.test(answer)],
      ];
    case 'rework':
      return [
        ['says whether rework is allowed', REWORK_DECISION.test(answer)],
        ['says why', REASON.test(answer)],
        [
          'cites the SOP rule (an SOP id or an SOP citation), or says no SOP rule covers it',
          sopIds(answer).length > 0 || citesSop(citations) || NO_SOP.test(answer),
        ],
      ];
    case 'severity_line_stop': {
      const severity = analysis?.classification?.severity ?? null;
      const severityPattern = severity === null ? ANY_SEVERITY : (SEVERITY_WORDS[severity] ?? ANY_SEVERITY);
      const requirements: Requirement[] = [
        [`states the severity${severity === null ? '' : ` (${severity})`}`, severityPattern.test(answer)],
        ['says whether to stop the line', LINE_STOP.test(answer)],
      ];
      if (severity === 'critical')
        requirements.push(['does not tell to keep a critical defect running', !NO_LINE_STOP.test(answer)]);
      return requirements;
    }
    case 'missing_evidence':
      return [
        ['says something is missing or needed', MISSING_MARKER.test(answer)],
        ['names a specific fact, measurement or photo', EVIDENCE_TERMS.test(answer)],
      ];
    case 'effectiveness_check':
      return [
        ['names a metric', METRIC.test(answer)],
        ['gives a threshold', THRESHOLD.test(answer)],
        ['gives a time window', TIME_WINDOW.test(answer)],
      ];
    case 'owner':
      return [['names an owner role', OWNER_ROLE.test(answer)]];
  }
}

/**
 * Judges whether an answer to a follow-up question is on topic, by the rubric of
 * evals/followups/rubric.md: the topic's requirements, Chinese in the answer to a Chinese
 * question, and no canned answer (identical, ignoring case and spacing, to the answer of a
 * question of another topic about the same case). An empty or missing answer is off topic.
 */
export function judgeFollowUp({
  followUp,
  answer,
  citations,
  analysis,
  otherTopicAnswers,
}: {
  followUp: Pick<FollowUp, 'topic' | 'language' | 'question'>;
  answer: string | null;
  /** Chunk or document ids the answer cites. */
  citations: readonly string[];
  /** The analysis the question is about (its stage and severity are what the answer must name). */
  analysis: ConsolidatedAnalysis | null;
  /** Answers to the questions of other topics about the same case. */
  otherTopicAnswers: readonly string[];
}): FollowUpVerdict {
  if (answer === null || answer.trim() === '') return { onTopic: false, canned: false, unmet: ['an answer'] };
  const normalized = normalizeAnswer(answer);
  const canned = otherTopicAnswers.some((other) => normalizeAnswer(other) === normalized);
  const requirements: Requirement[] = [
    ...topicRequirements({ topic: followUp.topic, question: followUp.question, answer, citations, analysis }),
  ];
  if (followUp.language === 'zh')
    requirements.push([
      `answers a Chinese question with Chinese (at least ${MINIMUM_CHINESE_CHARACTERS} characters)`,
      (answer.match(HAN)?.length ?? 0) >= MINIMUM_CHINESE_CHARACTERS,
    ]);
  requirements.push(['is not the same answer as for another topic (canned)', !canned]);
  const unmet = requirements.filter(([, met]) => !met).map(([description]) => description);
  return { onTopic: unmet.length === 0, canned, unmet };
}
