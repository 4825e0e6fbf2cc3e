import type { z } from 'zod';
import type { AssessSeverityOutput } from '../../../action-groups/defect-taxonomy/schema.ts';
import type {
  CheckMeasurementsOutput,
  MeasurementFinding,
} from '../../../action-groups/process-windows/schema.ts';
import type { FindSimilarDefectsOutput } from '../../../action-groups/similar-defects/schema.ts';
import {
  CONCRETE_DEFECT_TYPES,
  type Classification,
  type ConcreteDefectType,
  type InspectionReport,
  type Severity,
} from '../../../domain/index.ts';
import { NOT_CONFIRMED, PLASTIC_HANDLE, WOODEN_HANDLE } from '../../report-facts/matchers.ts';
import { readReportFacts } from '../../report-facts/report-facts.ts';
import type { ReportFacts } from '../../report-facts/schema.ts';
import { classifyReport, type ClassifierPrediction } from './classifier/classifier.ts';
import { allResults, lastResult, type Conversation, type Skill } from './conversation.ts';

const KNOWN_MEASUREMENTS = [
  'hardness_hrc',
  'edge_angle_deg',
  'sharpness_icp',
  'salt_spray_hours',
  'defect_size_mm',
] as const;

/** A secondary type is reported from this probability on. */
const SECONDARY_PROBABILITY = 0.3;
/** A secondary type the report names in words is reported from this probability on. */
const SECONDARY_WITH_WORDS = 0.1;

/**
 * Probability enough for a second type the report names in its own words when it says it adds a
 * finding ("also", "plus", "two issues", 另外, 同时): the words, not the classifier, carry it.
 */
const SECONDARY_WITH_WORDS_ADDED = 0;

/** Words that add a second finding to a report. */
const ADDS_A_FINDING =
  /[,;.]\s*plus\b|\bplus (a|an|some|\d+|one|two|three|several|the|there|also)\b|\b(also|as well|in addition|additionally|besides|on top of that|another (issue|problem|defect)|second (issue|problem|defect)|(two|2) (issues|problems|defects|findings))\b|\s\+\s|另外|另有|同时|还有|此外|顺便|以及|两个问题|两种(问题|缺陷)|另一个/iu;
/** Where a sentence ends inside a line: after a full stop or a semicolon, in either language. */
const SENTENCE_END = /(?<=[.;!?])\s+|(?<=[。；！？])/u;
/** A second finding numbered on its own line: "(2) bracket low", "2) 划痕". */
const NUMBERED_SECOND_FINDING = /(^|\n)\s*(\(2\)|2\)|②|ii\))\s*\S/iu;
/** Parts of the blade and the pan body: a crack placed there is not on a handle. */
const NOT_THE_HANDLE = new Set(['blade_body', 'spine', 'cutting_edge', 'tip', 'cooking_surface', 'rim']);
/** What is left of a type's score when the report names it only to deny it. */
const DENIED_TYPE = 0.3;
/** What is left of the handle-crack score when the report places the crack elsewhere. */
const NOT_PLACED_ON_THE_HANDLE = 0.2;
/** The confidence two defects named in words give, whichever of them the classifier favours. */
const TWO_NAMED_CONFIDENCE = 0.75;
/** Below this calibrated confidence the type is `unknown` and the parts are held for a person. */
const MINIMUM_CONFIDENCE = 0.5;
/** The evidence line of a re-inspection: which words named the earlier problem it re-checked. */
function earlierProblemNote(facts: ReportFacts): string {
  if (facts.sample_accepted && !facts.rechecks_earlier_problem)
    return 'the sampling plan the report quotes accepts the lot: the parts found are within its acceptance number';
  const terms = [
    ...new Set(facts.defect_terms.filter((hit) => hit.earlier_problem === true).map((hit) => hit.term)),
  ];
  return `"${terms.slice(0, 3).join('", "')}" names the earlier problem this inspection re-checked, not a finding`;
}

/** A count of parts found, or a rejection, in a line or sentence: "3/20 NG", "9 of 50", "11 pcs", 不良. */
const POSITIVE_COUNT =
  /(?<![\d.])[1-9]\d*\s*(\/|of|out of)\s*\d+|(?<![\d.])[1-9]\d*\s*(pcs|pieces|parts|units|pans|pots|woks|lids|knives|blades|handles|pairs|sets|skillets|把|件|只|个|支|套|副)(?![a-z])|\bng\b|不良|不合格|几(把|件|只|个|支|片)|\b(several|a few) (pcs|pieces|parts|units|blades|knives|pans|woks|pairs)\b/iu;

/** A negation in the same line or sentence ("12 blades humidity-tested, none rusty"). */
const NEGATION_IN_PART =
  /\b(no|none|not|without|zero)\b|(?<![\d.])0\s*(\/|ng|pcs)|无|没有|未发现|不(?!出|到|动|住)/iu;

/**
 * Whether the report gives a type its own count ("logo smudge | 5/20 NG", "另有 10/60 颜色发花"):
 * a second finding counted apart, not a word in passing.
 */
/** The evidence line of a stated conformance: its first three statements. */
function conformanceNote(facts: ReportFacts): string {
  return `the report states conformance ("${facts.conformance.slice(0, 3).join('", "')}")`;
}

/** A report on the plant whose parts a person must look at before anything is decided: `unknown`, held. */
function heldForAPerson({
  confidence,
  evidence,
  reason,
}: {
  confidence: number;
  evidence: string[];
  reason: string;
}): TypeDecision {
  return {
    kind: 'unknown',
    type: 'unknown',
    secondary: [],
    confidence,
    onTopic: true,
    evidence,
    citations: [],
    reason,
  };
}

/** Whether every word the report has for a type stands in a sentence about the spine ("spine and choil show chatter"). */
function saidOfTheSpine(facts: ReportFacts, type: string): boolean {
  const sentences = facts.text
    .toLowerCase()
    .split(/\n/u)
    .flatMap((line) => line.split(SENTENCE_END));
  const terms = termsOf(facts, type);
  return (
    terms.length > 0 &&
    terms.every((term) =>
      sentences.some((sentence) => sentence.includes(term) && /\bspines?\b|back edge|刀背/u.test(sentence)),
    )
  );
}

function countedOnItsOwn(facts: ReportFacts, type: string): boolean {
  const text = facts.text.toLowerCase();
  // Sentences, not the decimals of readings ("0.3 mm").
  const parts = text.includes('\n') ? text.split('\n') : text.split(/(?<!\d)\.|\.(?!\d)|[;。；]/u);
  const found = facts.defect_terms.filter(
    (hit) => hit.code === type && !hit.negated && hit.earlier_problem !== true,
  );
  return found.some((hit) =>
    parts.some((part) => {
      if (!part.includes(hit.term) || !POSITIVE_COUNT.test(part)) return false;
      // Only the sentences of the finding and its count are read: a check of another item on the
      // line ("Handles tight, no gap at the tang") frees those parts of nothing, and a sentence that
      // names and counts it ("Chips …, 11 of 90 knives") stands beside a check after the correction
      // ("checked on 20 pcs, no chips"), which frees only the parts it checked.
      const sentences = part.split(SENTENCE_END);
      const counting = sentences.filter(
        (sentence) => sentence.includes(hit.term) && POSITIVE_COUNT.test(sentence),
      );
      const ofTheFinding =
        counting.length > 0
          ? counting
          : [
              sentences
                .filter((sentence) => sentence.includes(hit.term) || POSITIVE_COUNT.test(sentence))
                .join(' '),
            ];
      // An aside in brackets ("（包装前没有擦拭）") says why, not that the parts are free of it.
      return ofTheFinding.some(
        (sentence) => !NEGATION_IN_PART.test(sentence.replace(/[(（][^()（）]*[)）]/gu, ' ')),
      );
    }),
  );
}

/** Defects whose severity rule makes them a safety or process failure (DOMAIN.md: critical). */
const SAFETY_TYPES = new Set<ConcreteDefectType>(['blade_chip', 'rust_spot']);

/**
 * Defects of a process that the plant scraps (DOMAIN.md: a weld, the heat treatment, a dimension, a
 * structural crack of the handle): found in a sample, they speak for the rest of the lot too.
 */
const PROCESS_DEFECT_TYPES = new Set<ConcreteDefectType>([
  'weld_defect',
  'heat_treatment_defect',
  'dimensional_error',
  'handle_crack',
]);

/**
 * A re-inspection of the whole lot or of an earlier problem (100 % sorts, re-checks, 复检, 全检), a
 * complaint investigated, or the first production verified after a fix (验证, 首炉, "ref: …"): the
 * defect word names what was checked for, not a part of this sample.
 */
const WHOLE_LOT_RECHECKED =
  /\b100 ?%|\b(re-?inspect\w*|re-?check\w*|re-?test\w*|all \d+|sort(ed|ing)?|previous\w*|earlier|last (week|lot|batch|time)|complain\w*|claim\w*|returns?|returned|rma|customers?|verif\w*|first (load|lot|batch|run|charge) after|(after|post)[- ](the )?(repair|fix|maintenance)|ref)\b|复检|复查|重检|全检|返工后|返修后|上次|之前|上批|客诉|投诉|退货|客户|顾客|验证|首炉|首批|维修后|修复后|参考|参照/iu;

/**
 * Whether every look-alike test the report makes points at a type it names ("pores at the weld",
 * "swirl marks" that are circular): such tests confirm the words instead of deciding between them.
 */
