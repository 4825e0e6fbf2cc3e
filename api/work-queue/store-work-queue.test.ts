import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWorkQueueContract } from './testing/work-queue-contract.ts';

describeWorkQueueContract('the store on a SQLite file', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'rca-queue-store-'));
  return {
    location: { kind: 'sqlite', url: `file:${path.join(directory, 'rca.db')}` },
    async cleanup() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
