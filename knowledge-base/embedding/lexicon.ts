import { stem } from './text.ts';

/**
 * Groups of plant vocabulary that mean the same thing to an inspector. A word of a group also
 * emits the group's concept feature, so "orange specks" and "oxidation" land near each other.
 * Words are stemmed with the embedder's stemmer when the lexicon is built.
 */
const CONCEPT_GROUPS: Record<string, string[]> = {
  rust: ['rust', 'rusty', 'oxidation', 'oxidised', 'oxidized', 'corrosion', 'corroded', 'orange', 'pitting', 'tarnish'],
  contamination: ['contamination', 'contaminated', 'residue', 'fingerprint', 'smudge', 'oil', 'oily', 'grease', 'ink', 'dirt', 'film', 'stain'],
  scratch: ['scratch', 'scratched', 'scuff', 'scuffed', 'score', 'gouge', 'line', 'mark'],
  polish: ['polish', 'polishing', 'buff', 'buffing', 'swirl', 'haze', 'hazy', 'peel', 'finish', 'glazing', 'satin', 'mirror'],
  chip: ['chip', 'chipped', 'nick', 'notch', 'breakout', 'missing', 'fracture', 'brittle'],
  edge: ['edge', 'wavy', 'uneven', 'serrated', 'burr', 'wire', 'bevel', 'sharpness', 'catra', 'icp', 'honing', 'hone'],
  crack: ['crack', 'cracked', 'split', 'fissure', 'craze', 'crazing', 'fracture'],
  discoloration: ['discoloration', 'discolouration', 'discolored', 'colour', 'color', 'fade', 'faded', 'yellowing', 'shade', 'streak', 'blotch', 'patchy'],
  weld: ['weld', 'welding', 'bolster', 'porosity', 'pore', 'pinhole', 'spatter', 'seam', 'fusion', 'shielding', 'argon'],
  dimension: ['dimension', 'dimensional', 'tolerance', 'length', 'width', 'thickness', 'oversize', 'undersize', 'drawing', 'gauge', 'caliper', 'profile', 'stamping', 'die'],
  misalignment: ['misalignment', 'misaligned', 'offset', 'proud', 'rivet', 'skew', 'crooked', 'gap', 'flush', 'fixture'],
  heat: ['heat', 'hardness', 'hrc', 'rockwell', 'soft', 'temper', 'tempering', 'furnace', 'austenitize', 'warp', 'warped', 'warping', 'bow', 'distortion', 'band', 'grain'],
  quench: ['quench', 'quenched', 'quenching', 'vacuum', 'cooling', 'chamber', 'seal', 'leak', 'carbide', 'chromium'],
  handle: ['handle', 'scale', 'resin', 'abs', 'pom', 'mould', 'mold', 'injection', 'moulding', 'molding', 'sprue', 'gate'],
  inspection: ['inspection', 'inspector', 'aql', 'sampling', 'sample', 'escape', 'missed', 'undetected', 'audit'],
  packaging: ['packaging', 'packing', 'pack', 'carton', 'vci', 'humidity', 'desiccant', 'box'],
  salt: ['salt', 'spray', 'humidity', 'chloride', 'moisture', 'damp', 'condensation'],
  logo: ['logo', 'print', 'printing', 'pad', 'laser', 'etch', 'marking'],
};

/** Concept features of each stemmed word. */
export const CONCEPTS_BY_WORD: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [concept, words] of Object.entries(CONCEPT_GROUPS)) {
    for (const word of words) {
      const key = stem(word);
      const list = map.get(key) ?? [];
      if (!list.includes(concept)) list.push(concept);
      map.set(key, list);
    }
  }
  return map;
})();