function lookAlikeTestsAgree(facts: ReportFacts, named: readonly ConcreteDefectType[]): boolean {
  const tests = facts.look_alike_tests;
  const agrees: Record<keyof typeof tests, (result: boolean) => boolean> = {
    at_weld: (result) => result && named.includes('weld_defect'),
    // Swirls in a handle's colour are the moulding's streaks, not a polish: the test decides there.
    circular: (result) =>
      result && named.includes('polish_defect') && !named.includes('handle_discoloration'),
    wipes_off: (result) =>
      result
        ? named.includes('surface_contamination')
        : named.includes('rust_spot') && !named.includes('surface_contamination'),
    has_depth: (result) => result && named.includes('blade_scratch'),
    pitting: (result) => result && named.includes('rust_spot'),
  };
  return (Object.entries(tests) as Array<[keyof typeof tests, boolean | undefined]>).every(
    ([name, result]) => result === undefined || agrees[name](result),
  );
}

/** Metallurgy that makes an edge chip: coarse grain, over-hard, brittle, overheated steel. */
const CHIP_METALLURGY =
  /grain|晶粒|粗晶|overheat|过热|过烧|over-?hard|too hard|hrc high|high hrc|过硬|太硬|硬度偏高|硬度过高|brittle|发脆/u;

/** Single marks called scratches in the shape of an arc ("arc-shaped scratches 6-11 mm", 弧形划痕): a wheel's edge touched the blade. */
const ARC_SCRATCHES =
  /\barc(-shaped|-like| shaped)?\s+scratch|\b(curved|arc(-shaped)?) (scratch|score|gouge)|\bscratch\w*\b[^.;]{0,30}\b(curved|arcs?|arc-shaped)\b|弧形划痕|圆弧(状|形)?划痕|划痕[^。；]{0,10}(弧形|圆弧)/u;

/**
 * Scratches the report measures by their length ("scratches > 5 mm", "longest scratch 11 mm", 划痕
 * 6-9 mm): a line has a length, a circular haze beside them is another mark.
 */
const SCRATCHES_BY_LENGTH =
  /\bscratch(es)?\b[^.;\n|]{0,12}[>≥]?\s*\d+(\.\d+)?\s*(-\s*\d+(\.\d+)?\s*)?mm\b|\blongest scratch\b|\bscratch(es)? length\b|划痕[^。；\n|]{0,6}\d+(\.\d+)?\s*(-\s*\d+(\.\d+)?\s*)?mm|划痕长度?/u;

/** Marks the report calls straight: "straight scratches", "linear marks", 直线划痕. */
const STRAIGHT_MARKS =
  /\b(straight|linear)\b[^.;\n]{0,20}\b(scratch\w*|lines?|marks?|scores?)\b|直线(状)?的?(划痕|划伤|痕)/u;

/** The writer saying they cannot tell what is wrong: "not sure what it is", 不知道是什么问题. */
const UNSURE_OF_THE_DEFECT =
  /\b(not sure|unsure|no idea|don'?t know|do not know|can'?t tell|cannot tell|hard to say)\b[^.;\n]{0,30}?(\b(what|which|why|whether|if)\b|什么|啥|哪)|\b(feels?|felt|looks?|looked|seems?|seemed)\s+(a bit\s+|a little\s+|slightly\s+|kind of\s+|somehow\s+)?(off|wrong|not (quite )?right|funny|strange|weird)\b|\bnot quite right\b|不确定|不知道(是)?(什么|啥|哪)|说不清|说不上来|不清楚(是)?(什么|啥)|看不出(是)?(什么|啥)|不好说|搞不清|感觉(有点)?(不对|怪|奇怪)|感觉不(太|大)对|不太对劲|有点不对/iu;

/** Below this probability of its best type, a report with no defect, count or reading is too vague to type. */
const VAGUE_PROBABILITY = 0.08;

/** The classifier's probability of a conforming report that a PASS needs besides the statement. */
const PASS_AGREEMENT = 0.25;
/**
 * The defect type a measurement out of its standard is itself (DOMAIN.md): hardness out of spec
 * is a heat-treatment defect, a dull or mis-angled edge an edge irregularity, rust in salt spray a
 * rust spot. Other types a reading suggests get a smaller push when the text names them.
 */
const MEASURED_TYPE: Record<string, ConcreteDefectType> = {
  hardness_hrc: 'heat_treatment_defect',
  sharpness_icp: 'edge_irregularity',
  edge_angle_deg: 'edge_irregularity',
  salt_spray_hours: 'rust_spot',
  dimension_mm: 'dimensional_error',
  edge_geometry_mm: 'edge_irregularity',
  gloss_gu: 'polish_defect',
  roughness_ra_um: 'polish_defect',
  flatness_mm: 'heat_treatment_defect',
  weld_pores: 'weld_defect',
  colour_delta_e: 'handle_discoloration',
  assembly_offset_mm: 'assembly_misalignment',
  opening_force_n: 'assembly_misalignment',
  coating_thickness_um: 'polish_defect',
  case_reading: 'heat_treatment_defect',
  // A column of a pasted sheet named after a defect of the glossary ("scratch_mm"), read against its limit.
  ...Object.fromEntries(CONCRETE_DEFECT_TYPES.map((type) => [`${type}_reading`, type])),
};

/**
 * A low sharpness next to hardness out of spec: steel that is too soft (or too hard) does not
 * take or hold an edge, so the reading is a consequence of the heat-treatment defect, not a
 * second defect of the edge.
 */
function explainedByHardness(finding: MeasurementFinding, failed: readonly MeasurementFinding[]): boolean {
  return (
    finding.measurement === 'sharpness_icp' && failed.some((other) => other.measurement === 'hardness_hrc')
  );
}

/**
 * A dimension the report gives as the cause, not as the defect: the component out of its drawing
 * ("the new rivets measure 3.90, drawing 4.00 ±0.05") explains the product's defect.
 */
function readingOfAStatedCause(finding: MeasurementFinding, facts: ReportFacts): boolean {
  if (finding.measurement !== 'dimension_mm' || finding.value === null) return false;
  // With no defect named, the reading is the only finding there is, not what explains another.
  if (!facts.defect_terms.some((hit) => !hit.negated && hit.earlier_problem !== true)) return false;
  return facts.stated_causes.some((cause) =>
    (cause.text.match(/\d+(?:\.\d+)?/g) ?? []).some((number) => Number(number) === finding.value),
  );
}

/** The checks of readings against limits only the report states (no plant standard holds them). */
const STATED_LIMIT_CHECKS = new Set([
  'dimension_mm',
  'edge_geometry_mm',
  'coating_thickness_um',
  'gloss_gu',
  'roughness_ra_um',
  'flatness_mm',
  'weld_pores',
  'colour_delta_e',
  'assembly_offset_mm',
]);

/**
 * The report's readings against the limits it states itself (a drawing tolerance): the plant's
 * standards do not hold a dimension of each part, so only the report can say it is out.
 */
export function statedLimitFindings(facts: ReportFacts): MeasurementFinding[] {
  return facts.standard_checks
    .filter((check) => STATED_LIMIT_CHECKS.has(check.name) || check.limit.startsWith('as stated'))
    .map((check) => ({
      measurement: check.name,
      value: check.value,
      limit: check.limit,
      status: check.status,
      implication:
        check.status === 'within'
          ? 'within the tolerance the report states'
          : check.name === 'dimension_mm'
            ? `${check.status} the tolerance the report states: the part is out of its drawing`
            : `${check.status} the limit the report states for it`,
      suggests_defect_types: check.suggests_defect_types,
      suggests_stages: check.suggests_stages,
    }));
}
/** Weight of the vote of the most similar past defects against the classifier's probability. */
const SIMILAR_VOTE_WEIGHT = 0.1;

/**
 * The least score of the type a reading out of its limit points to when the report names another
 * defect in words: a finding of its own, below the named one unless the classifier agrees.
 */
const MEASURED_WITH_OTHER_NAMED = 0.5;

/** The least score of the one type a report names in its own words (see the classifier skill). */
const SOLE_NAMED_TYPE = 0.55;

const SEVERITY_ORDER: Record<Severity, number> = { none: 0, cosmetic: 1, minor: 2, major: 3, critical: 4 };

/** The report the classifier reads. */
export function reportOf(conversation: Conversation): InspectionReport {
  return (conversation.sections.report ?? {}) as InspectionReport;
}

/** The report facts, read from the report itself (the summary in the input is for hosted models). */
export function factsOf(conversation: Conversation): ReportFacts {
  return readReportFacts(reportOf(conversation));
}

/** The measurements the checks take: the report's fields, completed by values written in its text. */
export function measurementInput(
  report: InspectionReport,
  facts: ReportFacts = readReportFacts(report),
): Record<string, number> {
  const input: Record<string, number> = {};
  for (const key of KNOWN_MEASUREMENTS) {
    const field = report.measurements?.[key];
    const written = facts.measurements.find((value) => value.name === key);
    if (typeof field === 'number') input[key] = field;
    else if (written) input[key] = written.value;
  }
  if (input.edge_angle_deg !== undefined && facts.nominal_edge_angle_deg !== null)
    input.nominal_edge_angle_deg = facts.nominal_edge_angle_deg;
  // An angle the facts could not check (no nominal in a lot the report passes) is not checked
  // against the knives' usual 15° either.
  if (
    input.edge_angle_deg !== undefined &&
    facts.nominal_edge_angle_deg === null &&
    !facts.standard_checks.some((check) => check.name === 'edge_angle_deg')
  )
    delete input.edge_angle_deg;
  // Likewise a salt-spray read the facts took for an interim pass (an early read without rust, or a
  // shorter test the report passes).
  if (
    input.salt_spray_hours !== undefined &&
    !facts.standard_checks.some((check) => check.name === 'salt_spray_hours')
  )
    delete input.salt_spray_hours;
  return input;
}

