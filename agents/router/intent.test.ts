import { describe, expect, it } from 'vitest';
import { createRuleRouter } from '../orchestrator/router.ts';
import { questionLanguage, recognizeQuestion } from './intent.ts';

describe('follow-up intent recognition', () => {
  it.each([
    ['Is there a work instruction for this step?', 'which_sop'],
    ['How many rivet complaints were logged at Shenzhen over the past year?', 'history'],
    [
      'Three dealers got skillets from that order too; what do we tell them about those deliveries?',
      'containment_shipped',
    ],
    ['Do you see any gaps in the evidence so far?', 'missing_evidence'],
    ['Which readings do we watch over the coming lots to show the fix holds?', 'effectiveness_check'],
    ['Did burrs turn up on the shears in the past few months?', 'history'],
    ['这种情况参照哪个标准？', 'which_sop'],
    ['Any precedent for this on the paring knives?', 'history'],
    ['深圳厂之前有过几次？', 'history'],
    ['Were there other claims on the santoku from Hong Kong last quarter?', 'history'],
    ['今年这个型号有没有客诉？', 'history'],
    ['Did we find loose bolsters on the cleavers at Shenzhen in 2026?', 'history'],
    ['Have the santoku blades shown this warp so far this year?', 'history'],
    [
      'Some 600 skillets are still on the shelves of the supermarket chain. What should happen to them?',
      'containment_shipped',
    ],
    ['Could the loose cleavers be re-assembled instead?', 'rework'],
    ['Can we salvage them by regrinding?', 'rework'],
    ['Could the warped pans be flattened and then sold?', 'rework'],
    ['Is it ok to replace the split scales and ship the knives?', 'rework'],
    ['能不能返修，不想报废', 'rework'],
    ['Who leads the talks with the resin supplier about the missing dryer log?', 'owner'],
    ['把松的那 300 把拆下来重新装行不行，还是得报废？', 'rework'],
    ["Some of those pallets went out on Friday's truck. What do we do about them?", 'containment_shipped'],
    ['Half the batch is already in transit to the distributor', 'containment_shipped'],
    ['成品库里还有两箱怎么处理', 'containment_shipped'],
    ['之前几批已经发货的剪刀怎么处理？', 'containment_shipped'],
    ['The woks rusted in the warehouse. Why is this not a vacuum quench problem?', 'why_stage'],
    [
      "The rust only turned up at the importer's depot. Why is it a curing fault and not a shipping one?",
      'why_stage',
    ],
    ['经销商仓库里发现的，为什么是开锅的问题而不是在途受潮？', 'why_stage'],
    ["They are enamelled pots, so why aren't the chips a stamping fault like last month?", 'why_stage'],
    ['Can the soft blades just go back through the temper furnace?', 'rework'],
    ['Chipped edges normally go back to the honing line. Why is this lot put at stamping?', 'why_stage'],
    ['How bad is this, should the press be shut down?', 'severity_line_stop'],
    ['这个问题有多严重？', 'severity_line_stop'],
    ['Are the pitted bowls severe enough to halt WP-2?', 'severity_line_stop'],
    ['Have the paring knives come back from Hong Kong with rust before?', 'history'],
    ['Did the tri-ply pots fail the dishwasher test at Shenzhen before?', 'history'],
    ['The report has burrs and rust; which of the two sets the disposition?', 'severity_line_stop'],
    ['两个缺陷里哪个决定处置？', 'severity_line_stop'],
    ['Who takes care of the preventive action?', 'owner'],
    ["Who's on the hook for closing this out?", 'owner'],
    ['Can the second shift carry on producing meanwhile?', 'severity_line_stop'],
    ['Is that really a big deal?', 'severity_line_stop'],
    ['After the correction, what do we sample and for how many weeks?', 'effectiveness_check'],
    ['Which figures do we track over the coming quarter?', 'effectiveness_check'],
    ['What is the success criterion for closing this?', 'effectiveness_check'],
    ['How many lots until we can sign it off?', 'effectiveness_check'],
    ['Is our correction holding?', 'effectiveness_check'],
    ['Who has to sign off the new clamp setting?', 'owner'],
    ['Why did the analysis place it at the quench?', 'why_stage'],
    ['How confident is the stage call?', 'why_stage'],
    ['凭什么说是焊接的问题？', 'why_stage'],
    ['换刀以后要观察几批？', 'effectiveness_check'],
    ["Didn't we have the same issue on the woks before?", 'history'],
    ['Can we ship them as-is under a concession?', 'rework'],
    ['这批能不能特采放行？', 'rework'],
    ['这件事归口哪个部门？', 'owner'],
    ['What data should I collect for you?', 'missing_evidence'],
    ['还缺什么资料？', 'missing_evidence'],
    ['What metric tells us the fix held?', 'effectiveness_check'],
    ['措施的效果怎么判断？', 'effectiveness_check'],
    ['换了新砂轮后，看哪些数据能证明崩口不再出现？', 'effectiveness_check'],
    ['How come you blame grinding rather than honing?', 'why_stage'],
    ['凭什么说是注塑工序的问题？', 'why_stage'],
    ['Who approves releasing the quarantined pans?', 'owner'],
    ['Any earlier rivet complaints on the paring knives?', 'history'],
    ['What must the lab send us before MRB meets?', 'missing_evidence'],
    ['What do we still need from the night shift before QA can judge this lot?', 'missing_evidence'],
    ['Which photos and readings should the warehouse send for the held pallets?', 'missing_evidence'],
    ['Which questions should we ask the packing line?', 'missing_evidence'],
    ['深圳厂前年碰到过这种毛刺吗？', 'history'],
    ['Once the new nozzle is in, what do we watch and for how long?', 'effectiveness_check'],
    ['What has to be true before we close the 8D?', 'effectiveness_check'],
    ['Does this count as a stop-the-line defect?', 'severity_line_stop'],
    ['刀尖崩的那几把磨一下之后再出货行不行？', 'rework'],
    ['Does the weld standard permit repairing pinholes?', 'rework'],
    ['Can the bent tips be reground and shipped?', 'rework'],
    ['Has this burr problem come up before on the paring line?', 'history'],
    ['Is there any record of rust like this on the Hong Kong stock?', 'history'],
    ['Prior incidents with this bracket weld?', 'history'],
    ['Were there any previous lid knob cracks at Shenzhen?', 'history'],
    ['How do we confirm that swapping the worn nozzle really fixed the porosity?', 'effectiveness_check'],
    ['铆钉高度的复测和记录应该由谁负责？', 'owner'],
    ['Summarise the analysis', 'general'],
  ])('%s → %s', (question, intent) => {
    expect(recognizeQuestion(question).intent).toBe(intent);
  });

  it('reads a Chinese question typed with spaces between its words as written without them', () => {
    expect(recognizeQuestion('这 批 还 缺 哪些 数据 才能 定 原因？').intent).toBe('missing_evidence');
    expect(recognizeQuestion('要 不要 停线？').intent).toBe(recognizeQuestion('要不要停线？').intent);
  });

  it('reads an alternative the question proposes as a suspicion', () => {
    expect(
      recognizeQuestion("Why blame the press? Couldn't the coil supplier be the cause?").alternative,
    ).toEqual({ text: 'coil supplier' });
    expect(recognizeQuestion('Why not blame the glazing belts rather than the quench?').alternative).toEqual({
      text: 'glazing belts',
      stage: 'blade_glazing',
    });
    expect(recognizeQuestion('为什么是开刃工序？会不会是热处理的问题？').alternative).toEqual({
      text: '热处理',
      stage: 'heat_treatment',
    });
  });

  it('reads an alternative with an apostrophe in it', () => {
    expect(recognizeQuestion("Why the quench and not the dealer's warehouse?").alternative?.text).toBe(
      "dealer's warehouse",
    );
  });

  it('reads the facility, SKU, window and the alternative a question names', () => {
    const history = recognizeQuestion('Did the 28 cm wok line in Hong Kong have this in the last 6 months?');
    expect(history).toMatchObject({ facility: 'hongkong', productSku: 'WK-CI-280', windowDays: 180 });
    expect(recognizeQuestion('Seen at Shenzhen and Hong Kong?').facilities).toEqual(['shenzhen', 'hongkong']);
    expect(history.facilities).toBeUndefined();
    expect(recognizeQuestion('Why taper grinding rather than cutting edge honing?').alternative).toEqual({
      text: 'cutting edge honing',
      stage: 'cutting_edge_honing',
    });
  });

  it('answers in Chinese when the question is mostly Chinese, codes and English words included', () => {
    expect(questionLanguage('这个 weld defect 能 re-weld 吗？')).toBe('zh');
    expect(questionLanguage('What does 气孔 mean for the weld?')).toBe('en');
  });

  it.each([
    ['要停线吗？', 'classifier'],
    ['Has it recurred at Yangjiang?', 'root-cause'],
    ['Can the chipped ones be re-honed?', 'corrective-action'],
    ['谁负责围堵？', 'corrective-action'],
  ])('routes %s to %s', async (question, agent) => {
    expect((await createRuleRouter().route({ question })).agent).toBe(agent);
  });

  it.each([
    ['After re-dressing the wheel, what do we monitor, and how long?', 'effectiveness_check'],
    ['Once the seal is replaced, what should we check?', 'effectiveness_check'],
    ['热电偶校准以后要测什么？测多久？', 'effectiveness_check'],
    ['When the rust showed up, what should we measure?', 'missing_evidence'],
    ['Could the loose pairs just be re-tightened and sent?', 'rework'],
  ])('recognises %s as %s', (question, intent) => {
    expect(recognizeQuestion(question).intent).toBe(intent);
  });

  it.each([
    ['Did this happen at Foshan last year?', 'history'],
    ['货已经寄给经销商了怎么办？', 'containment_shipped'],
    ['Could we sell the lot as seconds?', 'rework'],
    ['Why not the riveting press?', 'why_stage'],
    ['换了供应商的砂轮以后，整改效果怎么确认？要看哪些标准？', 'effectiveness_check'],
    ['库房加了通风以后，怎么验证对策有效？', 'effectiveness_check'],
  ])('recognises %s as %s (more phrasings)', (question, intent) => {
    expect(recognizeQuestion(question).intent).toBe(intent);
  });
});

describe('recognizeQuestion: why not the stage the asker names, but the analysis’s', () => {
  it('reads "为什么不算 X 的问题，而是 Y" as why_stage with X as the alternative', () => {
    const question = recognizeQuestion('刀身发黄为什么不算回火的问题，而是磨刃这一步？');
    expect(question.intent).toBe('why_stage');
    expect(question.alternative).toEqual({ text: '回火', stage: 'heat_treatment' });
  });

  it('reads "为什么算在 X" as why_stage', () => {
    expect(recognizeQuestion('为什么算在注塑？').intent).toBe('why_stage');
  });
});

describe('recognizeQuestion: the place the asker takes the analysis to have chosen, or leaves open', () => {
  it('reads where the question says the analysis put the defect', () => {
    const question = recognizeQuestion(
      'Why was the bowing put at the tempering oven rather than at the quench?',
    );
    expect(question.intent).toBe('why_stage');
    expect(question.assumed).toBe('tempering oven');
  });

  it('reads "which process step …, X or somewhere else?" as why_stage with the other place left open', () => {
    const question = recognizeQuestion('Which process step made the scratches: glazing, or somewhere else?');
    expect(question.intent).toBe('why_stage');
    expect(question.elsewhere).toBe('somewhere else');
  });
});
