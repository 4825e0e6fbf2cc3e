import type { z } from 'zod';
import {
  Facility,
  ProductionStage,
  ProductSku,
  STAGE_DETAILS,
  type Category6M,
  type ConcreteDefectType,
  type CorrectiveAction,
  type EffectivenessCheck,
} from '../../domain/index.ts';
import type { Passage } from '../../knowledge-base/knowledge-base.ts';
import { defineTool, type ActionGroup, type ToolContext } from '../action-group.ts';
import { REWORKABLE_TYPES } from '../defect-taxonomy/tools.ts';
import { isSection, truncate } from '../passages.ts';
import { bestPassagePerSource, parseActions } from '../similar-defects/tools.ts';
import {
  matchCause,
  readsAsHypothesis,
  resolveWindow,
  type CauseMatch,
  type CauseProfile,
  type ResolvedWindow,
} from './cause-profiles.ts';
import { DraftCapaInput, DraftCapaOutput, type CapaBasis } from './schema.ts';

type DraftInput = z.output<typeof DraftCapaInput>;
type ActionDraft = z.input<typeof CorrectiveAction>;

/** Days from now to the due date of each action type; critical defects shorten correction and corrective. */
export const DUE_DAYS = {
  containment: 1,
  verification: { default: 7, critical: 3 },
  correction: { default: 7, critical: 3 },
  corrective: { default: 30, critical: 14 },
  preventive: 60,
} as const;

/** The effectiveness check of the actions that remove and prevent each defect type. */
export const EFFECTIVENESS_CHECKS: Record<ConcreteDefectType, EffectivenessCheck> = {
  blade_scratch: {
    metric: 'scratch reject rate at glazing inspection',
    threshold: '<= 0.18 %',
    window_days: 60,
  },
  blade_chip: {
    metric: 'chipped edges found at the 10x edge check after honing and at final inspection',
    threshold: '0 chips in every sampled lot',
    window_days: 90,
  },
  edge_irregularity: {
    metric: 'edge-angle and CATRA sharpness results of sampled blades after honing',
    threshold: '100 % within nominal ± 2° and > 50 ICP',
    window_days: 60,
  },
  handle_crack: {
    metric: 'crack rate in the 48 h retained handle sample',
    threshold: '0 %',
    window_days: 90,
  },
  handle_discoloration: {
    metric: 'handles outside the colour master (spectrophotometer) at handle inspection',
    threshold: '<= 0.18 % of handles',
    window_days: 60,
  },
  weld_defect: {
    metric: 'bolster welds with pores, gaps or dark heat tint at 10x, and bend-test failures',
    threshold: '0 rejects in the sampled welds',
    window_days: 60,
  },
  polish_defect: {
    metric: 'polish defect reject rate at finish inspection',
    threshold: '<= 0.18 %',
    window_days: 60,
  },
  rust_spot: {
    metric: 'salt-spray pass rate of sampled lots',
    threshold: '100 % pass 1000 h',
    window_days: 90,
  },
  dimensional_error: {
    metric: 'parts outside drawing tolerance in first-off and patrol measurements',
    threshold: '0 parts out of tolerance, Cpk >= 1.33',
    window_days: 60,
  },
  assembly_misalignment: {
    metric: 'scale-to-tang step and handle-blade misalignment of sampled knives',
    threshold: '100 % <= 0.2 mm step and none > 2 mm',
    window_days: 60,
  },
  surface_contamination: {
    metric: 'contamination reject rate at final inspection',
    threshold: '<= 0.18 %',
    window_days: 30,
  },
  heat_treatment_defect: {
    metric: 'hardness of sampled blades per furnace load',
    threshold: '100 % of indents 54-58 HRC, spread <= 2 HRC',
    window_days: 90,
  },
};

/** How parts with each defect type are reworked, where rework is allowed. */
const REWORK_METHODS: Record<ConcreteDefectType, string> = {
  blade_scratch: 're-glaze',
  blade_chip: 're-grind and re-hone',
  edge_irregularity: 're-hone',
  handle_crack: 're-handle',
  handle_discoloration: 're-polish or re-handle',
  weld_defect: 're-weld',
  polish_defect: 're-polish',
  rust_spot: 're-harden',
  dimensional_error: 're-machine',
  assembly_misalignment: 're-rivet with new handle scales',
  surface_contamination: 'clean (IPA wipe) and re-inspect',
  heat_treatment_defect: 're-harden and re-temper',
};

