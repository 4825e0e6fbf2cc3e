import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../../../domain/index.ts';
import { fixtureTime, makeAnalysis, makeJob } from '../../persistence/testing/fixtures.ts';
import { runClaimWorker } from './claim-worker.ts';
import { openQueueAt, type OpenedQueue, type QueueLocation } from './queue-subject.ts';

/** What a contract run needs: an empty location, and a way to dispose of it. */
export interface WorkQueueUnderTest {
  location: QueueLocation;
  cleanup(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL('./claim-worker-main.ts', import.meta.url));

/** A batch of `count` pending analyses stored in one transaction; returns their defect ids. */
async function storeBatch(opened: OpenedQueue, count: number, first = 1): Promise<string[]> {
  const analyses = Array.from({ length: count }, (_, index) =>
    makeAnalysis({ n: first + index, status: 'pending', createdAt: fixtureTime(first + index) }),
  );
  await opened.store.createBatch({
    job: makeJob({
      id: `job-${first}`,
      status: 'queued',
      createdAt: fixtureTime(first),
      items: analyses.map((analysis, index) => ({
        index,
        defectId: analysis.defect_id,
        status: 'pending' as const,
        error: null,
      })),
    }),
    analyses,
  });
  const defectIds = analyses.map((analysis) => analysis.defect_id);
  await opened.queue.announce({ defectIds });
  return defectIds;
}

/** The lines of a run log as [event, defectId, owner]. */
function readRunLog(file: string): Array<[string, string, string]> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ') as [string, string, string]);
}

/** Resolves when `check` is true, polling; rejects after `timeoutMs`. */
async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The contract of the WorkQueue port, run against every adapter: each pending analysis is
 * claimed by one owner at a time, a lapsed lease is claimed again and a live one never, leases
 * are renewed and released, results are fenced by the lease, and a worker killed with SIGKILL in
 * the middle of an item leaves it to another worker, so that every item finishes exactly once.
 */
