import { describe, expect, it } from 'vitest';
import type { InspectionReport } from '../../../domain/index.ts';
import { readReportFacts } from '../../report-facts/index.ts';
import { classifyReport } from './classifier/classifier.ts';
import { causeCategory, decideStage } from './root-cause-skill.ts';

/** A report on the plant, its facts and the trained classifier's prediction for it. */
function readReport(description: string, report: Partial<InspectionReport>) {
  const full = { description, ...report } as InspectionReport;
  const facts = readReportFacts(full);
  return { facts, prediction: classifyReport({ report: full, facts }) };
}

/** The stage decided for a report read as the given type (a handle crack on an 8" chef knife unless told). */
function stageOf(
  description: string,
  {
    type = 'handle_crack',
    report = { facility: 'yangjiang', product_sku: 'WK-KN-200' },
  }: { type?: Parameters<typeof decideStage>[0]['type']; report?: Partial<InspectionReport> } = {},
): string {
  const { facts, prediction } = readReport(description, report);
  return decideStage({ type, facts, prediction, similar: [], checks: undefined }).stage;
}

describe('decideStage: a handle crack made by the assembly load', () => {
  it('places a handle that cracked at its rivet holes under the rivet press at rivet assembly', () => {
    expect(
      stageOf(
        'Patrol at riveter R-6: POM scales cracked starting at the rivet holes, 6 of 40. The rivet press gauge reads 7.0 bar against 5.0-5.5 on the setting sheet; the regulator does not hold. Scales of the same moulding lot on R-5 at 5.2 bar: 0 cracks in 40.',
      ),
    ).toBe('rivet_assembly');
  });

  it('places handles that cracked around their rivet holes after riveting, at a rivet force too high, at rivet assembly', () => {
    expect(
      stageOf(
        '异常报告 铆合一线：新换的 PA 手柄铆合后铆钉孔四周出现细小裂纹 6/30。来料手柄铆前抽检无裂纹。铆接力还是按旧手柄的 14 kN。',
      ),
    ).toBe('rivet_assembly');
  });

  it('keeps a handle that cracked at its screw hole with no assembly press or driver named at moulding', () => {
    expect(
      stageOf(
        'Returns: bakelite handles cracked near the screw hole, 9 pcs. Retained handles soften in the acetone test: under-cured; the supplier cut the cure time from 90 s to 55 s.',
      ),
    ).toBe('handle_injection');
  });
});

describe('decideStage: rust after a surface step that the line of the cause names', () => {
  it('places rust at the surface step when the quench is ruled out and the cause is listed under the passivation bath', () => {
    expect(
      stageOf(
        '异常报告：刀片钝化后放了三天出现锈点 20/200。\n排查：\n1. 淬火：曲线正常，同炉另一批钝化后无锈，排除淬火。\n2. 钝化槽：温度表显示 52 °C，手持温度计实测 31 °C，温控探头结垢读数偏高。\n处置：隔离，清洗探头。',
        { type: 'rust_spot' },
      ),
    ).toBe('logo_print');
  });
});

describe('decideStage: a finish defect on the spine alone', () => {
  it('places swirl marks on the spine, and on no face of the blade, at the back-edge polish', () => {
    const { facts, prediction } = readReport(
      'Spine polishing stations SP-1/SP-2: fine arc marks on the spine, 12 of 60. Compound bar lot changed yesterday; old lot on SP-1 gives a clean satin.',
      { facility: 'yangjiang', product_sku: 'WK-KN-200' },
    );
    expect(
      decideStage({ type: 'polish_defect', facts, prediction, similar: [], checks: undefined }).stage,
    ).toBe('back_edge_polishing');
  });
});

