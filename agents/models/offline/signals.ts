import type { ConcreteDefectType, ProductionStage } from '../../../domain/index.ts';

/** A cue: a pattern in the report and how strongly it points at something. */
interface Cue<Target extends string> {
  target: Target;
  pattern: RegExp;
  weight: number;
  label: string;
}

/** Textual cues of each defect type, as inspectors phrase them. */
const TYPE_CUES: Array<Cue<ConcreteDefectType>> = [
  { target: 'rust_spot', pattern: /\brust(y|ed|ing)?\b/, weight: 3, label: 'rust' },
  {
    target: 'rust_spot',
    pattern:
      /\b(orange|reddish|red-brown|brown(ish)?|orange-brown)\b[^.]{0,30}\b(spots?|specks?|dots?|marks?|stains?|patches)\b/,
    weight: 2.5,
    label: 'orange/brown spots',
  },
  {
    target: 'rust_spot',
    pattern: /\b(oxidi[sz](ed|ation)|oxide|corro(sion|ded)|pitting|pits)\b/,
    weight: 2.5,
    label: 'oxidation/corrosion',
  },
  {
    target: 'rust_spot',
    pattern: /\bsalt[- ]?spray\b[^.]{0,40}\b(fail|failed|rust|spots?)\b/,
    weight: 2,
    label: 'salt-spray failure',
  },
  {
    target: 'surface_contamination',
    pattern:
      /\b(oil(y)?|grease|greasy|residue|fingerprints?|smudges?|smears? of ink|film|waxy|dust|lint|foreign (material|matter|particles?)|debris|glue|packed (in|with))\b/,
    weight: 3,
    label: 'residue/oil/fingerprints',
  },
  {
    target: 'surface_contamination',
    pattern: /\b(wipes?|wiped|comes?|came|rubs?) (off|away|clean)\b|\b(solvent|alcohol|ipa|acetone)\b/,
    weight: 3,
    label: 'wipes off with solvent',
  },
  {
    target: 'surface_contamination',
    pattern: /\bink\b|\bcontaminat(ed|ion)\b/,
    weight: 2,
    label: 'ink/contamination',
  },
  {
    target: 'blade_scratch',
    pattern: /\bscratch(es|ed)?\b|\bscuff(s|ed)?\b|\bgouges?\b/,
    weight: 3,
    label: 'scratches',
  },
  {
    target: 'blade_scratch',
    pattern: /\b(linear|straight|long|fine) (lines?|marks?|hairlines?)\b|\bhairlines?\b|\bscr\b/,
    weight: 2,
    label: 'linear marks',
  },
  {
    target: 'polish_defect',
    pattern:
      /\bswirls?( marks?)?\b|\borange[- ]peel\b|\bhaz(e|y)\b|\bbuff(ing)? marks?\b|\bholograms?\b|\bcloudy\b/,
    weight: 3,
    label: 'swirl/orange peel/haze',
  },
  {
    target: 'polish_defect',
    pattern:
      /\b(uneven|dull|blotchy|patchy|inconsistent) (finish|polish|shine|lustre|luster|satin|mirror)\b|\bpolish(ing)? (defect|issue|problem)\b/,
    weight: 2.5,
    label: 'uneven finish',
  },
  {
    target: 'polish_defect',
    pattern:
      /\b(satin|mirror|spine|back|polished)\b[^.]{0,25}\b(finish|look|surface)\b[^.]{0,30}\b(patchy|different|uneven|dull|inconsistent|orange)|\b(finish|satin|mirror)\b[^.]{0,20}\bpatchy\b|\b(dull|bright) and (dull|bright)\b|\broughness\b|\bra\s*\d|\bgrind marks\b/,
    weight: 2.5,
    label: 'finish not uniform',
  },
  {
    target: 'blade_chip',
    pattern:
      /\bchip(s|ped|ping)?\b|\bnick(s|ed)?\b|\bnotch(es|ed)?\b|\bbreak[- ]?outs?\b|\bbroken (tip|edge)\b|\bmissing (material|metal|piece)\b/,
    weight: 3,
    label: 'chips/missing material',
  },
  {
    target: 'edge_irregularity',
    pattern:
      /\b(wavy|uneven|irregular|inconsistent|rolled|ragged|jagged) (cutting )?edges?\b|\bedges? (is|are|looks?) (wavy|uneven|irregular|ragged)\b|\bwav(y|iness)\b/,
    weight: 3,
    label: 'wavy/uneven edge',
  },
  {
    target: 'edge_irregularity',
    pattern: /\bburrs?\b|\bwire edge\b|\bbevel (width|asymmetr)|\bedge angle\b|\b(dull|blunt)\b|\bserrat/,
    weight: 2,
    label: 'burr/bevel/edge angle',
  },
  {
    target: 'edge_irregularity',
    pattern:
      /\buneven (v[- ]?)?grind\b|\bgrind\b[^.]{0,30}\b(uneven|asymmetric|lopsided)\b|\bone side\b[^.]{0,20}\bwider\b|\bbevels?\b[^.]{0,30}\b(uneven|differ|wider|narrower)\b/,
    weight: 3,
    label: 'uneven grind/bevel',
  },
  {
    target: 'handle_crack',
    pattern: /\bcrack(s|ed|ing)?\b|\bsplit(s|ting)?\b|\bfissures?\b|\bcraz(e|ing|ed)\b/,
    weight: 2.5,
    label: 'crack/split',
  },
  {
    target: 'handle_crack',
    pattern: /\b(snapped|snaps|breaking|breaks|broke|brittle|fractured)\b/,
    weight: 2,
    label: 'broke/brittle',
  },
  {
    target: 'handle_discoloration',
    pattern:
      /\bdiscolou?r(ation|ed)?\b|\bfad(ed|ing)\b|\byellow(ed|ing|ish)?\b|\bcolou?r (shift|mismatch|difference|variation|inconsisten\w*|standard|master)\b|\bdelta ?e\b|\bshade\b/,
    weight: 2.5,
    label: 'discoloration/colour shift',
  },
  {
    target: 'handle_discoloration',
    pattern: /\b(darker|lighter|whitish|glossy|burnt|burned|scorched|blotchy)\b|\bstreak(s|y)?\b|\bcolou?r\b/,
    weight: 1.5,
    label: 'colour/gloss change',
  },
  {
    target: 'weld_defect',
    pattern:
      /\bweld(s|ed|ing)?\b|\bporosity\b|\bpin ?holes?\b|\bblow ?holes?\b|\bspatter\b|\bfusion\b|\bheat tint\b|\bundercut\b|\bbead\b|\btig\b/,
    weight: 3,
    label: 'weld/porosity',
  },
  {
    target: 'dimensional_error',
    pattern:
      /\b(out of|outside) (drawing )?tolerance\b|\b(over|under)sized?\b|\b(too|over) (long|short|thick|thin|wide|narrow)\b|\bdimension(s|al)?\b|\b(length|thickness|width) (is |was )?(off|out|wrong|deviat\w*)\b|\bprofile (mismatch|wrong|off)\b/,
    weight: 3,
    label: 'out of tolerance',
  },
  {
    target: 'dimensional_error',
    pattern:
      /\bdrawing\b|\bdwg\b|\bcmm\b|\boverlay\b|\b\d+(\.\d+)? ?mm (long|short|thick|thin|wide|narrow|over|under|too)\b|\b(off|from) (its |their )?(drawing )?position\b|\b(holes?|blanks?|tangs?|brackets?)\b[^.]{0,40}\b(off|short|long|thin\w*|thick\w*|undersize|oversize|scatter\w*)\b|\b(right )?off the press\b/,
    weight: 2.5,
    label: 'size against drawing',
  },
  {
    target: 'assembly_misalignment',
    pattern:
      /\bmisalign(ed|ment)?\b|\boffset\b|\bproud\b|\bcrooked\b|\bnot flush\b|\bskew(ed)?\b|\b(gap|step) between (the )?(handle|scale|tang|scales)\b|\brivets?\b[^.]{0,30}\b(uneven|high|sunk|loose|proud|raised|stand)/,
    weight: 3,
    label: 'misalignment/proud rivets',
  },
  {
    target: 'assembly_misalignment',
    pattern:
      /\b(scales?|handles?|butt|tips?|grips?)\b[^.]{0,40}\b(off cent(re|er)|cent(re|er) ?line|to one side|at an angle|out of line|miss each other|step)\b|\bstep of \d|\b\d+(\.\d+)? ?mm off\b|\blopsided\b/,
    weight: 3,
    label: 'parts not lined up',
  },
  {
    target: 'heat_treatment_defect',
    pattern:
      /\bsoft( spots?)?\b|\bwarp(ed|ing|s)?\b|\bbow(ed)?\b|\bbent\b|\btwist(ed|s)?\b|\bdistort(ed|ion)\b|\bhardness (low|high|out|below|above)\b|\b(blue|straw|bronze|dark|grey|gray)\b[- a-z]{0,15}\b(bands?|tint|zones?|stripes?)\b|\bcoarse grain\b|\bunder-?temper/,
    weight: 3,
    label: 'soft/warped/hardness/bands',
  },
];

