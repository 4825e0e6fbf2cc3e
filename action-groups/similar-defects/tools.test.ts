import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { FindSimilarDefectsOutput } from './schema.ts';
import { findSimilarDefectsTool, parseActions } from './tools.ts';

const kb = useTestToolContext();

async function findSimilar(input: unknown) {
  return FindSimilarDefectsOutput.parse(
    await invokeTool({ tool: findSimilarDefectsTool, input, context: kb.context }),
  );
}

describe('find_similar_defects', () => {
  it('finds rust records at vacuum quench first for orange spots after quench', async () => {
    const { defects } = await findSimilar({ description: 'orange spots near the bolster after quench' });
    expect(defects).toHaveLength(5);
    expect(defects[0]).toMatchObject({ defect_type: 'rust_spot', stage: 'vacuum_quench' });
    expect(defects[1]).toMatchObject({ defect_type: 'rust_spot', stage: 'vacuum_quench' });
    expect(defects.filter((defect) => defect.defect_type === 'rust_spot').length).toBeGreaterThanOrEqual(4);
  });

  it('returns one entry per record, best first, with a citable passage of that record', async () => {
    const { defects } = await findSimilar({
      description: 'chipped edge on hardened chef knife after honing',
      k: 8,
    });
    const ids = defects.map((defect) => defect.source_id);
    expect(new Set(ids).size).toBe(ids.length);
    const scores = defects.map((defect) => defect.score);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    for (const defect of defects) {
      expect(defect.source_id).toMatch(/^DEF-\d{8}-[0-9A-F]{8}$/);
      expect(defect.chunk_id.startsWith(`${defect.source_id}#`)).toBe(true);
      expect(defect.excerpt.length).toBeGreaterThan(0);
    }
    const passages = await kb.knowledgeBase.getPassages({
      chunkIds: defects.map((defect) => defect.chunk_id),
    });
    expect(passages).toHaveLength(defects.length);
  });

  it('carries the confirmed root cause and the actions taken, parsed', async () => {
    const { defects } = await findSimilar({
      description: 'hairline cracks at the tang slot of POM handles a day after moulding, cold mould',
      filter: { defect_type: 'handle_crack' },
      k: 3,
    });
    const crack = defects.find((defect) => defect.source_id === 'DEF-20230124-04942678');
    expect(crack).toBeDefined();
    expect(crack).toMatchObject({
      stage: 'handle_injection',
      severity: 'major',
      facility: 'shenzhen',
      product_sku: 'WK-KN-200',
      date: '2023-01-24',
      effective: 'true',
      root_cause: { category_6m: 'machine' },
    });
    expect(crack?.root_cause.occurrence).toMatch(/mould temperature controller/);
    expect(crack?.root_cause.escape).toMatch(/inspected straight out of the mould/);
    expect(crack?.actions).toHaveLength(4);
    expect(crack?.actions[2]).toEqual({
      type: 'corrective',
      owner_role: 'Maintenance lead',
      description:
        'Heater replaced; controller alarm wired to the press so it stops when mould temperature is more than 8 C below setpoint.',
    });
  });

  it('applies every filter', async () => {
    const { defects } = await findSimilar({
      description: 'scratches on the blade',
      filter: { defect_type: 'blade_scratch', facility: 'shenzhen' },
      k: 10,
    });
    expect(defects.length).toBeGreaterThan(0);
    for (const defect of defects)
      expect(defect).toMatchObject({ defect_type: 'blade_scratch', facility: 'shenzhen' });

    const byStage = await findSimilar({
      description: 'uneven rivets',
      filter: { stage: 'rivet_assembly', product_sku: 'WK-KN-200' },
    });
    expect(byStage.defects.length).toBeGreaterThan(0);
    for (const defect of byStage.defects)
      expect(defect).toMatchObject({ stage: 'rivet_assembly', product_sku: 'WK-KN-200' });
  });

  it('returns no records when nothing matches the filters', async () => {
    const { defects } = await findSimilar({
      description: 'rust on a cast-iron wok',
      filter: { defect_type: 'rust_spot', stage: 'logo_print' },
    });
    expect(defects).toEqual([]);
  });

  it('rejects a too-short description, a k above 10 and a filter outside the vocabulary', async () => {
    for (const input of [
      { description: 'x' },
      { description: 'orange spots', k: 11 },
      { k: 3 },
      { description: 'orange spots', filter: { facility: 'paris' } },
    ]) {
      await expect(
        invokeTool({ tool: findSimilarDefectsTool, input, context: kb.context }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('parseActions', () => {
  it('splits type, owner and description and drops malformed entries', () => {
    expect(
      parseActions([
        'containment | Quality engineer | Held lot YJ-2403-117',
        'corrective | Maintenance lead | Replaced seal | added leak test',
        'wish | Nobody | Hope',
        'corrective | missing description',
      ]),
    ).toEqual([
      { type: 'containment', owner_role: 'Quality engineer', description: 'Held lot YJ-2403-117' },
      { type: 'corrective', owner_role: 'Maintenance lead', description: 'Replaced seal | added leak test' },
    ]);
    expect(parseActions(undefined)).toEqual([]);
  });
});