function searchText(report: InspectionReport, facts: ReportFacts): string {
  const measurements = Object.entries(report.measurements ?? {})
    .map(([key, value]) => `${key.replaceAll('_', ' ')} ${value}`)
    .join(', ');
  return [facts.text, measurements].filter(Boolean).join('. ').slice(0, 3900) || 'inspection report';
}

/**
 * Whether a text is an inspection report of this plant: it names a defect, a non-conformance, a
 * count, a measurement or a SKU, or at least two of a stage, a product and a part area (a stage
 * or a product word alone, as in a question about a printer or a recipe for the wok, is not).
 */
export function describesThePlant(report: InspectionReport, facts: ReportFacts): boolean {
  // In a notice or an agenda, "the rust complaint", "chip claim CC-12" name records to discuss.
  const administrative = ADMINISTRATIVE_MESSAGE.test(facts.text);
  const findings = facts.defect_terms.filter(
    (hit) => !(administrative && namesARecord(facts.text, hit.term)),
  );
  const strong =
    findings.length +
    facts.ambiguous_terms.length +
    facts.nonconformance.length +
    facts.counts.length +
    facts.measurements.length +
    (report.product_sku ? 1 : 0);
  // A department's name ("品质部群", "QA dept") says who writes, not what was made or checked.
  const stageNamed = facts.stage_cues.some((cue) => !/(部|科|处)$|\b(department|dept)\b/u.test(cue.term));
  const kinds = [stageNamed, facts.product_family !== null, facts.areas.length > 0].filter(Boolean).length;
  // A notice, a meeting or a request of samples that names products but reports nothing found or
  // checked: the plant's business, not an inspection report.
  if (strong === 0 && administrative && !TROUBLE.test(facts.text)) return false;
  return (
    strong > 0 ||
    kinds >= 2 ||
    (kinds === 1 && facts.conformance.length > 0) ||
    (PRODUCTION_REFERENCE.test(facts.text) && TROUBLE.test(facts.text.replace(NO_TROUBLE, ' ')))
  );
}

/** Words that say there is no trouble: "no problem", "没问题", "no issues". */
const NO_TROUBLE = /\bno (problem|problems|issue|issues)\b|没(有)?问题|没事/giu;

/** A notice, a meeting, a training, an invoice or a schedule: the plant's business, not an inspection. */
const ADMINISTRATIVE_MESSAGE =
  /【通知】|^\s*(通知|公告|notice|memo|reminder|invitation)(?![a-z])|\b(meeting|agenda|training session|photo ?shoot|catalogue|catalog|invoice|payment|holiday|canteen|(fire|evacuation|emergency) drills?|newsletter|town ?hall|team building|birthday|dinner|lunch|party|sign[- ]?up)\b|会议通知|开会|议程|日程|审核安排|培训|拍摄|产品目录|样册|发票|付款|放假|食堂|消防演习|消防演练|疏散演练|应急演练|团建|生日会|聚餐|聚会|报名|年会/iu;

/** Whether every mention of a defect word is the name of a record: "the rust complaint", "chip claim CC-12", "burr 8D". */
function namesARecord(text: string, term: string): boolean {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const mentions = [...text.toLowerCase().matchAll(new RegExp(escaped, 'gu'))];
  return (
    mentions.length > 0 &&
    mentions.every((mention) =>
      RECORD_AFTER.test(
        text.toLowerCase().slice(mention.index + term.length, mention.index + term.length + 16),
      ),
    )
  );
}

/** The noun of a record right after a defect word. */
const RECORD_AFTER =
  /^\s*(complaints?|claims?|8d\b|ncrs?\b|cars?\b|cases?\b|files?\b|reports?\b)|^\s*(投诉|客诉|案例|报告)/u;

/** Types whose finding is not a mark on a surface: what wipes off, or how deep a mark is, says nothing of them. */
const NOT_A_MARK = new Set<ConcreteDefectType>([
  'handle_crack',
  'blade_chip',
  'dimensional_error',
  'assembly_misalignment',
  'edge_irregularity',
]);

/** A lot, batch, line or shift of the plant ("tonight's batch", "line 4", 这批). */
const PRODUCTION_REFERENCE =
  /\b(lot|lots|batch|batches|line \d+|shift|run|order|pallet|carton|knifes|knives|blades?|scissors|pans?|woks?|shipments?|deliver(y|ies)|consignments?|packing)\b|这批|那批|批货|批次|这一批|那一批|产线|线上|班次|夜班|白班|出货|发货|刀|剪|锅/iu;
/** A word for trouble that does not name a defect ("not right", 有点问题). */
const TROUBLE =
  /\b(problem|problems|issue|issues|off|wrong|not right|isn'?t right|(does ?n[o']t|don'?t|not) look right|rite|weird|strange|odd|funny|bad|abnormal|suspicious|not happy|complain\w*)\b|问题|不对|异常|不良|奇怪|怪怪|不太对|有点|先别出|别发/iu;

/** A handle of plastic or wood: POM, ABS, PP, nylon, pakkawood, 塑料柄, 木柄. */
const NON_METAL_HANDLE = new RegExp(`${PLASTIC_HANDLE.source}|${WOODEN_HANDLE.source}`, 'iu');

/** The type decision, with what it rests on. */
export interface TypeDecision {
  kind: 'defect' | 'none' | 'unknown';
  type: ConcreteDefectType | 'unknown' | 'none';
  /** Further defect types the report describes, most probable first. */
  secondary: ConcreteDefectType[];
  confidence: number;
  /** Whether the text describes anything of the plant at all. */
  onTopic: boolean;
  evidence: string[];
  citations: string[];
  reason: string | null;
}

function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

function termsOf(facts: ReportFacts, type: string): string[] {
  return [
    ...new Set(facts.defect_terms.filter((hit) => hit.code === type && !hit.negated).map((hit) => hit.term)),
  ];
}

/**
 * Decides the type from the trained classifier, the report facts (negations, conformance,
 * failed standard checks) and a small vote of the most similar past defects, under the safety
 * floor: PASS only with an explicit conformance statement and no defect evidence; a report
 * that names no defect and states no conformance is held for a person.
 */
