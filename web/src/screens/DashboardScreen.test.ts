import { describe, expect, it } from 'vitest';
import { dailyCounts, paretoOf } from './DashboardScreen.tsx';

describe('the dashboard figures', () => {
  it('orders defect types for the Pareto with their cumulative share, leaving out "none"', () => {
    expect(paretoOf({ rust_spot: 1, none: 7, polish_defect: 3, blade_chip: 0 })).toEqual([
      { code: 'polish_defect', count: 3, cumulative: 0.75 },
      { code: 'rust_spot', count: 1, cumulative: 1 },
    ]);
    expect(paretoOf({})).toEqual([]);
  });

  it('counts analyses per day over the window, days without any at zero', () => {
    const counts = dailyCounts(
      ['2026-12-04T08:00:00Z', '2026-12-04T09:00:00Z', '2026-12-02T10:00:00Z', '2026-10-01T10:00:00Z'],
      new Date('2026-12-04T12:00:00Z'),
      3,
    );
    expect(counts).toEqual([
      { day: '2026-12-02', count: 1 },
      { day: '2026-12-03', count: 0 },
      { day: '2026-12-04', count: 2 },
    ]);
  });
});
