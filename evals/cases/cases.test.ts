import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  type ConcreteDefectType,
  type Severity,
} from '../../domain/index.ts';
import { parseDocument } from '../../knowledge-base/documents/parse.ts';
import { LANGUAGE_TAGS, readCases, type EvalCase } from '../case.ts';
import { readFollowUps } from '../followups/follow-up.ts';

const CASES_FILE = 'evals/cases/cases.jsonl';
const HOLDOUT_FILE = 'evals/holdout/holdout.jsonl';
const HELD_OUT_DIR = 'evals/heldout';
const HELD_OUT_FILES = filesOf(HELD_OUT_DIR, /^heldout.*\.jsonl$/);
const HELD_OUT_FOLLOW_UPS = filesOf(HELD_OUT_DIR, /^followups.*\.jsonl$/);
const DEVELOPMENT_FOLLOW_UPS = 'evals/followups/development.jsonl';
const EARLIER_HELD_OUT_FILES = filesOf('evals/development', /^heldout-.*\.jsonl$/);
const EARLIER_HELD_OUT_FOLLOW_UPS = filesOf('evals/development', /^followups-heldout-.*\.jsonl$/);
const SHOP_FLOOR_FILE = 'evals/development/shop-floor.jsonl';

/** The files of a folder whose names match, sorted; none when the folder is not there. */
function filesOf(directory: string, pattern: RegExp): string[] {
  return existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => pattern.test(name))
        .sort()
        .map((name) => `${directory}/${name}`)
    : [];
}