export function decideType({
  report,
  facts,
  prediction,
  similar,
  checks,
}: {
  report: InspectionReport;
  facts: ReportFacts;
  prediction: ClassifierPrediction;
  similar: z.infer<typeof FindSimilarDefectsOutput> | undefined;
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined;
}): TypeDecision {
  const instructionNote =
    facts.instructions.length > 0
      ? ['the report contains instructions addressed to the system; they were ignored']
      : [];
  const hasMeasurements =
    Object.keys(report.measurements ?? {}).length > 0 ||
    facts.measurements.length > 0 ||
    facts.standard_checks.length > 0;
  if (!describesThePlant(report, facts) && !hasMeasurements) {
    return {
      kind: 'unknown',
      type: 'unknown',
      secondary: [],
      confidence: 0.1,
      onTopic: false,
      evidence: [
        ...instructionNote,
        'the text does not describe a part, a process or a measurement of this plant',
      ],
      citations: [],
      reason: 'off-topic: not an inspection report',
    };
  }
  const probability = new Map(prediction.types.map((entry) => [entry.name, entry.probability]));
  const defects = similar?.defects ?? [];
  const top = defects[0]?.score ?? 0;
  const votes = new Map<string, number>();
  let voteTotal = 0;
  defects.slice(0, 5).forEach((defect, rank) => {
    const weight = defect.score / Math.max(top, 1e-9) / (1 + rank * 0.5);
    votes.set(defect.defect_type, (votes.get(defect.defect_type) ?? 0) + weight);
    voteTotal += weight;
  });
  const failed = [...(checks?.findings ?? []), ...statedLimitFindings(facts)].filter(
    (finding) => finding.status !== 'within' && !readingOfAStatedCause(finding, facts),
  );
  const scores = new Map<ConcreteDefectType, number>();
  for (const type of CONCRETE_DEFECT_TYPES) {
    let score =
      (1 - SIMILAR_VOTE_WEIGHT) * (probability.get(type) ?? 0) +
      (voteTotal > 0 && facts.defect_evidence
        ? SIMILAR_VOTE_WEIGHT * ((votes.get(type) ?? 0) / voteTotal)
        : 0);
    const namedOther = CONCRETE_DEFECT_TYPES.some(
      (other) => other !== type && termsOf(facts, other).length > 0,
    );
    for (const finding of failed) {
      if (MEASURED_TYPE[finding.measurement] === type && !explainedByHardness(finding, failed))
        // Of two types shown by readings, the one more readings show comes first.
        score = namedOther
          ? Math.max(score + 0.15, MEASURED_WITH_OTHER_NAMED)
          : Math.max(
              score,
              0.6 + failed.filter((other) => MEASURED_TYPE[other.measurement] === type).length / 1000,
            );
      else if (finding.suggests_defect_types.includes(type) && termsOf(facts, type).length > 0) score += 0.1;
    }
    scores.set(type, score);
  }
  // A crack the report places on the blade or the pan body and never on a handle is not a handle
  // crack, whatever the classifier makes of the word; the handle types need the handle.
  // So does a colour change: a discoloured band on the blade is not the handle's colour.
  // A handle type discounted here keeps its discount in the confidence too: the classifier's own
  // confidence in it is what the placement overrules.
  const discounted = new Set<ConcreteDefectType>();
  for (const type of ['handle_crack', 'handle_discoloration'] as const)
    if (
      !facts.areas.includes('handle') &&
      facts.areas.some((area) => NOT_THE_HANDLE.has(area)) &&
      termsOf(facts, type).length === 0
    ) {
      scores.set(type, (scores.get(type) ?? 0) * NOT_PLACED_ON_THE_HANDLE);
      discounted.add(type);
    }
  // A defect the report names only to deny it ("no material missing", "chips: none") is what was
  // ruled out, whatever the classifier or the past cases make of the words.
  for (const type of CONCRETE_DEFECT_TYPES)
    if (
      termsOf(facts, type).length === 0 &&
      facts.defect_terms.some((hit) => hit.code === type && hit.negated && hit.earlier_problem !== true) &&
      !failed.some((finding) => MEASURED_TYPE[finding.measurement] === type)
    )
      scores.set(type, (scores.get(type) ?? 0) * DENIED_TYPE);
  // The report names one defect, in the plant's own words for exactly one type, and no reading
  // points elsewhere: that type is the finding even when the rest of the text is unlike the
  // training reports (the classifier's probability then says more about the style than the defect).
  const named = CONCRETE_DEFECT_TYPES.filter((type) =>
    facts.defect_terms.some((hit) => hit.code === type && !hit.negated && hit.earlier_problem !== true),
  );
  // Conformance of other items beside an explicit failure ("hardness passed; salt spray: red rust -
  // FAIL") is not a verdict on the lot.
  // So are OKs on other check items ("外观 OK，硬度 OK，包装 OK") beside a defect counted on its own
  // line ("2/80 pcs 崩口"): item verdicts, not a release of the lot.
  const onlyItemVerdicts = facts.conformance.every(
    (statement) =>
      statement === 'ok' ||
      // "hardness 57.4-58.0 HRC (in spec)": a reading's verdict.
      /^(in|within) (spec|tolerance)$/u.test(statement) ||
      statement.startsWith('no ') ||
      statement.endsWith('within the standards'),
  );
  // "硬度…正常，金相正常", "the doser itself is fine": a reading, a check or a piece of equipment
  // called normal is never the verdict on the lot.
  const noVerdictOfConformance =
    facts.conformance.every(
      (statement) =>
        statement === '正常' ||
        statement === 'normal' ||
        statement === 'is fine' ||
        statement === 'are fine' ||
        statement.endsWith('within the standards'),
    ) ||
    facts.nonconformance.length > 0 ||
    ((onlyItemVerdicts ||
      // "morning welds bright and clean", "torch and cup fine": other parts or equipment called good.
      facts.conformance.every(
        (statement) => statement === 'ok' || /^(clean|fine|good|正常|良好)$/u.test(statement),
      )) &&
      named.length === 1 &&
      countedOnItsOwn(facts, named[0]!));
  const chipExplainedByMetallurgy =
    named.includes('blade_chip') &&
    facts.defect_terms
      .filter((hit) => hit.code === 'heat_treatment_defect' && !hit.negated && hit.earlier_problem !== true)
      .every((hit) => CHIP_METALLURGY.test(hit.term));
  // A word inside the cause the report states ("wire rusty on the surface", "the handle surface
  // overheated") describes the cause, not a second finding.
  const namedInFindings = named.filter(
    (type) =>
      facts.defect_terms.some(
        (hit) =>
          hit.code === type &&
          !hit.negated &&
          hit.earlier_problem !== true &&
          !facts.stated_causes.some((cause) => cause.text.includes(hit.term)) &&
          // Overheating is what the heat did to the part, a cause as often as a finding.
          !/overheat|过热|过烧/u.test(hit.term),
      ) &&
      // Coarse grain, over-hard or brittle steel found in chipped blades is why they chipped (a chip
      // made at heat treatment), not a second finding.
      !(type === 'heat_treatment_defect' && chipExplainedByMetallurgy),
  );
  // One type named in the findings: the report's words for it alone, or the one of two named whose
  // other word sits inside the cause the report states.
  const soleInFindings = named.length === 1 ? named : namedInFindings.length === 1 ? namedInFindings : [];
  const soleNamed =
    soleInFindings.length === 1 &&
    noVerdictOfConformance &&
    // A look-alike test that points elsewhere decides instead; one that agrees ("at the weld" for a
    // weld word, residue that wipes off) does not.
    (Object.keys(facts.look_alike_tests).length === 0 ||
      (Object.keys(facts.look_alike_tests).every((test) => test === 'at_weld') &&
        facts.look_alike_tests.at_weld === true &&
        soleInFindings[0] === 'weld_defect') ||
      // A residue that wipes off is residue wherever it sits, at a weld or a bolster too.
      (soleInFindings[0] === 'surface_contamination' &&
        Object.keys(facts.look_alike_tests).every((test) => test === 'wipes_off' || test === 'at_weld') &&
        facts.look_alike_tests.wipes_off === true) ||
      // A mark that does not wipe off is no residue: it agrees with any other named type (pores
      // beside an oil film "not wiped clean").
      (soleInFindings[0] !== 'surface_contamination' &&
        Object.entries(facts.look_alike_tests).every(
          ([test, result]) =>
            (test === 'wipes_off' && result === false) ||
            // Whether a film wipes off or a mark has depth says nothing of a crack, a chip or a size:
            // a residue beside them is another finding, not a doubt about theirs.
            ((test === 'wipes_off' || test === 'has_depth') && NOT_A_MARK.has(soleInFindings[0]!)) ||
            (test === 'at_weld' && result === true && soleInFindings[0] === 'weld_defect'),
        )) ||
      // Scratches the report calls straight, beside a haze or swirl it names apart ("deep straight
      // scratches …; also dull hazy patches"): the circular look is the other mark's, not theirs.
      (soleInFindings[0] === 'blade_scratch' &&
        Object.keys(facts.look_alike_tests).every((test) => test === 'circular' || test === 'has_depth') &&
        facts.look_alike_tests.has_depth !== false &&
        STRAIGHT_MARKS.test(facts.text)) ||
      // Marks that run in circles are the look of a finish gone wrong, which agrees with a polish defect.
      (soleInFindings[0] === 'polish_defect' &&
        Object.entries(facts.look_alike_tests).every(
          ([test, result]) => test === 'circular' && result === true,
        ))) &&
    !facts.defect_terms.some((hit) => hit.superseded === true) &&
    !failed.some(
      (finding) =>
        MEASURED_TYPE[finding.measurement] && MEASURED_TYPE[finding.measurement] !== soleInFindings[0],
    )
      ? soleInFindings[0]
      : undefined;
  if (soleNamed) scores.set(soleNamed, Math.max(scores.get(soleNamed) ?? 0, SOLE_NAMED_TYPE));
  // Two defects named in the plant's words, neither denied, with no test or reading pointing
  // elsewhere: both are findings, in the classifier's order, however unlike its training reports
  // the rest of the text is.
  const bothNamed =
    // Two findings named in words; a third type named as what explains a chip is not one of them.
    (named.length === 2 || (named.length === 3 && chipExplainedByMetallurgy)) &&
    namedInFindings.length === 2 &&
    // Chatter along the spine is the back-edge finish, not the cutting edge.
    !(
      named.includes('edge_irregularity') &&
      named.includes('polish_defect') &&
      facts.areas.includes('spine')
    ) &&
    // Item verdicts beside the findings ("hardness within the standards") are no verdict on the lot.
    (facts.conformance.length === 0 || onlyItemVerdicts) &&
    lookAlikeTestsAgree(facts, named) &&
    !facts.defect_terms.some((hit) => hit.superseded === true) &&
    !failed.some(
      (finding) => MEASURED_TYPE[finding.measurement] && !named.includes(MEASURED_TYPE[finding.measurement]!),
    )
      ? namedInFindings
      : [];
  for (const type of bothNamed)
    scores.set(type, Math.max(scores.get(type) ?? 0, SOLE_NAMED_TYPE + (probability.get(type) ?? 0) / 10));
  // Defects named in words and counted in their own line or sentence ("knob off-centre … 26/80",
  // "scratches … 19/80"), where no one or two of them stand alone and the classifier is sure of no
  // type: each counted one is a finding, in the classifier's order, rather than nothing at all.
  const countedNamed =
    !soleNamed &&
    bothNamed.length === 0 &&
    noVerdictOfConformance &&
    !facts.conformance.some((statement) => LOT_VERDICT_STATEMENT.test(statement)) &&
    // Only where the classifier itself is sure of no type: its own choice stands otherwise.
    Math.max(0, ...CONCRETE_DEFECT_TYPES.map((type) => probability.get(type) ?? 0)) < MINIMUM_CONFIDENCE &&
    !facts.defect_terms.some((hit) => hit.superseded === true)
      ? namedInFindings.filter((type) => countedOnItsOwn(facts, type))
      : [];

  const transfers = applyLookAlikeTests(scores, facts);
  const ranked = [...scores.entries()].sort((left, right) => right[1] - left[1]);
  const [bestType, bestScore] = ranked[0] as [ConcreteDefectType, number];
  const noneProbability = probability.get('none') ?? 0;
  const conforming = facts.conformance.length > 0;
  const noEvidence = !facts.defect_evidence && failed.length === 0;
  // A re-inspection that names the earlier problem it re-checked and states conformance: the
  // defect words are what was checked for, so the report is read as a passing one (PASS only with
  // the classifier's agreement, else HOLD for a person).
  const recheckPassed = facts.rechecks_earlier_problem && conforming && failed.length === 0;
  // A lot its sampling plan accepts with a bad part in the sample: the plan's decision is not the
  // report's to overturn with a rework, but PASS needs no defect evidence, so a person decides.
  const sampleAccepted =
    facts.sample_accepted && facts.defect_evidence && conforming && failed.length === 0 && !recheckPassed;
  if (sampleAccepted)
    return heldForAPerson({
      confidence: 0.45,
      evidence: [...instructionNote, conformanceNote(facts), earlierProblemNote(facts)],
      reason:
        'the sampling plan accepts the lot, but a nonconforming part was found in the sample: a person must confirm before the lot is released',
    });

  // A safety defect (a chip, rust) or a defect of a process the plant scraps found in this
  // inspection's sample and only that part taken out: the rest of the lot was not sorted for it, so
  // a person decides before it is released. A finding the report's own look-alike test rules out
  // (a brown speck that wiped off with no pit under it) was never that defect.
  const ruledOut = ruledOutByLookAlikeTests(facts);
  const safetyDefectSorted =
    recheckPassed &&
    facts.defect_terms.some(
      (hit) =>
        hit.earlier_problem === true &&
        !hit.negated &&
        !ruledOut.has(hit.code as ConcreteDefectType) &&
        (SAFETY_TYPES.has(hit.code as ConcreteDefectType) ||
          PROCESS_DEFECT_TYPES.has(hit.code as ConcreteDefectType)),
    ) &&
    !WHOLE_LOT_RECHECKED.test(facts.text) &&
    // A complaint the check did not confirm found no such part at all.
    !complaintNotConfirmed(facts);
  if (safetyDefectSorted)
    return heldForAPerson({
      confidence: 0.45,
      evidence: [...instructionNote, earlierProblemNote(facts), conformanceNote(facts)],
      reason:
        'a safety or process defect was found in the sample and only that part was taken out; the rest of the lot was not sorted for it: a person must confirm before the lot is released',
    });
  // A report that names no defect and says the writer cannot tell what is wrong ("not sure what
  // the problem is", 不知道是什么问题): the parts wait for a person, whatever the words resemble,
  // and whatever else it calls normal ("其他都 normal").
  if (noEvidence && UNSURE_OF_THE_DEFECT.test(facts.text))
    return heldForAPerson({
      confidence: 0.2,
      evidence: [
        ...instructionNote,
        'the report names no defect and says the writer cannot tell what is wrong',
      ],
      reason: 'the writer cannot tell what the defect is and names none: a person must look at the parts',
    });
  if (
    recheckPassed ||
    // A report that states conformance and holds no defect evidence at all (no defect word, count,
    // reading out or non-conformance) is never reworked or scrapped on the classifier's word: it
    // is released when the classifier agrees, else held for a person.
    (noEvidence &&
      (noneProbability >= bestScore || facts.conformance.some((statement) => !statement.startsWith('no '))))
  ) {
    if (
      conforming &&
      (classifierAgreesItConforms(probability, facts) ||
        (recheckPassed && conformanceShown(facts)) ||
        // A complaint the plant's check rejects ("complaint not confirmed", "不是质量问题"), with
        // nothing it found left open: the claim was investigated and the product conforms.
        complaintNotConfirmed(facts) ||
        // A verdict on the lot that its own counts or readings show ("Dims … within; drop 0/10
        // cracked. Result: accepted"), with no defect word left open: the record passes the lot.
        (!recheckPassed && conformanceShown(facts) && lotVerdictGiven(facts)))
    ) {
      return {
        kind: 'none',
        type: 'none',
        secondary: [],
        confidence: Math.round(Math.max(0.6, Math.min(0.97, noneProbability)) * 100) / 100,
        onTopic: true,
        evidence: [
          ...instructionNote,
          conformanceNote(facts),
          ...(facts.defect_terms.some((hit) => hit.negated)
            ? [
                `defects it names are negated ("${[...new Set(facts.defect_terms.filter((hit) => hit.negated).map((hit) => hit.term))].slice(0, 4).join('", "')}")`,
              ]
            : []),
          ...(recheckPassed ? [earlierProblemNote(facts)] : []),
          'no measurement is out of spec',
        ],
        citations: [],
        reason: null,
      };
    }
    const doubtfulConfidence = Math.round(Math.min(0.45, Math.max(0.2, noneProbability * 0.5)) * 100) / 100;
    if (recheckPassed)
      return heldForAPerson({
        confidence: doubtfulConfidence,
        evidence: [...instructionNote, earlierProblemNote(facts), conformanceNote(facts)],
        reason:
          'a re-inspection of an earlier problem that states conformance, but the classifier does not agree the parts conform: a person must confirm before the parts are released',
      });
    return heldForAPerson({
      confidence: doubtfulConfidence,
      evidence: [
        ...instructionNote,
        conforming
          ? `${conformanceNote(facts)} and names no defect, but the classifier gives a conforming report only ${percent(noneProbability)}`
          : 'the report names no defect, but it does not state that the parts conform either',
      ],
      reason: conforming
        ? 'conformance stated, but the classifier does not agree the parts conform: a person must confirm before the parts are released'
        : 'no defect described and no explicit conformance statement: a person must confirm before the parts are released',
    });
  }

  // A report that names no defect, no count and no reading, and states no conformance either, whose
  // words the classifier matches to no type with conviction: too vague to type, a person looks.
  if (noEvidence && !conforming && (probability.get(bestType) ?? 0) < VAGUE_PROBABILITY)
    return heldForAPerson({
      confidence: 0.3,
      evidence: [
        ...instructionNote,
        `the report names no defect, count or reading, and the classifier gives its best type ${bestType} only ${percent(probability.get(bestType) ?? 0)}`,
      ],
      reason:
        'too vague to classify: no defect, count or reading is named, so a person must look at the parts',
    });
  const runnerUp = ranked[1]?.[0];
  const twoNamed =
    runnerUp !== undefined &&
    termsOf(facts, bestType).length > 0 &&
    termsOf(facts, runnerUp).length > 0 &&
    (ADDS_A_FINDING.test(facts.text) || countedOnItsOwn(facts, runnerUp)) &&
    facts.conformance.length === 0;
  const confidence =
    Math.round(
      Math.min(
        0.97,
        Math.max(
          0.05,
          (prediction.types[0]?.name === bestType && !discounted.has(bestType)) ||
            (prediction.types[0] !== undefined &&
              transfers.get(prediction.types[0].name as ConcreteDefectType) === bestType)
            ? prediction.typeConfidence
            : bestScore,
          // A reading out of its limit is evidence of its own, whatever the words say; so is the
          // one defect the report names.
          failed.some((finding) => MEASURED_TYPE[finding.measurement] === bestType) ||
            soleNamed === bestType ||
            bothNamed.includes(bestType)
            ? bestScore
            : 0,
          // Two defects the report names in words, the second added or counted on its own ("手柄裂纹
          // 3/60，另外错位 4 把"): the classifier splitting its belief between them is no doubt that
          // there is a defect.
          twoNamed ? Math.min(TWO_NAMED_CONFIDENCE, bestScore + (ranked[1]?.[1] ?? 0)) : 0,
        ),
      ) * 100,
    ) / 100;
  const secondary = ranked
    .slice(1)
    .filter(
      ([type, score]) =>
        !(
          ruledOut.has(type) &&
          termsOf(facts, type).every((term) => APPEARANCE.test(term) && !SUBSTANCE.test(term))
        ) &&
        // A temper colour placed away from the weld is the steel's, not a weld defect of its own.
        !(
          type === 'weld_defect' &&
          facts.look_alike_tests.at_weld === false &&
          termsOf(facts, type).every((term) => TINT.test(term))
        ) &&
        // A finding a look-alike rule moved to another type is that type's, not a second defect.
        !transfers.has(type) &&
        // Chatter or waves along the spine beside a finish named there are the back-edge finish.
        !(type === 'edge_irregularity' && named.includes('polish_defect') && saidOfTheSpine(facts, type)) &&
        // Overheating named alone ("把手表面过热", "the surface overheated") is what the heat did, the
        // cause of the finding beside it, unless a reading of the steel shows it.
        !(
          termsOf(facts, type).length > 0 &&
          termsOf(facts, type).every((term) => /overheat|过热|过烧/u.test(term)) &&
          !failed.some((finding) => MEASURED_TYPE[finding.measurement] === type)
        ) &&
        // A type the report names only to deny it (a chip denied because the edge is whole) is not a finding.
        !(
          termsOf(facts, type).length === 0 &&
          facts.defect_terms.some((hit) => hit.code === type && hit.negated && hit.earlier_problem !== true)
        ) &&
        ((score >=
          (ADDS_A_FINDING.test(facts.text) || countedOnItsOwn(facts, type)
            ? SECONDARY_WITH_WORDS_ADDED
            : SECONDARY_WITH_WORDS) &&
          termsOf(facts, type).length > 0) ||
          score >= SECONDARY_PROBABILITY ||
          failed.some(
            (finding) => MEASURED_TYPE[finding.measurement] === type && !explainedByHardness(finding, failed),
          )),
    )
    .map(([type]) => type);
  const supporting = defects.filter((defect) => defect.defect_type === bestType).slice(0, 3);
  const evidence = [
    ...instructionNote,
    `the classifier gives ${bestType} ${percent(probability.get(bestType) ?? 0)}${ranked[1] ? ` (next ${ranked[1][0]} ${percent(probability.get(ranked[1][0]) ?? 0)})` : ''}`,
    ...(termsOf(facts, bestType).length > 0
      ? [`the report says "${termsOf(facts, bestType).slice(0, 3).join('", "')}"`]
      : []),
    ...failed
      .filter((finding) => finding.suggests_defect_types.includes(bestType))
      .map(
        (finding) =>
          `${finding.measurement} ${finding.value} is ${finding.status} ${finding.limit}: ${finding.implication}`,
      ),
    ...(facts.defect_terms.some((hit) => hit.negated)
      ? [
          `negated in the report: "${[...new Set(facts.defect_terms.filter((hit) => hit.negated).map((hit) => hit.term))].slice(0, 3).join('", "')}"`,
        ]
      : []),
    ...(supporting.length > 0
      ? [
          `${supporting.length} of the most similar past defects are ${bestType} (${supporting.map((defect) => defect.source_id).join(', ')})`,
        ]
      : []),
  ];
  if (confidence < MINIMUM_CONFIDENCE && countedNamed.length > 0) {
    const [first, ...others] = [...countedNamed].sort(
      (left, right) => (probability.get(right) ?? 0) - (probability.get(left) ?? 0),
    ) as [ConcreteDefectType, ...ConcreteDefectType[]];
    return {
      kind: 'defect',
      type: first,
      // A finding the report adds in words ("(2) bracket low and the handle crooked") is one too.
      secondary: [
        ...others,
        ...(ADDS_A_FINDING.test(facts.text) || NUMBERED_SECOND_FINDING.test(facts.text)
          ? namedInFindings.filter((type) => type !== first && !others.includes(type))
          : []),
      ],
      confidence: SOLE_NAMED_TYPE,
      onTopic: true,
      evidence: [
        ...evidence,
        `the report names and counts ${countedNamed.map((type) => `${type} ("${termsOf(facts, type)[0] ?? type}")`).join(' and ')}`,
      ],
      citations: supporting.map((defect) => defect.chunk_id),
      reason:
        facts.instructions.length > 0
          ? 'the report contains instructions addressed to the system; a person must review it'
          : null,
    };
  }
  if (confidence < MINIMUM_CONFIDENCE) {
    return {
      kind: 'unknown',
      type: 'unknown',
      secondary: [],
      confidence: Math.min(confidence, 0.45),
      onTopic: true,
      evidence,
      citations: supporting.map((defect) => defect.chunk_id),
      reason: `too vague to classify with confidence (best guess ${bestType}, ${percent(bestScore)})`,
    };
  }
  // A complaint the plant's check rejects, whose lot it finds conforming, with no count of bad
  // parts and no reading out of its limit: the defect words left are the customer's and the
  // check's descriptions, so the lot is not reworked or scrapped on them; a person decides.
  if (
    facts.detection_point === 'customer' &&
    facts.conformance.some((statement) => NOT_CONFIRMED.test(statement)) &&
    failed.length === 0 &&
    facts.conformance.some((statement) => LOT_VERDICT_STATEMENT.test(statement)) &&
    !facts.counts.some((count) => (count.affected ?? 0) > 0 || (count.rate_percent ?? 0) > 0)
  )
    return heldForAPerson({
      confidence: Math.min(confidence, 0.45),
      evidence: [...evidence, conformanceNote(facts)],
      reason: `the plant's check rejects the complaint and finds the lot conforming, but the report still describes ${bestType}: a person must confirm before the parts are released`,
    });
  // A lot released under a written concession for the deviation the report records (让步接收, a
  // deviation permit): the customer accepted it, so it is neither reworked nor scrapped on that
  // deviation, nor passed as conforming without a person.
  if (
    RELEASED_UNDER_CONCESSION.test(facts.text.toLowerCase()) &&
    facts.conformance.some((statement) => LOT_VERDICT_STATEMENT.test(statement)) &&
    !facts.counts.some((count) => (count.affected ?? 0) > 0 || (count.rate_percent ?? 0) > 0)
  )
    return heldForAPerson({
      confidence: Math.min(confidence, 0.45),
      evidence: [...evidence, conformanceNote(facts)],
      reason: `the lot is released under a concession for a deviation the report records (${bestType}): a person must confirm the concession covers it`,
    });
  return {
    kind: 'defect',
    type: bestType,
    secondary,
    confidence,
    onTopic: true,
    evidence,
    citations: supporting.map((defect) => defect.chunk_id),
    reason:
      facts.instructions.length > 0
        ? 'the report contains instructions addressed to the system; a person must review it'
        : null,
  };
}

