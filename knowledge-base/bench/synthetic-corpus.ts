import { CONCRETE_DEFECT_TYPES, DEFECT_TYPE_DETAILS, type ConcreteDefectType } from '../../domain/index.ts';
import type { KnowledgeDocument } from '../documents/schema.ts';

/** A small seeded PRNG (mulberry32), so every benchmark run sees the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const FACILITIES = ['yangjiang', 'shenzhen', 'hongkong'] as const;
const SKUS = ['WK-KN-200', 'WK-KN-150', 'WK-KN-100', 'WK-SC-200'] as const;
const CATEGORIES = ['man', 'machine', 'method', 'material', 'measurement', 'environment'] as const;
const OBSERVATIONS = [
  'near the bolster',
  'along the spine',
  'at the heel of the edge',
  'on the tip',
  'across the blade face',
  'under the logo',
  'at the rivet heads',
  'on the handle scale',
  'in the choil',
  'on the back edge',
];
const CAUSES = [
  'worn fixture locating pins',
  'a vacuum chamber door seal leak',
  'coolant flow below the window',
  'a glazing wheel loaded with coarse grit',
  'mould temperature drifting low',
  'a thermocouple reading 15 C high',
  'coil thickness at the top of tolerance',
  'an exhausted cleaning bath',
  'a honing angle set 3 degrees steep',
  'shielding gas flow starved by a kinked hose',
  'a stamping die worn past its regrind interval',
  'overloaded quench baskets',
  'masterbatch dosing drift',
  'a gauge out of calibration',
];
const WORDS = (
  'inspector sampled lot batch shift line operator supervisor engineer measured checked confirmed ruled out ' +
  'trend chart record drawing tolerance limit window alarm audit calibration maintenance schedule interval ' +
  'temperature pressure speed feed pressure flow time cycle load pattern basket wheel belt compound fixture die'
).split(' ');

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, words: number): string {
  const parts = Array.from({ length: words }, () => pick(random, WORDS));
  return `${parts.join(' ')}.`.replace(/^./, (first) => first.toUpperCase());
}

function paragraph(random: () => number, lead: string): string {
  const sentences = [lead];
  const count = 3 + Math.floor(random() * 4);
  for (let index = 0; index < count; index += 1)
    sentences.push(sentence(random, 8 + Math.floor(random() * 10)));
  return sentences.join(' ');
}

/**
 * Generates `count` synthetic past-defect documents of five sections each (so about five
 * chunks each), with realistic vocabulary and metadata spread, for benchmarks at scale.
 */
export function generateSyntheticDocuments({
  count,
  seed,
}: {
  count: number;
  seed: number;
}): KnowledgeDocument[] {
  const random = seededRandom(seed);
  const documents: KnowledgeDocument[] = [];
  for (let index = 0; index < count; index += 1) {
    const type: ConcreteDefectType = pick(random, CONCRETE_DEFECT_TYPES);
    const details = DEFECT_TYPE_DETAILS[type];
    const stage = pick(random, details.originStages);
    const where = pick(random, OBSERVATIONS);
    const cause = pick(random, CAUSES);
    const year = 2023 + Math.floor(random() * 3);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const id = `DEF-${year}${month}${day}-${index.toString(16).toUpperCase().padStart(8, '0')}`;
    const title = `${type.replaceAll('_', ' ')} ${where}, ${stage.replaceAll('_', ' ')} (synthetic ${index})`;
    const body = [
      `# ${title}`,
      `## Description\n${paragraph(random, `Inspectors found ${details.sees} ${where} after ${stage.replaceAll('_', ' ')}.`)}`,
      `## Measured values\n${paragraph(random, `Hardness ${(52 + random() * 8).toFixed(1)} HRC, defect size ${(random() * 12).toFixed(1)} mm.`)}`,
      `## Investigation\n${paragraph(random, `The team traced the ${type.replaceAll('_', ' ')} to ${cause}.`)}`,
      `## Actions taken\n${paragraph(random, `Quarantined the lot and corrected ${cause}.`)}`,
      `## Outcome\n${paragraph(random, 'The defect rate returned below the 0.18 % target.')}`,
    ].join('\n\n');
    documents.push({
      kind: 'past_defect',
      file: `synthetic/${id}.md`,
      contentHash: `synthetic-${seed}-${index}`,
      body,
      metadata: {
        id,
        doc_type: 'past_defect',
        title,
        date: `${year}-${month}-${day}`,
        facility: pick(random, FACILITIES),
        product_sku: pick(random, SKUS),
        stage,
        defect_type: type,
        severity: 'major',
        measurements: {},
        root_cause: {
          category_6m: pick(random, CATEGORIES),
          occurrence: cause,
          escape: 'sampling too sparse',
          systemic: 'no trend review',
        },
        actions: [{ type: 'corrective', description: `corrected ${cause}`, owner_role: 'Process engineer' }],
        effective: true,
        outcome: 'held for 12 weeks',
      },
    });
  }
  return documents;
}

/** Seeded query texts in the style of inspectors' reports. */
export function generateQueries({ count, seed }: { count: number; seed: number }): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const type = pick(random, CONCRETE_DEFECT_TYPES);
    return `${DEFECT_TYPE_DETAILS[type].sees} ${pick(random, OBSERVATIONS)}, suspect ${pick(random, CAUSES)}`;
  });
}
