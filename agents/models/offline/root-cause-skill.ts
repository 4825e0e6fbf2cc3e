import type { z } from 'zod';
import type {
  CheckMeasurementsOutput,
  GetProcessWindowOutput,
} from '../../../action-groups/process-windows/schema.ts';
import type { CountRecurrencesOutput } from '../../../action-groups/recurrence/schema.ts';
import type {
  FindSimilarDefectsOutput,
  SimilarDefect,
} from '../../../action-groups/similar-defects/schema.ts';
import type { LookupSopOutput } from '../../../action-groups/sop-lookup/schema.ts';
import {
  Category6M,
  DEFECT_TYPE_DETAILS,
  PRODUCTION_STAGES,
  STAGE_DETAILS,
  type Classification,
  type ConcreteDefectType,
  type FishboneCause,
  type Ishikawa,
  type ProductionStage,
  type RootCauseAnalysis,
  type WhyStep,
} from '../../../domain/index.ts';
import { WOODEN_HANDLE } from '../../report-facts/matchers.ts';
import type { ReportFacts } from '../../report-facts/schema.ts';
import {
  COOKWARE_WORD,
  namesAKindOfFailure,
  namesAKindOfFailureOf,
  operatorDeviatedOnTheirOwn,
} from '../../report-facts/report-facts.ts';
import { GRINDING_STAGES } from './answer/labels.ts';
import { classifyReport, type ClassifierPrediction } from './classifier/classifier.ts';
import { factsOf, reportOf } from './classifier-skill.ts';
import { allResults, lastResult, type Skill } from './conversation.ts';

/** How the effect of a similar case's actions is worded in the fishbone. */
const EFFECT_WORDING: Record<string, string> = {
  true: 'worked',
  partial: 'partly worked',
  false: 'did not work',
  unverified: 'not verified yet',
};

/** How each defect type comes about physically, for the first why. */
const MECHANISMS: Record<ConcreteDefectType, string> = {
  blade_scratch: 'hard particles or contact dragged across the finished blade surface',
  blade_chip: 'the edge was too brittle or was loaded beyond its strength, so material broke out',
  edge_irregularity: 'the bevel was ground or honed unevenly along the edge',
  handle_crack:
    'the moulded handle carried more stress than the material could take (moulding stress, voids or assembly load)',
  handle_discoloration:
    'the handle material or its surface changed colour through resin, pigment or heat variation',
  weld_defect: 'the bolster weld did not fuse cleanly (gas shielding, contamination or weld parameters)',
  polish_defect: 'the finishing wheel, compound or contact conditions did not produce a uniform surface',
  rust_spot:
    'chromium carbides formed when the blades cooled too slowly through 1000 to 600 °C, leaving chromium-depleted steel that oxidises',
  dimensional_error: 'the stamped blank left the press outside drawing tolerance',
  assembly_misalignment: 'the handle, tang and rivets were not held in position while riveting',
  surface_contamination: 'foreign material (oil, ink, residue) stayed on the surface before packing',
  heat_treatment_defect:
    'the thermal cycle (temperature, time or cooling) was outside the process window for part of the load',
};

/** A crack that starts at a rivet or screw hole, or that opened as the handle was pressed or riveted on. */
const CRACKED_AT_ASSEMBLY =
  /\b(crack\w*|split\w*)\b[^.;\n]{0,60}\b(rivet|screw) ?holes?\b|\b(crack\w*|split\w*)\b[^.;\n]{0,20}\b(at|around|from) the (rivets?|screws?)\b|\bas (they|it) (were|was) (pressed|riveted|screwed|assembled)( on)?\b|(铆钉孔|螺丝孔|螺钉孔)[^。；\n]{0,10}(裂|开裂)|(铆接|铆压|铆合|压装|锁螺丝|打螺丝)(时|过程中|后)[^。；\n]{0,16}(裂|开裂)|\b(crack\w*|split\w*) (after|during|on) (riveting|pressing|assembly)\b/u;
/** The weight of a crack the assembly load made, against the usual moulding origin of a handle crack. */
const ASSEMBLY_LOAD_WEIGHT = 1.5;
/** The press or driver that assembles a handle: a rivet press, a riveter, a screwdriver, 铆压机, 电批. */
const ASSEMBLY_EQUIPMENT =
  /\b(rivet(ing)? press|riveter|rivet machine|riveting (records?|logs?|settings?|pressure|station|cell)|(electric |power |torque )?screwdrivers?|nut ?runner|pressed on|press-?on|press force|rivet(ing)? (force|pressure|load))\b|铆压机|铆接机|铆钉机|压装机?|电批|螺丝刀|起子|铆压力|铆接力|铆合力|铆接压力/u;

/** A heat-treatment defect made at a grinding stage: the grinding burn of DOMAIN.md. */
const GRINDING_BURN_MECHANISM =
  'grinding heated the edge past its tempering temperature (too little coolant, too much pressure or a loaded wheel), so the edge lost hardness: a grinding burn';

/** How a type came about at a stage: a heat-treatment defect at a grinding stage is a burn. */
function mechanismOf(type: ConcreteDefectType, stage: ProductionStage, castIron = false): string {
  if (type === 'rust_spot' && castIron) return CAST_IRON_RUST_MECHANISM;
  if (type === 'dimensional_error' && stage !== 'blade_stamp' && SHAPING_STAGES.has(stage))
    return 'grinding or polishing removed more or less material than the drawing allows';
  return type === 'heat_treatment_defect' && GRINDING_STAGES.has(stage)
    ? GRINDING_BURN_MECHANISM
    : MECHANISMS[type];
}

/**
 * Rust on cast iron (SOP-PK-03): a thin, bare or damaged seasoning or oil film met moisture. Unlike
 * the stainless blades, where rust points at a slow quench, cast iron is never vacuum quenched.
 */
const CAST_IRON_RUST_MECHANISM =
  'the seasoning or oil film of the cast iron was thin, bare or damaged and the iron met moisture (damp storage, wet packing or washing)';

/**
 * Rust on stainless steel whose stated cause is its passivation: the passive chromium-oxide film
 * did not form, or residue was left on the surface, so the steel rusts although its quench was good.
 */
const PASSIVATION_RUST_MECHANISM =
  'the passive chromium-oxide film did not form cleanly: a spent, weak or short passivation bath, or a poor rinse after it, left free iron or residue on the surface that oxidises';

/** A surface step after the quench: a wash, a rinse, passivation, neutralising or an etch, and what they use. */
const SURFACE_STEP_AFTER_THE_QUENCH =
  /passivat|钝化|\brins(e|ed|ing)\b|漂洗|清洗|冲洗|中和|neutrali[sz]|\betch|蚀刻|\bwash(er|ing)?\b|detergent|清洗剂|tap water|自来水|pre-?pack|\bpacking (line|table|bench|area|team|group|room)\b|包装(线|台|组|车间|间)|\bgloves?\b|手套|fingerprints?|指纹/iu;

/**
 * The label of the report's line that holds a cause ("2. 钝化槽：… 温控探头结垢" gives "2. 钝化槽"): the
 * step the line is about when the cause names only its equipment. Empty when the line has no label.
 */
function labelOfItsLine(text: string, cause: string): string {
  const start = cause.split(/\s+/u)[0] ?? '';
  if (start.length < 4) return '';
  const line = text.split('\n').find((candidate) => candidate.toLowerCase().includes(start));
  const label = line === undefined ? undefined : /^([^:：]{1,20})[:：]/u.exec(line)?.[1];
  return label ?? '';
}

/**
 * What the parts meet between the last production step and the carton: the pre-pack wash and
 * oiling, the packing table, bare hands, the packing room. Contamination or rust left there is
 * made at the last production stage, logo_print, the escape point being packaging.
 */
const BEFORE_PACKING =
  /pre-?pack|\bpacking (line|table|bench|area|team|group|room|station)\b|\bpacked\b|包装(线|台|组|车间|间|区)?|\bgloves?\b|手套|fingerprints?|指纹|\bcartons?\b|纸箱|\b(vci|anti-?rust) (paper|bag|oil)\b|防锈(纸|袋|油)/iu;

/** A cause at the furnace and its quench: the gas, the fan, the vacuum, the cooling. */
const AT_THE_FURNACE =
  /quench|淬火|furnace|炉|nitrogen|氮气|argon|氩气|dew point|露点|backfill|回充|\bfans?\b|风机|vacuum|真空|\bleak|泄漏|cooling|冷却/iu;