describe('decideStage: a cause stated at the one station the report is headed with', () => {
  it('places chips made as the blade lay in a wrong riveting nest at rivet assembly', () => {
    expect(
      stageOf(
        'Set-up check - rivet press RP-4 - second shift\nQA found 6 of 40 paring knives with edge chips of 0.2-0.4 mm at the heel. The nest fitted is the one for the 8-inch blade; the narrower blade lies crooked and its edge rests on the steel lip of the nest.\nRight nest fitted, 10 pcs without chips.',
        { type: 'blade_chip', report: { facility: 'shenzhen', product_sku: 'WK-KN-100' } },
      ),
    ).toBe('rivet_assembly');
  });

  it('places handles darkened in the dryer of a wash line the report is headed with there, whatever part of the handle it names', () => {
    expect(
      stageOf(
        'Final wash line W-2, drying tunnel\nPakka wood handles darkened around the rivets and at the butt after drying, 7 of 30. The thermostat relay of the tunnel is stuck closed: air at the exit 95 °C against 60 °C set.',
        { type: 'handle_discoloration' },
      ),
    ).toBe('logo_print');
  });

  it('keeps the usual origin when the report is one line, with no heading', () => {
    expect(
      stageOf(
        'QA found 6 of 40 paring knives with edge chips of 0.2-0.4 mm at the heel after riveting; the nest fitted is the one for the 8-inch blade.',
        { type: 'blade_chip', report: { facility: 'shenzhen', product_sku: 'WK-KN-100' } },
      ),
    ).not.toBe('rivet_assembly');
  });
});

function categoryOf(description: string): string | undefined {
  const { facts, prediction } = readReport(description, { facility: 'shenzhen', product_sku: 'WK-KN-150' });
  return causeCategory(facts, prediction)?.category;
}

describe('causeCategory: a person against the instruction', () => {
  it('reads a step skipped by a person who knew and was trained on the instruction as man', () => {
    expect(
      categoryOf(
        'Edge chips on 7 of 50 after honing at H-2. Cause: the operator skipped the wheel dressing after the wheel change. The work instruction clearly requires dressing after every change, and he is trained on it (training record on file).',
      ),
    ).toBe('man');
  });

  it('reads the same step skipped where the instruction does not cover it as method', () => {
    expect(
      categoryOf(
        'Edge chips on 7 of 50 after honing at H-2. Cause: the wheel was not dressed after the wheel change; the work instruction does not mention dressing after a change.',
      ),
    ).toBe('method');
  });

  it('reads a setting changed or a step skipped by the person at the station of their own accord as man', () => {
    expect(
      categoryOf(
        'Bolster welds porous on 11 of 60 from cell W-3. Cause: the night welder turned the argon down from 14 to 8 L/min himself to stretch the last cylinder; the WPS says 12-15 L/min.',
      ),
    ).toBe('man');
    expect(
      categoryOf(
        '刃口卷边 9/50，H-1 开刃机。原因：中班操作工为了赶产量把进给从 0.02 调到 0.05 mm/行程，参数记录上没有登记。',
      ),
    ).toBe('man');
    expect(
      categoryOf(
        'Haze on the satin flats, 14 of 40. The B-shift polisher left out the last fine pass to meet the shift count and ticked it as done on the route card.',
      ),
    ).toBe('man');
  });

  it("reads a machine's display that disagrees with an independent meter in a table as measurement", () => {
    expect(
      categoryOf(
        'Spot weld check | SW-3 | wok handle brackets\nno | display (kA) | clamp meter (kA) | nugget (mm)\n1 | 9.0 | 7.1 | 3.9\n2 | 9.1 | 7.0 | 3.8\n3 | 9.0 | 7.2 | 4.0\nspec: nugget >= 5.0 mm',
      ),
    ).toBe('measurement');
  });

  it("reads the room's air conditioning tripping, with the room out of its temperature, as environment", () => {
    const description =
      'Handles buffed after 11:00 are hazy with yellow smears, 14 of 60. The buffing room AC compressor tripped at 10:50, room temperature 39 C against the posted 18-28 C.';
    expect(categoryOf(description)).toBe('environment');
    expect(readReport(description, {}).facts.stated_causes.map((cause) => cause.category_6m)).not.toContain(
      'machine',
    );
  });

  it('keeps a setting changed by an engineer or a supervisor, or a step left out as the instruction has it, as method', () => {
    expect(
      categoryOf(
        '刃口卷边 9/50，H-1 开刃机。原因：工艺员为了提产能把进给从 0.02 调到 0.05 mm/行程，没有走变更，也没有试磨。',
      ),
    ).toBe('method');
    expect(
      categoryOf(
        'Haze on the satin flats, 14 of 40. The polisher skipped the fine pass per the revised routing (ECN-311 took it out last week); nobody trialled the shorter sequence.',
      ),
    ).toBe('method');
  });

  it('reads a step done by a welder without the certification of the fixture as man', () => {
    expect(
      categoryOf(
        '焊缝气孔 5/60，都在 heel 一侧。中班焊工从 3 线借调过来，他没做过这个夹具的焊接认证，焊枪角度和作业卡上的不一样。',
      ),
    ).toBe('man');
  });
});