/**
 * The look-alike rules of DOMAIN.md, applied to the tests the report describes: marks that wipe
 * off are contamination and marks with pits that stay are rust; marks with depth are scratches
 * and circular haze without depth is polish; a tint at the weld is a weld defect.
 */
/** Words for a colour change of the steel: the look-alike pair of weld heat tint and heat-treatment discoloration. */
const TINT =
  /\b(tint\w*|discolou?r\w*|colou?r\w*|blue|bluish|bluing|blueing|straw|bronze|rainbow|oxid\w*|band\w*|burn\w*|dark\w*|black\w*|yellow\w*|brown\w*)\b|变色|色|发蓝|发黑|发黄|氧化|回火色|彩虹|烧/iu;

/** The temper colours of overheated steel: straw, bronze, blue, rainbow bands. */
const TEMPER_COLOUR =
  /\b(straw|bronze|blue|bluish|purple|rainbow|temper colou?rs?|heat tint|oxide colou?rs?)\b|发蓝|蓝色|蓝紫|回火色|彩虹|稻草色|古铜色/iu;

/** A crack placed in a weld: its toe, bead, seam or fusion line (焊缝开裂), not the weld line of a moulding. */
const CRACKED_WELD =
  /\b(welds?|welded joint|weld (seam|bead|toe|root))\b(?!\s*lines?)[^.;]{0,30}\b(crack\w*|split)\b|\b(crack\w*|split)\b[^.;]{0,20}\b(at|in|along|through|on|across)\b( the| its)? (welds?\b(?!\s*lines?)|toe of the weld|weld toe|fusion line|weld bead|weld seam)|\bcrack\w* at (the )?toe\b|焊(缝|接处|点|口|道)[^。，,；;]{0,8}(裂|开裂)/iu;