/** A cause the report places at passivation (a step the stage list does not have). */
const AT_PASSIVATION = /passivat|钝化|\b(nitric|citric) (acid )?bath\b|酸洗槽/iu;

/** Where rust on cast iron arises: the seasoning and oil film applied before packing, and storage. */
const CAST_IRON_RUST_PLACE = 'seasoning, oil film and storage of the cast iron';

/** Whether the report is about rust on a cast-iron pan or wok. */
function castIronRust(type: string, facts: ReportFacts): boolean {
  return type === 'rust_spot' && (facts.product_family === 'cast_iron_pan' || facts.product_family === 'wok');
}

/** A candidate cause per 6M branch when no past case names one, by defect type. */
const GENERIC_CAUSES: Record<Category6M, (stage: string) => string> = {
  man: (stage) => `Set-up or handling step at ${stage} not error-proofed, so a slip is not prevented`,
  machine: (stage) => `Wear or drift of the ${stage} equipment outside its maintenance interval`,
  method: (stage) => `Process window or work instruction at ${stage} not specific enough for this SKU`,
  material: () => 'Incoming steel or resin lot outside specification',
  measurement: (stage) => `Check at ${stage} samples too rarely or its gauge cannot detect the condition`,
  environment: () => 'Humidity, temperature or contamination in the work area outside normal',
};

const OPERATOR_BLAME =
  /\b(operator|human) (error|mistake)|\black of training\b|\b(retrain|carelessness|inattention)\b/i;

function notBlame(text: string): string {
  return OPERATOR_BLAME.test(text)
    ? `${text.replace(/\.$/, '')}; the process allowed it because the step depends on a person noticing, with no error-proofing or automatic check`
    : text;
}

/** A 6M branch with its indefinite article: "a method", "an environment". */
function articled(category: Category6M): string {
  return `${/^[aeiou]/.test(category) ? 'an' : 'a'} ${category}`;
}

function stageLabel(stage: ProductionStage): string {
  return STAGE_DETAILS[stage].label.toLowerCase();
}

/** A burn of the edge by grinding: blue or straw colour, a soft edge, 发蓝, 烧伤. */
const GRINDING_BURN =
  /\b(burn\w*|blue(d)?|straw|soft(ened)? edge|edge (is )?soft)\b|发蓝|烧伤|烧蓝|退火|回火色/iu;

/** A blade out of flat: DOMAIN.md's "warping out of the quench". */
const WARP =
  /\b(warp\w*|bow(s|ed|ing)?|bent|twist(ed)?|out of flat|flatness)\b|弯曲|翘曲|翘起|弯了|平面度|不平/iu;

/**
 * The branch DOMAIN.md names for a type's usual cause, for a report that states none: rust after a
 * slow quench from a leaking chamber or worn seal (machine), handle cracks from the mould's
 * temperature, pressure or cooling rate (method), uneven rivets from fixture wear (machine), scratches
 * from contaminated polishing wheels (machine), chips from an over-hard or under-tempered blade (method).
 * They come before the classifier's own guess of the branch, which is trained on reports of all kinds.
 */
const USUAL_BRANCH: Partial<Record<ConcreteDefectType, Category6M>> = {
  rust_spot: 'machine',
  handle_crack: 'method',
  assembly_misalignment: 'machine',
  blade_scratch: 'machine',
  blade_chip: 'method',
};

/**
 * The 6M branch a reading out of its standard points at when the report states no cause (DOMAIN.md):
 * an over-hard blade is under-tempered, a tempering fault (method); rust in salt spray is the slow
 * quench of a leaking vacuum chamber or a worn seal (machine). Other readings say nothing of the branch.
 */
function measuredCategory(
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined,
): Category6M | undefined {
  for (const finding of checks?.findings ?? []) {
    if (finding.measurement === 'hardness_hrc' && finding.status === 'above') return 'method';
    if (finding.measurement === 'salt_spray_hours' && finding.status === 'below') return 'machine';
  }
  return undefined;
}

/** The weight of a finish defect on the spine alone for the back-edge polish, against the usual origins. */
const SPINE_FINISH_WEIGHT = 1.5;

/** The stages that grind or polish the blade: where a scratch or an uneven finish of the blade is made. */
const ABRASIVE_STAGES = new Set<ProductionStage>(['taper_grinding', 'back_edge_polishing', 'blade_glazing']);

/** The stages that give a blade its size and shape: stamping, the V-grind, the back-edge polish. */
const SHAPING_STAGES = new Set<ProductionStage>([
  'blade_stamp',
  'taper_grinding',
  'back_edge_polishing',
  // Where a welded bolster sits on the blade is set by the welding fixture.
  'bolster_welding',
]);

/** Foreign material inside a coating: "面漆里面好多小黑点", "specks in the coating", "dust under the topcoat". */
const IN_THE_COATING =
  /(面漆|底漆|涂层|漆面|漆膜|釉面|釉层)[^，。,;；\n]{0,6}(里面|里|内|中)|\b(in|inside|under|within|trapped in) the (coating|paint|topcoat|top coat|enamel|lacquer|glaze)\b/u;

/** What a stage the report says made the defect adds to its score: enough to outweigh the usual origin, the classifier and the past cases together. */
const MADE_HERE_WEIGHT = 6;

/** Equipment that touches the parts as they pass: clamps, jaws, fixtures, rails, guides, trays, 夹具. */
const CONTACT_EQUIPMENT =
  /\b(clamps?|jaws?|fixtures?|grippers?|rails?|guides?|conveyors?|trays?|totes?|racks?|nests?|pads?)\b|夹具|夹爪|治具|导轨|导板|托盘|料盘|输送带|传送带|挂架/u;

/** What a cause stated at the one station a report names adds to that station's score. */
const STATION_CAUSE_WEIGHT = 1.5;
/** The longest first line read as a heading ("First-article record - riveting R-2 - 06:40"). */
const HEADING_LENGTH = 120;

/**
 * Picks the probable stage: the type's origin stages, the trained stage head, the stage cues of
 * the report and of its stated causes, failed measurements, and the similar cases that agree
 * with the report's type.
 */