describe('causeCategory: a person acting on the equipment, a conclusion naming its branch', () => {
  it('reads a person who knew the instruction, or was new to the station, doing it to the equipment as man', () => {
    expect(
      categoryOf(
        '刃口烧伤发蓝。3. 为什么没开冷却？—— 夜班操作员嫌冷却液溅到护目镜上，自己把冷却液阀门关了干磨。作业指导书写明必须全程冷却，他上岗考核过。冷却泵检查正常。',
      ),
    ).toBe('man');
    expect(
      categoryOf(
        'Burrs along the edge of the whole night run on grinder G-3. A relief operator from the packing section fitted the coarse dressing wheel after the fine one broke; both wheels come in the same box. He had never worked on G-3.',
      ),
    ).toBe('man');
  });

  it('takes the 6M branch the report names after its conclusion', () => {
    expect(
      categoryOf('刀面划伤 5/40。调查：周转车隔板磨损，刀面互相摩擦。结论：员工未按要求更换隔板（人）。'),
    ).toBe('man');
    expect(
      categoryOf(
        'Rust spots on 6/50 after passivation. The rinse tank heater was off. Root cause: the operator skipped the hot rinse to save time (man).',
      ),
    ).toBe('man');
  });
});

describe('causeCategory: the person at the station who went their own way', () => {
  it('reads an operator who says he himself skipped a step for the count as man', () => {
    expect(
      categoryOf(
        'Buffing cell B-2, 30 of 120 blades with a dull grey film. SOP-BF-03 asks for a compound wipe after every 40 blades. The operator told us he skipped the wipes all afternoon to hit the shift count. B-1 and B-3 did the wipes: clean.',
      ),
    ).toBe('man');
  });

  it('reads an assembler who took parts from the wrong bin, far from the words that say so, as man', () => {
    expect(
      categoryOf(
        'Pivot screws loose on 18 of 60 scissors. On Tuesday a new assembler at bench SA-4 took the spring washers from the tray of the sample order on the next bench instead of the production tray.',
      ),
    ).toBe('man');
  });

  it('reads a certified operator who picked a program without checking it against the traveller as man', () => {
    expect(
      categoryOf(
        'Hardness 49-51 HRC on load 7 (spec 55-58). The furnace ran program 03, the traveller calls for program 09. The operator (certified, five years on the line) chose 03 from the recent list without checking it against the traveller. Loads before and after on program 09 are in spec.',
      ),
    ).toBe('man');
  });

  it('reads a person who left out a step whose means were at hand at the station as man', () => {
    expect(
      categoryOf(
        'Mirror blades scratched face to face on 9 of 40. SOP-GL-09 asks for a foam sheet between mirror blades; the foam sheets were on the shelf at the station. The glazer stacked them without it on the late shift.',
      ),
    ).toBe('man');
  });

  it('keeps a step skipped because a consumable ran out, with no person named as the one who chose it, as method', () => {
    expect(
      categoryOf(
        'Scratches on 5 of 50 blades after handle buffing. The masking film ran out at 10:00 and the masking step was left out instead of stopping the cell; there is no rule for what to do when the film runs out.',
      ),
    ).toBe('method');
  });
});

