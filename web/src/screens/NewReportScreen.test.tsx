import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../App.tsx';
import { ANALYSIS, fakeApi } from '../testing/fake-api.ts';

describe('the New report screen', () => {
  it('marks a measurement outside its specification', async () => {
    render(<App language="en" />);
    const hardness = screen.getByLabelText(/Hardness/);
    await userEvent.type(hardness, '52');
    expect(hardness.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Spec: 54–58 HRC · Out of specification/)).toBeTruthy();
    await userEvent.clear(hardness);
    await userEvent.type(hardness, '56');
    expect(hardness.getAttribute('aria-invalid')).toBeNull();
  });

  it('submits the report for a stream and shows each stage as it completes', async () => {
    const { requests } = fakeApi({
      'POST /api/v1/analyze': {
        events: [
          {
            event: 'accepted',
            data: { defect_id: ANALYSIS.defect_id, status: 'pending', created_at: ANALYSIS.created_at },
          },
          { event: 'classification', data: ANALYSIS.classification },
          { event: 'root_cause', data: ANALYSIS.root_cause },
          { event: 'actions', data: { corrective_actions: ANALYSIS.corrective_actions } },
          { event: 'done', data: ANALYSIS },
        ],
      },
    });
    render(<App language="en" />);
    await userEvent.type(screen.getByLabelText('What do you see?'), 'orange spots near the bolster');
    await userEvent.selectOptions(screen.getByLabelText('Facility'), 'yangjiang');
    await userEvent.type(screen.getByLabelText(/Salt spray/), '310');
    await userEvent.click(screen.getByRole('button', { name: 'Analyse' }));

    const link = await screen.findByRole('link', { name: 'Open the analysis' });
    expect(link.getAttribute('href')).toBe(`#/analyses/${ANALYSIS.defect_id}`);
    const progress = screen.getByRole('region', { name: 'Analysis progress' });
    expect(within(progress).getAllByText('done')).toHaveLength(3);
    expect(within(progress).getByText('Rust spot · Critical · Scrap')).toBeTruthy();

    const [request] = requests;
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      description: 'orange spots near the bolster',
      facility: 'yangjiang',
      measurements: { salt_spray_hours: 310 },
    });
  });

  it('says what happened when a stage fails', async () => {
    const failed = {
      ...ANALYSIS,
      status: 'partial',
      failure: { step: 'root_cause', code: 'model_timeout', message: 'The model did not answer in time.' },
      agents: { ...ANALYSIS.agents, root_cause: { ...ANALYSIS.agents.root_cause, status: 'failed' } },
    };
    fakeApi({
      'POST /api/v1/analyze': {
        events: [
          {
            event: 'accepted',
            data: { defect_id: ANALYSIS.defect_id, status: 'pending', created_at: ANALYSIS.created_at },
          },
          { event: 'classification', data: ANALYSIS.classification },
          {
            event: 'root_cause_failed',
            data: { code: 'model_timeout', message: 'The model did not answer in time.' },
          },
          { event: 'done', data: failed },
        ],
      },
    });
    render(<App language="en" />);
    await userEvent.type(screen.getByLabelText('What do you see?'), 'orange spots');
    await userEvent.click(screen.getByRole('button', { name: 'Analyse' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The analysis is incomplete');
    expect(alert.textContent).toContain('The model did not answer in time.');
  });

  it('states a refused report with its status and request id', async () => {
    fakeApi({
      'POST /api/v1/analyze': {
        status: 429,
        body: { error: { code: 'rate_limited', message: 'too many analyses', requestId: 'req-42' } },
      },
    });
    render(<App language="en" />);
    await userEvent.type(screen.getByLabelText('What do you see?'), 'orange spots');
    await userEvent.click(screen.getByRole('button', { name: 'Analyse' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Too many requests');
    expect(alert.textContent).toContain('req-42');
  });

  it('takes a photo dropped on the page and sends it with the report as multipart', async () => {
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:photo', revokeObjectURL: () => undefined }),
    );
    const { requests } = fakeApi({
      'POST /api/v1/analyze': { events: [{ event: 'done', data: ANALYSIS }] },
    });
    render(<App language="en" />);
    const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'blade.png', { type: 'image/png' });
    fireEvent.drop(screen.getByTestId('dropzone'), { dataTransfer: { files: [photo] } });
    expect((await screen.findByRole('img', { name: 'blade.png' })).getAttribute('src')).toBe('blob:photo');
    fireEvent.drop(screen.getByTestId('dropzone'), {
      dataTransfer: { files: [new File(['%PDF'], 'scan.pdf', { type: 'application/pdf' })] },
    });
    expect(await screen.findByText(/not a JPEG, PNG or WebP/)).toBeTruthy();
    fireEvent.drop(screen.getByTestId('dropzone'), { dataTransfer: { files: [photo] } });
    await userEvent.click(screen.getByRole('button', { name: 'Analyse' }));
    await screen.findByRole('link', { name: 'Open the analysis' });
    expect(requests[0]?.headers.get('content-type')).toMatch(/^multipart\/form-data/);
    expect(requests[0]?.body).toContain('name="image"');
    expect(requests[0]?.body).toContain('name="report"');
  });
});
