import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAnalysisSlots } from '../use-cases/analysis-slots.ts';
import { refuseAnalysesEarly } from './admission.ts';

describe('refusing analyses early', () => {
  it('answers 503 in the error shape while the slots are full, and logs a count once a second', async () => {
    const slots = createAnalysisSlots({ concurrency: 1, queueLimit: 0 });
    const lines: Array<{ refused: number; msg: string }> = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { refused: number; msg: string }) },
    );
    let now = 10_000;
    const app = express();
    app.post(
      '/analyze',
      refuseAnalysesEarly({
        slots,
        eventLoopDelay: { delayMs: () => 0 },
        maxEventLoopDelayMs: 1_000,
        requestIdOf: (_request, response) => {
          response.setHeader('x-request-id', 'req-1');
          return 'req-1';
        },
        logger,
        clock: () => now,
      }),
      (_request, response) => void response.status(201).json({ admitted: true }),
    );
    const server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/analyze`;
    try {
      expect((await fetch(url, { method: 'POST' })).status).toBe(201);
      const ticket = slots.reserve();
      const refused = await fetch(url, { method: 'POST' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('x-request-id')).toBe('req-1');
      expect(await refused.json()).toEqual({
        error: {
          code: 'service_unavailable',
          message: 'the service is at capacity (0 analyses running, 0 waiting); retry shortly',
          details: { running: 0, waiting: 0, admitted: 1 },
          requestId: 'req-1',
        },
      });
      for (let index = 0; index < 3; index += 1) await fetch(url, { method: 'POST' });
      now += 1_000;
      await fetch(url, { method: 'POST' });
      expect(lines.map(({ refused: count, msg }) => [count, msg])).toEqual([
        [1, 'analysis requests refused under overload'],
        [4, 'analysis requests refused under overload'],
      ]);
      ticket.release();
      expect((await fetch(url, { method: 'POST' })).status).toBe(201);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