describe('causeCategory: equipment cleared, an instruction with no step for it', () => {
  it('reads equipment a list clears and parts that match the die as no cause, leaving the document routing (method)', () => {
    expect(
      categoryOf(
        'Tip profile off the template on 30 of 30. Press, fixture and gauges verified; the blanks match the die. The die was cut to the old drawing because the ECN routing skipped the toolroom.',
      ),
    ).toBe('method');
  });

  it('reads equipment left as a checklist with no line for it allowed as method', () => {
    expect(
      categoryOf(
        'Handles overhang the spine on 5 of 40 after the changeover. The 6-inch nest was left in the fixture; the changeover checklist lists the punch and the feeder but has no line for the nest.',
      ),
    ).toBe('method');
  });
});

describe('causeCategory: an instruction or an order left behind a change', () => {
  it('reads a die set as an instruction that was not updated still says as method', () => {
    expect(
      categoryOf(
        'Heads not closed on 30 of 30. Press R-4 die height 8.5 mm; WI-RV-07 still says 8.5 after the rivet change to 12 mm. Die reset to 9.8 mm, 10 pcs flush.',
      ),
    ).toBe('method');
  });

  it('reads a die variant set from an order that names no variant as method', () => {
    expect(
      categoryOf(
        'Blanks 2.1 mm short on the whole lot: die D-90K, the export variant, was set on press P-2. The production order only says "D-90", so the setter took the first D-90 die in the rack.',
      ),
    ).toBe('method');
  });

  it('keeps a die that cracked as machine, whatever the instruction says', () => {
    expect(
      categoryOf(
        'Burrs 0.3 mm on 12 of 40 blanks. The trim die of press P-2 is cracked at one corner; WI-BS-02 still says to resharpen every 200k strokes.',
      ),
    ).toBe('machine');
  });
});

describe('causeCategory: an instrument that reads wrong against a reference', () => {
  it('reads a tester whose stylus is worn, off on its reference specimen, as measurement', () => {
    expect(
      categoryOf(
        'Flats dull, Ra 0.52 um in the lab against 0.35 max. The line roughness tester gave 0.28. Its stylus is worn: on the 0.80 um roughness specimen it reads 0.55.',
      ),
    ).toBe('measurement');
  });

  it('reads a display that a logger or a probe shows to be below the real temperature as measurement', () => {
    expect(
      categoryOf(
        'Handles with burnt streaks on 14 of 40 from press M-6 since the temperature unit was replaced. A logger in the mould reads 112 C with the display at 90.',
      ),
    ).toBe('measurement');
    expect(
      categoryOf(
        'Handles with burnt streaks on 14 of 40 from press M-6 since the new temperature unit went in. Its display reads 20 C below the mould surface.',
      ),
    ).toBe('measurement');
  });
});

describe('causeCategory: a step done otherwise than its instruction says', () => {
  it('reads a step as done with the work instruction quoted beside it as method', () => {
    expect(
      categoryOf(
        'Weld patrol, station W-2\npores on 3/20\ncurrent 152 A (WPS 150-170 A)\npre-clean: wiped dry only (WI-BW-04: acetone wipe, then dry)',
      ),
    ).toBe('method');
  });
});

