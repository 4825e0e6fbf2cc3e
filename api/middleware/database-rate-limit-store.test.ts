import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { openSqliteStore } from '../persistence/sqlite/sqlite-store.ts';
import { createDatabaseRateLimitStore } from './database-rate-limit-store.ts';
import { RateLimitedError } from '../../domain/index.ts';
import { limitAnalysesPerMinute, limitPerMinute } from './rate-limit.ts';

const disposables: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const dispose of disposables.splice(0).reverse()) await dispose();
});

/** One "process": its own store connection on the shared file, and its own app on port 0. */
async function startProcess(url: string): Promise<{ baseUrl: string; store: AnalysisStore }> {
  const store = await openSqliteStore({ url });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    limitPerMinute({
      limit: 3,
      what: 'requests',
      store: createDatabaseRateLimitStore({ store, prefix: 'requests' }),
    }),
  );
  const analyses = limitAnalysesPerMinute({
    limit: 10,
    store: createDatabaseRateLimitStore({ store, prefix: 'analyses' }),
  });
  app.post('/batch', analyses.middleware, async (request, response, next) => {
    try {
      await analyses.charge(request, response, 7);
      response.json({ ok: true });
    } catch (error) {
      next(error);
    }
  });
  app.get('/', (_request, response) => {
    response.json({ ok: true });
  });
  app.use(
    (error: unknown, _request: express.Request, response: express.Response, next: express.NextFunction) => {
      if (!(error instanceof RateLimitedError)) return next(error);
      response.status(429).json({ error: { code: error.code } });
    },
  );
  const server: Server = app.listen(0);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  disposables.push(() => store.close());
  disposables.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, store };
}

describe('rate limits in the database', () => {
  it('count every process on one database against one limit (WORKERS=2 does not double it)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'rca-limits-'));
    disposables.push(() => rmSync(directory, { recursive: true, force: true }));
    const url = `file:${path.join(directory, 'rca.db')}`;
    const first = await startProcess(url);
    const second = await startProcess(url);
    const statuses: number[] = [];
    for (const process of [first, second, first, second, first]) {
      statuses.push((await fetch(`${process.baseUrl}/`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('charges a batch in one write, shared by the processes', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'rca-limits-'));
    disposables.push(() => rmSync(directory, { recursive: true, force: true }));
    const url = `file:${path.join(directory, 'rca.db')}`;
    const first = await startProcess(url);
    const second = await startProcess(url);
    // 1 + 7 analyses on the first process: 8 of 10; the second's batch would make 16
    expect((await fetch(`${first.baseUrl}/batch`, { method: 'POST' })).status).toBe(200);
    const refused = await fetch(`${second.baseUrl}/batch`, { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
