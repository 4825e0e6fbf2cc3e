import { describe, expect, it } from 'vitest';
import type { InspectionReport } from '../../../domain/index.ts';
import { readReportFacts } from '../../report-facts/index.ts';
import type { ClassifierPrediction } from './classifier/classifier.ts';
import { decideType, describesThePlant } from './classifier-skill.ts';

/** A prediction of the trained classifier with the type probabilities given, most probable first. */
function predictionOf(
  types: Array<{ name: string; probability: number }>,
  typeConfidence: number,
): ClassifierPrediction {
  return {
    types: [...types].sort((left, right) => right.probability - left.probability),
    typeConfidence,
    stages: [],
    stageConfidence: 0,
    categories: [],
    categoryConfidence: 0,
  };
}

/** A prediction as the trained classifier gives it for a report unlike its training reports: every class improbable. */
function doubtfulPrediction(none: number, likeliestDefect: number): ClassifierPrediction {
  return predictionOf(
    [
      { name: 'handle_discoloration', probability: likeliestDefect },
      { name: 'none', probability: none },
      { name: 'surface_contamination', probability: likeliestDefect / 2 },
    ],
    0.3,
  );
}

function decide(description: string, prediction: ClassifierPrediction) {
  const report: InspectionReport = { description, facility: 'shenzhen' } as InspectionReport;
  return decideType({
    report,
    facts: readReportFacts(report),
    prediction,
    similar: undefined,
    checks: undefined,
  });
}

describe('decideType: passing lots the classifier doubts', () => {
  const incoming =
    'IQC 9-Mar - ABS scale sets for WK-KN-150, supplier Hengli, 4,000 sets, sample 50\nVisual: light weld lines on the inner face, allowed by drawing note 3; outer faces clean.\nDims: length 104.1-104.4 (104.2 ± 0.3).\nDrop 1 m x3: 0/10 cracked.\nResult: Accepted, released to the riveting cell.';

  it('passes a lot whose verdict its own readings and counts show, however little the classifier believes it', () => {
    const decision = decide(incoming, doubtfulPrediction(0.12, 0.09));
    expect(decision.type).toBe('none');
  });

  it('holds for a person a lot that states a verdict without counts or readings that show it', () => {
    const decision = decide(
      'IQC 9-Mar - ABS scale sets, supplier Hengli.\nVisual: light weld lines on the inner face, allowed by drawing note 3.\nResult: Accepted.',
      doubtfulPrediction(0.12, 0.09),
    );
    expect(decision.type).toBe('unknown');
  });
});

/** A prediction that is sure of one defect type. */
function confidentPrediction(type: string, probability: number): ClassifierPrediction {
  return predictionOf(
    [
      { name: type, probability },
      { name: 'none', probability: (1 - probability) / 2 },
    ],
    probability,
  );
}

describe('decideType: findings the report itself explains away', () => {
  it('passes a repeated test whose first finding wiped off with no pit under it, not a rust sorted out', () => {
    const decision = decide(
      'Humidity cabinet test, paring knives PK-90, 8 pcs, 48 h.\n24 h: two brown dots on piece 3 near the bolster; they came off with alcohol, no pitting at 10x. Dripping condensate from the rusty door seal above piece 3 (seal changed).\nRe-run with 8 fresh pcs: 48 h, 0/8 rust. Piece 3 at 48 h: no rust.\nConclusion: lot accepted.',
      confidentPrediction('rust_spot', 0.7),
    );
    expect(decision.type).toBe('none');
  });

  it("holds for a person, never reworks or scraps, a complaint the plant's check does not substantiate", () => {
    const decision = decide(
      'Customer complaint #C-88 (skillet SK-26)\nOnline buyer writes: "rust spots on the outside bottom, brown and sticky".\nQA check:\n- Brown glossy drops 2-4 mm, sticky: seasoning oil that ran during curing, not iron oxide.\n- Rust on our pans is dull orange and powdery.\n- Retained samples 5 pcs, 96 h humidity, 0 rust.\nConclusion: complaint not substantiated, lot conforms.',
      confidentPrediction('rust_spot', 0.7),
    );
    expect(decision.type === 'none' || decision.type === 'unknown').toBe(true);
  });
});