/** The detection check that closes the escape of each defect type. */
const DETECTION_CHECKS: Record<ConcreteDefectType, string> = {
  blade_scratch:
    'a line-light check of both flanks against a black background at 1,000-1,200 lux with a 5 mm scratch limit sample',
  blade_chip: 'a 10x edge check heel to tip on every blade after honing, plus a 40x micro-chip audit per lot',
  edge_irregularity:
    'a laser-goniometer edge-angle check (nominal ± 2°) and CATRA sharpness (> 50 ICP) on every lot',
  handle_crack: 'a 48 h retained-sample stress-crack check before release to rivet assembly',
  handle_discoloration:
    'a spectrophotometer colour check against the colour master under neutral white light',
  weld_defect: 'a 10x pore and gap check after pickling and a static bend test every shift',
  polish_defect: 'a finish check at 1,000 lux with gloss / Ra measured against the limit sample',
  rust_spot: 'a salt-spray sample of every quench load with the 96 h early read before release',
  dimensional_error: 'first-off and patrol measurement of outline and thickness against the drawing',
  assembly_misalignment: 'a feeler-gauge check of scale step and rivet head height on a sample of every lot',
  surface_contamination: 'a dry white-cloth wipe and 1,000 lux cleanliness check before packing',
  heat_treatment_defect:
    'a hardness test of every load (54-58 HRC, spread ≤ 2 HRC) with a soft-spot check before release',
};

/** The fix that removes an occurrence cause of each 6M category. */
const CATEGORY_FIXES: Record<Category6M, string> = {
  machine:
    'Repair or replace the failed equipment element, interlock its alarm so the machine stops when the parameter leaves its window, and set a preventive-maintenance interval from its trend.',
  method:
    'Correct the parameter or sequence in the work instruction and lock it in the machine program or setup sheet so it cannot drift.',
  material:
    'Block the suspect material lots, have the supplier correct the material, and verify incoming lots against the specification before release to the line.',
  measurement:
    'Recalibrate or replace the gauge, run a gauge R&R study and fix the measurement method so the reading can be trusted.',
  environment:
    'Bring the environmental condition back into its window and add monitoring with an alarm and a stop rule at the limit.',
  man: 'Mistake-proof the step (fixture, interlock or go / no-go check) so the process cannot make the defect whoever runs it; retraining only supports the change.',
};

/** The production area of each stage, used to name the owning roles. */
const STAGE_AREAS: Record<ProductionStage, string> = {
  blade_stamp: 'Stamping',
  bolster_welding: 'Welding',
  back_edge_polishing: 'Finishing',
  taper_grinding: 'Grinding',
  heat_treatment: 'Heat-treatment',
  vacuum_quench: 'Heat-treatment',
  handle_injection: 'Moulding',
  rivet_assembly: 'Assembly',
  handle_polishing: 'Finishing',
  blade_glazing: 'Finishing',
  cutting_edge_honing: 'Grinding',
  logo_print: 'Printing',
};

/** The role that owns the removal of an occurrence cause of a 6M category at a stage. */
export function occurrenceOwner(category: Category6M, stage: ProductionStage): string {
  switch (category) {
    case 'machine':
      return 'Maintenance lead';
    case 'method':
      return `${STAGE_AREAS[stage]} process engineer`;
    case 'material':
      return 'Supplier quality engineer';
    case 'measurement':
      return 'Metrology / quality engineer';
    case 'environment':
      return 'Facilities engineer';
    case 'man':
      return `${STAGE_AREAS[stage]} production supervisor with the training coordinator`;
  }
}

const KNIFE_SKUS: readonly ProductSku[] = ['WK-KN-200', 'WK-KN-150', 'WK-KN-100', 'WK-SC-200'];

function dueDate(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

function label(code: string): string {
  return code.replaceAll('_', ' ');
}

/** The items of a reaction plan or escalation passage: list entries and sentences, without Markdown. */
export function planItems(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/^\s*(?:[-*]|\d+\.)\s+/, '')
        .replaceAll('**', '')
        .trim(),
    )
    .filter((line) => line.length > 0 && !line.endsWith(':'));
}

/**
 * The first reaction-plan item matching a pattern, searching the plans in order, with the plan it
 * comes from. Within a plan, items that also match `avoid` are taken only when no other item
 * matches. Without a match, the first plan and no line.
 */
function planLine(
  plans: readonly Passage[],
  pattern: RegExp,
  { avoid, exclude = [] }: { avoid?: RegExp; exclude?: ReadonlyArray<string | null> } = {},
): { line: string | null; plan: Passage | null } {
  for (const plan of plans) {
    const items = planItems(plan.content.text).filter(
      (item) => !exclude.includes(item) && pattern.test(item),
    );
    const line = items.find((item) => !avoid?.test(item)) ?? items[0];
    if (line) return { line, plan };
  }
  return { line: null, plan: plans[0] ?? null };
}

