import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { TEST_NOW, useTestToolContext } from '../testing/context.ts';
import type { DefectOccurrence } from './defect-history.ts';
import { CountRecurrencesOutput } from './schema.ts';
import { countRecurrencesTool } from './tools.ts';

const DAY = 86_400_000;

function occurrence(
  daysAgo: number,
  fields: Partial<DefectOccurrence> & { defectId: string },
): DefectOccurrence {
  return {
    detectedAt: new Date(TEST_NOW.getTime() - daysAgo * DAY),
    defectType: 'rust_spot',
    stage: 'vacuum_quench',
    facility: 'yangjiang',
    productSku: 'WK-KN-200',
    confirmed: true,
    ...fields,
  };
}

const HISTORY: DefectOccurrence[] = [
  occurrence(2, { defectId: 'DEF-20261120-00000001' }),
  occurrence(10, { defectId: 'DEF-20261112-00000002', facility: 'shenzhen' }),
  occurrence(40, { defectId: 'DEF-20261013-00000003', productSku: 'WK-KN-150' }),
  occurrence(89, { defectId: 'DEF-20260825-00000004', stage: null, facility: null }),
  occurrence(91, { defectId: 'DEF-20260823-00000005' }),
  occurrence(5, { defectId: 'DEF-20261117-00000006', defectType: 'blade_scratch', stage: 'blade_glazing' }),
  occurrence(3, {
    defectId: 'DEF-20261119-00000007',
    defectType: 'blade_scratch',
    stage: 'handle_polishing',
  }),
];

const kb = useTestToolContext({ occurrences: HISTORY });

async function count(input: unknown) {
  return CountRecurrencesOutput.parse(
    await invokeTool({ tool: countRecurrencesTool, input, context: kb.context }),
  );
}

describe('count_recurrences', () => {
  it('counts a type over the default 90-day window, by facility and stage, newest first', async () => {
    const output = await count({ defect_type: 'rust_spot' });
    expect(output).toEqual({
      count: 4,
      unconfirmed_count: 0,
      window_days: 90,
      since: '2026-08-24',
      by_facility: { yangjiang: 2, shenzhen: 1, unspecified: 1 },
      by_stage: { vacuum_quench: 3, unspecified: 1 },
      recent_defect_ids: [
        'DEF-20261120-00000001',
        'DEF-20261112-00000002',
        'DEF-20261013-00000003',
        'DEF-20260825-00000004',
      ],
      recurring: true,
    });
  });

  it('counts confirmed occurrences, and unreviewed drafts only beside them', async () => {
    kb.defectHistory.record(
      occurrence(3, { defectId: 'DEF-20261119-0000D001', confirmed: false, facility: 'hongkong' }),
    );
    const output = await count({ defect_type: 'rust_spot', window_days: 30 });
    expect(output).toMatchObject({ count: 2, unconfirmed_count: 1, recurring: false });
    expect(output.recent_defect_ids).not.toContain('DEF-20261119-0000D001');
    expect(output.by_facility).not.toHaveProperty('hongkong');
  });

  it('narrows the window and the filters', async () => {
    expect(await count({ defect_type: 'rust_spot', window_days: 30 })).toMatchObject({
      count: 2,
      since: '2026-10-23',
      recurring: false,
    });
    expect(
      await count({ defect_type: 'rust_spot', facility: 'yangjiang', product_sku: 'WK-KN-200' }),
    ).toMatchObject({
      count: 1,
      recent_defect_ids: ['DEF-20261120-00000001'],
    });
    expect(await count({ defect_type: 'rust_spot', window_days: 365 })).toMatchObject({ count: 5 });
    expect(await count({ stage: 'blade_glazing' })).toMatchObject({
      count: 1,
      by_stage: { blade_glazing: 1 },
      recent_defect_ids: ['DEF-20261117-00000006'],
    });
  });

  it('counts every type when no filter is given and keeps at most 10 ids', async () => {
    const output = await count({ window_days: 730 });
    expect(output.count).toBe(7);
    expect(output.recent_defect_ids[0]).toBe('DEF-20261120-00000001');

    for (let index = 0; index < 12; index += 1) {
      kb.defectHistory.record(
        occurrence(1, {
          defectId: `DEF-20261121-1000000${index.toString(16).toUpperCase()}`,
          defectType: 'weld_defect',
          stage: 'bolster_welding',
        }),
      );
    }
    const welds = await count({ defect_type: 'weld_defect' });
    expect(welds.count).toBe(12);
    expect(welds.recent_defect_ids).toHaveLength(10);
    expect(welds.recurring).toBe(true);
  });

  it('returns zero for a defect never seen', async () => {
    expect(await count({ defect_type: 'handle_crack' })).toMatchObject({
      count: 0,
      by_facility: {},
      by_stage: {},
      recent_defect_ids: [],
      recurring: false,
    });
  });

  it('rejects a window outside 1-730 days or not whole', async () => {
    for (const input of [
      { window_days: 0 },
      { window_days: 731 },
      { window_days: 7.5 },
      { facility: 'berlin' },
    ]) {
      await expect(
        invokeTool({ tool: countRecurrencesTool, input, context: kb.context }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
  });
});
