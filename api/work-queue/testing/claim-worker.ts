/**
 * A worker process for the WorkQueue kill tests: it opens the queue at the location given as its
 * one JSON argument, claims one analysis at a time, appends `started <defectId> <owner>` to the run
 * log, works for `itemMs` while renewing its lease, then stores the analysis as finished fenced by
 * its lease and appends `finished <defectId> <owner>`. It runs until it is killed, or exits when a
 * claim finds nothing and `exitWhenEmpty` is set.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ConsolidatedAnalysis } from '../../../domain/index.ts';
import { processOwnerId } from '../work-queue.ts';
import { openQueueAt, type QueueLocation } from './queue-subject.ts';

const Arguments = z.object({
  location: z.union([
    z.object({ kind: z.literal('sqlite'), url: z.string() }),
    z.object({
      kind: z.literal('pg-boss'),
      connectionString: z.string(),
      schema: z.string(),
      bossSchema: z.string(),
    }),
  ]),
  runLog: z.string(),
  leaseMs: z.number().int().positive(),
  itemMs: z.number().int().min(0),
  exitWhenEmpty: z.boolean(),
  owner: z.string().optional(),
});

/** The finished form of an analysis in these tests: failed with a marker, which any schema accepts. */
export function finished(analysis: ConsolidatedAnalysis, owner: string): ConsolidatedAnalysis {
  return {
    ...analysis,
    status: 'failed',
    completed_at: new Date().toISOString(),
    failure: { step: 'classifier', code: 'test_run', message: `run by ${owner}` },
  };
}

/** Runs claimed analyses one at a time, as described above, until killed or the queue is empty. */
export async function runClaimWorker(input: z.input<typeof Arguments>): Promise<void> {
  const {
    location,
    runLog,
    leaseMs,
    itemMs,
    exitWhenEmpty,
    owner = processOwnerId(),
  } = Arguments.parse(input);
  const opened = await openQueueAt(location as QueueLocation, { leaseMs });
  try {
    for (;;) {
      const [claim] = await opened.queue.claim({ owner, limit: 1 });
      if (!claim) {
        if (exitWhenEmpty) return;
        await sleep(50);
        continue;
      }
      const { defect_id: defectId } = claim.analysis;
      appendFileSync(runLog, `started ${defectId} ${owner}\n`);
      const heartbeat = setInterval(
        () => {
          void opened.queue.renew({ owner, defectIds: [defectId] }).catch(() => undefined);
        },
        Math.max(10, Math.floor(leaseMs / 3)),
      );
      try {
        await sleep(itemMs);
        await opened.store.saveAnalysis({ analysis: finished(claim.analysis, owner), leaseOwner: owner });
        appendFileSync(runLog, `finished ${defectId} ${owner}\n`);
      } catch {
        appendFileSync(runLog, `lost ${defectId} ${owner}\n`);
      } finally {
        clearInterval(heartbeat);
      }
    }
  } finally {
    await opened.close();
  }
}