export function decideStage({
  type,
  facts,
  prediction,
  similar,
  checks,
}: {
  type: ConcreteDefectType | 'unknown';
  facts: ReportFacts;
  prediction: ClassifierPrediction;
  similar: readonly SimilarDefect[];
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined;
}): { stage: ProductionStage; confidence: number; evidence: string[] } {
  const origins: readonly ProductionStage[] =
    type === 'unknown' ? [] : DEFECT_TYPE_DETAILS[type].originStages;
  // Contamination arises at its usual stage "and any stage before packing" (DOMAIN.md): a stage
  // the report names weighs as much as the usual one.
  // DOMAIN.md: soft edges and blue "burn" come from grinding after heat treatment, so a
  // heat-treatment defect described as a burn arises at the grinding stage the report names.
  const grindingBurn = type === 'heat_treatment_defect' && GRINDING_BURN.test(facts.text);
  const burnAtGrinding =
    grindingBurn && facts.stage_cues.some((hit) => GRINDING_STAGES.has(hit.code as ProductionStage));
  // A blade's size and shape are also made where it is ground (the V-grind sets its thickness, the
  // back-edge polish its spine): a dimension out at the grinding stage the report names arises there.
  // So is a scratch or an uneven finish made at the abrasive stage the report names (a wrong belt at
  // the back-edge polish, a loaded wheel at the V-grind).
  const makingStages =
    type === 'dimensional_error'
      ? SHAPING_STAGES
      : type === 'blade_scratch' || type === 'polish_defect'
        ? ABRASIVE_STAGES
        : undefined;
  const namedStages = facts.stage_cues.filter(
    (hit) => !hit.negated && !hit.where_found && makingStages?.has(hit.code as ProductionStage),
  );
  const shapedAtNamedStage =
    namedStages.length > 0 &&
    new Set(namedStages.map((hit) => hit.code)).size === 1 &&
    !origins.includes(namedStages[0]!.code as ProductionStage)
      ? namedStages[0]
      : undefined;
  const originsOpen = type === 'surface_contamination' || burnAtGrinding || shapedAtNamedStage !== undefined;
  const scores = new Map<ProductionStage, number>(PRODUCTION_STAGES.map((stage) => [stage, 0]));
  const evidence: string[] = [];
  const add = (stage: ProductionStage, value: number): void => {
    scores.set(stage, (scores.get(stage) ?? 0) + value);
  };
  if (!shapedAtNamedStage) origins.forEach((stage, index) => add(stage, 1 - index * 0.15));
  if (shapedAtNamedStage) {
    add(shapedAtNamedStage.code as ProductionStage, 1.5);
    evidence.push(`the report places it at the stage that makes it ("${shapedAtNamedStage.term}")`);
  }
  if (burnAtGrinding) {
    const named = facts.stage_cues.find(
      (hit) => !hit.negated && GRINDING_STAGES.has(hit.code as ProductionStage),
    );
    if (named) {
      add(named.code as ProductionStage, 1.5);
      evidence.push(`a burn of the edge arises at the grinding the report names ("${named.term}")`);
    }
  }
  // DOMAIN.md: warping comes out of the quench, whatever the furnace loading that set it up.
  // With the hardness in its window the furnace did its part: the blade bent as it was cooled,
  // whatever the furnace words around it ("flat in two layers, the quench gas reaches one face
  // first"). A blade only; a pan's stress-relief anneal is its own heat treatment.
  const warped = type === 'heat_treatment_defect' && !grindingBurn && WARP.test(facts.text);
  const warpedInTheQuench =
    warped &&
    facts.product_family === 'knife' &&
    !/anneal|stress[- ]relie|退火|去应力|\btemper(s|ed|ing)?\b|回火/u.test(facts.text.toLowerCase()) &&
    // … and the report ties the bow to the quench itself.
    /\bafter (the )?quench|\bquench gas\b|\bquenched\b|\b(in|during) the quench\b|淬火后|淬火时|冷却气/u.test(
      facts.text.toLowerCase(),
    ) &&
    facts.standard_checks.some((check) => check.name === 'hardness_hrc' && check.status === 'within') &&
    !facts.standard_checks.some((check) => check.name === 'hardness_hrc' && check.status !== 'within');
  if (warped) {
    add('vacuum_quench', 1);
    evidence.push('a blade out of flat warps out of the quench (vacuum_quench)');
  }
  // A handle that cracked at its rivet or screw hole, or as it was pressed on, with the assembly
  // press or driver named: the assembly load cracked it (rivet_assembly), not the moulding; the
  // report's words for the assembly then count as fully as those of the usual origin.
  const lowered = facts.text.toLowerCase();
  const assemblyLoad =
    type === 'handle_crack' && CRACKED_AT_ASSEMBLY.test(lowered) && ASSEMBLY_EQUIPMENT.test(lowered);
  if (assemblyLoad) {
    add('rivet_assembly', ASSEMBLY_LOAD_WEIGHT);
    evidence.push(
      'the handle cracked at its fastener or as it was assembled, under the assembly load (rivet_assembly)',
    );
  }
  // A finish defect on the spine and on no face of the blade is made where the spine is finished:
  // the back-edge polish, not the glazing of the faces.
  if (
    (type === 'polish_defect' || type === 'blade_scratch') &&
    facts.areas.includes('spine') &&
    !facts.areas.some((area) => ['blade_body', 'handle', 'cooking_surface', 'logo_area'].includes(area))
  ) {
    add('back_edge_polishing', SPINE_FINISH_WEIGHT);
    evidence.push(
      'a finish defect on the spine alone is made where the spine is finished (back_edge_polishing)',
    );
  }
  for (const entry of prediction.stages) add(entry.name as ProductionStage, 1.5 * entry.probability);
  // A report headed with one station ("riveting R-2", "铆钉车间巡检") that states its cause there without
  // naming a stage in the cause ("the wrong nest insert was fitted", "a screw of the stop block
  // missing") places the cause at that station, whatever stage usually makes the type; the
  // report's words for the station then count as fully as those of the usual origin.
  const [heading = '', ...body] = facts.text.toLowerCase().split('\n');
  const stationStages = new Set(
    facts.stage_cues
      .filter(
        (hit) =>
          !hit.negated &&
          !hit.where_found &&
          (PRODUCTION_STAGES as readonly string[]).includes(hit.code) &&
          heading.includes(hit.term.toLowerCase()),
      )
      .map((hit) => hit.code as ProductionStage),
  );
  const [station] = stationStages;
  const causeAtStation =
    station !== undefined &&
    // A heading above a body: a short first line, not a report written on one line.
    body.some((line) => line.trim() !== '') &&
    heading.length <= HEADING_LENGTH &&
    // Contamination is left at any stage before packing; its own rules place it.
    type !== 'surface_contamination' &&
    stationStages.size === 1 &&
    !origins.includes(station) &&
    facts.stated_causes.some(
      (cause) => !cause.hypothesis && cause.category_6m !== null && cause.stages.length === 0,
    ) &&
    facts.stated_causes.every(
      (cause) => cause.hypothesis || cause.stages.every((stage) => stage === station),
    );
  if (causeAtStation) {
    add(station, STATION_CAUSE_WEIGHT);
    evidence.push(`the report states its cause at the one station it names (${station})`);
  }
  for (const hit of facts.stage_cues) {
    if (hit.negated || !(PRODUCTION_STAGES as readonly string[]).includes(hit.code)) continue;
    if (hit.where_found) {
      evidence.push(
        `the report found it at "${hit.term}", which is where it was found, not necessarily where it was made`,
      );
      continue;
    }
    add(
      hit.code as ProductionStage,
      origins.length === 0 ||
        originsOpen ||
        origins.includes(hit.code as ProductionStage) ||
        (assemblyLoad && hit.code === 'rivet_assembly') ||
        (causeAtStation && hit.code === station)
        ? 0.8
        : 0.3,
    );
    if (hit.during === true) add(hit.code as ProductionStage, 0.6);
    // The report's own word on where the defect was made outweighs the usual origin of its type.
    if (hit.made_here === true) {
      add(hit.code as ProductionStage, MADE_HERE_WEIGHT);
      evidence.push(`the report says the defect was made at "${hit.term}" (${hit.code})`);
    }
    evidence.push(`the report mentions "${hit.term}" (${hit.code})`);
  }
  for (const cause of facts.stated_causes)
    for (const stage of cause.stages) {
      add(stage, 1);
      evidence.push(`the stated cause "${cause.text.slice(0, 80)}" is at ${stage}`);
      // A scratch is made wherever something hard drags across the finished face: a clamp, a jaw
      // or a rail of the station the cause names marks the parts there.
      if (type === 'blade_scratch' && CONTACT_EQUIPMENT.test(cause.text)) {
        add(stage, 1);
        evidence.push(`the stated cause names what touched the parts at ${stage}`);
      }
    }
  for (const finding of checks?.findings ?? []) {
    if (finding.status === 'within') continue;
    // A soft edge from a grinding burn is the burn's result: it does not point at the furnace.
    if (burnAtGrinding && finding.measurement === 'hardness_hrc') {
      evidence.push(
        `${finding.measurement} ${finding.value} is read as the edge softened by the grinding burn`,
      );
      continue;
    }
    if (shapedAtNamedStage && finding.measurement === 'dimension_mm') {
      add(shapedAtNamedStage.code as ProductionStage, 2);
      evidence.push(
        `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit}, read at ${shapedAtNamedStage.code}, which shapes it`,
      );
      continue;
    }
    for (const stage of finding.suggests_stages) {
      add(stage, 2 / finding.suggests_stages.length);
      evidence.push(
        `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit} points at ${stage}`,
      );
    }
  }
  // Particles or fibres inside a coating got into it while it was sprayed: the coating stage.
  if (type === 'surface_contamination' && IN_THE_COATING.test(facts.text)) {
    add('blade_glazing', 1.5);
    evidence.push('foreign material inside the coating got in while it was applied (blade_glazing)');
  }
  const top = similar[0]?.score ?? 1;
  similar.forEach((defect, rank) => {
    if (defect.defect_type !== type) return;
    add(defect.stage, (0.4 * defect.score) / Math.max(top, 1e-9) / (1 + rank * 0.5));
  });
  // A wooden handle is never moulded: its colour is made where it is finished (sanded, oiled,
  // lacquered), the handle polishing stage.
  if (type === 'handle_discoloration' && WOODEN_HANDLE.test(facts.text)) {
    add('handle_polishing', scores.get('handle_injection') ?? 0);
    scores.set('handle_injection', 0);
    evidence.push('a wooden handle is not moulded: its finish and colour are made at handle polishing');
  }
  // Cookware is never vacuum quenched: its heat treatment (an anneal, nitriding, blueing) is the
  // heat-treatment stage, unless the report names a vacuum furnace.
  // Nor is any other defect of cookware made at a vacuum quench it never goes through (rust on a
  // stainless wok comes from what touched it, not from a quench).
  if (
    (facts.product_family === 'cast_iron_pan' ||
      facts.product_family === 'wok' ||
      COOKWARE_WORD.test(facts.text)) &&
    facts.product_family !== 'knife' &&
    facts.product_family !== 'scissors' &&
    !/\bvacuum\b|真空/iu.test(facts.text)
  ) {
    if (type === 'heat_treatment_defect') {
      add('heat_treatment', scores.get('vacuum_quench') ?? 0);
      evidence.push('cookware is not vacuum quenched: its heat treatment is the heat-treatment stage');
    } else if ((scores.get('vacuum_quench') ?? 0) > 0)
      evidence.push('cookware is not vacuum quenched: the defect was made at another stage');
    scores.set('vacuum_quench', 0);
  }
  // The furnace words of a warped blade whose hardness held are the load the quench bent.
  if (warpedInTheQuench && (scores.get('heat_treatment') ?? 0) > 0) {
    add('vacuum_quench', scores.get('heat_treatment') ?? 0);
    scores.set('heat_treatment', 0);
    evidence.push('its hardness held, so the furnace did its part and the blade bent in the quench');
  }
  // Rust on a blade whose report clears the quench ("quench record normal, not a vacuum quench
  // problem") and states a cause in a wash, rinse, passivation or etch after it: the surface was
  // spoiled at the last surface step before packing, which the stage list calls logo_print.
  if (
    type === 'rust_spot' &&
    (facts.product_family === 'knife' || facts.product_family === 'scissors') &&
    facts.stage_cues.some((hit) => hit.code === 'vacuum_quench' && hit.negated) &&
    facts.stated_causes.some(
      (cause) =>
        !cause.hypothesis &&
        (SURFACE_STEP_AFTER_THE_QUENCH.test(cause.text) ||
          SURFACE_STEP_AFTER_THE_QUENCH.test(labelOfItsLine(facts.text, cause.text))),
    ) &&
    // A cause the report also states at the furnace (its backfill gas, its fan) is the rust's; the
    // surface step then explains only a second finding, such as fingerprints.
    !facts.stated_causes.some(
      (cause) =>
        !cause.hypothesis &&
        AT_THE_FURNACE.test(cause.text) &&
        !SURFACE_STEP_AFTER_THE_QUENCH.test(cause.text),
    ) &&
    (scores.get('vacuum_quench') ?? 0) > 0
  ) {
    add('logo_print', scores.get('vacuum_quench') ?? 0);
    scores.set('vacuum_quench', 0);
    evidence.push(
      'the report clears the quench and states a cause at a surface step after it (logo_print, the last before packing)',
    );
  }
  // Contamination whose only causes the report states are met before packing (a pre-pack wash, bare
  // hands at the packing table, the packing room) was left at the last production stage.
  const causesStated = facts.stated_causes.filter((cause) => !cause.hypothesis && cause.category_6m !== null);
  if (
    type === 'surface_contamination' &&
    causesStated.some((cause) => BEFORE_PACKING.test(cause.text)) &&
    causesStated.every((cause) => BEFORE_PACKING.test(cause.text) || cause.stages.length === 0)
  ) {
    add('logo_print', Math.max(0, ...scores.values()));
    evidence.push(
      'the causes the report states are met before packing: the last production stage, logo_print',
    );
  }
  const ranked = [...scores.entries()].sort((left, right) => right[1] - left[1]);
  const [stage, best] = ranked[0] as [ProductionStage, number];
  const second = ranked[1]?.[1] ?? 0;
  const confidence =
    Math.round(Math.min(0.95, 0.4 + 0.55 * ((best - second) / Math.max(best, 1e-9))) * 100) / 100;
  const sameStage = similar.filter((defect) => defect.stage === stage && defect.defect_type === type);
  if (sameStage.length > 0)
    evidence.push(
      `${sameStage.length} similar confirmed cases originated at ${stage} (${sameStage.map((defect) => defect.source_id).join(', ')})`,
    );
  return { stage, confidence, evidence: [...new Set(evidence)] };
}

