import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App.tsx';
import { ANALYSIS, fakeApi } from '../testing/fake-api.ts';

const ID = ANALYSIS.defect_id;

function openAnalysis(): void {
  window.location.hash = `#/analyses/${ID}`;
}

describe('the Analysis screen', () => {
  it('shows the classification, the 5-why chain, the fishbone and the CAPA table', async () => {
    fakeApi({
      [`GET /api/v1/analyses/${ID}/questions`]: { body: { defect_id: ID, questions: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: ANALYSIS, headers: { etag: '"1.abc"' } },
    });
    openAnalysis();
    render(<App language="en" />);
    await screen.findByRole('heading', { name: 'Classification' });
    expect(screen.getByText('Rust spot', { selector: 'strong' })).toBeTruthy();
    const whys = screen.getByRole('region', { name: '5-why chain' });
    expect(within(whys).getAllByRole('listitem').length).toBeGreaterThanOrEqual(5);
    const fishbone = screen.getByRole('region', { name: 'Fishbone (6M)' });
    for (const branch of ['Man', 'Machine', 'Method', 'Material', 'Measurement', 'Environment']) {
      expect(within(fishbone).getByRole('region', { name: branch })).toBeTruthy();
    }
    const capa = screen.getByRole('table');
    const rows = within(capa).getAllByRole('row');
    expect(rows).toHaveLength(ANALYSIS.review.actions.length + 1);
    expect(
      within(rows[1] as HTMLElement).getByText(ANALYSIS.review.actions[0]?.owner_role ?? ''),
    ).toBeTruthy();
  });

  it('opens the cited passage of a why', async () => {
    fakeApi({
      [`GET /api/v1/analyses/${ID}/questions`]: { body: { defect_id: ID, questions: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: ANALYSIS },
    });
    openAnalysis();
    render(<App language="en" />);
    const whys = await screen.findByRole('region', { name: '5-why chain' });
    const chip = within(whys).getAllByRole('button')[0] as HTMLElement;
    await userEvent.click(chip);
    const cited = ANALYSIS.citations.find((citation) => chip.textContent?.startsWith(citation.source_id));
    expect(cited).toBeDefined();
    expect(await screen.findByRole('heading', { name: cited?.title })).toBeTruthy();
  });

  it('keeps the follow-up conversation and adds an answer', async () => {
    const first = {
      id: 1,
      question: 'Why did this happen?',
      answer: 'The quench was slow.',
      agent: 'root_cause',
      citations: [],
      asked_at: '2026-12-04T09:00:00.000Z',
    };
    const { requests } = fakeApi({
      [`GET /api/v1/analyses/${ID}/questions`]: { body: { defect_id: ID, questions: [first] } },
      [`POST /api/v1/analyses/${ID}/questions`]: {
        status: 201,
        body: { ...first, id: 2, question: 'Which lots?', answer: 'Hold YJ-2611-014.' },
      },
      [`GET /api/v1/analyses/${ID}`]: { body: ANALYSIS },
    });
    openAnalysis();
    render(<App language="en" />);
    expect(await screen.findByText('The quench was slow.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Your question'), 'Which lots?');
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(await screen.findByText('Hold YJ-2611-014.')).toBeTruthy();
    expect(requests.at(-1)?.body).toBe(JSON.stringify({ question: 'Which lots?' }));
  });

  it('asks for the API key once when the API answers 401, then keeps it for the session', async () => {
    let calls = 0;
    fakeApi({
      [`GET /api/v1/analyses/${ID}/questions`]: { body: { defect_id: ID, questions: [] } },
      [`GET /api/v1/analyses/${ID}`]: (request) => {
        calls += 1;
        return request.headers.get('x-api-key') === 'rca_key'
          ? { body: ANALYSIS }
          : {
              status: 401,
              body: { error: { code: 'unauthorized', message: 'missing API key', requestId: 'r1' } },
            };
      },
    });
    openAnalysis();
    render(<App language="en" />);
    const input = await screen.findByLabelText('API key', { selector: 'input' });
    await userEvent.type(input, 'rca_key');
    await userEvent.click(screen.getByRole('button', { name: 'Use this key' }));
    await screen.findByRole('heading', { name: 'Classification' });
    expect(sessionStorage.getItem('rca.apiKey')).toBe('rca_key');
    expect(calls).toBe(2);
  });

  it('speaks Chinese, with dates and numbers localised, while the analysis text stays as produced', async () => {
    fakeApi({
      [`GET /api/v1/analyses/${ID}/questions`]: { body: { defect_id: ID, questions: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: ANALYSIS },
    });
    openAnalysis();
    render(<App language="zh" />);
    await screen.findByRole('heading', { name: '分类' });
    expect(screen.getByText('锈点', { selector: 'strong' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '新报告' })).toBeTruthy();
    expect(screen.getAllByText(ANALYSIS.report.description ?? '').length).toBeGreaterThan(0);
    expect(screen.getByText(/2026年12月4日/)).toBeTruthy();
  });
});
