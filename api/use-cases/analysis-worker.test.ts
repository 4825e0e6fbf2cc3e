import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { openSqliteStore } from '../persistence/sqlite/sqlite-store.ts';
import { fixtureTime, makeAnalysis } from '../persistence/testing/fixtures.ts';
import { createStoreWorkQueue } from '../work-queue/store-work-queue.ts';
import { createAnalysisWorker, type AnalysisWorkerOptions } from './analysis-worker.ts';

const stores: AnalysisStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function finished(analysis: ConsolidatedAnalysis): ConsolidatedAnalysis {
  return {
    ...analysis,
    status: 'failed',
    completed_at: fixtureTime(50).toISOString(),
    failure: { step: 'classifier', code: 'test_run', message: 'done' },
  };
}

async function setup({ leaseMs = 60_000, now = () => fixtureTime(40) } = {}) {
  const store = await openSqliteStore({ url: ':memory:' });
  stores.push(store);
  const queue = createStoreWorkQueue({ store, leaseMs, now });
  const logger = pino({ level: 'silent' });
  const worker = (options: Partial<AnalysisWorkerOptions> & Pick<AnalysisWorkerOptions, 'run'>) =>
    createAnalysisWorker(
      { store, logger, now },
      { queue, owner: 'me', concurrency: 2, pollMs: 10, ...options },
    );
  const add = async (n: number, attempts = 0) => {
    const analysis = makeAnalysis({ n, status: 'pending', createdAt: fixtureTime(n) });
    await store.createAnalysis({ analysis, apiKeyId: null });
    // earlier claims of processes that died, their leases lapsed
    for (let claim = 0; claim < attempts; claim += 1) {
      await store.claimPending({
        lease: { owner: `dead-${claim}`, expiresAt: fixtureTime(0).toISOString() },
        now: fixtureTime(40),
        limit: 1,
        defectIds: [analysis.defect_id],
      });
    }
    return analysis;
  };
  return { store, queue, worker, add };
}

describe('AnalysisWorker', () => {
  it('runs every claimable analysis, at most `concurrency` at once, and writes under its lease', async () => {
    const { store, worker, add } = await setup();
    const analyses = await Promise.all([1, 2, 3, 4, 5].map((n) => add(n)));
    let running = 0;
    let most = 0;
    const subject = worker({
      run: async ({ analysis, leaseOwner }) => {
        running += 1;
        most = Math.max(most, running);
        await sleep(10);
        running -= 1;
        await store.saveAnalysis({ analysis: finished(analysis), leaseOwner });
        return finished(analysis);
      },
    });
    await subject.drain();
    expect(most).toBe(2);
    const stored = await Promise.all(
      analyses.map((analysis) => store.getAnalysis({ defectId: analysis.defect_id })),
    );
    expect(stored.map((analysis) => analysis?.failure?.code)).toEqual(analyses.map(() => 'test_run'));
  });

  it('fails an analysis claimed more than maxAttempts times instead of running it again', async () => {
    const { store, worker, add } = await setup();
    const poisoned = await add(1, 3);
    const ran: string[] = [];
    await worker({
      maxAttempts: 3,
      run: async ({ analysis }) => {
        ran.push(analysis.defect_id);
        return analysis;
      },
    }).drain();
    expect(ran).toEqual([]);
    const stored = await store.getAnalysis({ defectId: poisoned.defect_id });
    expect(stored?.status).toBe('failed');
    expect(stored?.failure?.code).toBe('interrupted');
  });

  it('aborts a run whose lease was lost, and releases the leases of what still runs when stopped', async () => {
    const { store, worker, add } = await setup({ leaseMs: 60 });
    const [first, second] = [await add(1), await add(2)];
    const aborted: string[] = [];
    const subject = worker({
      run: ({ analysis, signal }) =>
        new Promise<ConsolidatedAnalysis>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted.push(analysis.defect_id);
            resolve(analysis);
          });
        }),
    });
    subject.start();
    for (let waited = 0; waited < 5_000; waited += 10) {
      if ((await store.countClaimable({ now: fixtureTime(40) })) === 0) break;
      await sleep(10);
    }
    // another process takes the first one over (as if this one had stalled past its lease)
    await store.releaseLeases({ owner: 'me', defectIds: [first.defect_id] });
    await store.claimPending({
      lease: { owner: 'other', expiresAt: fixtureTime(41).toISOString() },
      now: fixtureTime(40),
      limit: 1,
      defectIds: [first.defect_id],
    });
    for (let waited = 0; aborted.length === 0 && waited < 5_000; waited += 10) await sleep(10);
    expect(aborted).toEqual([first.defect_id]);
    await subject.stop({ timeoutMs: 10 });
    expect(aborted).toEqual([first.defect_id, second.defect_id]);
    const claims = await store.claimPending({
      lease: { owner: 'next', expiresAt: fixtureTime(41).toISOString() },
      now: fixtureTime(40),
      limit: 5,
    });
    expect(claims.map((claim) => claim.analysis.defect_id)).toEqual([second.defect_id]);
  });
});