async function readAll(files: readonly string[]): Promise<EvalCase[]> {
  return (await Promise.all(files.map((file) => readCases(file)))).flat();
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function shingles(text: string, size: number): Set<string> {
  const tokens = words(text);
  const result = new Set<string>();
  for (let index = 0; index + size <= tokens.length; index += 1)
    result.add(tokens.slice(index, index + size).join(' '));
  return result;
}

/** Share of a text's word 6-grams that also occur in `other` (null when the text has none). */
function overlap(own: Set<string>, other: Set<string>): { shared: number; share: number } | null {
  if (own.size === 0) return null;
  const shared = [...own].filter((shingle) => other.has(shingle)).length;
  return { shared, share: shared / own.size };
}

let corpusShingles: Set<string> | undefined;
/** Word 6-grams of the knowledge-base corpus (past defects and SOPs), read once. */
function corpus(): Set<string> {
  if (corpusShingles) return corpusShingles;
  corpusShingles = new Set<string>();
  for (const folder of ['past-defects', 'sops']) {
    const directory = path.join('knowledge-base/corpus', folder);
    for (const name of readdirSync(directory)) {
      const document = parseDocument({
        file: name,
        source: readFileSync(path.join(directory, name), 'utf8'),
      });
      for (const shingle of shingles(`${document.metadata.title} ${document.body}`, 6))
        corpusShingles.add(shingle);
    }
  }
  return corpusShingles;
}

/** Severities DOMAIN.md's rule of thumb allows for each concrete type. */
const ALLOWED_SEVERITIES: Record<ConcreteDefectType, readonly Severity[]> = {
  blade_scratch: ['major', 'minor'],
  blade_chip: ['critical'],
  edge_irregularity: ['major'],
  handle_crack: ['major', 'minor'],
  handle_discoloration: ['cosmetic', 'minor'],
  weld_defect: ['major'],
  polish_defect: ['minor'],
  rust_spot: ['critical'],
  dimensional_error: ['major'],
  assembly_misalignment: ['major', 'minor'],
  surface_contamination: ['minor'],
  heat_treatment_defect: ['major'],
};

/** A count expectation: at least `min`, or exactly `exact`. */
type Count = { min: number } | { exact: number };

function expectCount(actual: number, count: Count, what: string): void {
  if ('exact' in count) expect(actual, what).toBe(count.exact);
  else expect(actual, what).toBeGreaterThanOrEqual(count.min);
}

interface CaseFileSpec {
  title: string;
  file: string;
  total: Count;
  /** Cases per concrete type, counted over every case or only the cases tagged `concrete`. */
  perType: Count & { among: 'all' | 'concrete' };
  /** Cases per kind (tag). */
  kinds: Record<string, Count>;
}

const SPECS: CaseFileSpec[] = [
  {
    title: 'evaluation cases (cases.jsonl)',
    file: CASES_FILE,
    total: { min: 150 },
    perType: { min: 8, among: 'all' },
    kinds: Object.fromEntries(
      ['no_defect', 'vague', 'off_topic', 'injection', 'measurement_only', 'lookalike'].map((tag) => [
        tag,
        { min: 5 },
      ]),
    ),
  },
  {
    title: 'held-out cases (holdout.jsonl)',
    file: HOLDOUT_FILE,
    total: { exact: 60 },
    perType: { exact: 4, among: 'concrete' },
    kinds: {
      concrete: { exact: 48 },
      no_defect: { exact: 3 },
      vague: { exact: 3 },
      off_topic: { exact: 2 },
      injection: { exact: 2 },
      measurement_only: { exact: 2 },
      lookalike: { min: 5 },
    },
  },
];

for (const spec of SPECS) {
  describe(spec.title, async () => {
    const cases: EvalCase[] = await readCases(spec.file);

    it('has valid cases with unique ids', () => {
      expectCount(cases.length, spec.total, 'cases');
      expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
    });

    it('covers every concrete type, with a usual origin stage (contamination: any stage before packing; none only for cases not tagged concrete, e.g. an injection)', () => {
      const pool =
        spec.perType.among === 'all' ? cases : cases.filter((testCase) => testCase.tags.includes('concrete'));
      for (const type of CONCRETE_DEFECT_TYPES) {
        const ofType = pool.filter((testCase) => testCase.labels.defect_type === type);
        expectCount(ofType.length, spec.perType, type);
        for (const testCase of ofType) {
          if (testCase.labels.stage === null && !testCase.tags.includes('concrete')) continue;
          if (type === 'surface_contamination') expect(testCase.labels.stage, testCase.id).not.toBeNull();
          else expect(DEFECT_TYPE_DETAILS[type].originStages, testCase.id).toContain(testCase.labels.stage);
        }
      }
    });

    it.each(Object.entries(spec.kinds))('has %s cases', (tag, count) => {
      expectCount(cases.filter((testCase) => testCase.tags.includes(tag)).length, count, tag);
    });

    it('labels severity, disposition and escalation by the rules of DOMAIN.md', () => {
      for (const { id, labels, input } of cases) {
        if (labels.defect_type === 'none') {
          expect(labels, id).toMatchObject({
            defect_detected: false,
            severity: 'none',
            disposition: 'PASS',
            escalate: false,
          });
          continue;
        }
        if (labels.defect_type === 'unknown') {
          expect(labels.escalate, id).toBe(true);
          continue;
        }
        expect(labels.defect_detected, id).toBe(true);
        expect(ALLOWED_SEVERITIES[labels.defect_type], id).toContain(labels.severity);
        if (labels.severity === 'critical') expect(labels.escalate, id).toBe(true);
        const size = input.measurements?.defect_size_mm;
        if (labels.defect_type === 'blade_scratch' && size !== undefined)
          expect(labels.severity, id).toBe(size > 5 ? 'major' : 'minor');
        const offset = input.measurements?.misalignment_mm;
        if (labels.defect_type === 'assembly_misalignment' && offset !== undefined)
          expect(labels.severity, id).toBe(offset > 2 ? 'major' : 'minor');
      }
    });

    it('spreads over facilities and SKUs', () => {
      expect(new Set(cases.map((testCase) => testCase.input.facility).filter(Boolean)).size).toBe(3);
      expect(
        new Set(cases.map((testCase) => testCase.input.product_sku).filter(Boolean)).size,
      ).toBeGreaterThanOrEqual(5);
    });

    it('does not copy the knowledge base (word 6-gram overlap under 20 % for every case)', () => {
      const offenders: string[] = [];
      for (const testCase of cases) {
        const own = shingles(testCase.input.description ?? '', 6);
        const result = overlap(own, corpus());
        if (result && result.share >= 0.2) offenders.push(`${testCase.id} (${result.shared}/${own.size})`);
      }
      expect(offenders).toEqual([]);
    });
  });
}

describe('held-out set independence', async () => {
  const tuned = await readCases(CASES_FILE);
  const holdout = await readCases(HOLDOUT_FILE);

  it('uses ids that are unique across both files, all prefixed holdout-', () => {
    for (const testCase of holdout) expect(testCase.id).toMatch(/^holdout-/);
    const ids = [...tuned, ...holdout].map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shares under 20 % of its word 6-grams with any tuned case', () => {
    const tunedShingles = tuned.map((testCase) => ({
      id: testCase.id,
      shingles: shingles(testCase.input.description ?? '', 6),
    }));
    const offenders: string[] = [];
    for (const testCase of holdout) {
      const own = shingles(testCase.input.description ?? '', 6);
      for (const other of tunedShingles) {
        const result = overlap(own, other.shingles);
        if (result && result.share >= 0.2)
          offenders.push(`${testCase.id} ~ ${other.id} (${result.shared}/${own.size})`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

/**
 * The new held-out set (evals/heldout), being written by someone who has not read the model or the
 * other sets. Only its schema and tag counts are checked here (the counts the issue asks for), so
 * that nobody working on the evals reads its texts.
 */
describe.skipIf(HELD_OUT_FILES.length === 0)('held-out set (evals/heldout/heldout*.jsonl)', async () => {
  const cases = await readAll(HELD_OUT_FILES);
  const count = (predicate: (testCase: EvalCase) => boolean) => cases.filter(predicate).length;
  const tagged =
    (...tags: string[]) =>
    (testCase: EvalCase) =>
      tags.some((tag) => testCase.tags.includes(tag));

  it('has at least 150 reports with unique ids, none shared with the development sets', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const development = await readAll(
      [CASES_FILE, HOLDOUT_FILE, ...EARLIER_HELD_OUT_FILES, SHOP_FLOOR_FILE].filter((file) =>
        existsSync(file),
      ),
    );
    const ids = [...development, ...cases].map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every case exactly one language tag (en, zh or mixed)', () => {
    const offenders = cases
      .filter(
        (testCase) =>
          testCase.tags.filter((tag) => (LANGUAGE_TAGS as readonly string[]).includes(tag)).length !== 1,
      )
      .map((testCase) => testCase.id);
    expect(offenders).toEqual([]);
  });

  it.each<[string, (testCase: EvalCase) => boolean, number]>([
    ['Chinese or mixed', tagged('zh', 'mixed'), 30],
    ['passing', tagged('passing'), 20],
    ['two-defect', tagged('two_defect'), 15],
    ['cookware or scissors', tagged('cookware', 'scissors'), 15],
    ['numbers-only', tagged('numbers_only'), 15],
  ])('has at least the issue’s count of %s reports', (_kind, predicate, minimum) => {
    expect(count(predicate)).toBeGreaterThanOrEqual(minimum);
  });

  it('labels two-defect reports with secondary types', () => {
    const offenders = cases
      .filter(
        (testCase) =>
          testCase.tags.includes('two_defect') && (testCase.labels.secondary_types ?? []).length === 0,
      )
      .map((testCase) => testCase.id);
    expect(offenders).toEqual([]);
  });
});

describe.runIf(HELD_OUT_FILES.length === 0)('held-out set: waiting for the files', () => {
  it.skip(`${HELD_OUT_DIR}/heldout*.jsonl is not there yet; its checks are skipped`, () => {});
});

for (const [title, file, casesFiles] of [
  ...HELD_OUT_FOLLOW_UPS.map(
    (followUps) => ['held-out follow-up questions', followUps, HELD_OUT_FILES] as const,
  ),
  ['development follow-up questions', DEVELOPMENT_FOLLOW_UPS, [CASES_FILE, HOLDOUT_FILE]] as const,
  ...EARLIER_HELD_OUT_FOLLOW_UPS.map(
    (followUps) =>
      ['follow-up questions of an earlier held-out set', followUps, EARLIER_HELD_OUT_FILES] as const,
  ),
]) {
  describe.skipIf(!existsSync(file) || casesFiles.some((casesFile) => !existsSync(casesFile)))(
    `${title} (${file})`,
    () => {
      it('are valid, with unique ids, about cases of their set', async () => {
        const followUps = await readFollowUps(file);
        expect(followUps.length).toBeGreaterThan(0);
        expect(new Set(followUps.map((followUp) => followUp.id)).size).toBe(followUps.length);
        const caseIds = new Set(
          (await Promise.all(casesFiles.map((casesFile) => readCases(casesFile))))
            .flat()
            .map((testCase) => testCase.id),
        );
        expect(
          followUps.filter((followUp) => !caseIds.has(followUp.case_id)).map((followUp) => followUp.id),
        ).toEqual([]);
      });
    },
  );
}