describe('decideType: notices and agendas', () => {
  it('reads an agenda that names complaints to review as off-topic, not a defect report', () => {
    const decision = decide(
      'Agenda, supplier quality review, 3 March\n09:30 welcome; 10:00 walk of the polishing line; 11:00 go through the scratch complaint SC-0117 and the burr claim from Metro; 14:00 gauge calibration plan.\nPlease bring your slides by Friday.',
      confidentPrediction('blade_scratch', 0.4),
    );
    expect(decision.onTopic).toBe(false);
  });

  it('still reads a complaint report that names its complaint as a defect report', () => {
    const decision = decide(
      'Scratch complaint SC-0117 from Metro: 6 of 40 returned knives have deep scratches on the blade face.',
      confidentPrediction('blade_scratch', 0.8),
    );
    expect(decision.type).toBe('blade_scratch');
  });
});

describe('decideType: defects named and counted where the classifier is sure of nothing', () => {
  it('reports a defect the report names and counts instead of holding it as unknown', () => {
    const decision = decide(
      'Glass lid line, knob station 3.\nKnobs off-centre 2.5 mm: 12 of 50.\nScratches under the knob washer: 9 of 50.\nGlue smears on the glass: 4 of 50.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(['assembly_misalignment', 'blade_scratch', 'surface_contamination']).toContain(decision.type);
  });
});

describe('decideType: other parts called clean beside a counted finding', () => {
  it('reads a named and counted finding as the defect when only other parts or equipment are called clean or ok', () => {
    const decision = decide(
      'Wok side-handle TIG welds, cell 4, afternoon: pinholes on 9 of 30. Welds from the morning were clean; gas flow ok, nozzle clean.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('weld_defect');
  });
});

describe('decideType: parts counted by their own name', () => {
  it('reads "4 pans returned" beside the one defect named as a counted finding', () => {
    const decision = decide(
      'Return from a hotel kitchen: 3 pans returned, base convex 0.9-1.2 mm (drawing concave 0-0.4). Anneal furnace temperature ok.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('heat_treatment_defect');
  });
});

describe('decideType: a counted finding beside checks of other items', () => {
  it('reads a finding counted in its own sentence as counted, though another sentence of the line denies something else', () => {
    const decision = decide(
      'Rivet line 4 patrol\nRivet heads proud by 0.3-0.5 mm, 18 of 60 pcs. Scales tight, no gap at the tang, alignment OK.\nThe press stroke was set with a sticking dial gauge.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('assembly_misalignment');
  });
});

describe('decideType: a finding and a check after its correction', () => {
  it('reads a finding counted in its own sentence as counted, though a check after the fix found none', () => {
    const decision = decide(
      'Final QC line 2: tip chips 0.3 mm on 9 of 70 knives at the paper test. Hardness 56.2 HRC, in spec. Program corrected and checked on 15 pcs, no chips.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('blade_chip');
  });

  it('reads waves in the finish along the spine as the finish, not a second edge defect', () => {
    const decision = decide(
      'Spine polishing BP-1: chatter and a wavy satin along the spine on 7 of 25 blades. Spindle vibration 5 mm/s.',
      predictionOf(
        [
          { name: 'polish_defect', probability: 0.7 },
          { name: 'edge_irregularity', probability: 0.2 },
        ],
        0.7,
      ),
    );
    expect(decision.type).toBe('polish_defect');
    expect(decision.secondary).not.toContain('edge_irregularity');
  });
});

describe('decideType: findings numbered in a list and readings of two types', () => {
  it('reads the second numbered finding as a secondary type', () => {
    const decision = decide(
      'Wok bracket welds, cell R1\n(1) Lack of fusion on the bracket toe: 5 of 12 came off in the pry test.\n(2) Bracket 3 mm low; the helper handle is visibly crooked.\nRoot: the fixture clamp closes at 1.5 bar instead of 5; wire and gas same as cell R2, which is fine.',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('weld_defect');
    expect(decision.secondary).toContain('assembly_misalignment');
  });

  it('puts first the type that more readings out of their limits show', () => {
    const decision = decide(
      'IPQC blades\nitem | spec | result\nblade thickness mm | 1.80 +/- 0.05 | 1.91-1.95\nblade width mm | 40.0 +/- 0.2 | 40.6-40.9\nserration pitch mm | 1.00 +/- 0.10 | 0.80-1.25',
      doubtfulPrediction(0.05, 0.09),
    );
    expect(decision.type).toBe('dimensional_error');
  });
});

describe('describesThePlant: chat about other things in the quality group', () => {
  it('reads a chat in the quality department group about a dinner, with "no problem", as off-topic', () => {
    const description =
      '[品质部群]\nLi: 周六聚餐改到晚上 7 点，地点不变。\nWang: 收到，我交接班完了再过去。\nLi: ok no problem。';
    const report = { description, facility: 'shenzhen' } as InspectionReport;
    expect(describesThePlant(report, readReportFacts(report))).toBe(false);
  });

  it('reads a notice of a drill that stops a furnace and resumes "as normal" as off-topic', () => {
    for (const description of [
      '公告：下周三上午 10 点全厂疏散演练，淬火线提前一小时降温，演练后恢复正常生产。请各车间主任通知到人。',
      'Notice: evacuation drill on Friday 14:00. Stop the grinding line at 13:45; normal production resumes after the all-clear.',
    ]) {
      const report = { description, facility: 'yangjiang' } as InspectionReport;
      expect(describesThePlant(report, readReportFacts(report))).toBe(false);
    }
  });
});

describe('decideType: complaints the plant check does not confirm', () => {
  it("passes a rust complaint the check answers with the part's own finish, however unsure the classifier is", () => {
    const decision = decide(
      '售后转品质：买家说剪刀铆钉"生锈发黄"。\n品质回复：铆钉按图纸就是镀铜色，不是锈；留样 3 pcs 盐雾 1000 h 无锈。\n结论：不是质量问题，客诉不成立。',
      doubtfulPrediction(0.05, 0.3),
    );
    expect(decision.type).toBe('none');
  });

  it('still holds a complaint the check confirms on some parts', () => {
    const decision = decide(
      'Customer says the rivets on the scissors rust. Check: 2 of 5 returned pairs show red rust at the rivet; retained samples no rust.',
      doubtfulPrediction(0.05, 0.3),
    );
    expect(decision.type).not.toBe('none');
  });
});

describe('decideType: an uneven edge beside a reading of depth, and readings of other machines called straight', () => {
  /** A prediction that doubts every class and leans a little towards an uneven edge. */
  const edgeLeaning = predictionOf(
    [
      { name: 'edge_irregularity', probability: 0.06 },
      { name: 'dimensional_error', probability: 0.03 },
      { name: 'none', probability: 0.01 },
    ],
    0.2,
  );

  it('reads teeth uneven in depth as the uneven edge the report names, not as a doubt about it', () => {
    const decision = decide(
      'Return of 12 bread knives from a retailer: the serration is rough and the teeth are uneven in depth, the knives tear the crust. Tooth pitch 1.6-2.2 mm against 2.0 ± 0.1.',
      edgeLeaning,
    );
    expect(decision.type).toBe('edge_irregularity');
  });

  it('reads the samples of other machines called straight as no verdict on the parts found wavy', () => {
    const decision = decide(
      'Honing H-5, WK-KN-150: edge line wavy along the belly on 6 of 12. G-2 and G-4 samples from the same hour are straight and clean.',
      edgeLeaning,
    );
    expect(decision.type).toBe('edge_irregularity');
  });
});

describe('decideType: rust-coloured patches on a plastic handle', () => {
  it('reads yellow-brown patches that stay on a POM handle near the bolster as the handle colour, not rust', () => {
    const decision = decide(
      'Handle polishing HP-4, black POM handles: yellow-brown patches 5-10 mm near the bolster on 70 of 400; they do not wipe off. The dwell on the buff was raised from 5 s to 12 s.',
      predictionOf(
        [
          { name: 'handle_discoloration', probability: 0.25 },
          { name: 'rust_spot', probability: 0.01 },
          { name: 'none', probability: 0.01 },
        ],
        0.25,
      ),
    );
    expect(decision.type).toBe('handle_discoloration');
  });
});

describe('decideType: residue at the bolster', () => {
  it('reads a film that wipes off beside the bolster weld, in a report named nowhere else, as surface contamination', () => {
    const decision = decide(
      'Gift-box audit: a grey residue on the blades next to the bolster weld; it wipes off with a tissue and leaves bright steel underneath. The box liners were stored beside the oil drums. 11 of the 30 sets opened are affected.',
      doubtfulPrediction(0.05, 0.04),
    );
    expect(decision.type).toBe('surface_contamination');
  });
});