export function describeWorkQueueContract(name: string, create: () => Promise<WorkQueueUnderTest>): void {
  describe(`WorkQueue contract: ${name}`, () => {
    let subject: WorkQueueUnderTest;
    const opened: OpenedQueue[] = [];
    let directory: string;

    beforeEach(async () => {
      subject = await create();
      directory = mkdtempSync(path.join(tmpdir(), 'rca-queue-'));
    });

    afterEach(async () => {
      for (const queue of opened.splice(0)) await queue.close();
      await subject.cleanup();
      rmSync(directory, { recursive: true, force: true });
    });

    async function open(options: { leaseMs: number; now?: () => Date }): Promise<OpenedQueue> {
      const queue = await openQueueAt(subject.location, options);
      opened.push(queue);
      return queue;
    }

    it('gives each announced analysis to one of several owners claiming at once', async () => {
      const processes = await Promise.all([1, 2, 3].map(() => open({ leaseMs: 60_000 })));
      const [first] = processes;
      if (!first) throw new Error('no queue');
      const defectIds = await storeBatch(first, 24);
      const claimedBy = new Map<string, string[]>();
      await Promise.all(
        processes.flatMap((process, index) =>
          [0, 1].map(async (slot) => {
            const owner = `owner-${index}-${slot}`;
            for (;;) {
              const claims = await process.queue.claim({ owner, limit: 2 });
              if (claims.length === 0) return;
              for (const claim of claims) {
                claimedBy.set(claim.analysis.defect_id, [
                  ...(claimedBy.get(claim.analysis.defect_id) ?? []),
                  owner,
                ]);
              }
            }
          }),
        ),
      );
      expect([...claimedBy.keys()].sort()).toEqual([...defectIds].sort());
      expect([...claimedBy.values()].every((owners) => owners.length === 1)).toBe(true);
    });

    it('claims a lapsed lease again, never a live or renewed one, and a released one at once', async () => {
      let clock = fixtureTime(30).getTime();
      const now = () => new Date(clock);
      const queue = await open({ leaseMs: 10_000, now });
      const [itemA, itemB] = await storeBatch(queue, 2);
      const byA = await queue.queue.claim({ owner: 'a', limit: 2 });
      expect(byA.map((claim) => [claim.analysis.defect_id, claim.attempts])).toEqual([
        [itemA, 1],
        [itemB, 1],
      ]);
      clock += 9_000;
      expect(await queue.queue.claim({ owner: 'b', limit: 2 })).toEqual([]);
      expect(await queue.queue.renew({ owner: 'a', defectIds: [itemA as string] })).toEqual([itemA]);
      clock += 6_000;
      const byB = await queue.queue.claim({ owner: 'b', limit: 2 });
      expect(byB.map((claim) => [claim.analysis.defect_id, claim.attempts])).toEqual([[itemB, 2]]);
      expect(await queue.queue.renew({ owner: 'a', defectIds: [itemB as string] })).toEqual([]);
      await queue.queue.release({ owner: 'a', defectIds: [itemA as string] });
      clock += 1;
      const byC = await queue.queue.claim({ owner: 'c', limit: 2 });
      expect(byC.map((claim) => claim.analysis.defect_id)).toEqual([itemA]);
    });

    it('claims pending analyses that were never announced (a crash between storing and announcing)', async () => {
      const queue = await open({ leaseMs: 60_000 });
      const orphan = makeAnalysis({ n: 40, status: 'pending' });
      await queue.store.createAnalysis({ analysis: orphan, apiKeyId: null });
      const claims = await queue.queue.claim({ owner: 'a', limit: 5 });
      expect(claims.map((claim) => claim.analysis.defect_id)).toEqual([orphan.defect_id]);
    });

    it('fences the result of an owner whose lease lapsed and was claimed by another', async () => {
      let clock = fixtureTime(30).getTime();
      const queue = await open({ leaseMs: 1_000, now: () => new Date(clock) });
      const [item] = await storeBatch(queue, 1);
      const [byA] = await queue.queue.claim({ owner: 'a', limit: 1 });
      clock += 1_001;
      const [byB] = await queue.queue.claim({ owner: 'b', limit: 1 });
      if (!byA || !byB) throw new Error('expected both claims');
      const finishedBy = (owner: string): ConsolidatedAnalysis => ({
        ...byA.analysis,
        status: 'failed',
        completed_at: new Date(clock).toISOString(),
        failure: { step: 'classifier', code: 'test_run', message: owner },
      });
      await expect(queue.store.saveAnalysis({ analysis: finishedBy('a'), leaseOwner: 'a' })).rejects.toThrow(
        /lease/,
      );
      await queue.store.saveAnalysis({ analysis: finishedBy('b'), leaseOwner: 'b' });
      expect((await queue.store.getAnalysis({ defectId: item as string }))?.failure?.message).toBe('b');
    });

    it('finishes every item exactly once when a worker process is killed with SIGKILL mid-item', async () => {
      const leaseMs = 1_500;
      const setup = await open({ leaseMs });
      const defectIds = await storeBatch(setup, 6);
      const runLog = path.join(directory, 'runs.log');
      writeFileSync(runLog, '');
      // node itself with the tsx loader, so that the process killed is the one holding the lease
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          WORKER_ENTRY,
          JSON.stringify({
            location: subject.location,
            runLog,
            leaseMs,
            itemMs: 60_000,
            exitWhenEmpty: false,
            owner: 'doomed',
          }),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      await waitFor(
        () => readRunLog(runLog).some(([event]) => event === 'started'),
        30_000,
        'the doomed worker to start an item',
      );
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const [[, killedItem] = ['', '']] = readRunLog(runLog);

      // two survivors take everything, the killed item once its lease lapses
      const allFinished = () =>
        defectIds.every((defectId) =>
          readRunLog(runLog).some(([event, id]) => event === 'finished' && id === defectId),
        );
      const deadline = Date.now() + 30_000;
      while (!allFinished() && Date.now() < deadline) {
        await Promise.all(
          ['survivor-1', 'survivor-2'].map((owner) =>
            runClaimWorker({
              location: subject.location,
              runLog,
              leaseMs,
              itemMs: 20,
              exitWhenEmpty: true,
              owner,
            }),
          ),
        );
        await sleep(100);
      }
      const log = readRunLog(runLog);
      const finishedCount = (defectId: string) =>
        log.filter(([event, id]) => event === 'finished' && id === defectId).length;
      expect(defectIds.map(finishedCount)).toEqual(defectIds.map(() => 1));
      expect(log.filter(([event]) => event === 'lost')).toEqual([]);
      expect(log.filter(([, id]) => id === killedItem).map(([event, , owner]) => [event, owner])).toEqual([
        ['started', 'doomed'],
        ['started', expect.stringMatching(/^survivor-/)],
        ['finished', expect.stringMatching(/^survivor-/)],
      ]);
      const stored = await Promise.all(defectIds.map((defectId) => setup.store.getAnalysis({ defectId })));
      expect(
        stored.every((analysis) => analysis?.status === 'failed' && analysis.failure?.code === 'test_run'),
      ).toBe(true);
      const [again] = await setup.store.claimPending({
        lease: { owner: 'late', expiresAt: new Date(Date.now() + 1_000).toISOString() },
        now: new Date(Date.now() + 60_000),
        limit: 10,
      });
      expect(again).toBeUndefined();
    }, 90_000);
  });
}