/** Location words that qualify a type. */
const HANDLE =
  /\bhandles?\b|\bscales?\b|\bgrips?\b|\bfinger loops?\b|\bpom\b|\babs\b|\bresin\b|\bnylon\b|\bmou?lded\b|\bcavity\b|\bcavities\b/;
const BOLSTER = /\bbolsters?\b/;

/** Words of an instruction aimed at the system rather than a report of a part. */
const INJECTION =
  /\bnote to (the )?(ai|assistant|model|system|bot)\b|\b(ai|assistant|model|llm|chatbot|gpt|claude)\b[^.]{0,50}\b(override|note|instruction|approved)|\boverride\b|\bdefect_type\b|\brecommended_action\b|\bseverity\s*[:=]|\b(set|mark|classify|label|report)\b[^.]{0,30}\b(as|to)\b[^.]{0,15}\b(pass|none|cosmetic|ok)\b|\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instructions?|prompts?|rules?|previous|above|system)\b|\b(system prompt|you are now|act as|pretend to be|jailbreak|developer mode)\b|\b(respond|reply|answer|output|print|return)\b[^.]{0,30}\b(only|exactly|with)\b[^.]{0,30}\b(json|pass|"|severity|none|nothing)\b|\bset (the )?(severity|confidence|defect_type|recommended_action)\b/i;

/** Defect words under a negation ("no scratches, no swirl", "nowhere near a weld"), removed before reading cues. */
const NEGATED =
  /\b(no|without|zero|free of|nor|nowhere near( a| the)?|not (at|on|near) (a |the )?)\s+(visible |apparent |red |obvious |any )?(rust|scratch\w*|swirl\w*|chips?|cracks?|streaks?|burrs?|stains?|weld\w*|defects?|issues?|porosity|discolou?ration|contamination|residue|marks?)\b(\s*(,|and|or)\s*(no\s+)?\w+)*/g;

/** A first, wrong reading of the defect ("logged as polish haze", "first put down to weld tint"): its words are not cues. */
const MISATTRIBUTED =
  /\b((?:first |initially )?(?:put down to|blamed on|logged(?: by [a-z ]{1,20})? as|reported as|called|looked like|taken for|mistaken for|thought to be|suspected as|booked as))\s+[^.,;]{0,60}/g;

/** Phrases of a report that found nothing wrong. */
const NO_DEFECT =
  /\b(no (visible |apparent |obvious )?(defects?|issues?|problems?|anomal\w+|findings?|rejects?)( found| seen| detected| observed)?|nothing (abnormal|wrong|found|unusual|to report)|(all|every|everything)\b[^.]{0,30}\b(within|in|to|inside) (spec|drawing|tolerance)|in spec|passed|meets? (all )?(spec|specification)s?|conforming|ok to ship|looks? (good|fine|normal)|(lot|all|first article|batch|parts?)\b[^.]{0,30}\b(ok|okay|good|fine|accepted)\b|\bmatch(es)?\b)/i;

/** Vocabulary that places a text in the plant at all. */
const DOMAIN_WORDS =
  /\b(knife|knives|blade|blades|edge|edges|handle|handles|bolster|rivet|rivets|tang|spine|tip|heel|scissors?|pan|pans|wok|steel|hrc|hardness|catra|icp|quench|temper|grind|grinding|polish|glazing|honing|weld|mould|mold|injection|logo|print|inspection|inspector|lot|batch|units|parts?|sample|line|shift|defect|defects|sku|wk-[a-z]{2}-\d{3}|scratch|rust|chip|crack|stain|finish)\b/gi;

/** Stage cues: words that place an observation at a stage. */
const STAGE_CUES: Array<Cue<ProductionStage>> = [
  {
    target: 'blade_stamp',
    pattern:
      /\bstamp(ing|ed)?\b|\bblank(ing|s)?\b|\bforg(e|ing|ed)\b|\bdie\b|\bpress(es)?\b(?![^.]{0,20}rivet)/,
    weight: 2,
    label: 'stamping',
  },
  {
    target: 'bolster_welding',
    pattern: /\bweld(ing|ed)?\b|\btig\b|\bargon\b|\bbolster\b/,
    weight: 1.5,
    label: 'bolster welding',
  },
  {
    target: 'back_edge_polishing',
    pattern: /\bback[- ]?edge\b|\bspine\b/,
    weight: 1.5,
    label: 'back-edge polishing',
  },
  {
    target: 'taper_grinding',
    pattern: /\btaper\b|\bv-?grind\b|\bgrind(ing|er)?\b|\bbevel\b/,
    weight: 1.5,
    label: 'taper grinding',
  },
  {
    target: 'heat_treatment',
    pattern:
      /\bheat[- ]?treat(ment|ed|ing)?\b|\bfurnace\b|\btemper(ing|ed)?\b|\bharden(ing|ed)?\b|\baustenit/,
    weight: 2,
    label: 'heat treatment',
  },
  {
    target: 'vacuum_quench',
    pattern: /\bquench(ed|ing)?\b|\bvacuum\b|\bcool(ing|ed)? (rate|too slow|slow)|\bslow(ly)? cool/,
    weight: 2.5,
    label: 'vacuum quench',
  },
  {
    target: 'handle_injection',
    pattern: /\binject(ion|ed)\b|\bmou?ld(ing|ed)?\b|\bsprue\b|\bgate\b|\bresin\b|\bshort shot\b/,
    weight: 2,
    label: 'handle injection',
  },
  {
    target: 'rivet_assembly',
    pattern: /\brivet(s|ing|ed)?\b|\bassembl(y|ed|ing)\b|\bfixture\b|\bjig\b/,
    weight: 2,
    label: 'rivet assembly',
  },
  {
    target: 'handle_polishing',
    pattern: /\bhandle polish(ing)?\b|\bpolish(ing|ed)? (the )?handles?\b|\bbuff(ing|ed)? (the )?handles?\b/,
    weight: 2.5,
    label: 'handle polishing',
  },
  {
    target: 'blade_glazing',
    pattern: /\bglaz(ing|ed)\b|\bmirror\b|\bsatin\b|\bbuff(ing|ed)?\b|\bpolish(ing|ed)?\b/,
    weight: 1.5,
    label: 'blade glazing',
  },
  {
    target: 'cutting_edge_honing',
    pattern: /\bhon(e|ing|ed)\b|\bsharpen(ing|ed)?\b|\bedge finish(ing)?\b/,
    weight: 2.5,
    label: 'cutting-edge honing',
  },
  {
    target: 'logo_print',
    pattern: /\blogo\b|\bprint(ing|ed)?\b|\bpad[- ]print\b|\blaser mark/,
    weight: 2.5,
    label: 'logo print',
  },
];

/** Where on the part the defect is. */
const AREAS: Array<[RegExp, string]> = [
  [/\b(cutting )?edges?\b/, 'cutting edge'],
  [/\btips?\b/, 'tip'],
  [/\bheel\b/, 'heel'],
  [/\bspine\b|\bback[- ]?edge\b/, 'spine'],
  [/\bbolsters?\b/, 'bolster'],
  [/\brivets?\b/, 'rivets'],
  [/\bhandles?\b|\bscales?\b/, 'handle'],
  [/\blogo\b/, 'logo area'],
  [/\bblade (body|face|flat|surface)s?\b|\bblades?\b/, 'blade body'],
  [/\bpivot\b/, 'pivot'],
];

/** What the text says, read once. */
export interface TextSignals {
  typeScores: Map<ConcreteDefectType, number>;
  typeEvidence: Map<ConcreteDefectType, string[]>;
  stageScores: Map<ProductionStage, number>;
  stageEvidence: Map<ProductionStage, string[]>;
  injection: boolean;
  noDefect: boolean;
  domainWords: number;
  contentWords: number;
  area: string | null;
  structural: boolean | undefined;
  patchy: boolean | undefined;
}

function addScore<Key>(map: Map<Key, number>, key: Key, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function addEvidence<Key>(map: Map<Key, string[]>, key: Key, value: string): void {
  const list = map.get(key) ?? [];
  if (!list.includes(value)) list.push(value);
  map.set(key, list);
}

/** Reads the cues of a report's text, including the look-alike rules of DOMAIN.md. */
export function readSignals(description: string): TextSignals {
  const raw = description.toLowerCase();
  const text = raw.replace(NEGATED, ' ').replace(MISATTRIBUTED, (_match, lead: string) => `${lead} `);
  const typeScores = new Map<ConcreteDefectType, number>();
  const typeEvidence = new Map<ConcreteDefectType, string[]>();
  for (const cue of TYPE_CUES) {
    const matches = new Set(
      [...text.matchAll(new RegExp(cue.pattern.source, 'g'))].map((match) => match[0].trim()),
    );
    if (matches.size > 0) {
      addScore(typeScores, cue.target, cue.weight * Math.min(2, 1 + 0.5 * (matches.size - 1)));
      addEvidence(
        typeEvidence,
        cue.target,
        `text mentions "${[...matches].slice(0, 3).join('", "')}" (${cue.label})`,
      );
    }
  }
  const onHandle = HANDLE.test(text);
  const crack = typeScores.get('handle_crack') ?? 0;
  if (crack > 0 && !onHandle) typeScores.set('handle_crack', crack * 0.4);
  const discoloration = typeScores.get('handle_discoloration') ?? 0;
  if (discoloration > 0) {
    if (onHandle) addScore(typeScores, 'handle_discoloration', 1);
    else typeScores.set('handle_discoloration', discoloration * 0.4);
  }
  if (
    (typeScores.get('surface_contamination') ?? 0) >= 3 &&
    /\b(wipes?|wiped|solvent|alcohol|ipa|acetone)\b/.test(text)
  ) {
    typeScores.set('rust_spot', (typeScores.get('rust_spot') ?? 0) * 0.3);
    addEvidence(
      typeEvidence,
      'surface_contamination',
      'the marks come off with solvent, so they sit on the surface (not rust)',
    );
  }
  if (
    /\b(do|does|did|dont|don'?t|doesn'?t|doesnt|didn'?t|didnt|won'?t|wont|will not|can'?t|cannot)\s*(not\s+)?(wipe|come|rub)s?\s+(off|away)\b|\bleaves? (them|it|the \w+) (unchanged|in place)|\bunaffected\b|\bremains? after\b|\bnot removable\b/.test(
      text,
    )
  ) {
    typeScores.set('rust_spot', (typeScores.get('rust_spot') ?? 0) + 2);
    typeScores.set('surface_contamination', (typeScores.get('surface_contamination') ?? 0) * 0.2);
  }
  if (
    /\b(straight|linear|parallel)\b[^.]{0,25}\b(marks?|lines?|scratch\w*)\b|\b(marks?|lines?) (are|run) (straight|parallel)\b|\bfingernail\b/.test(
      text,
    )
  ) {
    addScore(typeScores, 'blade_scratch', 2);
    typeScores.set('polish_defect', (typeScores.get('polish_defect') ?? 0) * 0.4);
  } else if ((typeScores.get('polish_defect') ?? 0) > 0 && (typeScores.get('blade_scratch') ?? 0) > 0) {
    if (/\bswirl|orange[- ]peel|haz(e|y)|circular|holograms?\b/.test(text)) {
      typeScores.set('blade_scratch', (typeScores.get('blade_scratch') ?? 0) * 0.5);
    } else {
      typeScores.set('polish_defect', (typeScores.get('polish_defect') ?? 0) * 0.6);
    }
  }
  if (BOLSTER.test(text) && /\b(tint|band|discolou?r)/.test(text) && /\bweld|tig|seam\b/.test(text)) {
    addScore(typeScores, 'weld_defect', 1.5);
    typeScores.set('heat_treatment_defect', (typeScores.get('heat_treatment_defect') ?? 0) * 0.5);
  }

  const stageScores = new Map<ProductionStage, number>();
  const stageEvidence = new Map<ProductionStage, string[]>();
  for (const cue of STAGE_CUES) {
    const match = cue.pattern.exec(text);
    if (match) {
      addScore(stageScores, cue.target, cue.weight);
      addEvidence(stageEvidence, cue.target, `text mentions "${match[0].trim()}"`);
    }
  }

  const area = AREAS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
  const structural = /\b(structural|through|full[- ]depth|snapped|broke|loose|comes? apart|separat)/.test(
    text,
  )
    ? true
    : /\b(hairline|surface|cosmetic|craz(e|ing)|shallow)\b/.test(text)
      ? false
      : undefined;
  const patchy = /\b(patch(y|es)?|blotch(y|es)?|streak(s|y)?|uneven|mottled|spots of colou?r)\b/.test(text)
    ? true
    : /\b(uniform|whole lot|entire (lot|batch)|consistent(ly)?|evenly)\b/.test(text)
      ? false
      : undefined;

  return {
    typeScores,
    typeEvidence,
    stageScores,
    stageEvidence,
    injection: INJECTION.test(description),
    noDefect: NO_DEFECT.test(raw),
    domainWords: text.match(DOMAIN_WORDS)?.length ?? 0,
    contentWords: text.split(/\s+/).filter((word) => word.length > 2).length,
    area,
    structural,
    patchy,
  };
}
