import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App.tsx';
import { ANALYSIS, fakeApi } from '../testing/fake-api.ts';

function analysis(index: number, facility: string) {
  const id = `DEF-20261204-0000000${index}`;
  return { ...ANALYSIS, defect_id: id, report: { ...ANALYSIS.report, facility } };
}

describe('the History screen', () => {
  it('filters through the URL, pages with the cursor and opens an analysis', async () => {
    const { requests } = fakeApi({
      'GET /api/v1/analyses/DEF-20261204-00000003/questions': { body: { defect_id: 'x', questions: [] } },
      'GET /api/v1/analyses/DEF-20261204-00000003': { body: analysis(3, 'shenzhen') },
      'GET /api/v1/analyses?facility=shenzhen&limit=25&cursor=next': {
        body: { items: [analysis(3, 'shenzhen')], next_cursor: null },
      },
      'GET /api/v1/analyses?facility=shenzhen': {
        body: { items: [analysis(2, 'shenzhen')], next_cursor: 'next' },
      },
      'GET /api/v1/analyses': {
        body: { items: [analysis(2, 'shenzhen'), analysis(1, 'yangjiang')], next_cursor: null },
      },
    });
    window.location.hash = '#/history';
    render(<App language="en" />);
    expect(await screen.findByText('2 shown')).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Facility'), 'shenzhen');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(window.location.hash).toBe('#/history?facility=shenzhen');
    expect(await screen.findByText('1 shown')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('2 shown')).toBeTruthy();
    expect(requests.map((request) => request.path)).toContain(
      '/api/v1/analyses?facility=shenzhen&limit=25&cursor=next',
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    await userEvent.click(within(rows[2] as HTMLElement).getByRole('link'));
    expect(window.location.hash).toBe('#/analyses/DEF-20261204-00000003');
    expect(await screen.findByRole('heading', { name: 'Classification' })).toBeTruthy();
  });
});
