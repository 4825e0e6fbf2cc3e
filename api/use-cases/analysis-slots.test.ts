import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../domain/index.ts';
import { createAnalysisSlots } from './analysis-slots.ts';

describe('analysis slots', () => {
  it('gives as many tickets as there are slots and waiting places, and takes them back once', () => {
    const slots = createAnalysisSlots({ concurrency: 2, queueLimit: 1 });
    const tickets = [slots.reserve(), slots.reserve(), slots.reserve()];
    expect(slots.load()).toEqual({ running: 0, waiting: 0, admitted: 3 });
    expect(() => slots.reserve()).toThrow(ServiceUnavailableError);

    tickets[0]?.release();
    tickets[0]?.release();
    expect(slots.load().admitted).toBe(2);
    const next = slots.reserve();
    expect(() => slots.reserve()).toThrow(/at capacity/);
    next.release();
    for (const ticket of tickets) ticket.release();
    expect(slots.load().admitted).toBe(0);
  });

  it('with no waiting room gives a ticket per slot', () => {
    const slots = createAnalysisSlots({ concurrency: 1, queueLimit: 0 });
    const ticket = slots.reserve();
    expect(() => slots.reserve()).toThrow(ServiceUnavailableError);
    ticket.release();
    expect(() => slots.reserve().release()).not.toThrow();
  });

  it('lets the event loop turn between queued analyses that never wait for I/O', async () => {
    const slots = createAnalysisSlots({ concurrency: 1, queueLimit: 10 });
    const order: string[] = [];
    // The first analysis schedules an I/O-like callback; the queued ones must not all run before it.
    const first = slots.run(async () => {
      order.push('analysis 1');
      setImmediate(() => order.push('callback'));
    });
    const rest = [2, 3].map((index) => slots.run(async () => void order.push(`analysis ${index}`)));
    expect(slots.load()).toMatchObject({ running: 1, waiting: 2 });
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['analysis 1', 'callback', 'analysis 2', 'analysis 3']);
  });
});