/** The sentence of an escalation path that matters most for containment: the MRB, else the immediate call. */
function escalationSentence(text: string): string | null {
  const sentences = text.split(/(?<=\.)\s+/).filter((sentence) => sentence.trim().length > 0);
  return (
    sentences.find((sentence) => /MRB/.test(sentence)) ??
    sentences.find((sentence) => /immediately|at once|within \d+ h/i.test(sentence)) ??
    sentences[0] ??
    null
  );
}

/** The knowledge-base passages a CAPA draft rests on. */
export interface CapaGrounding {
  /** The chosen SOP's "Reaction plan" section. */
  reactionPlan: Passage | null;
  /** Every retrieved "Reaction plan" section, the chosen SOP's first. */
  reactionPlans: Passage[];
  /** The chosen SOP's "Escalation path" section. */
  escalation: Passage | null;
  /** The chosen SOP's "Process window" and "Checks" sections. */
  sopSupport: Passage[];
  /** The best-matching past defect of the same type whose actions were effective. */
  effectiveCase: Passage | null;
  /** That record's "Actions taken" passage. */
  effectiveCaseActions: Passage | null;
  /** Any passage of the stage or type, cited when a more specific one is missing. */
  fallback: Passage | null;
}

async function retrieveSopPool(
  context: ToolContext,
  input: DraftInput,
  profile: CauseProfile | null,
): Promise<Passage[]> {
  // The product's own SOP first: cast-iron pans and woks are packed and reworked under their own.
  const product = input.scope?.product_sku?.startsWith('WK-CI') ? 'cast iron pans woks' : '';
  const query = `${label(input.defect_type)} ${profile?.summary ?? ''} ${input.root_cause.occurrence} ${product} reaction plan containment`;
  // A mechanism not tied to a production stage (damp storage, a gauge) lives where its window is.
  const stage = profile && !profile.stages && profile.window ? profile.window.stage : input.stage;
  const byStage = await context.knowledgeBase.retrieve({
    query,
    k: 30,
    filter: { doc_type: 'sop', stage },
    signal: context.signal,
  });
  if (byStage.length > 0) return byStage;
  return context.knowledgeBase.retrieve({
    query,
    k: 30,
    filter: { doc_type: 'sop', defect_type: input.defect_type },
    signal: context.signal,
  });
}

/** Whether a past case's confirmed cause is the same mechanism as the one drafted for. */
function sameMechanism(passage: Passage, defectType: ConcreteDefectType, profile: CauseProfile): boolean {
  const stage = ProductionStage.safeParse(passage.metadata.stage);
  if (!stage.success) return false;
  const match = matchCause(
    { occurrence: passage.metadata.occurrence ?? '', systemic: passage.metadata.systemic ?? '' },
    defectType,
    stage.data,
  );
  return match.profile?.name === profile.name;
}

/**
 * Finds what a CAPA draft cites: the reaction plan, escalation path and window / checks of the SOP
 * closest to the cause (preferring SOPs that list the defect type), and the closest past defect of
 * the same type whose actions worked (preferring the same stage). When the cause mechanism is
 * known, only a past case of the same mechanism counts: another cause's fix is never offered as
 * proof.
 */
export async function groundCapa(
  context: ToolContext,
  input: DraftInput,
  profile: CauseProfile | null = null,
): Promise<CapaGrounding> {
  const sopPool = await retrieveSopPool(context, input, profile);
  const listsType = sopPool.filter((passage) => passage.metadata.defect_types.includes(input.defect_type));
  const chosenSop = (listsType[0] ?? sopPool[0])?.metadata.source_id;
  const ofChosen = sopPool.filter((passage) => passage.metadata.source_id === chosenSop);
  const section = (passages: readonly Passage[], name: string): Passage | null =>
    passages.find((passage) => isSection(passage.metadata.section, name)) ?? null;

  const casePool = await context.knowledgeBase.retrieve({
    query: `${input.root_cause.occurrence} ${STAGE_DETAILS[input.stage].label}`,
    k: 40,
    filter: { doc_type: 'past_defect', defect_type: input.defect_type },
    signal: context.signal,
  });
  const effective = bestPassagePerSource(casePool).filter(
    (passage) =>
      passage.metadata.effective === 'true' &&
      (!profile || sameMechanism(passage, input.defect_type, profile)),
  );
  const effectiveCase =
    effective.find((passage) => passage.metadata.stage === input.stage) ?? effective[0] ?? null;
  let effectiveCaseActions: Passage | null = null;
  if (effectiveCase) {
    const [actions] = await context.knowledgeBase.getPassages({
      chunkIds: [`${effectiveCase.metadata.source_id}#actions-taken`],
    });
    effectiveCaseActions = actions ?? null;
  }

  const reactionPlan = section(ofChosen, 'Reaction plan') ?? section(sopPool, 'Reaction plan');
  const otherPlans = [...listsType, ...sopPool].filter(
    (passage, index, all) =>
      passage !== reactionPlan &&
      isSection(passage.metadata.section, 'Reaction plan') &&
      all.indexOf(passage) === index,
  );
  return {
    reactionPlan,
    reactionPlans: reactionPlan ? [reactionPlan, ...otherPlans] : otherPlans,
    escalation: section(ofChosen, 'Escalation path') ?? section(sopPool, 'Escalation path'),
    sopSupport: ofChosen.filter(
      (passage) =>
        isSection(passage.metadata.section, 'Process window') ||
        isSection(passage.metadata.section, 'Checks'),
    ),
    effectiveCase,
    effectiveCaseActions,
    fallback: sopPool[0] ?? casePool[0] ?? null,
  };
}

