import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError } from '../domain/index.ts';

/** Settings of {@link withFolderLock}. */
export interface FolderLockOptions {
  /** The folder to lock (created if missing); the lock is a file in it. */
  directory: string;
  /** The lock file's name. */
  name?: string;
  /** How long to wait for another process' lock before failing. */
  timeoutMs?: number;
  pollMs?: number;
}

/** Whether a process id names a live process on this machine. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` while this process alone holds a lock on a folder: a file created with `O_EXCL`
 * holding the process id, so that processes starting together on one data folder (the services
 * of one machine, `npm start` twice) open and ingest it one after the other. A lock left by a
 * process that died (its pid is not alive) is taken over. For processes of one machine only.
 *
 * @throws UpstreamError when another live process holds the lock for longer than `timeoutMs`
 */
export async function withFolderLock<T>(
  { directory, name = '.lock', timeoutMs = 120_000, pollMs = 50 }: FolderLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  mkdirSync(directory, { recursive: true });
  const lockFile = path.join(directory, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const descriptor = openSync(lockFile, 'wx');
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UpstreamError(`cannot lock ${directory}`, { cause: error });
      }
    }
    let holder: number;
    try {
      holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    } catch {
      continue; // released between the attempt and the read
    }
    // A lock file still empty is being written by its creator; one naming a dead process is stale.
    if (Number.isInteger(holder) && !isAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new UpstreamError(`${directory} stayed locked by process ${holder} for ${timeoutMs} ms`, {
        isRetryable: true,
      });
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
