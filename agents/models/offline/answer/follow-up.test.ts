import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInMemoryDefectHistory,
  type DefectOccurrence,
} from '../../../../action-groups/recurrence/defect-history.ts';
import {
  ConsolidatedAnalysis,
  type ActionPlan,
  type Classification,
  type InspectionReport,
  type RootCauseAnalysis,
} from '../../../../domain/index.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../../../knowledge-base/open.ts';
import { createOrchestrator, type AskResult, type Orchestrator } from '../../../orchestrator/orchestrator.ts';
import { createRuleRouter } from '../../../orchestrator/router.ts';
import { createLocalRuntime } from '../../../runtime/local-runtime.ts';
import { createOfflineModel } from '../offline-model.ts';

const HAN = /\p{Script=Han}/u;

function storedAnalysis({
  defectId,
  report,
  classification,
  rootCause = null,
  plan = null,
}: {
  defectId: string;
  report: InspectionReport;
  classification: Classification;
  rootCause?: RootCauseAnalysis | null;
  plan?: ActionPlan | null;
}): ConsolidatedAnalysis {
  return ConsolidatedAnalysis.parse({
    defect_id: defectId,
    status: 'complete',
    created_at: '2026-11-22T08:00:00.000Z',
    completed_at: '2026-11-22T08:00:01.000Z',
    report,
    classification,
    root_cause: rootCause,
    corrective_actions: plan?.corrective_actions ?? null,
    agents: {
      classifier: { status: 'complete' },
      root_cause: { status: rootCause ? 'complete' : 'skipped' },
      corrective_action: { status: plan ? 'complete' : 'skipped' },
    },
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    timings: { total_ms: 1 },
  });
}

function fishbone(stageCause: string): RootCauseAnalysis['ishikawa'] {
  return {
    man: [{ cause: 'Check skipped at start of shift', status: 'untested', citations: [] }],
    machine: [{ cause: stageCause, status: 'supported', citations: [] }],
    method: [{ cause: 'No check after a consumable change', status: 'untested', citations: [] }],
    material: [{ cause: 'Steel lot', status: 'ruled_out', citations: [] }],
    measurement: [{ cause: 'Sampling too sparse to catch it', status: 'untested', citations: [] }],
    environment: [{ cause: 'Draught or humidity', status: 'untested', citations: [] }],
  };
}

function actionPlan(owner: string, metric: string): ActionPlan {
  const action = (
    type: ActionPlan['corrective_actions'][number]['type'],
    description: string,
    role: string,
  ) => ({
    type,
    description,
    owner_role: role,
    due_date: '2026-11-29',
    effectiveness_check: { metric, threshold: '0', window_days: 30 },
    citations: [],
  });
  return {
    corrective_actions: [
      action('containment', 'Quarantine the suspect lots with hold tags.', 'Quality engineer'),
      action('correction', '100 % sort of the quarantined parts.', 'Quality technician'),
      action('corrective', 'Fix the equipment condition that caused it.', owner),
      action('preventive', 'Apply the same check on the other lines.', 'Process engineer'),
    ],
  };
}

const WELD = storedAnalysis({
  defectId: 'DEF-20261122-0000A001',
  report: {
    description: 'Bolster weld seam shows pores on 9 of 60 chef knives',
    product_sku: 'WK-KN-200',
    facility: 'yangjiang',
  },
  classification: {
    defect_detected: true,
    defect_type: 'weld_defect',
    secondary_types: [],
    severity: 'major',
    confidence: 0.84,
    recommended_action: 'SCRAP',
    escalate: false,
    escalation_reason: null,
    affected_area: 'bolster weld',
    bounding_box: null,
    evidence: ['pores along the bolster weld seam'],
    citations: [],
  },
  rootCause: {
    probable_stage: 'bolster_welding',
    stage_confidence: 0.86,
    five_why_chain: [
      {
        step: 1,
        question: 'Why are there pores in the weld?',
        answer: 'The argon shield did not cover the weld pool.',
        evidence: [{ kind: 'report', detail: 'pores along the weld seam' }],
        verified: false,
        hypothesis: true,
        citations: [],
      },
    ],
    ishikawa: fishbone('Leaking torch gas hose'),
    root_cause: {
      occurrence: 'Low shielding gas flow at the torch.',
      escape: 'Welds checked only every 2 hours.',
      systemic: 'Flow read at the regulator, not at the torch.',
      category_6m: 'machine',
      citations: [],
    },
    similar_defects: [],
  },
  plan: actionPlan('Welding engineer', 'porous welds per 1000 at the 10x check'),
});

