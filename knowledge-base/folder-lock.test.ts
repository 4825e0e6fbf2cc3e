import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { withFolderLock } from './folder-lock.ts';

const run = promisify(execFile);
const PREPARE = fileURLToPath(new URL('./testing/prepare-main.ts', import.meta.url));

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'rca-lock-'));
  folders.push(folder);
  return folder;
}

describe('withFolderLock', () => {
  it('runs the work of two holders one after the other', async () => {
    const directory = temporaryFolder();
    const events: string[] = [];
    const hold = (name: string) =>
      withFolderLock({ directory, pollMs: 5 }, async () => {
        events.push(`${name} in`);
        await sleep(30);
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(events).toEqual(
      events[0] === 'a in' ? ['a in', 'a out', 'b in', 'b out'] : ['b in', 'b out', 'a in', 'a out'],
    );
  });

  it('takes over a lock left by a process that died, and fails after its timeout on a live one', async () => {
    const directory = temporaryFolder();
    writeFileSync(path.join(directory, '.lock'), '2147483646');
    expect(await withFolderLock({ directory }, async () => 'taken')).toBe('taken');
    writeFileSync(path.join(directory, '.lock'), String(process.pid));
    await expect(
      withFolderLock({ directory, timeoutMs: 50, pollMs: 10 }, async () => 'never'),
    ).rejects.toThrow(/stayed locked/);
  });
});

describe('two processes starting together on one data folder', () => {
  it('both open the knowledge base, and the corpus is ingested once', async () => {
    const dataDir = temporaryFolder();
    const prepare = () =>
      run(process.execPath, ['--import', 'tsx', PREPARE, dataDir], { cwd: process.cwd(), timeout: 120_000 });
    const outcomes = await Promise.all([prepare(), prepare()]);
    const summaries = outcomes
      .map(
        ({ stdout }) =>
          JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { added: number; unchanged: number },
      )
      .sort((left, right) => left.added - right.added);
    expect(summaries[0]?.added).toBe(0);
    expect(summaries[1]?.added).toBeGreaterThan(100);
    expect(summaries[0]?.unchanged).toBe(summaries[1]?.added);
  }, 180_000);
});