describe('causeCategory: candidates ruled out before the cause found', () => {
  it('reads the items under a "Ruled out:" heading and a first suspicion as cleared, leaving the draught found', () => {
    expect(
      categoryOf(
        'Pores in the bolster welds on W-4 only, 14 of 100.\n\nRuled out:\n- gas: same bottle bank as W-3;\n- torch: nozzle changed Monday, no change;\n- wire: same spool lot.\n\nWhat changed: the dock door next to W-4 now stays open for the forklifts; anemometer at the torch 1.9 m/s cross-draught with the door open, 0.1 m/s closed.',
      ),
    ).toBe('environment');
    expect(
      categoryOf(
        'Tangs 1.4 mm short on 20 of 20. First suspicion was the blanking die (worn or shifted); die inspected: per drawing, no wear. The setter set the stop from height gauge HG-2, which reads 1.3 mm long on the gauge block; it was never re-zeroed after its base was replaced.',
      ),
    ).toBe('measurement');
  });
});

describe('causeCategory: works beside the line, cleared lists, requests and a known instruction', () => {
  it('reads a machine or works brought in beside the line as the environment', () => {
    expect(
      categoryOf(
        'Mirror blades from GL-2 show chatter since last week. The new 300 t press was installed next to GL-2 on Monday; with the press stopped the marks go away. Wheels and compound unchanged.',
      ),
    ).toBe('environment');
  });

  it('reads a person who signed the instruction and set it aside as the man branch', () => {
    expect(
      categoryOf(
        'Bases warped 2 mm after the anneal, 18 of 40. The night loader stacked the pans four high to save time; the WI allows two and he signed the WI training last month. The furnace profile was normal.',
      ),
    ).toBe('man');
  });
});

describe('decideStage: scratches made where something touches the parts, and cast pans fettled', () => {
  it('places scratches that match a clamp of the welding fixture at the welding cell', () => {
    const { facts, prediction } = readReport(
      'Packing rejects: straight scratches 5-9 mm on the outside of 24 cm pots, always opposite the handle, 18 of 400. Traced: the marks match the clamp of the handle welding fixture on weld cell W2, whose rubber pad is worn through. Pots from weld cell W1 have none. The mirror polish is done before welding.',
      { facility: 'shenzhen' },
    );
    expect(
      decideStage({ type: 'blade_scratch', facts, prediction, similar: [], checks: undefined }).stage,
    ).toBe('bolster_welding');
  });

  it('places gouges from the fettling grinder of a cast pan at casting', () => {
    const { facts, prediction } = readReport(
      'Seasoning line rejects: gouges 10-15 mm on the cooking surface of cast skillets next to the old gate, 14 of 120. Made at fettling cell F1 (gate and riser grinding): the work rest is missing, so the pan rolls into the belt. F2 fettling: no gouges.',
      { facility: 'yangjiang', product_sku: 'WK-CI-200' },
    );
    expect(
      decideStage({ type: 'blade_scratch', facts, prediction, similar: [], checks: undefined }).stage,
    ).toBe('blade_stamp');
  });
});

describe('decideStage: a crack that runs from a rivet hole, with the riveting records read', () => {
  it('places it at rivet assembly when the riveting settings are off', () => {
    expect(
      stageOf(
        'Returned paring knives: the line people saw is a crack through the scale starting at the rear rivet hole, 5-9 mm long, on 8 of 12. Riveting records for that week: 6.0 bar on a SKU whose setting is 4.0-4.5 bar.',
      ),
    ).toBe('rivet_assembly');
  });
});

describe('decideStage: a warped blade whose hardness held', () => {
  const warpStage = (description: string): string =>
    stageOf(description, {
      type: 'heat_treatment_defect',
      report: { facility: 'shenzhen', product_sku: 'WK-KN-150' },
    });

  it('places the bow at the quench when the report ties it to the quench and the hardness is in spec', () => {
    expect(
      warpStage(
        'HT furnace F-2: bow 0.5-0.9 mm on 12 of 30 utility blades, limit 0.3. Hardness 55.9-56.6 HRC. Furnace settings and heat-treatment records as before; what changed is heat-treatment WI-HT-009 rev C, which lays the blades flat in the furnace baskets, so the bow appears in the furnace. Blades quenched on the hanging fixtures stay flat.',
      ),
    ).toBe('vacuum_quench');
  });

  it('leaves a bow set at tempering at heat treatment', () => {
    expect(
      warpStage(
        'Bow 0.5-0.9 mm on 12 of 30 utility blades, limit 0.3. Hardness 55.9-56.6 HRC. The blades were tempered loose in baskets without the clamp fixture; the furnace loading itself was as usual.',
      ),
    ).toBe('heat_treatment');
  });
});