function chunkIds(...passages: ReadonlyArray<Passage | null | undefined>): string[] {
  const ids: string[] = [];
  for (const passage of passages) {
    if (passage && !ids.includes(passage.metadata.chunk_id)) ids.push(passage.metadata.chunk_id);
  }
  return ids;
}

function lotText(input: DraftInput, step = label(input.stage)): string {
  const { facility, product_sku: productSku, batch_id: batchId } = input.scope ?? {};
  const product = productSku ? ` of ${productSku}` : '';
  const place = facility ? ` at ${facility}` : '';
  const lots = `every lot${product}${place} processed at ${step} since the last passing check`;
  return batchId ? `batch ${batchId} and ${lots}` : lots;
}

function otherFacilities(input: DraftInput): string {
  const facility = input.scope?.facility;
  const others = Facility.options.filter((candidate) => candidate !== facility);
  return facility ? `the other facilities (${others.join(', ')})` : `all facilities (${others.join(', ')})`;
}

function otherSkus(input: DraftInput): string {
  const productSku = input.scope?.product_sku;
  if (!productSku) return `every SKU that runs through ${label(input.stage)}`;
  const family = KNIFE_SKUS.includes(productSku)
    ? KNIFE_SKUS
    : ProductSku.options.filter((sku) => !KNIFE_SKUS.includes(sku));
  const others = family.filter((sku) => sku !== productSku);
  return `the other SKUs of the family (${others.join(', ')})`;
}

/** Items of a reaction plan that forbid a rework ("re-welding over porosity is not permitted"). */
const PROHIBITION =
  /not permitted|not allowed|never|do not|don't|cannot|can not|must not|may not|no re-?\w+|禁止|不得|不允许|不可/i;

