/**
 * Builds the web console when its build is missing or older than its sources, so that
 * `npm install && npm start` serves a current console with no extra step. A build tool that is
 * not installed (a production install without dev dependencies) leaves the API serving alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROOT = path.dirname(WEB);
const BUILT = path.join(WEB, 'dist', 'index.html');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'public'];

/** The newest modification time of a file or of any file under a folder (0 when absent). */
function newestModification(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) {
    newest = Math.max(newest, newestModification(path.join(target, entry)));
  }
  return newest;
}

/** Whether the built console is missing or older than one of its sources. */
export function consoleBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => newestModification(path.join(WEB, source)) > built);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && consoleBuildIsStale()) {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.warn('web console: not built and vite is not installed; serving the API only');
  } else {
    console.log('web console: building web/dist (its sources changed)…');
    const result = spawnSync(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) {
      console.error('web console: the build failed; serving the API only');
    }
  }
}