/** Loose pivots on scissors, minor and reworked: the SOPs of riveting have no sentence on rework. */
const LOOSE_PIVOT = storedAnalysis({
  defectId: 'DEF-20261122-0000A011',
  report: {
    description: 'Pivot screws loose on 5 of 40 scissors, blades wobble',
    product_sku: 'WK-SC-200',
    facility: 'yangjiang',
  },
  classification: {
    defect_detected: true,
    defect_type: 'assembly_misalignment',
    secondary_types: [],
    severity: 'minor',
    confidence: 0.8,
    recommended_action: 'REWORK',
    escalate: false,
    escalation_reason: null,
    affected_area: 'pivot',
    bounding_box: null,
    evidence: ['pivot screws loose'],
    citations: [],
  },
  rootCause: {
    probable_stage: 'rivet_assembly',
    stage_confidence: 0.9,
    five_why_chain: [
      {
        step: 1,
        question: 'Why are the pivots loose?',
        answer: 'The pivot screws were driven below their torque.',
        evidence: [{ kind: 'report', detail: 'pivot screws loose' }],
        verified: false,
        hypothesis: true,
        citations: [],
      },
    ],
    ishikawa: fishbone('Torque driver set low'),
    root_cause: {
      occurrence: 'Torque driver set below the WI value.',
      escape: 'Torque checked once a shift.',
      systemic: 'No torque audit after a driver change.',
      category_6m: 'method',
      citations: [],
    },
    similar_defects: [],
  },
  plan: actionPlan('Assembly supervisor', 'loose pivots per 1000 at the wobble check'),
});

const RUST = storedAnalysis({
  defectId: 'DEF-20261122-0000A002',
  report: {
    description: 'Orange-brown spots on 4 of 30 paring knives after salt spray',
    product_sku: 'WK-KN-100',
    facility: 'shenzhen',
    batch_id: 'SZ-2611-07',
  },
  classification: {
    defect_detected: true,
    defect_type: 'rust_spot',
    secondary_types: [],
    severity: 'critical',
    confidence: 0.88,
    recommended_action: 'SCRAP',
    escalate: true,
    escalation_reason: 'critical severity',
    affected_area: 'blade face',
    bounding_box: null,
    evidence: ['orange-brown spots after salt spray'],
    citations: [],
  },
  rootCause: {
    probable_stage: 'vacuum_quench',
    stage_confidence: 0.8,
    five_why_chain: [
      {
        step: 1,
        question: 'Why did the blades rust?',
        answer: 'Chromium carbides formed in a slow cool from 1000 to 600 C.',
        evidence: [{ kind: 'report', detail: 'rust after salt spray' }],
        verified: false,
        hypothesis: false,
        citations: [],
      },
    ],
    ishikawa: fishbone('Worn chamber door seal'),
    root_cause: {
      occurrence: 'A chamber leak slowed the quench.',
      escape: 'Salt spray sampled weekly.',
      systemic: 'Seal replaced only on failure.',
      category_6m: 'machine',
      citations: [],
    },
    similar_defects: [],
  },
  plan: actionPlan('Maintenance lead', 'rusted blades in 1000 h salt spray'),
});

/** Rust on a cast-iron wok: the analysis records the nearest stage of the list, vacuum quench. */
const WOK_RUST = ConsolidatedAnalysis.parse({
  ...RUST,
  defect_id: 'DEF-20261122-0000A009',
  report: {
    description: 'Orange rust on the inside of 3 of 40 woks after two weeks in the damp warehouse',
    product_sku: 'WK-CI-280',
    facility: 'yangjiang',
  },
});

const VAGUE = storedAnalysis({
  defectId: 'DEF-20261122-0000A003',
  report: { description: 'a few pieces do not look right' },
  classification: {
    defect_detected: true,
    defect_type: 'unknown',
    secondary_types: [],
    severity: 'major',
    confidence: 0.2,
    recommended_action: 'HOLD',
    escalate: true,
    escalation_reason: 'too vague to classify',
    affected_area: null,
    bounding_box: null,
    evidence: [],
    citations: [],
  },
});

function occurrence(
  index: number,
  facility: DefectOccurrence['facility'],
  daysAgo: number,
): DefectOccurrence {
  return {
    defectId: `DEF-2026${(11 - Math.floor(daysAgo / 30)).toString().padStart(2, '0')}01-0000B00${index}`,
    detectedAt: new Date(Date.parse('2026-11-22T08:00:00Z') - daysAgo * 86_400_000),
    defectType: 'weld_defect',
    stage: 'bolster_welding',
    facility,
    productSku: 'WK-KN-200',
    confirmed: true,
  };
}