/** The verb stem of a rework method, to find the SOP sentence that forbids it (re-weld → re-?weld). */
function reworkStem(method: string): RegExp {
  const [first = method] = method.split(/[\s,(]/);
  const stem = first.replace(/^re-?/, '').replace(/e$/, '');
  return new RegExp(`re-?${stem}|rework`, 'i');
}

/**
 * The reaction-plan item that forbids the rework of a defect type, with the plan it comes from.
 * Only SOPs whose primary defect type it is are read: a rule for another defect (do not re-hone a
 * chipped blade) does not forbid the rework of this one.
 */
export function forbiddenRework(
  plans: readonly Passage[],
  defectType: ConcreteDefectType,
  cause?: string,
): { line: string; plan: Passage } | null {
  const stem = reworkStem(REWORK_METHODS[defectType]);
  for (const plan of plans.filter((candidate) => candidate.metadata.defect_types[0] === defectType)) {
    for (const item of planItems(plan.content.text)) {
      // A ban under a condition of its own ("Overheat: … coarse grain cannot be reworked") holds for
      // that condition only: the cause must name it.
      if (cause !== undefined && !conditionApplies(item, cause)) continue;
      const sentences = item.split(/(?<=[.;)])\s+|\s*\(/);
      if (sentences.some((sentence) => PROHIBITION.test(sentence) && stem.test(sentence)))
        return { line: item, plan };
    }
  }
  return null;
}

/**
 * Whether a reaction-plan item written under a condition ("Overheat: …", "Leak rate > 5e-3: …")
 * applies to a cause: an item without one always does; one with a condition in words applies when
 * the cause shares a word of it (by its first five letters).
 */
function conditionApplies(item: string, cause: string): boolean {
  const condition = /^\s*([A-Za-z][A-Za-z -]{2,40}):/.exec(item)?.[1];
  // "Containment:", "Correction:" name the kind of action, not a condition.
  if (
    !condition ||
    /^(containment|correction|corrective|preventive|escalation|reaction|action|disposition|rework|scrap|release|all)\b/i.test(
      condition.trim(),
    )
  )
    return true;
  const words = condition.toLowerCase().match(/[a-z]{5,}/g) ?? [];
  if (words.length === 0) return true;
  const text = cause.toLowerCase();
  return words.some((word) => text.includes(word.slice(0, 5)));
}

function correctionText(
  input: DraftInput,
  reaction: { line: string | null; sopId: string | null },
  forbidden: { line: string; sopId: string } | null,
): string {
  const rework = REWORK_METHODS[input.defect_type];
  const type = label(input.defect_type);
  const quote = (line: string, sopId: string | null): string =>
    ` Per the ${sopId ?? 'stage SOP'} reaction plan: "${truncate(line, 420)}"`;
  const plan = reaction.line && reaction.line !== forbidden?.line ? quote(reaction.line, reaction.sopId) : '';
  if (forbidden) {
    return (
      `100 % sort the quarantined stock for ${type}; nonconforming parts are scrapped by MRB decision, ` +
      `not reworked (${rework} is forbidden by the SOP).${quote(forbidden.line, forbidden.sopId)}${plan}`
    );
  }
  switch (input.severity) {
    case 'critical':
      return `100 % sort the quarantined stock for ${type}; nonconforming parts go to the MRB and are scrapped (critical); rework (${rework}) only where the lab shows it restores conformity.${plan}`;
    case 'major':
      return REWORKABLE_TYPES.has(input.defect_type)
        ? `100 % sort the quarantined stock for ${type}; ${rework} the parts where the defect can be removed and re-inspect them with tightened sampling, scrap the rest by MRB decision.${plan}`
        : `100 % sort the quarantined stock for ${type}; scrap nonconforming parts by MRB decision and release the rest after re-inspection with tightened sampling.${plan}`;
    case 'minor':
      return `Sort the quarantined stock for ${type}; ${rework} the affected parts and release them after re-inspection (or under an MRB concession).${plan}`;
    case 'cosmetic':
      return `Sort and log the ${type}; release the parts under a cosmetic concession and ${rework} only where the mark is customer-visible.${plan}`;
  }
}

/** A window value with its unit, as a threshold reads it. */
function withUnit(value: string, unit: string): string {
  return unit === '-' ? value : `${value} (${unit})`;
}

/** The window of a parameter in words: its target and limits. */
export function windowText(window: ResolvedWindow): string {
  const { parameter } = window;
  return `${parameter.name} at ${window.stageLabel}: target ${withUnit(parameter.target, parameter.unit)}, limits ${withUnit(parameter.limits, parameter.unit)}`;
}

/** The effectiveness check of a window parameter, measured as `how` says over `windowDays`. */
export function windowCheck(window: ResolvedWindow, how: string, windowDays: number): EffectivenessCheck {
  const { parameter } = window;
  return {
    metric: `${parameter.name} at ${window.stageLabel}, ${how}`,
    threshold: `every reading within the window: target ${withUnit(parameter.target, parameter.unit)}, limits ${withUnit(parameter.limits, parameter.unit)}`,
    window_days: windowDays,
  };
}

/** The cause a draft is for: its mechanism, whether it is a hypothesis and the windows it concerns. */
export interface CauseAssessment {
  match: CauseMatch;
  hypothesis: boolean;
  /** The window parameter the cause concerns. */
  causeWindow: ResolvedWindow | null;
  /** The window parameter the defect itself concerns (its outcome). */
  symptomWindow: ResolvedWindow | null;
}

/** Recognises the cause mechanism and the windows of a `draft_capa` input. */
export function assessCause(input: DraftInput): CauseAssessment {
  const match = matchCause(
    {
      occurrence: input.root_cause.occurrence,
      systemic: input.root_cause.systemic,
      ...(input.scope?.symptom ? { symptom: input.scope.symptom } : {}),
    },
    input.defect_type,
    input.stage,
  );
  return {
    match,
    hypothesis: input.root_cause.hypothesis ?? readsAsHypothesis(input.root_cause.occurrence),
    causeWindow: match.profile?.window ? resolveWindow(match.profile.window) : null,
    symptomWindow: match.symptom ? resolveWindow(match.symptom.window) : null,
  };
}

/** The check of the defect's outcome: its window parameter, else the per-type check. */
function outcomeCheck(input: DraftInput, cause: CauseAssessment): EffectivenessCheck {
  const fallback = EFFECTIVENESS_CHECKS[input.defect_type];
  return cause.symptomWindow
    ? windowCheck(cause.symptomWindow, 'measured on sampled parts of every lot', fallback.window_days)
    : { ...fallback };
}

/**
 * The check of the action that removes the cause: the defect's own outcome when it is measured
 * directly on every load (flatness of a bowed blade), else the control or window parameter the
 * cause concerns, else the defect's outcome.
 */
function causeCheck(input: DraftInput, cause: CauseAssessment): EffectivenessCheck {
  const windowDays = EFFECTIVENESS_CHECKS[input.defect_type].window_days;
  const { profile, symptom } = cause.match;
  if (symptom?.preferred && cause.symptomWindow)
    return windowCheck(cause.symptomWindow, 'measured on sampled parts of every load', windowDays);
  if (profile?.control) return { ...profile.control, window_days: windowDays };
  if (cause.causeWindow) return windowCheck(cause.causeWindow, 'as logged at every stage check', windowDays);
  return outcomeCheck(input, cause);
}

/** The window parameter the corrective action is checked on, named for the output's basis. */
function basisOf(input: DraftInput, cause: CauseAssessment): z.input<typeof CapaBasis> {
  const { profile, symptom } = cause.match;
  const window =
    symptom?.preferred && cause.symptomWindow
      ? cause.symptomWindow
      : (cause.causeWindow ?? (profile?.control ? null : cause.symptomWindow));
  return {
    cause_mechanism: profile?.summary ?? null,
    window_parameter: window
      ? `${window.parameter.name} (${window.stageLabel})`
      : (profile?.control?.metric ?? null),
    hypothesis: cause.hypothesis,
  };
}

/** Builds the CAPA actions of a root cause from its grounding passages and the cause it states. */
export function draftActions(
  input: DraftInput,
  grounding: CapaGrounding,
  now: Date,
  cause: CauseAssessment = assessCause(input),
): ActionDraft[] {
  const critical = input.severity === 'critical';
  const type = label(input.defect_type);
  const stageLabel = STAGE_DETAILS[input.stage].label;
  const area = STAGE_AREAS[input.stage];
  const { profile, symptom } = cause.match;
  // A cause at a step the stage list does not have (passivation, seasoning, storage) is acted on
  // there, and the stage is named as the nearest one.
  const step = profile?.place ? `${profile.place} (after ${label(input.stage)}, the nearest stage)` : null;
  const fallback = chunkIds(grounding.fallback);
  const cite = (ids: string[]): string[] => (ids.length > 0 ? ids : fallback);
  const sourceOf = (passage: Passage | null): string | null => passage?.metadata.source_id ?? null;

  const containment = planLine(grounding.reactionPlans, /containment|quarantin|hold/i);
  const correction = planLine(grounding.reactionPlans, /sort|rework|scrap|mrb|re-inspect|re-glaze|re-hone/i, {
    avoid: /containment|quarantin/i,
    exclude: [containment.line],
  });
  const forbidden = forbiddenRework(
    grounding.reactionPlans,
    input.defect_type,
    `${input.root_cause.occurrence} ${input.root_cause.systemic}`,
  );
  const causeReaction = profile?.reactionCue
    ? planLine(grounding.reactionPlans, profile.reactionCue, {
        exclude: [containment.line, correction.line, forbidden?.line ?? null],
      })
    : { line: null, plan: null };
  const escalationLine = grounding.escalation ? escalationSentence(grounding.escalation.content.text) : null;
  const sopId =
    grounding.reactionPlan?.metadata.source_id ?? grounding.sopSupport[0]?.metadata.source_id ?? null;
  const sopRef = sopId
    ? `${sopId} (${grounding.reactionPlan?.metadata.title ?? grounding.sopSupport[0]?.metadata.title})`
    : 'the stage SOP';

  const pastCase = grounding.effectiveCase;
  const pastActions = parseActions(pastCase?.metadata.actions);
  const pastCorrective = pastActions.filter((action) => action.type === 'corrective');
  const pastFix = pastCorrective[0] ?? pastActions[0];
  const pastEscapeFix =
    pastCorrective
      .slice(1)
      .find((action) => /inspect|check|sampl|audit|test|gauge|light/i.test(action.description)) ??
    pastCorrective[1];
  const pastRef = pastCase
    ? `${pastCase.metadata.source_id} ("${pastCase.metadata.title}", effective)`
    : null;

  const containmentAction: ActionDraft = {
    type: 'containment',
    description:
      `Quarantine ${lotText(input, profile?.place ?? label(input.stage))} within 24 h with a red hold tag naming the ${profile?.place ?? label(input.stage)} equipment and the ${type}; ` +
      `stop shipment of the suspect stock and hold sister lots until sorted.` +
      (containment.line && containment.plan
        ? ` Per the ${containment.plan.metadata.source_id} reaction plan: "${truncate(containment.line, 280)}"`
        : '') +
      (escalationLine ? ` Escalation: ${truncate(escalationLine, 240)}` : ''),
    owner_role: 'Quality engineer',
    due_date: dueDate(now, DUE_DAYS.containment),
    effectiveness_check: {
      metric: `suspect lots for ${type} traced and under hold`,
      threshold: '100 % of suspect lots on hold within 24 h, none shipped',
      window_days: 7,
    },
    citations: cite(chunkIds(containment.plan, grounding.escalation)),
  };

  const correctionAction: ActionDraft = {
    type: 'correction',
    description: correctionText(
      input,
      { line: correction.line, sopId: sourceOf(correction.plan) },
      forbidden ? { line: forbidden.line, sopId: forbidden.plan.metadata.source_id } : null,
    ),
    owner_role: critical || forbidden ? 'Quality engineer (MRB)' : `${area} production supervisor`,
    due_date: dueDate(now, critical ? DUE_DAYS.correction.critical : DUE_DAYS.correction.default),
    effectiveness_check: {
      metric: `${type} found in the tightened re-inspection of the sorted lots`,
      threshold: '0 nonconforming parts in the re-inspection sample',
      window_days: 14,
    },
    citations: cite(chunkIds(correction.plan, forbidden?.plan)),
  };

  const windowCitations = chunkIds(...grounding.sopSupport);
  const controlWindow = cause.causeWindow ?? cause.symptomWindow;
  const occurrenceQuote = `"${truncate(input.root_cause.occurrence, 300)}"`;
  const verification: ActionDraft[] = [];
  if (cause.hypothesis) {
    const verifiedDays = critical ? DUE_DAYS.verification.critical : DUE_DAYS.verification.default;
    const measure =
      profile?.verify ??
      (controlWindow
        ? `measure ${controlWindow.parameter.name} on the ${label(input.stage)} equipment of the suspect lot and look for the stated condition`
        : `observe the stated condition on the ${label(input.stage)} equipment and measure the suspect lot against the drawing and the plant standards`);
    verification.push({
      type: 'corrective',
      description:
        `Verify the cause first: it is a hypothesis, not yet confirmed (${occurrenceQuote}). ` +
        `To verify it, ${measure}.` +
        (controlWindow ? ` Compare with the window (${windowText(controlWindow)}).` : '') +
        ' The cause is confirmed only if the readings show it; otherwise reject it and return to the 5-why before the process is changed.',
      owner_role: `${area} process engineer with the quality engineer`,
      due_date: dueDate(now, verifiedDays),
      effectiveness_check: {
        metric: `verification of the stated cause: ${controlWindow ? controlWindow.parameter.name : 'the stated condition'} measured at ${label(input.stage)}`,
        threshold:
          'readings recorded and the cause confirmed or ruled out before the corrective action is released',
        window_days: verifiedDays,
      },
      citations: cite(windowCitations),
    });
  }

  const correctiveDue = dueDate(now, critical ? DUE_DAYS.corrective.critical : DUE_DAYS.corrective.default);
  const fix = profile
    ? profile.corrective
    : CATEGORY_FIXES[input.root_cause.category_6m] +
      (controlWindow ? ` Keep ${windowText(controlWindow)}.` : '');
  const removeOccurrence: ActionDraft = {
    type: 'corrective',
    description:
      `${cause.hypothesis ? 'Once the cause is verified, remove' : 'Remove'} the occurrence cause at ${step ?? stageLabel}: ${occurrenceQuote}` +
      `${profile ? ` (${profile.summary})` : ''}. ${fix}` +
      (causeReaction.line && causeReaction.plan
        ? ` Per the ${causeReaction.plan.metadata.source_id} reaction plan: "${truncate(causeReaction.line, 320)}"`
        : '') +
      (pastRef && pastFix ? ` Proven in ${pastRef}: ${truncate(pastFix.description, 280)}` : ''),
    owner_role: profile?.owner ?? occurrenceOwner(input.root_cause.category_6m, input.stage),
    due_date: correctiveDue,
    effectiveness_check: causeCheck(input, cause),
    citations: cite(
      chunkIds(causeReaction.plan, pastCase, grounding.effectiveCaseActions, ...grounding.sopSupport),
    ),
  };

  const detection =
    symptom?.preferred && cause.symptomWindow
      ? `a check of ${cause.symptomWindow.parameter.name} on a sample of every load (limits ${withUnit(cause.symptomWindow.parameter.limits, cause.symptomWindow.parameter.unit)})`
      : DETECTION_CHECKS[input.defect_type];
  const closeEscape: ActionDraft = {
    type: 'corrective',
    description:
      `Close the escape: "${truncate(input.root_cause.escape, 300)}". Add ${detection} ` +
      `at ${label(input.stage)} and at final inspection, and prove it catches the defect with boundary samples ` +
      `(attribute agreement ≥ 90 %, miss rate ≤ 2 %).` +
      (pastRef && pastEscapeFix
        ? ` As in ${pastCase?.metadata.source_id}: ${truncate(pastEscapeFix.description, 240)}`
        : ''),
    owner_role: 'Quality engineer',
    due_date: correctiveDue,
    effectiveness_check: {
      metric: `${type} escapes found after ${label(input.stage)} (downstream stages, final inspection, customer)`,
      threshold: '0 escapes',
      window_days: EFFECTIVENESS_CHECKS[input.defect_type].window_days,
    },
    citations: cite(chunkIds(pastCase, grounding.effectiveCaseActions, ...grounding.sopSupport)),
  };

  const sopCitations = cite(chunkIds(...grounding.sopSupport, grounding.reactionPlan));
  const extended = causeCheck(input, cause);
  const horizontal: ActionDraft = {
    type: 'preventive',
    description:
      (profile
        ? `${profile.preventive}: check for the same cause (${profile.summary}; here ${occurrenceQuote})`
        : `Check for the same cause (${occurrenceQuote})`) +
      ` on the other ${profile?.place ?? label(input.stage)} lines and equipment, at ${otherFacilities(input)} and on ${otherSkus(input)}; ` +
      `apply the corrective action wherever the cause is found and record the result per line.`,
    owner_role: 'Plant quality manager',
    due_date: dueDate(now, DUE_DAYS.preventive),
    effectiveness_check: {
      ...extended,
      metric: `${extended.metric}, on every line the action was extended to`,
    },
    citations: sopCitations,
  };

  const systemic: ActionDraft = {
    type: 'preventive',
    description:
      `Address the systemic cause ("${truncate(input.root_cause.systemic, 300)}"): revise ${sopRef} — process window, ` +
      `checks and reaction plan${controlWindow ? ` (${controlWindow.parameter.name} as a controlled parameter with its reaction)` : ''} — ` +
      `update the PFMEA (occurrence and detection ratings of ${type} at ${label(input.stage)}) ` +
      `and the control plan (the new check, its frequency and reaction), and add the failure mode to the lessons-learned list.`,
    owner_role: `${area} process engineer`,
    due_date: dueDate(now, DUE_DAYS.preventive),
    effectiveness_check: outcomeCheck(input, cause),
    citations: sopCitations,
  };

  return [
    containmentAction,
    correctionAction,
    ...verification,
    removeOccurrence,
    closeEscape,
    horizontal,
    systemic,
  ];
}

/** `draft_capa`: containment, correction, corrective and preventive actions grounded in the SOPs and past cases. */
export const draftCapaTool = defineTool({
  name: 'draft_capa',
  description:
    'Drafts the CAPA of a confirmed root cause: containment (quarantine within 24 h), correction (sort / ' +
    'rework / scrap), corrective actions removing the occurrence cause and closing the escape, and ' +
    'preventive actions for other lines, SKUs and facilities plus the SOP / PFMEA / control-plan update. ' +
    'The actions and checks follow the stated cause and the process-window parameter it concerns. ' +
    'Give the root cause as the root-cause analysis states it (category_6m, occurrence, escape, systemic; ' +
    'hypothesis true when not verified, so the first corrective action verifies it) ' +
    'and, in scope, the facility, product SKU, batch and the symptom seen when known. ' +
    'Each action has an owner role, a due date, an effectiveness check and the chunk ids of the SOP ' +
    'reaction plan and effective past case it rests on.',
  input: DraftCapaInput,
  output: DraftCapaOutput,
  handler: async (input, context) => {
    const cause = assessCause(input);
    const grounding = await groundCapa(context, input, cause.match.profile);
    return {
      actions: draftActions(input, grounding, context.now(), cause),
      basis: basisOf(input, cause),
    };
  },
});

/** The capa-draft action group: what to do about a confirmed root cause. */
export const capaDraftGroup: ActionGroup = {
  name: 'capa-draft',
  description:
    'Drafts containment, correction, corrective and preventive actions with owners, due dates, effectiveness checks and citations.',
  tools: [draftCapaTool],
};