/** The colours of rust (DOMAIN.md: orange/brown oxidation). */
// "Anti-rust oil", "rust inhibitor", 防锈: the protection named, not a colour seen.
const RUST_COLOUR =
  /(?<!\banti[\s-]?)\b(rust(?![\s-]?(inhibit\w*|prevent\w*|proof\w*|protect\w*))\w*|brown\w*|orange(?![\s-]?peel)\w*|red\w*|reddish)\b|(?<!防)锈|褐|橙(?!皮)|红/iu;

/**
 * Words that describe how marks look (brown spots, specks, lines) rather than name what they
 * are: the look-alike test examined exactly these marks.
 */
const APPEARANCE =
  /\b(spots?|specks?|speckl\w*|dots?|marks?|stains?|lines?|brown\w*|orange\w*|reddish|dark\w*|black\w*|grey\w*|gray\w*|white\w*|haz\w*|dull\w*)\b|斑|点|痕|纹|印/u;

/** A word that names what a mark is made of or left by (fingerprints, oil, ink): a finding of its own, not an appearance. */
const SUBSTANCE =
  /\b(finger\w*|hand ?prints?|oil\w*|grease|greasy|ink|glue|adhesive|compound|residue|wax|paste|coolant|soot)\b|手印|指纹|指印|油|墨|胶|膏|蜡|残留|烟/u;

/**
 * The side of a look-alike pair that the report's test rules out: unless the report names it
 * as something of its own (fingerprints besides rust that stays, "rust" besides residue that
 * wipes off), rather than only describing the marks the test examined, it is what the defect was
 * mistaken for, not a second defect.
 */
function ruledOutByLookAlikeTests(facts: ReportFacts): Set<ConcreteDefectType> {
  const tests = facts.look_alike_tests;
  const ruledOut = new Set<ConcreteDefectType>();
  if (tests.wipes_off === true && tests.pitting !== true) ruledOut.add('rust_spot');
  if ((tests.wipes_off === false && RUST_COLOUR.test(facts.text)) || tests.pitting === true)
    ruledOut.add('surface_contamination');
  if (tests.has_depth === true) ruledOut.add('polish_defect');
  if (tests.has_depth === false) ruledOut.add('blade_scratch');
  if (tests.at_weld === true && TINT.test(facts.text)) ruledOut.add('heat_treatment_defect');
  if (tests.at_weld === false && TEMPER_COLOUR.test(facts.text)) ruledOut.add('weld_defect');
  return ruledOut;
}

