import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App.tsx';
import { ANALYSIS, fakeApi } from '../testing/fake-api.ts';

const ID = ANALYSIS.defect_id;
const CONFIRMED = {
  ...ANALYSIS,
  review: { ...ANALYSIS.review, state: 'confirmed', version: 2, reviewed_by: 'Li Wei' },
};

describe('the Review screen', () => {
  it('confirms with If-Match from the ETag and shows the new state', async () => {
    const { requests } = fakeApi({
      [`GET /api/v1/analyses/${ID}/audit`]: { body: { defect_id: ID, events: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: ANALYSIS, headers: { etag: '"1.aaa"' } },
      [`POST /api/v1/analyses/${ID}/review`]: { body: CONFIRMED, headers: { etag: '"2.bbb"' } },
    });
    window.location.hash = `#/analyses/${ID}/review`;
    render(<App language="en" />);
    await screen.findByRole('heading', { name: 'Audit trail' });
    await userEvent.type(screen.getByLabelText('Your name'), 'Li Wei');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(screen.getByText('Review state: Confirmed')).toBeTruthy();
    const post = requests.find((request) => request.method === 'POST');
    expect(post?.headers.get('if-match')).toBe('"1.aaa"');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ decision: 'confirm', reviewer: 'Li Wei' });
  });

  it('says plainly that the analysis changed (412), and reloads it', async () => {
    let reads = 0;
    fakeApi({
      [`GET /api/v1/analyses/${ID}/audit`]: { body: { defect_id: ID, events: [] } },
      [`GET /api/v1/analyses/${ID}`]: () => {
        reads += 1;
        return reads === 1
          ? { body: ANALYSIS, headers: { etag: '"1.aaa"' } }
          : { body: CONFIRMED, headers: { etag: '"2.bbb"' } };
      },
      [`POST /api/v1/analyses/${ID}/review`]: {
        status: 412,
        body: { error: { code: 'precondition_failed', message: 'the analysis changed', requestId: 'r2' } },
      },
    });
    window.location.hash = `#/analyses/${ID}/review`;
    render(<App language="en" />);
    await screen.findByRole('heading', { name: 'Audit trail' });
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText(/Someone changed this analysis since you opened it/)).toBeTruthy();
    expect(await screen.findByText('Review state: Confirmed')).toBeTruthy();
  });

  it('shows a refused change (409) with the API message', async () => {
    fakeApi({
      [`GET /api/v1/analyses/${ID}/audit`]: { body: { defect_id: ID, events: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: CONFIRMED, headers: { etag: '"2.bbb"' } },
      [`POST /api/v1/analyses/${ID}/review`]: {
        status: 409,
        body: { error: { code: 'conflict', message: 'actions A1, A2 are not verified', requestId: 'r3' } },
      },
    });
    window.location.hash = `#/analyses/${ID}/review`;
    render(<App language="en" />);
    await screen.findByRole('heading', { name: 'Audit trail' });
    await userEvent.click(screen.getByRole('radio', { name: 'Close (all actions verified)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Close (all actions verified)' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This change is not allowed in the current state');
    expect(alert.textContent).toContain('actions A1, A2 are not verified');
  });

  it('needs the effectiveness evidence to verify an action, and sends it', async () => {
    const done = {
      ...CONFIRMED,
      review: {
        ...CONFIRMED.review,
        actions: CONFIRMED.review.actions.map((action, index) =>
          index === 0 ? { ...action, status: 'done' } : action,
        ),
      },
    };
    const { requests } = fakeApi({
      [`GET /api/v1/analyses/${ID}/audit`]: { body: { defect_id: ID, events: [] } },
      [`GET /api/v1/analyses/${ID}`]: { body: done, headers: { etag: '"3.ccc"' } },
      [`PATCH /api/v1/analyses/${ID}/actions/A1`]: { body: done, headers: { etag: '"4.ddd"' } },
    });
    window.location.hash = `#/analyses/${ID}/review`;
    render(<App language="en" />);
    await screen.findByRole('heading', { name: 'Audit trail' });
    await userEvent.selectOptions(screen.getByLabelText('Move to', { selector: '#status-A1' }), 'verified');
    const apply = screen.getAllByRole('button', { name: 'Apply' })[0] as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    await userEvent.type(
      screen.getByLabelText('Effectiveness evidence', { selector: '#evidence-A1' }),
      '1000 h salt spray passed',
    );
    expect(apply.disabled).toBe(false);
    await userEvent.click(apply);
    await screen.findByText('Saved.');
    const patch = requests.find((request) => request.method === 'PATCH');
    expect(patch?.headers.get('if-match')).toBe('"3.ccc"');
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({
      status: 'verified',
      evidence: '1000 h salt spray passed',
    });
  });
});