/**
 * Re-ranks past cases by agreement with this report: same type, same stage, same product family,
 * and a confirmed cause in the same 6M category as the one the report states.
 */
export function rankByAgreement({
  similar,
  type,
  stage,
  facts,
  productSku,
  category,
}: {
  similar: readonly SimilarDefect[];
  type: string;
  stage: ProductionStage;
  facts: ReportFacts;
  productSku: string | undefined;
  category: Category6M | null;
}): SimilarDefect[] {
  const family = (sku: string): string => sku.slice(0, 5);
  const top = similar[0]?.score ?? 1;
  const agreement = (defect: SimilarDefect): number =>
    defect.score / Math.max(top, 1e-9) +
    (defect.defect_type === type ? 0.6 : 0) +
    (defect.stage === stage ? 0.6 : 0) +
    (productSku && family(defect.product_sku) === family(productSku) ? 0.3 : 0) +
    (category && defect.root_cause.category_6m === category ? 0.4 : 0) +
    (facts.product_family && productSku === undefined ? 0 : 0);
  return [...similar].sort((left, right) => agreement(right) - agreement(left));
}

function firstSentences(text: string, limit = 220): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= limit) return clean;
  const cut = clean.slice(0, limit);
  const end = cut.lastIndexOf('. ');
  return end > 80 ? cut.slice(0, end + 1) : `${cut.replace(/\s\S*$/, '')}…`;
}

function fishbone(
  chosen: Category6M,
  best: SimilarDefect | undefined,
  similar: readonly SimilarDefect[],
  checks: z.infer<typeof CheckMeasurementsOutput> | undefined,
  place: string,
  facts: ReportFacts,
): Ishikawa {
  const branches: Record<Category6M, FishboneCause[]> = {
    man: [],
    machine: [],
    method: [],
    material: [],
    measurement: [],
    environment: [],
  };
  for (const cause of facts.stated_causes) {
    const branch = cause.category_6m ?? chosen;
    branches[branch].push({
      cause: notBlame(cause.text),
      status: cause.hypothesis ? 'untested' : 'supported',
      evidence: cause.hypothesis ? 'suspected in the report' : 'stated in the report',
      citations: [],
    });
  }
  for (const defect of similar) {
    const category = defect.root_cause.category_6m;
    if (branches[category].some((cause) => cause.cause === defect.root_cause.occurrence)) continue;
    if (branches[category].length >= 3) continue;
    const isBest = defect.source_id === best?.source_id;
    branches[category].push({
      cause: notBlame(firstSentences(defect.root_cause.occurrence, 200)),
      status: isBest && category === chosen && facts.stated_causes.length === 0 ? 'supported' : 'untested',
      evidence: `${isBest ? 'closest' : 'similar'} confirmed case ${defect.source_id} (${defect.stage}, actions ${EFFECT_WORDING[defect.effective] ?? 'of unknown effect'})`,
      citations: [defect.chunk_id],
    });
  }
  for (const finding of checks?.findings ?? []) {
    const within = finding.status === 'within';
    branches.measurement.push({
      cause: `${finding.measurement.replaceAll('_', ' ')} ${within ? 'within' : 'outside'} ${finding.limit} (measured ${finding.value})`,
      status: within ? 'ruled_out' : 'supported',
      evidence: finding.implication,
      citations: [],
    });
    if (within && finding.measurement === 'hardness_hrc') {
      branches.material.push({
        cause: 'Blade hardness out of the 54-58 HRC window',
        status: 'ruled_out',
        evidence: `measured ${finding.value} HRC is within spec`,
        citations: [],
      });
    }
  }
  for (const category of Category6M.options) {
    if (branches[category].length === 0) {
      branches[category].push({
        cause: GENERIC_CAUSES[category](place),
        status: 'untested',
        citations: [],
      });
    }
  }
  return branches;
}