describe('causeCategory: an instruction posted at the station, a change made without its approval', () => {
  it('reads a setting a person changed with the instruction posted at the station as man', () => {
    expect(
      categoryOf(
        'Porosity on 9 of 40 bolster welds, station W-3. The night welder turned the gas flow down to 8 L/min to save shielding gas; the welding card (12-15 L/min) is posted on the machine.',
      ),
    ).toBe('man');
    expect(
      categoryOf(
        '手柄缩痕 12/50。夜班操作员把保压时间从 8 秒改成 4 秒。工艺卡就贴在机台上，改参数要工艺员审批，他没有申请。',
      ),
    ).toBe('man');
  });

  it('keeps a setting changed where the instruction gives no value for it as method', () => {
    expect(
      categoryOf(
        'Porosity on 9 of 40 bolster welds, station W-3. The gas flow was turned down to 8 L/min after the cylinder change; the welding card gives no value for the flow.',
      ),
    ).toBe('method');
  });
});

describe('decideStage: rust from a surface step after a quench the report clears', () => {
  it('places rust from a rinse after passivation, with the quench cleared, at the last surface step before packing', () => {
    expect(
      stageOf(
        'Rust spots on 9 of 40 paring knives two days after passivation. Quench records normal and retained blades from before passivation passed 1000 h salt spray, so not a vacuum quench problem. Cause: the final rinse after passivation was topped up with tap water, chloride 180 ppm.',
        { type: 'rust_spot', report: { facility: 'yangjiang', product_sku: 'WK-KN-100' } },
      ),
    ).toBe('logo_print');
  });

  it('keeps rust after a slow quench at the vacuum quench', () => {
    expect(
      stageOf(
        'Rust spots on 9 of 40 paring knives in salt spray. Vacuum quench VQ-2 took 3 min 40 s from 1000 to 600 °C against 2 min; the chamber leak rate is high.',
        { type: 'rust_spot', report: { facility: 'yangjiang', product_sku: 'WK-KN-100' } },
      ),
    ).toBe('vacuum_quench');
  });
});

describe('causeCategory: an instrument found reading wrong', () => {
  it('reads a gauge set up wrong that reads low, and the setting made from it, as measurement', () => {
    expect(
      categoryOf(
        'Blades 0.6 mm short on 14 of 20. The die stop was reset on Monday from the line height gauge. The gauge reads about 0.6 mm low: the 100.00 reference block measured on it shows 99.41.',
      ),
    ).toBe('measurement');
    expect(
      categoryOf(
        '剪刀中轴松，刀尖错开 1.5 mm，12/40。复测 2 号扭力扳手：设定 3.0 N·m，实际 2.0 N·m 就响了，其余扳手正常。',
      ),
    ).toBe('measurement');
  });

  it('keeps a worn part of the process equipment as machine though a gauge is named', () => {
    expect(
      categoryOf(
        'Blades 0.6 mm short on 14 of 20. The die stop block is worn 0.6 mm and moves under load; the height gauge checked against the reference block reads true.',
      ),
    ).toBe('machine');
  });
});

describe('causeCategory: the instruction at hand in Chinese', () => {
  it('reads a setting a person changed with its value labelled on the tool, without telling the team leader, as man', () => {
    expect(
      categoryOf(
        '锅柄螺丝座开裂 8/40。原因：装配工自己把扭力枪从 3.0 N·m 调到 5.5 N·m，没有告诉组长。作业指导书写的是 3.0±0.3 N·m，扭力枪上贴了设定值标签。',
      ),
    ).toBe('man');
  });

  it('reads a step left out with the procedure clipped to the cart as man', () => {
    expect(
      categoryOf(
        '冲孔位置偏 0.3 mm，1,500 件。原因：夜班装模少放了一片垫片，首件也没做就开机。首件 procedure 和垫片清单都夹在模具车上，他没看。',
      ),
    ).toBe('man');
  });
});

