import { describe, expect, it } from 'vitest';
import { FilterIndex } from './filter-index.ts';

describe('FilterIndex', () => {
  const index = new FilterIndex();
  index.add(1, {
    docType: 'past_defect',
    stage: 'vacuum_quench',
    defectTypes: ['rust_spot'],
    facilities: ['yangjiang'],
    productSku: 'WK-KN-200',
  });
  index.add(2, {
    docType: 'sop',
    stage: 'vacuum_quench',
    defectTypes: ['rust_spot', 'heat_treatment_defect'],
    facilities: ['yangjiang', 'shenzhen'],
    productSku: null,
  });
  index.add(3, {
    docType: 'past_defect',
    stage: 'blade_glazing',
    defectTypes: ['blade_scratch'],
    facilities: ['shenzhen'],
    productSku: 'WK-KN-100',
  });

  it('enumerates the chunks matching every field of a filter', () => {
    expect([...index.matching({ stage: 'vacuum_quench' })].sort()).toEqual([1, 2]);
    expect(index.matching({ facility: 'shenzhen', defect_type: 'rust_spot' })).toEqual([2]);
    expect(index.matching({ product_sku: 'WK-KN-100', doc_type: 'sop' })).toEqual([]);
    expect([...index.matching({})].sort()).toEqual([1, 2, 3]);
  });

  it('lists a filter once until the next write, and again after it', () => {
    const filter = { stage: 'vacuum_quench' } as const;
    const first = index.matching(filter);
    expect(index.matching({ ...filter })).toBe(first);
    index.add(4, {
      docType: 'sop',
      stage: 'vacuum_quench',
      defectTypes: [],
      facilities: [],
      productSku: null,
    });
    expect([...index.matching(filter)].sort()).toEqual([1, 2, 4]);
    index.delete(4);
    expect([...index.matching(filter)].sort()).toEqual([1, 2]);
  });

  it('bounds the matching chunks from above without listing them', () => {
    expect(index.estimate({ stage: 'vacuum_quench' })).toBe(2);
    expect(index.estimate({ facility: 'shenzhen', defect_type: 'rust_spot' })).toBeGreaterThanOrEqual(1);
    expect(index.estimate({ product_sku: 'WK-CI-280' })).toBe(0);
    expect(index.estimate({})).toBe(3);
  });

  it('checks one chunk and forgets deleted or replaced ones', () => {
    expect(index.matches(3, { facility: 'shenzhen' })).toBe(true);
    index.add(3, {
      docType: 'past_defect',
      stage: 'blade_glazing',
      defectTypes: ['polish_defect'],
      facilities: ['hongkong'],
      productSku: null,
    });
    expect(index.matching({ facility: 'shenzhen' })).toEqual([2]);
    index.delete(2);
    expect(index.matching({ facility: 'shenzhen' })).toEqual([]);
    expect(index.size).toBe(2);
  });
});