/** A person put on a job without its qualification: untrained, uncertified, not yet signed off. */
const QUALIFICATION_GAP =
  /\b(trainee|apprentice|stand-?in|not (yet )?signed off|(came|comes|borrowed|moved) (over )?from (the )?(packing|stores|warehouse|saw|another|other|[a-z]+ (line|station|shift|cell|shop))|not on the ([a-z0-9-]+ )?(skill matrix|qualification list|qualified list)|no induction|(not (yet )?|un)(qualified|certified|trained|inducted)|no ([a-z-]+ ){0,2}(certificate|certification|qualification|training)|without (a |the )?([a-z-]+ ){0,2}(certificate|certification|qualification|training|sign-?off)|borrowed from|came over from|no sign-?off|(has|have|had)( not|n'?t) (done|passed|completed|got|obtained|taken) (the |his |her |their |a )?([a-z-]+ ){0,2}(qualification|certificate|certification|training|sign-?off)|(did not|didn'?t|does not|doesn'?t) know (to|that|about|how)|(had |has )?never (worked|run|operated|been trained|set up) (on|at|with)|(relief|cover|spare|fill-?in) (operator|welder|setter|worker)s? from)\b|临时(调来|调过来)|(从|由)[^。，,;；]{0,8}(调来|借调|借来)|不知道(要|需要|该|应该|得)|没有?(岗位)?资格|没有?[^。，,;；]{0,6}(上岗证|资格证|操作证)|劳务派遣|临时工|顶岗|未培训|没培训|没有培训|未经培训|(没有|没|未)(通过|取得)[^。，,;；]{0,8}(考核|资质|上岗证|证书)|无证|无资质|没有资质|新来的|学徒|(没|未)考(过|核通过)|(没做过|没有|没|未)[^。，,;；]{0,20}认证|资格表上[^。，,;；]{0,4}没有|(未|没有?)签核|入职\s*\d+\s*天/u;

/** A person named in a cause: an operator, a welder, he or she (操作员, 焊工, 他). */
const A_PERSON =
  /\b(operators?|oprs?|workers?|welders?|setters?|technicians?|trainees?|loaders?|packers?|fitters?|he|she)\b|操作员|操作工|员工|工人|焊工|调机员|他|她/u;

/**
 * Whether a person is the one acting in a cause: named in it, or in the words just before it
 * ("the operator … closed the valve himself", "他没量就装上了").
 */
function personActs(cause: string, text: string): boolean {
  const at = text.indexOf(cause.toLowerCase());
  const before = at < 0 ? '' : text.slice(Math.max(0, at - 40), at);
  return A_PERSON.test(cause) || A_PERSON.test(before.split(/[。.;；\n]/u).at(-1) ?? '');
}

/** The 6M branch in the words a report labels it with: 人机料法环测, man … measurement. */
const BRANCH_WORDS: Record<string, Category6M> = {
  人: 'man',
  机: 'machine',
  料: 'material',
  法: 'method',
  环: 'environment',
  测: 'measurement',
  man: 'man',
  machine: 'machine',
  material: 'material',
  method: 'method',
  environment: 'environment',
  measurement: 'measurement',
};

/** A conclusion line that ends with its 6M branch in brackets: "结论：…（人）", "root cause: … (machine)". */
const CONCLUSION_WITH_ITS_BRANCH =
  /(结论|原因|根因|真因|conclusion|root cause|cause)\s*[:：][^\n]{0,120}?[(（]\s*(人|机|料|法|环|测|man|machine|material|method|environment|measurement)\s*[)）]/u;

/**
 * The instruction or the order was left behind a change: it still says the old value, was not
 * updated, adds no step for the new part, requires the step only in a narrower case, or names no
 * variant ("WI-R-03 still says die height 8.5", "the production order only says D-150").
 */
const INSTRUCTION_OUTDATED =
  /\b(work instruction|wi|sop|procedure|card|checklist)\b[\w.-]{0,12}\s+(rev\.? ?[a-z0-9]+\s+)?still (says|shows|lists|gives|calls for|has)\b|\b(work instruction|wi|sop|procedure)\b[\w.-]{0,12}\s+(was |is |has )?(not|never) (been )?(updated|revised|changed)\b|\b(procedure|production order|order|traveller|traveler|router)\b[^.;]{0,40}\b(has|had|with|asks for) no (step|check|line|item|trial|first[- ]article)\b|\b(production order|order|traveller|traveler|router)\b[^.;]{0,10}\bonly (says|states|reads)\b|\b(wi|sop|work instruction|procedure|ecn)\b[^.;\n]{0,80}\b(added|adds) no\b|\b(wi|sop|work instruction|procedure)\b[^\n]{0,40}\brequired\b[^.;\n]{0,30}\bonly\b|\b(wi|sop|work instruction|procedure)\b[^.;]{0,60}\bsays\b[^.;]{0,60}\bwith no (fixture|jig|guide|angle guide|gauge|check)\b/u;

/** The instruction itself is missing or silent: no WI, not in the SOP, 没有规定. */
const INSTRUCTION_SILENT =
  /\b(no|without( a| any)?) (written )?(work instruction|wi|sop|procedure|instruction)s?\b|\bnot (in|on) the (work instruction|wi|sop|procedure|card)\b|\b(work instruction|wi|sop|procedure|card) (does not|doesn'?t|did not|didn'?t) (say|mention|cover|specify|require)\b|\b(work instruction|wi|sop|procedure)\b[\w-]{0,10}\s+only (says|states|reads)\b[^.]{0,60}\bno (interval|amount|limit|frequency|value|time)\b|\b(checklist|check ?sheet|set-?up sheet|changeover (list|sheet|checklist)|work instruction|wi|sop|card)\b[^.;]{0,60}\b(has|had|have|with) no (line|step|item|entry|check)\b|\b(step|line|item)\b[^.;]{0,60}\b(is|was) (not|missing) (in|from) (it|the (new |line[- ]\d )?(wi|work instruction|sop|card|checklist|procedure))\b|(作业指导书|指导书|sop|wi)[^。；]{0,8}(没有?|未)(写|规定|要求)|没有(作业指导书|指导书|规定|书面)|未规定|没规定|(点检表|检查表|换型表|作业指导书|指导书)[^。；]{0,20}(没有|缺少|漏了?)[^。；]{0,6}(这一?项|这一?步|这条|这一条)/u;

/** The report says the instruction is missing, silent or left behind a change. */
const INSTRUCTION_MISSING = new RegExp(`${INSTRUCTION_OUTDATED.source}|${INSTRUCTION_SILENT.source}`, 'u');

/**
 * The report says the person knew the instruction they did not follow: trained and signed for it,
 * written plainly (明知, 有培训签名, 写得很清楚).
 */
const INSTRUCTION_KNOWN =
  /\b(knew|knows|was aware|is aware|were aware)\b|\b(guards?|sleeves?|interleaf|interleaves|sheets?|papers?|rolls?|tape|film|gloves?|spares?|electrodes?|belts?|wheels?|fixtures?|jigs?|gauges?|spacers?|frames?|covers?|caps?|pads?)\b[^.;]{0,20}\b(was|were|is|are) (right )?(at|in|on|beside|next to) (the |his |her |their )?([a-z-]+ )?(station|bench|bin|drawer|shelf|rack)\b|(旁边|架子上|工位上|现场)[^。；，]{0,8}(有的是|都有|有货|备有|就有|多的是)|\b(operator|welder|setter)\b[^.;:]{0,12}\(certified\b|\bsigned (the )?([a-z-]+ )?(wi|sop|work instruction|instruction)( training)?\b|\btrained and signed\b|\bsigned the ([a-z-]+ )?training\b|\b(was|were|had been|has been|is) trained (on|in|for)\b|\btraining (record|sign-?off|signature)s? (shows?|has|have|on file)\b|\bsigned (for|off on) (the|this) (wi|sop|work instruction|instruction|training)\b|\b(clearly|explicitly|plainly) (says|states|written|requires|required|forbids|forbidden)\b|明知|知道(规定|要求|这个规定|这条|不能|不准|不允许)|(他|她|他们)是知道的|也知道|有培训(签名|记录)|培训(过|签名|记录)|写得很清楚|写明|明确(规定|要求|写)|签过字|签字确认|(上岗)?考核过|培训考试合格|\b(wi|sop|card|instruction|sheet)\b[^.;]{0,40}\b(is|was|are|were) (on the board|posted|displayed|hung|hanging|at the station|on the machine)\b|\b(done|completed|passed) (the |his |her |their )?training\b|\bit'?s signed\b|\b(don'?t|do not|never) (change|adjust|touch)\b[^.;]{0,30}\bwithout\b|(贴在|挂在|放在)(工位|机台|机器|设备|现场)|(作业指导书|指导书|工艺卡|作业卡|规程|procedure|\bwi\b|\bsop\b|list|清单|标签|设定值)[^。；]{0,16}(贴在|挂在|夹在|放在|贴了|贴着)|没有?(告诉|通知|报告|请示)(班长|组长|主管|工艺|领班)|(他|她)没(看|按(照)?(作业指导书|指导书|规定|要求|wi|sop))|(他|她)(也)?没有?(申请|报批|上报|请示|报)|要[^。；]{0,8}(审批|签字|批准)[^。；]{0,8}(他|她)(也)?没有?/u;

/** The weight of equipment run past the life or interval the report states, against other stated causes. */
const PAST_ITS_LIFE_WEIGHT = 1.5;

/** The weight of a cause the report states against the classifier's 6M probabilities. */
const STATED_CAUSE_VOTE = 0.6;

/**
 * A reading set against a reference or a calibrated instrument: "against the reference",
 * "calibrated gauge … read", 标准表.
 */
const SHOWN_AGAINST_A_REFERENCE =
  /\b(reference|calibrated|master|certified)\b|标准表|标准件|校准(过)?的|参考表|对照表/u;

/**
 * The 6M category of the cause the report states, with what it rests on: the report's conclusion
 * first, then the stated causes weighed with the classifier's 6M probabilities, then the rules that
 * tell a person's slip, a missing instruction and a missing qualification apart.
 */
export function causeCategory(
  facts: ReportFacts,
  prediction: ClassifierPrediction,
): { category: Category6M; basis: string } | null {
  const categorized = facts.stated_causes.filter((cause) => cause.category_6m !== null);
  // The report's own conclusion on the cause ("结论：", "Root cause:") decides among the causes it
  // names on the way.
  const concluded = categorized.filter((cause) => cause.concluded === true && !cause.hypothesis);
  const stated = concluded.length > 0 ? concluded : categorized;
  const probability = new Map(
    prediction.categories.map((entry) => [entry.name as Category6M, entry.probability]),
  );
  // The report's conclusion names its own 6M branch ("结论：… 关冷却液干磨（人）", "Root cause: … (method)").
  const labelled = BRANCH_WORDS[CONCLUSION_WITH_ITS_BRANCH.exec(facts.text.toLowerCase())?.[2] ?? ''];
  if (labelled && stated.length > 0)
    return { category: labelled, basis: `the branch the report's conclusion names (${labelled})` };
  if (stated.length > 0) {
    const votes = new Map<Category6M, number>();
    // A setting out of its window says what went wrong, not why: a failure the report also names
    // (the heater that broke, the gauge that stuck) is the deeper cause.
    const failureNamed = stated.some(
      (cause) =>
        !cause.off_window_setting &&
        !cause.hypothesis &&
        (cause.past_its_life || cause.outside_its_limit || namesAKindOfFailure(cause.text)),
    );
    for (const cause of stated)
      votes.set(
        cause.category_6m!,
        (votes.get(cause.category_6m!) ?? 0) +
          (cause.off_window_setting && failureNamed
            ? 0
            : (cause.hypothesis ? STATED_CAUSE_VOTE / 2 : STATED_CAUSE_VOTE) *
              // Equipment run past its stated life, with both numbers, is the plainest failure of all.
              (cause.past_its_life
                ? PAST_ITS_LIFE_WEIGHT
                : cause.outside_its_limit || namesAKindOfFailure(cause.text)
                  ? 1
                  : 0.5)),
      );
    const category = [...Category6M.options].sort(
      (left, right) =>
        (votes.get(right) ?? 0) +
        (probability.get(right) ?? 0) -
        ((votes.get(left) ?? 0) + (probability.get(left) ?? 0)),
    )[0]!;
    // RCA practice: never stop at the person. When the report also names the gap in the process
    // that let the person's slip through (a skipped step, a silent work instruction, a changed
    // setting), the cause to act on is the method.
    // A person without the qualification the job needs is itself the system's gap (who may run the
    // station), so the man branch stands.
    // The gap may be said in the sentence after the person's cause ("operator off sick; the stand-in
    // from packing has no furnace certificate").
    const qualificationGap =
      stated.some(
        (cause) =>
          QUALIFICATION_GAP.test(cause.text) && (cause.category_6m === 'man' || A_PERSON.test(cause.text)),
      ) ||
      (stated.some((cause) => cause.category_6m === 'man') && QUALIFICATION_GAP.test(facts.text));
    // A person who knew the instruction and did not follow it: the instruction was there and clear,
    // so the man branch is the cause (against a missing or wrong instruction, which is the method).
    const text = facts.text.toLowerCase();
    // So is the person at the station who changed a setting or skipped a step of their own accord
    // ("the night operator raised it to 6.5 bar himself", "skipped the colour buff to reach the
    // shift output"), where no engineer or supervisor changed the process.
    const knowingDeviation =
      !INSTRUCTION_MISSING.test(text) && (INSTRUCTION_KNOWN.test(text) || operatorDeviatedOnTheirOwn(text));
    if (category === 'method' && knowingDeviation)
      return { category: 'man', basis: 'a clear instruction the person knew and did not follow (man)' };
    // An instrument of the process shown wrong against a reference or a calibrated one ("the panel
    // flowmeter reads 12 where the reference at the torch reads 6"): the equipment ran as the wrong
    // reading told it, so the measurement is the cause, whatever else the report says of the machine.
    if (
      category === 'machine' &&
      stated.some(
        (cause) =>
          cause.category_6m === 'measurement' &&
          !cause.hypothesis &&
          SHOWN_AGAINST_A_REFERENCE.test(cause.text),
      )
    )
      return {
        category: 'measurement',
        basis: 'an instrument shown wrong against a reference (measurement)',
      };
    // Equipment set up or left as the instruction let it be, where the instruction has no step for
    // it ("the checklist has no line for the nest", "the step is not in the new WI") and nothing on
    // the equipment failed: the gap is in the method.
    if (
      category === 'machine' &&
      INSTRUCTION_MISSING.test(text) &&
      !stated.some(
        (cause) =>
          cause.category_6m === 'machine' && (cause.past_its_life || namesAKindOfFailure(cause.text)),
      )
    )
      return { category: 'method', basis: 'the instruction has no step for what was set or left (method)' };
    // A person who did the thing to the equipment ("he closed the coolant valve", "the relief
    // operator mounted the wrong wheel"), knowing the instruction or without the qualification for
    // the station: the equipment did what it was made to do, so the man branch is the cause.
    if (
      category === 'machine' &&
      (knowingDeviation || qualificationGap || QUALIFICATION_GAP.test(text)) &&
      stated.some(
        (cause) =>
          (cause.category_6m === 'machine' || (knowingDeviation && cause.category_6m === 'method')) &&
          personActs(cause.text, text),
      )
    )
      return {
        category: 'man',
        basis: knowingDeviation
          ? 'a person who knew the instruction did it to the equipment (man)'
          : 'a person without the qualification for the station did it to the equipment (man)',
      };
    if (
      category === 'man' &&
      !knowingDeviation &&
      ((!qualificationGap && namesAKindOfFailureOf('method', facts.text)) || INSTRUCTION_MISSING.test(text))
    )
      return { category: 'method', basis: 'the process gap the report names behind the person (method)' };
    // A person put on a station without its qualification, where the instruction exists: what they
    // then set or skipped follows from who was let run the station, so the man branch is the cause
    // to act on (who may run it). With no instruction to follow, the method stands.
    if (
      category === 'method' &&
      qualificationGap &&
      !INSTRUCTION_MISSING.test(text) &&
      QUALIFICATION_GAP.test(facts.text)
    )
      return { category: 'man', basis: 'a person on the station without its qualification (man)' };
    return { category, basis: `the cause the report states (${category})` };
  }
  if (facts.stated_causes.length > 0 && prediction.categoryConfidence >= 0.4) {
    const category = prediction.categories[0]!.name as Category6M;
    return {
      category,
      basis: `the cause the report states, read by the classifier (${category}, ${Math.round(prediction.categoryConfidence * 100)} %)`,
    };
  }
  return null;
}

/** The offline root-cause analyst: the report's stated causes and out-of-window measurements first, past cases as support. */
export const rootCauseSkill: Skill = (conversation) => {
  const report = reportOf(conversation);
  const facts = factsOf(conversation);
  const classification = conversation.sections.classification as Classification | undefined;
  const type = (classification?.defect_type ?? 'unknown') as ConcreteDefectType | 'unknown' | 'none';
  const defectType = type === 'none' ? 'unknown' : type;
  const description = facts.text;
  const searchText =
    [
      description,
      ...facts.stated_causes.map((cause) => cause.text),
      ...Object.entries(report.measurements ?? {}).map(([key, value]) => `${key} ${value}`),
    ].join('. ') || defectType;

  if (conversation.turn === 0) {
    const measurements = Object.fromEntries(
      [
        ...facts.measurements
          .filter((value) => value.source === 'text')
          .map((value) => [value.name, value.value] as const),
        ...Object.entries(report.measurements ?? {}),
      ].filter(([key]) =>
        ['hardness_hrc', 'edge_angle_deg', 'sharpness_icp', 'salt_spray_hours'].includes(key),
      ),
    );
    return {
      toolUses: [
        {
          name: 'find_similar_defects',
          input: {
            description: searchText.slice(0, 3900),
            ...(defectType !== 'unknown' ? { filter: { defect_type: defectType } } : {}),
            k: 8,
          },
        },
        ...(defectType !== 'unknown'
          ? [
              {
                name: 'count_recurrences',
                input: {
                  defect_type: defectType,
                  ...(report.facility ? { facility: report.facility } : {}),
                  window_days: 90,
                },
              },
            ]
          : []),
        ...(Object.keys(measurements).length > 0
          ? [{ name: 'check_measurements', input: { measurements } }]
          : []),
      ],
    };
  }

  const similar =
    lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects')?.defects ?? [];
  const checks = lastResult<z.infer<typeof CheckMeasurementsOutput>>(conversation, 'check_measurements');
  const prediction = classifyReport({ report, facts });
  const decision = decideStage({ type: defectType, facts, prediction, similar, checks });
  const stage = decision.stage;

  if (conversation.turn === 1) {
    return {
      toolUses: [
        { name: 'get_process_window', input: { stage } },
        {
          name: 'lookup_sop',
          input: {
            query: `${defectType.replaceAll('_', ' ')} ${stageLabel(stage)} checks`,
            stage,
            section: 'checks',
            k: 2,
          },
        },
        {
          name: 'lookup_sop',
          input: {
            query: `${defectType.replaceAll('_', ' ')} detection at final inspection sampling`,
            stage: 'inspection',
            k: 2,
          },
        },
        ...(castIronRust(defectType, facts)
          ? [
              {
                name: 'lookup_sop',
                input: {
                  query: 'cast iron rust seasoning oil film humidity packing',
                  stage: 'packaging',
                  k: 2,
                },
              },
            ]
          : []),
      ],
    };
  }

  const window = lastResult<z.infer<typeof GetProcessWindowOutput>>(conversation, 'get_process_window');
  const [stageSops, inspectionSops, packingSops] = allResults<z.infer<typeof LookupSopOutput>>(
    conversation,
    'lookup_sop',
  );
  const castIron = castIronRust(defectType, facts);
  const recurrence = lastResult<z.infer<typeof CountRecurrencesOutput>>(conversation, 'count_recurrences');
  const stated = causeCategory(facts, prediction);
  const ranked = rankByAgreement({
    similar,
    type: defectType,
    stage,
    facts,
    productSku: report.product_sku,
    category:
      stated?.category ??
      measuredCategory(checks) ??
      (castIron ? 'environment' : null) ??
      (defectType !== 'unknown' ? (USUAL_BRANCH[defectType] ?? null) : null),
  });
  // A past case supports this one only on the same kind of product: a quench failure of blades
  // says nothing of rust on a pan.
  const best = castIron
    ? ranked.find((defect) => defect.defect_type === defectType && defect.product_sku.startsWith('WK-CI'))
    : (ranked.find((defect) => defect.stage === stage && defect.defect_type === defectType) ??
      ranked.find((defect) => defect.stage === stage));
  // Without a stated cause, the person and the measuring system are not branches to guess: RCA
  // practice never stops at the person, and a gauge is suspected on evidence about the gauge.
  // A report written as a table of readings says nothing about the measuring system by its style.
  const inferable = (candidate: Category6M | undefined): Category6M | undefined =>
    candidate === 'man' || candidate === 'measurement' ? undefined : candidate;
  const headCategory = inferable(prediction.categories[0]?.name as Category6M | undefined);
  const category: Category6M =
    stated?.category ??
    measuredCategory(checks) ??
    (castIron ? 'environment' : undefined) ??
    (defectType !== 'unknown' ? USUAL_BRANCH[defectType] : undefined) ??
    (headCategory && prediction.categoryConfidence >= 0.45 ? headCategory : undefined) ??
    inferable(best?.root_cause.category_6m) ??
    headCategory ??
    inferable(
      prediction.categories.find((entry) => inferable(entry.name as Category6M))?.name as Category6M,
    ) ??
    'method';
  const statedCauses = facts.stated_causes.filter((cause) => !cause.hypothesis);
  const suspectedCauses = facts.stated_causes.filter((cause) => cause.hypothesis);
  // Cast iron is not quenched: the packing SOP's window (seasoning, oil film, humidity) replaces
  // the quench window as the evidence of the first why.
  const windowPassage = castIron ? packingSops?.passages[0] : window?.passages[0];
  const place = castIron ? CAST_IRON_RUST_PLACE : stageLabel(stage);
  const stageCheck = castIron
    ? (packingSops?.passages.find((passage) => passage.section.toLowerCase().includes('check')) ??
      packingSops?.passages[0])
    : stageSops?.passages[0];
  const inspectionCheck = inspectionSops?.passages[0];
  const label = defectType === 'unknown' ? 'the defect' : defectType.replaceAll('_', ' ');
  const part = report.product_sku ?? 'the parts';
  const failedFindings = (checks?.findings ?? []).filter((finding) => finding.status !== 'within');
  const measurementEvidence = failedFindings.map((finding) => ({
    kind: 'measurement' as const,
    detail: `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit}`,
  }));
  const quantity = facts.counts.find((count) => count.affected !== null);
  const verifyBy = windowPassage
    ? `check the ${place} process window against the records of the affected lot (${windowPassage.source_id})`
    : `check the ${place} settings and records of the affected lot`;

  // Rust whose stated cause is the passivation bath: the film, not the quench, is the mechanism.
  const passivationRust =
    defectType === 'rust_spot' && !castIron && statedCauses.some((cause) => AT_PASSIVATION.test(cause.text));
  const whys: WhyStep[] = [
    {
      step: 1,
      question: `Why was ${label} found on ${part}${classification?.affected_area ? ` (${classification.affected_area})` : ''}${quantity ? ` (${quantity.text})` : ''}?`,
      answer: passivationRust
        ? `Because ${PASSIVATION_RUST_MECHANISM}, as the report states; passivation comes after the stage list's ${place}, which the analysis records as the nearest stage, and a slow quench there is the alternative to rule out.`
        : `Because ${defectType === 'unknown' ? 'a process condition went outside its window' : mechanismOf(defectType, stage, castIron)} at ${place}.${castIron ? ' Cast iron is never vacuum quenched, so this is not a quench failure.' : ''}`,
      evidence: [
        ...(description ? [{ kind: 'report' as const, detail: firstSentences(description, 200) }] : []),
        ...measurementEvidence,
        ...(castIron ? [] : decision.evidence.slice(0, 2)).map((detail) => ({
          kind: 'report' as const,
          detail,
        })),
        ...(windowPassage
          ? [
              {
                kind: 'passage' as const,
                detail: firstSentences(windowPassage.text, 160),
                source_id: windowPassage.source_id,
              },
            ]
          : []),
      ],
      verified: measurementEvidence.length > 0,
      hypothesis: !windowPassage && measurementEvidence.length === 0,
      citations: windowPassage ? [windowPassage.chunk_id] : [],
    },
  ];
  let occurrence: string;
  let occurrenceCitations: string[] = [];
  if (statedCauses.length > 0) {
    // The cause that carries the chosen branch and says what went wrong ("caused by a worn roll at
    // their mill"), before a bare mention of the same branch ("supplier 8D reply") or another's.
    const cause =
      statedCauses.find((candidate) => candidate.category_6m === category && candidate.concluded === true) ??
      statedCauses.find(
        (candidate) => candidate.category_6m === category && namesAKindOfFailure(candidate.text),
      ) ??
      statedCauses.find((candidate) => candidate.category_6m === category) ??
      statedCauses.find((candidate) => namesAKindOfFailure(candidate.text)) ??
      statedCauses[0]!;
    occurrence = `Stated in the report: ${cause.text.replace(/\.$/, '')} (${category}).`;
    whys.push({
      step: 2,
      question: `Why did ${place} produce that condition?`,
      answer: notBlame(`The report states the cause: ${cause.text.replace(/\.$/, '')}.`),
      evidence: [
        { kind: 'report', detail: cause.text },
        ...(best
          ? [
              {
                kind: 'history' as const,
                detail: `a similar confirmed case, ${best.source_id}: ${firstSentences(best.root_cause.occurrence, 160)}`,
                source_id: best.source_id,
              },
            ]
          : []),
      ],
      verified: false,
      hypothesis: false,
      citations: best ? [best.chunk_id] : [],
    });
    occurrenceCitations = best ? [best.chunk_id] : [];
  } else if (failedFindings.length > 0) {
    const measured = failedFindings[0]!;
    // A soft edge at a grinding stage is the burn's result, not a furnace's.
    const finding =
      defectType === 'heat_treatment_defect' &&
      GRINDING_STAGES.has(stage) &&
      measured.measurement === 'hardness_hrc'
        ? {
            ...measured,
            implication: `edge softened by a grinding burn at ${place}: check the coolant flow, the wheel's condition and the feed against its process window.`,
          }
        : measured;
    occurrence = `Hypothesis from the measurements: ${finding.implication} Verify: ${verifyBy}.`;
    whys.push({
      step: 2,
      question: `Why did ${place} produce that condition?`,
      answer: `${finding.measurement.replaceAll('_', ' ')} ${finding.value} is ${finding.status} ${finding.limit}: ${finding.implication}`,
      evidence: [
        {
          kind: 'measurement',
          detail: `${finding.measurement} ${finding.value} ${finding.status} ${finding.limit}`,
        },
      ],
      verified: true,
      hypothesis: false,
      citations: windowPassage ? [windowPassage.chunk_id] : [],
    });
    occurrenceCitations = windowPassage ? [windowPassage.chunk_id] : [];
  } else if (suspectedCauses.length > 0 || best) {
    const suspected = suspectedCauses[0];
    occurrence = suspected
      ? `Hypothesis (suspected in the report): ${suspected.text.replace(/\.$/, '')}. Verify: ${verifyBy}.`
      : `Hypothesis (the report states no cause): as in confirmed case ${best!.source_id}, ${firstSentences(best!.root_cause.occurrence, 220)} Verify: ${verifyBy}.`;
    whys.push({
      step: 2,
      question: `Why did ${place} produce that condition?`,
      answer: notBlame(occurrence),
      evidence: [
        ...(suspected ? [{ kind: 'report' as const, detail: suspected.text }] : []),
        ...(best
          ? [
              {
                kind: 'history' as const,
                detail: `${best.title} (${best.date}, ${best.facility})`,
                source_id: best.source_id,
              },
            ]
          : []),
      ],
      verified: false,
      hypothesis: true,
      citations: best ? [best.chunk_id] : [],
    });
    occurrenceCitations = best ? [best.chunk_id] : [];
  } else {
    occurrence = `Not established: ${articled(category)} cause at ${place} is the working hypothesis. Verify: ${verifyBy}.`;
  }
  const alternative = ranked.find(
    (defect) =>
      defect.source_id !== best?.source_id &&
      defect.defect_type === defectType &&
      defect.root_cause.category_6m !== category,
  );
  if (alternative && whys.length > 1) {
    whys.push({
      step: 2,
      branch: 'B',
      question: `Why did ${place} produce that condition (an alternative to rule out)?`,
      answer: notBlame(
        `Alternatively, as in ${alternative.source_id}: ${firstSentences(alternative.root_cause.occurrence, 200)}`,
      ),
      evidence: [{ kind: 'history', detail: alternative.title, source_id: alternative.source_id }],
      verified: false,
      hypothesis: true,
      citations: [alternative.chunk_id],
    });
  }
  whys.push({
    step: 3,
    question: `Why was the condition not detected and stopped at ${place}?`,
    answer: stageCheck
      ? `The in-process control of ${stageCheck.source_id} did not stop it: ${firstSentences(stageCheck.text, 200)} Either the check ran too rarely or it cannot see this condition.`
      : `No in-process check at ${place} is known to watch for this condition.`,
    evidence: stageCheck
      ? [
          {
            kind: 'passage',
            detail: `${stageCheck.title}: ${stageCheck.section}`,
            source_id: stageCheck.source_id,
          },
        ]
      : [],
    verified: false,
    hypothesis: true,
    citations: stageCheck ? [stageCheck.chunk_id] : [],
  });
  const detection = facts.detection_point ? facts.detection_point.replaceAll('_', ' ') : null;
  const escape = detection
    ? `The defect was found ${detection === 'customer' ? 'by the customer' : /^(after|before|during|at|in|on) /.test(detection) ? detection : `at ${detection}`}, after the parts had passed the checks of ${place} and final inspection${inspectionCheck ? ` (${inspectionCheck.source_id})` : ''}: the sampling or the check method cannot see it at that point. Verify: the inspection records of the lot.`
    : inspectionCheck
      ? `Hypothesis: the inspection plan (${inspectionCheck.source_id}) does not sample for ${label} where it appears, or its check cannot see it. Verify: the inspection records of the lot.`
      : `Hypothesis: the inspection plan does not sample for ${label} where it appears. Verify: the inspection records of the lot.`;
  whys.push({
    step: 4,
    question: 'Why did inspection not catch it before the parts moved on (escape)?',
    answer: notBlame(escape),
    evidence: [
      ...(detection ? [{ kind: 'report' as const, detail: `found ${detection}` }] : []),
      ...(inspectionCheck
        ? [
            {
              kind: 'passage' as const,
              detail: `${inspectionCheck.title}: ${inspectionCheck.section}`,
              source_id: inspectionCheck.source_id,
            },
          ]
        : []),
    ],
    verified: false,
    hypothesis: !detection,
    citations: inspectionCheck ? [inspectionCheck.chunk_id] : [],
  });
  const unconfirmed =
    recurrence && recurrence.unconfirmed_count > 0
      ? ` (and ${recurrence.unconfirmed_count} unconfirmed machine draft${recurrence.unconfirmed_count === 1 ? '' : 's'})`
      : '';
  const recurring =
    recurrence && recurrence.count > 0
      ? ` ${recurrence.count} confirmed ${label} defects in the last ${recurrence.window_days} days${unconfirmed}${recurrence.recurring ? ' show it is recurring' : ''}.`
      : '';
  const systemic = `The control plan for ${place} has no error-proofing or trend review that stops ${articled(category)} cause like this one before parts are made.${recurring}`;
  whys.push({
    step: 5,
    question: 'Why did the system allow both the occurrence and the escape?',
    answer: notBlame(systemic),
    evidence: [
      ...(best
        ? [
            {
              kind: 'history' as const,
              detail: `systemic cause in a similar case, ${best.source_id}: ${firstSentences(best.root_cause.systemic, 160)}`,
              source_id: best.source_id,
            },
          ]
        : []),
      ...(recurrence && recurrence.count > 0
        ? [
            {
              kind: 'history' as const,
              detail: `${recurrence.count} confirmed occurrences since ${recurrence.since}${unconfirmed}`,
            },
          ]
        : []),
    ],
    verified: false,
    hypothesis: true,
    citations: best ? [best.chunk_id] : [],
  });

  const analysis: RootCauseAnalysis = {
    probable_stage: stage,
    stage_confidence: decision.confidence,
    five_why_chain: whys,
    ishikawa: fishbone(
      category,
      best,
      castIron ? ranked.filter((defect) => defect.product_sku.startsWith('WK-CI')) : ranked,
      checks,
      place,
      facts,
    ),
    root_cause: {
      occurrence: notBlame(occurrence),
      escape: notBlame(escape),
      systemic: notBlame(systemic),
      category_6m: category,
      citations: [...new Set([...occurrenceCitations, ...(stageCheck ? [stageCheck.chunk_id] : [])])],
    },
    similar_defects: ranked.map((defect) => defect.source_id),
  };
  return { final: analysis };
};