/**
 * Applies the look-alike rules to the scores. Returns the findings a rule moved from one type to
 * its look-alike (a crack the classifier read as the handle's, placed in a weld): the classifier's
 * confidence in the finding holds for the type it was moved to.
 */
function applyLookAlikeTests(
  scores: Map<ConcreteDefectType, number>,
  facts: ReportFacts,
): Map<ConcreteDefectType, ConcreteDefectType> {
  const transfers = new Map<ConcreteDefectType, ConcreteDefectType>();
  const tests = facts.look_alike_tests;
  const scale = (type: ConcreteDefectType, factor: number, add = 0): void => {
    scores.set(type, (scores.get(type) ?? 0) * factor + add);
  };
  const rustOrResidue = Math.max(
    scores.get('rust_spot') ?? 0,
    scores.get('surface_contamination') ?? 0,
    tests.wipes_off === true
      ? Math.max(scores.get('polish_defect') ?? 0, scores.get('blade_scratch') ?? 0)
      : 0,
  );
  // Rust forms on steel or cast iron: rust-coloured marks on a handle alone are the plastic's own.
  // So are rust-coloured patches on a plastic or wooden handle the report names, with no rust word,
  // wherever on the handle they sit ("at the bolster end").
  const onANonMetalHandle =
    facts.areas.includes('handle') &&
    NON_METAL_HANDLE.test(facts.text) &&
    !facts.defect_terms.some((hit) => hit.code === 'rust_spot' && !hit.negated);
  const onMetal =
    (!facts.areas.includes('handle') || facts.areas.some((area) => area !== 'handle' && area !== 'rivets')) &&
    !onANonMetalHandle;
  if (rustOrResidue > 0.15 || (RUST_COLOUR.test(facts.text) && onMetal)) {
    if (tests.wipes_off === true && tests.pitting !== true) {
      // Marks that wipe off are on the steel, not of it: the test decides between the two.
      scores.set('surface_contamination', Math.max(0.6, (scores.get('surface_contamination') ?? 0) + 0.4));
      for (const type of ['rust_spot', 'polish_defect', 'blade_scratch', 'handle_discoloration'] as const)
        scale(type, 0.3);
    } else if (
      (tests.wipes_off === false &&
        RUST_COLOUR.test(facts.text) &&
        // A greasy or tacky film that stays, with no rust named, is residue that will not wipe off,
        // whatever colour it stains ("yellow tacky film … leaves a brown stain").
        (facts.defect_terms.some((hit) => hit.code === 'rust_spot' && !hit.negated) ||
          !facts.defect_terms.some(
            (hit) => hit.code === 'surface_contamination' && !hit.negated && SUBSTANCE.test(hit.term),
          ))) ||
      tests.pitting === true
    ) {
      // Marks that stay are rust only when they look like rust: a film that survives the wash is
      // still residue.
      scores.set('rust_spot', Math.max(0.6, (scores.get('rust_spot') ?? 0) + 0.4));
      // A substance named apart from the rust (fingerprints on other blades, an oil film) is a
      // finding of its own: the test tells rust from residue only where the two share the marks.
      const rustClauses = new Set(
        facts.defect_terms.filter((hit) => hit.code === 'rust_spot' && !hit.negated).map((hit) => hit.clause),
      );
      const substanceApart = facts.defect_terms.some(
        (hit) =>
          hit.code === 'surface_contamination' &&
          !hit.negated &&
          hit.earlier_problem !== true &&
          SUBSTANCE.test(hit.term) &&
          !rustClauses.has(hit.clause),
      );
      if (!substanceApart) scale('surface_contamination', 0.3);
    }
  }
  const scratchOrPolish = Math.max(scores.get('blade_scratch') ?? 0, scores.get('polish_defect') ?? 0);
  // Marks a fingernail catches have depth: a scratch, whatever else the words suggest, unless the
  // report names a defect of another kind (a chip, a crack) the depth could belong to.
  const onlySurfaceMarksNamed = facts.defect_terms.every(
    (hit) =>
      hit.negated ||
      hit.code === 'blade_scratch' ||
      hit.code === 'polish_defect' ||
      hit.code === 'surface_contamination',
  );
  const marksNamed =
    facts.defect_terms.some((hit) => !hit.negated) || facts.ambiguous_terms.some((hit) => !hit.negated);
  if (
    tests.has_depth === true &&
    tests.wipes_off !== true &&
    marksNamed &&
    onlySurfaceMarksNamed &&
    scratchOrPolish <= 0.15
  ) {
    scores.set('blade_scratch', Math.max(0.6, (scores.get('blade_scratch') ?? 0) + 0.4));
    scale('polish_defect', 0.4);
    scale('surface_contamination', 0.4);
  } else if (scratchOrPolish > 0.15) {
    // A fingernail test decides between the two; a circular haze alone only leans to polish.
    if (tests.has_depth === true) {
      scores.set('blade_scratch', Math.max(0.6, (scores.get('blade_scratch') ?? 0) + 0.4));
      scale('polish_defect', 0.4);
    } else if (tests.has_depth === false) {
      scores.set('polish_defect', Math.max(0.6, (scores.get('polish_defect') ?? 0) + 0.4));
      scale('blade_scratch', 0.4);
    } else if (
      tests.circular === true &&
      !STRAIGHT_MARKS.test(facts.text) &&
      !ARC_SCRATCHES.test(facts.text.toLowerCase()) &&
      !SCRATCHES_BY_LENGTH.test(facts.text.toLowerCase())
    ) {
      // Unless the report calls its marks straight, or names each mark a scratch in the shape of an
      // arc (a wheel's edge that touched the blade): the circular look is then another mark's.
      scale('polish_defect', 1, 0.4);
      scale('blade_scratch', 0.4);
    }
  }
  // Weld heat tint and heat-treatment discoloration look alike; where the colour sits (at the weld
  // or along the blade) tells them apart. The test is about a colour: without one, a defect that
  // merely lies near the bolster (rust, a chip) says nothing about the weld.
  if (
    tests.at_weld === true &&
    TINT.test(facts.text) &&
    Math.max(scores.get('weld_defect') ?? 0, scores.get('heat_treatment_defect') ?? 0) > 0.15
  ) {
    scale('weld_defect', 1, 0.4);
    scale('heat_treatment_defect', 0.4);
  }
  // A crack in a weld (at the toe, along the fusion line, through the bead) is in the weld metal,
  // not in the handle's material, whatever part the weld joins; the weld line of a moulding is not
  // a weld.
  const cracked = scores.get('handle_crack') ?? 0;
  // A crack at the root of a weld ("undercut along the toe, one with a crack at the root").
  const crackedWeld =
    CRACKED_WELD.test(facts.text) ||
    (/\bcrack\w* (at|in|along) (the )?root\b/iu.test(facts.text) &&
      /\bweld(s|ed|ing)?\b|焊/iu.test(facts.text));
  if (crackedWeld && cracked > (scores.get('weld_defect') ?? 0)) {
    scores.set('weld_defect', cracked);
    scale('handle_crack', 0.2);
    transfers.set('handle_crack', 'weld_defect');
  }
  // The other side of the test: a temper colour the report places away from the weld is the
  // steel's heat treatment, whatever the classifier made of the words.
  if (tests.at_weld === false && TEMPER_COLOUR.test(facts.text)) {
    scale('heat_treatment_defect', 1, 0.4);
    scale('weld_defect', 0.4);
  }
  return transfers;
}

/** The largest offset a misalignment is the size of, in mm: a step, a proud rivet, an end off its line. */
const MISALIGNMENT_OFFSET_LIMIT_MM = 20;

/**
 * The offset of a misalignment the report writes in mm ("sits 2.6 mm to one side", "a 3.1 mm
 * step"): the size its severity rule reads, unless the reading belongs to a stated cause.
 */
function misalignmentOffset(facts: ReportFacts): number | undefined {
  const offsets = facts.measurements
    .filter(
      (value) =>
        value.name === 'length_mm' &&
        value.value > 0 &&
        value.value <= MISALIGNMENT_OFFSET_LIMIT_MM &&
        !facts.stated_causes.some((cause) => cause.text.includes(value.text)),
    )
    .map((value) => value.value);
  return offsets.length > 0 ? Math.max(...offsets) : undefined;
}

function severityInput(
  type: ConcreteDefectType | 'unknown',
  confidence: number,
  measurements: Record<string, number>,
  facts: ReportFacts,
): Record<string, unknown> {
  const size =
    typeof measurements.defect_size_mm === 'number'
      ? measurements.defect_size_mm
      : type === 'assembly_misalignment'
        ? misalignmentOffset(facts)
        : undefined;
  const condition = severityCondition(type, measurements, facts);
  const warp = condition === 'warped' ? warpOf(facts) : undefined;
  const shown = warp ?? size;
  return {
    defect_type: type,
    confidence,
    ...(shown !== undefined ? { defect_size_mm: shown } : {}),
    ...(condition ? { condition } : {}),
  };
}