describe('decideStage: rust and residue left before packing', () => {
  it('places rust on scissors from bare hands at the packing table, with the quench cleared, at the last production stage', () => {
    expect(
      stageOf(
        '剪刀刀面指纹处生锈 7/60。原因：包装台手套缺货，包装工徒手装盒。同批刀片盐雾试验合格，真空淬火记录正常。',
        { type: 'rust_spot', report: { facility: 'shenzhen', product_sku: 'WK-SC-200' } },
      ),
    ).toBe('logo_print');
  });

  it('places dust settling in a packing room moved beside floor grinding at the last production stage', () => {
    expect(
      stageOf(
        'Fine dust on 12 of 50 blades at the carton check, wipes off. The packing room was moved next to the floor grinding work for a week; dust settles on the open trays.',
        { type: 'surface_contamination', report: { facility: 'hongkong', product_sku: 'WK-KN-150' } },
      ),
    ).toBe('logo_print');
  });
});

describe('causeCategory: what the report held constant is no cause', () => {
  it('reads the compound lot, not the operators who did not change or a trial on the same wheel, as the cause', () => {
    expect(
      categoryOf(
        'Haze and fine scratches on 14 of 50 mirror blades since compound lot C-88 was opened on Monday. We put bars of lot C-80 back on the same wheel: 0 of 50 hazy. The wheels were dressed the same way for both lots, and the operators did not change.',
      ),
    ).toBe('material');
  });
});

describe('decideStage: rust whose furnace cause the report states beside a second finding from bare hands', () => {
  it('keeps rust from a wet backfill gas at the vacuum quench, though fingerprints came from handling without gloves', () => {
    expect(
      stageOf(
        'Rust pin-points on 7 of 50 blades after VQ-1, and fingerprints on 10 more from unloading without gloves. Leak rate 0.4 Pa/h normal, cooling 1 min 55 s normal. The nitrogen backfill from the new supplier measured dew point -25 °C against ≤ -40 °C.',
        { type: 'rust_spot', report: { facility: 'yangjiang', product_sku: 'WK-KN-200' } },
      ),
    ).toBe('vacuum_quench');
  });
});

describe('causeCategory: an instrument that reads wrong or has moved', () => {
  it('reads a controller that reads some degrees high as measurement', () => {
    expect(
      categoryOf(
        'Soft blades, 51-52 HRC on 12 of 20 from temper oven T-2. A survey probe in the load read 205 °C; the new control element is a different type from the one the controller is set for, so the controller reads about 35 C low and drives the oven hot.',
      ),
    ).toBe('measurement');
  });

  it('reads a worn setting template as measurement', () => {
    expect(
      categoryOf(
        'Blade length 152.9-153.2 mm against 151.5 ± 0.5 on the whole lot. The setter set the back gauge with profile template PT-3; on the CMM the template stop lug is worn 1.4 mm against its drawing.',
      ),
    ).toBe('measurement');
  });
});

describe('causeCategory: an instrument shown wrong against a reference', () => {
  it('reads a panel flowmeter that the reference at the torch shows wrong as the measurement, not the regulator', () => {
    expect(
      categoryOf(
        'WC-2 shielding gas log, bolster welds WK-KN-200, Yangjiang\ntime | panel flowmeter L/min | reference flowmeter at torch L/min | pores pcs/20\n08:00 | 12 | 11.9 | 0\n10:00 | 12 | 7.4 | 2\n12:00 | 12 | 4.6 | 7\n12:30 regulator closed | 12 | 0.0 | -\nWPS: 10-14 L/min at the torch.',
      ),
    ).toBe('measurement');
  });
});