describe('follow-up answers on the offline model', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let orchestrator: Orchestrator;
  const generic = new Map<string, string>();

  beforeAll(async () => {
    const embedder = await createDefaultEmbedder({ dimensions: 384 });
    knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
    const now = () => new Date('2026-11-22T08:00:00Z');
    const defectHistory = createInMemoryDefectHistory([
      occurrence(1, 'yangjiang', 10),
      occurrence(2, 'yangjiang', 40),
      occurrence(3, 'yangjiang', 200),
      occurrence(4, 'shenzhen', 20),
    ]);
    const runtime = createLocalRuntime({
      model: createOfflineModel(),
      toolContext: { knowledgeBase, defectHistory, now },
    });
    orchestrator = createOrchestrator({ runtime, knowledgeBase, router: createRuleRouter(), now });
    for (const analysis of [WELD, RUST, VAGUE]) {
      for (const question of ['Tell me more about it', '再说说这个问题'])
        generic.set(`${analysis.defect_id}:${question}`, (await ask(analysis, question)).answer);
    }
  }, 60_000);
  afterAll(() => knowledgeBase.close());

  function ask(analysis: ConsolidatedAnalysis, question: string): Promise<AskResult> {
    return orchestrator.ask({ analysis, history: [], question });
  }

  function expectNotGeneric(analysis: ConsolidatedAnalysis, answer: string): void {
    for (const [key, text] of generic) if (key.startsWith(analysis.defect_id)) expect(answer).not.toBe(text);
  }

  function expectLanguage(answer: string, chinese: boolean): void {
    const han = answer.match(/\p{Script=Han}/gu)?.length ?? 0;
    if (chinese) expect(han).toBeGreaterThan(10);
    else expect(HAN.test(answer)).toBe(false);
  }

  type Case = [string, ConsolidatedAnalysis, string, AskResult['agent'], (result: AskResult) => void];

  function cited(result: AskResult, pattern: RegExp): void {
    expect(result.citations.some((citation) => pattern.test(citation.chunk_id))).toBe(true);
  }

  it.each<Case>([
    [
      'why_stage en',
      RUST,
      'Why put this at vacuum quench and not passivation?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/vacuum_quench/);
        expect(result.answer).toMatch(/knowledge base says nothing about passivation/);
        expect(result.answer).toMatch(/points to vacuum_quench, not to passivation/);
        expect(result.answer).not.toMatch(/DEF-\d{8}/);
      },
    ],
    [
      'why_stage en, the question assuming another stage than the analysis chose',
      RUST,
      'Why is this blamed on the blade glazing and not on the vacuum quench?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/vacuum_quench/);
        expect(result.answer).toMatch(/blade_glazing is not a usual origin of rust_spot/);
      },
    ],
    [
      'why_stage en, the question taking the analysis to have put it at a step off the stage list',
      RUST,
      'Why did you put the rust at the final rinse rather than at the vacuum quench?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/does not put it at final rinse; it puts it at vacuum_quench/);
      },
    ],
    [
      'why_stage en, another place left open',
      RUST,
      'Which production stage made the rust: the vacuum quench, or somewhere else?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/points to vacuum_quench, not somewhere else/);
      },
    ],
    [
      "why_stage en, the alternative in the asker's own word",
      RUST,
      'Why the quench and not the furnace?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/furnace \(heat_treatment\) is not a usual origin of rust_spot/);
      },
    ],
    [
      'why_stage zh',
      RUST,
      '为什么判定在真空淬火，而不是热处理？',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/热处理（heat_treatment）不是锈斑/);
        expect(result.answer).toMatch(/第一问：因为刀片在 1000→600 °C 区间冷却过慢/);
        expect(result.answer).not.toMatch(/Why 1|Because|the report mentions/);
        cited(result, /^SOP-VQ-/);
      },
    ],
    [
      'why_stage en, rust on cast iron',
      WOK_RUST,
      'Why the quench and not storage? It is a wok.',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/not at vacuum_quench: cast iron is never vacuum quenched/);
        expect(result.answer).toMatch(/seasoning, oil film and storage/);
        expect(result.answer).not.toMatch(/chromium|carbide/i);
      },
    ],
    [
      'rework en, no SOP sentence on rework: the disposition says whether it is allowed',
      LOOSE_PIVOT,
      'Can the loose pairs just be re-tightened and shipped?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/rework is allowed/);
        expect(result.answer).not.toMatch(/must not go to handle polishing/);
      },
    ],
    [
      'why_stage zh, rust on cast iron weighed against the casting',
      WOK_RUST,
      '为什么是仓库潮湿，而不是铸造的问题？',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/而不是铸造的问题/);
      },
    ],
    [
      'why_stage zh, rust on cast iron',
      WOK_RUST,
      '为什么说是真空淬火的问题，而不是仓储？',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/而不是真空淬火/);
        expect(result.answer).toMatch(/仓储/);
        expect(result.answer).not.toMatch(/冷却过慢/);
      },
    ],
    [
      'which_sop en',
      WELD,
      'Which procedure applies to this weld problem?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/covers weld_defect at bolster_welding is SOP-BW-0\d/);
        cited(result, /^SOP-BW-0\d#/);
      },
    ],
    [
      'which_sop zh',
      WELD,
      '这个缺陷对应哪份作业指导书？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/的SOP是 SOP-BW-0\d/);
        cited(result, /^SOP-BW-0\d#/);
      },
    ],
    [
      'history en, named facility',
      WELD,
      'Have we seen this at Shenzhen before?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/holds 1 confirmed weld_defect case at shenzhen/);
        expect(result.answer).toMatch(/DEF-20261101-0000B004/);
        expect(result.answer).not.toMatch(/0000B001/);
      },
    ],
    [
      'history en, two facilities named',
      WELD,
      'Did Yangjiang or Shenzhen have weld trouble like this before?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/holds 3 confirmed weld_defect cases at yangjiang/);
        expect(result.answer).toMatch(/holds 1 confirmed weld_defect case at shenzhen/);
      },
    ],
    [
      'history zh, named facility',
      WELD,
      '阳江以前出现过这种问题吗？',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/阳江（yangjiang）共有 3 起/);
        expect(result.answer).toMatch(/重复发生/);
      },
    ],
    [
      'containment_shipped en',
      RUST,
      'Some knives from this lot are already at the customer, what now?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/shipped load/);
        expect(result.answer).toMatch(/SZ-2611-07/);
        cited(result, /#escalation-path$/);
      },
    ],
    [
      'containment_shipped zh',
      RUST,
      '已经发到仓库和客户的产品怎么办？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/仓库库存和在途产品/);
        cited(result, /#escalation-path$/);
      },
    ],
    [
      'rework en',
      WELD,
      'Could we just re-weld these rather than scrap them?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/re-welding over porosity is not permitted/);
        expect(result.answer).toMatch(/rework is not an option/);
        cited(result, /^SOP-BW-01#reaction-plan$/);
      },
    ],
    [
      'rework zh',
      WELD,
      '这些可以补焊返修吗？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/re-welding over porosity is not permitted/);
        expect(result.answer).toMatch(/不能返工/);
      },
    ],
    [
      'rework en, asked as a concession',
      WELD,
      'Could QA sign a deviation and use these as-is?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/^A concession is not possible: a major defect cannot ship/);
        expect(result.answer).toMatch(/rework is not an option/);
      },
    ],
    [
      'rework zh, asked as a concession',
      WELD,
      '这批能不能让步接收？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/^不能让步接收：主要缺陷不得出货/);
      },
    ],
    [
      'severity_line_stop en',
      RUST,
      'Do we need to halt production for this?',
      'classifier',
      (result) => {
        expect(result.answer).toMatch(/^Yes: it is critical/);
        expect(result.answer).toMatch(/stops the furnace/);
        cited(result, /^SOP-VQ-/);
      },
    ],
    [
      'severity_line_stop zh',
      WELD,
      '要不要停产？',
      'classifier',
      (result) => {
        expect(result.answer).toMatch(/^按严重度不要求停线/);
        expect(result.answer).toMatch(/主要/);
      },
    ],
    [
      'missing_evidence en',
      VAGUE,
      'What information are you missing to be sure?',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/please send: a description of what is seen/);
        expect(result.answer).toMatch(/batch or lot id/);
        expect(result.answer).not.toMatch(/DEF-\d{8}/);
        expect(result.citations).toEqual([]);
      },
    ],
    [
      'which_sop en on an analysis without a stage, the question naming one',
      VAGUE,
      'Which SOP gives the belt speed for back edge polishing?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/SOP-[A-Z]{2}-\d{2}/);
        expect(result.answer).not.toMatch(/no defect type or stage to look up/);
      },
    ],
    [
      'which_sop zh on an analysis without a stage, the question naming the annealing furnace',
      VAGUE,
      '回火炉和退火炉的装炉方式是哪个SOP规定的？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/SOP-HT-\d{2}/);
        expect(result.answer).not.toMatch(/无法指定SOP/);
      },
    ],
    [
      'missing_evidence zh',
      WELD,
      '你还需要我补充哪些信息？',
      'root-cause',
      (result) => {
        expect(result.answer).toMatch(/请提供：.*批次号/);
        expect(result.answer).toMatch(/仍需验证：第1问/);
      },
    ],
    [
      'effectiveness_check en',
      WELD,
      'How will we know the fix actually worked?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/porous welds per 1000 at the 10x check, threshold 0, within 30 days/);
        cited(result, /^SOP-BW-0\d#checks$/);
      },
    ],
    [
      'effectiveness_check zh',
      RUST,
      '怎么确认这些措施有效？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/的验证：rusted blades in 1000 h salt spray，判定标准 0，期限 30 天/);
      },
    ],
    [
      'effectiveness_check zh on an analysis without actions',
      VAGUE,
      '以后用什么数据证明这个问题不再发生？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/尚未制定措施/);
        expect(result.answer).toMatch(/不合格品为0件，期限 30 天/);
      },
    ],
    [
      'owner en',
      WELD,
      'Who is responsible for the corrective action?',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/Welding engineer \(corrective, due 2026-11-29\)/);
        cited(result, /^SOP-BW-0\d#/);
      },
    ],
    [
      'owner zh',
      RUST,
      '纠正措施由谁负责？',
      'corrective-action',
      (result) => {
        expect(result.answer).toMatch(/Maintenance lead（纠正措施，期限 2026-11-29）/);
      },
    ],
  ])('%s: answers the question asked', async (name, analysis, question, agent, check) => {
    const result = await ask(analysis, question);
    expect(result.agent).toBe(agent);
    expectLanguage(result.answer, name.includes(' zh'));
    expectNotGeneric(analysis, result.answer);
    check(result);
  });

  it('weighs a stated cause at a step the stage list lacks with the test that tells it from the stage', async () => {
    const analysis = await orchestrator.analyze({
      defectId: 'DEF-20261122-0000A0F1',
      report: {
        description:
          'Brown specks on 5 of 40 chef knives a day after passivation; the nitric bath had not been renewed for two weeks.',
        product_sku: 'WK-KN-200',
        facility: 'yangjiang',
      },
      createdAt: new Date('2026-11-22T08:00:00Z'),
    });
    expect(analysis.root_cause?.root_cause.occurrence).toMatch(/bath had not been renewed/);
    const result = await ask(analysis, 'Why the quench and not the bath?');
    expect(result.answer).toMatch(/check passivation first/);
    expect(result.answer).toMatch(/re-passivate parts from that lot in fresh, titrated acid/);
    expect(result.answer).not.toMatch(/knowledge base says nothing/);
    const firstWhy = analysis.root_cause?.five_why_chain[0]?.answer ?? '';
    expect(firstWhy).toMatch(/passive chromium-oxide film did not form/);
    expect(firstWhy).not.toMatch(/chromium carbides formed/);
    const chinese = await ask(analysis, '为什么是淬火而不是钝化槽？');
    expect(chinese.answer).toMatch(/钝化膜未能良好形成/);
    expect(chinese.answer).toMatch(/区分方法/);
  });

  it('answers rework and SOP questions on rust of a cast-iron pan from the cast-iron packing SOP', async () => {
    const analysis = await orchestrator.analyze({
      defectId: 'DEF-20261122-0000A0F2',
      report: {
        description: 'Skillets from the damp store room: orange rust patches inside on 5 of 24.',
        product_sku: 'WK-CI-200',
        facility: 'yangjiang',
      },
      createdAt: new Date('2026-11-22T08:00:00Z'),
    });
    const rework = await ask(analysis, 'Could they be stripped and seasoned again instead of scrapped?');
    expect(rework.answer).toMatch(/SOP-PK-03/);
    expect(rework.answer).not.toMatch(/SOP-PK-01/);
    const sop = await ask(analysis, 'Which SOP applies here?');
    expect(sop.answer).toMatch(/SOP-PK-03/);
    expect(sop.answer).toMatch(/cast iron/);
  });

  it('answers a general question with the summary of the specialist, in the question language', async () => {
    const english = await ask(WELD, 'Tell me more about it');
    expect(english.agent).toBe('root-cause');
    expect(english.answer).toMatch(/^Probable stage: bolster_welding/);
    expectLanguage(english.answer, false);
    const chinese = await ask(RUST, '再说说这个问题');
    expect(chinese.answer).toMatch(/^可能工序：真空淬火/);
    expectLanguage(chinese.answer, true);
  });
});