/** The one condition the severity rule of a type depends on, as the report states it. */
function severityCondition(
  type: ConcreteDefectType | 'unknown',
  measurements: Record<string, number>,
  facts: ReportFacts,
): string | undefined {
  switch (type) {
    case 'handle_crack':
      return facts.severity_cues.includes('structural') || facts.severity_cues.includes('safety')
        ? 'structural'
        : facts.severity_cues.includes('cosmetic')
          ? 'cosmetic'
          : undefined;
    case 'handle_discoloration':
      return facts.severity_cues.includes('patchy')
        ? 'patchy'
        : facts.severity_cues.includes('uniform')
          ? 'uniform'
          : undefined;
    case 'rust_spot':
      // SOP-PK-03 re-seasons light surface rust on cast iron; other rust is the critical default.
      return (facts.product_family === 'cast_iron_pan' || facts.product_family === 'wok') &&
        LIGHT_SURFACE_RUST.test(facts.text.toLowerCase())
        ? 'cast_iron'
        : undefined;
    case 'heat_treatment_defect':
      if (measurements.hardness_hrc !== undefined && measurements.hardness_hrc > 58) return 'over_hard';
      return warpOf(facts) !== undefined ? 'warped' : undefined;
    default:
      return undefined;
  }
}

/** Rust the report calls light or on the surface only ("light surface rust", "rust bloom", 浮锈). */
const LIGHT_SURFACE_RUST =
  /\b(light|slight|minor|surface|superficial|faint)\s+(surface\s+)?rust\b|\brust bloom|浮锈|轻微(的)?(生)?锈|表面(轻微)?(浮)?锈/u;

/** Words for a blade that is not flat: bowed, warped, 弯, 翘, flatness. */
const WARP = /\b(bow(ed|s)?|warp(ed|ing|s)?|bent|flatness|straightness|not flat)\b|弯|翘|变形|平面度|直线度/u;

/** The bow of a warped blade: the largest millimetre reading of a report about warping, if small enough to be one. */
function warpOf(facts: ReportFacts): number | undefined {
  if (!WARP.test(facts.text.toLowerCase())) return undefined;
  const readings = facts.measurements
    .filter((value) => (value.name === 'length_mm' || value.name === 'flatness_mm') && value.value <= 10)
    .map((value) => value.value);
  return readings.length > 0 ? Math.max(...readings) : undefined;
}

/**
 * Whether the trained classifier agrees that a report conforms: a probability of `none` of at
 * least {@link PASS_AGREEMENT}, or, on a report unlike its training reports (every class
 * improbable) that names defects only to deny them or as the earlier problem it re-checked, or
 * whose readings are all within their limits, `none` as its clear first choice (twice the
 * likeliest defect type).
 */
function classifierAgreesItConforms(probability: ReadonlyMap<string, number>, facts: ReportFacts): boolean {
  const none = probability.get('none') ?? 0;
  if (none >= PASS_AGREEMENT) return true;
  const named = [...facts.defect_terms, ...facts.ambiguous_terms];
  const readingsWithin =
    facts.standard_checks.length > 0 && facts.standard_checks.every((check) => check.status === 'within');
  if (named.length === 0 && !readingsWithin) return false;
  if (leavesADefectWordOpen(facts)) return false;
  const likeliestDefect = Math.max(0, ...CONCRETE_DEFECT_TYPES.map((type) => probability.get(type) ?? 0));
  return none >= CLEAR_FIRST_CHOICE_FLOOR && none >= 2 * likeliestDefect;
}

/**
 * A re-inspection shows its conformance, not only states it: it counts the parts it re-checked and
 * finds none bad ("0/125", "0 NG"), or its readings are all inside their limits. The earlier
 * problem's words then need not convince the classifier.
 */
function conformanceShown(facts: ReportFacts): boolean {
  const zeroFound = facts.counts.some((count) => count.affected === 0 && (count.inspected ?? 1) > 0);
  const readingsWithin =
    facts.standard_checks.length > 0 && facts.standard_checks.every((check) => check.status === 'within');
  return zeroFound || readingsWithin;
}

/** A conformance statement that decides on the lot ("accepted", "released", 合格, "lot conforms"), not on one item. */
/** A release under a written concession or deviation permit: 让步接收, 特采, "deviation approved". */
const RELEASED_UNDER_CONCESSION =
  /\b(released|accepted|shipped|passed) (under|by|with|per) (a |the )?(written |signed )?(concession|deviation( permit)?|waiver)\b|\b(concession|deviation|waiver) (no\.?|#|form|permit)?\s*[a-z]*-?\d[\w-]*\b[^.\n]{0,40}\b(signed|approved|granted)\b|按让步(单|接收)?放行|让步接收|让步放行|特采(放行|接收)/u;

const LOT_VERDICT_STATEMENT =
  /^(accept(ed)?|releas\w*|conform\w*|lot conforms|pass(ed)?|approved|合格|判定合格|允收|放行|接收|准予出货|可以出货)$/u;

/** Whether the report names a defect word it neither denies nor sets down as the earlier problem. */
function leavesADefectWordOpen(facts: ReportFacts): boolean {
  return [...facts.defect_terms, ...facts.ambiguous_terms].some(
    (hit) => !hit.negated && hit.earlier_problem !== true,
  );
}

/** Whether the report states that the complaint it answers is not confirmed, with no defect word left open. */
function complaintNotConfirmed(facts: ReportFacts): boolean {
  return (
    facts.detection_point === 'customer' &&
    facts.conformance.some((statement) => NOT_CONFIRMED.test(statement)) &&
    !leavesADefectWordOpen(facts)
  );
}

/** Whether the report gives a verdict on the lot, with no defect word it leaves open. */
function lotVerdictGiven(facts: ReportFacts): boolean {
  return (
    facts.conformance.some((statement) => LOT_VERDICT_STATEMENT.test(statement)) &&
    !leavesADefectWordOpen(facts)
  );
}

/** The least probability of `none` that counts as the classifier's clear first choice. */
const CLEAR_FIRST_CHOICE_FLOOR = 0.1;

/**
 * The offline classifier: similar defects and measurement checks, the trained classifier over
 * the report facts, then the severity rule of every type found; the worst decides.
 */
export const classifierSkill: Skill = (conversation) => {
  const report = reportOf(conversation);
  const facts = factsOf(conversation);
  const measurements = measurementInput(report, facts);
  if (conversation.turn === 0) {
    const toolUses: Array<{ name: string; input: Record<string, unknown> }> = [];
    if (facts.text) {
      toolUses.push({
        name: 'find_similar_defects',
        input: {
          description: searchText(report, facts),
          ...(report.facility ? { filter: { facility: report.facility } } : {}),
          k: 8,
        },
      });
    }
    if (Object.keys(measurements).length > 0)
      toolUses.push({ name: 'check_measurements', input: { measurements } });
    if (toolUses.length > 0) return { toolUses };
  }
  const similar = lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects');
  const checks = lastResult<z.infer<typeof CheckMeasurementsOutput>>(conversation, 'check_measurements');
  const decided = decideType({
    report,
    facts,
    prediction: classifyReport({ report, facts }),
    similar,
    checks,
  });
  // A report that leaves its own finding open (hedged, not counted, not measured) is a vague
  // report: its type is the best reading, and the parts wait for a person.
  const decision =
    decided.kind === 'defect' && facts.extent_unknown
      ? {
          ...decided,
          confidence: Math.min(decided.confidence, 0.45),
          reason: `${decided.reason}; the report hedges its finding and says it was not counted or measured`,
        }
      : decided;
  const assessed = allResults<z.infer<typeof AssessSeverityOutput>>(conversation, 'assess_severity');
  const types: Array<ConcreteDefectType | 'unknown'> =
    decision.kind === 'defect'
      ? [decision.type as ConcreteDefectType, ...decision.secondary]
      : decision.kind === 'unknown' && decision.onTopic
        ? ['unknown']
        : [];
  if (types.length > 0 && assessed.length === 0) {
    return {
      toolUses: types.map((type) => ({
        name: 'assess_severity',
        input: severityInput(type, decision.confidence, measurements, facts),
      })),
    };
  }
  const worstIndex = assessed.reduce(
    (worst, current, index) =>
      SEVERITY_ORDER[current.severity] > SEVERITY_ORDER[assessed[worst]!.severity] ? index : worst,
    0,
  );
  const worst = assessed[worstIndex];
  const primary = types[worstIndex] ?? decision.type;
  const others = types.filter((type) => type !== primary && type !== 'unknown') as ConcreteDefectType[];
  const defectDetected = decision.kind === 'defect' || (decision.kind === 'unknown' && decision.onTopic);
  const classification: Classification = {
    defect_detected: defectDetected,
    defect_type: decision.kind === 'defect' ? primary : decision.type,
    secondary_types: others,
    severity: decision.kind === 'none' || !worst ? 'none' : worst.severity,
    confidence: decision.confidence,
    recommended_action: decision.kind === 'none' ? 'PASS' : !worst ? 'HOLD' : worst.recommended_action,
    escalate:
      decision.kind !== 'none' &&
      (decision.kind === 'unknown' ||
        assessed.some((result) => result.escalate) ||
        facts.instructions.length > 0),
    escalation_reason:
      decision.kind === 'none'
        ? null
        : [
            decision.reason,
            ...assessed.filter((result) => result.escalate).map((result) => result.escalation_reason),
          ]
            .filter(Boolean)
            .join('; ') || null,
    affected_area: decision.kind === 'defect' ? (facts.areas[0]?.replaceAll('_', ' ') ?? null) : null,
    bounding_box: null,
    evidence: [
      ...decision.evidence,
      ...(others.length > 0
        ? [`also described: ${others.join(', ')}; the worse one decides severity and disposition`]
        : []),
    ],
    citations: decision.citations,
  };
  return { final: classification };
};
