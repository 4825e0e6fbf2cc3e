/**
 * The console's first-load JavaScript budget: the scripts `index.html` loads (its entry module and
 * the modules it preloads), gzipped, at most 250 KB. Screens loaded on demand (the dashboard and
 * its chart library) are listed apart. Builds the console first when its build is stale.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { consoleBuildIsStale } from './ensure-built.ts';

/** The first-load limit, in bytes of gzipped JavaScript. */
export const FIRST_LOAD_BUDGET_BYTES = 250_000;

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** The gzipped size of each script of the build, and which ones the first load fetches. */
export function measureBuild(directory: string = DIST): {
  firstLoad: { file: string; gzipBytes: number }[];
  onDemand: { file: string; gzipBytes: number }[];
} {
  const html = readFileSync(path.join(directory, 'index.html'), 'utf8');
  const loaded = new Set(
    [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)].map(
      (match) => match[1] ?? '',
    ),
  );
  const scripts = readdirSync(path.join(directory, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({
      file: `assets/${file}`,
      gzipBytes: gzipSync(readFileSync(path.join(directory, 'assets', file)), { level: 9 }).length,
    }));
  return {
    firstLoad: scripts.filter((script) => loaded.has(script.file)),
    onDemand: scripts.filter((script) => !loaded.has(script.file)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (consoleBuildIsStale()) {
    const result = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) process.exit(1);
  }
  const { firstLoad, onDemand } = measureBuild();
  const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  const total = firstLoad.reduce((sum, script) => sum + script.gzipBytes, 0);
  for (const script of firstLoad)
    console.log(`first load  ${script.file}  ${kilobytes(script.gzipBytes)} gzipped`);
  for (const script of onDemand)
    console.log(`on demand   ${script.file}  ${kilobytes(script.gzipBytes)} gzipped`);
  console.log(
    `first-load JavaScript: ${kilobytes(total)} gzipped (budget ${kilobytes(FIRST_LOAD_BUDGET_BYTES)})`,
  );
  if (firstLoad.length === 0 || total > FIRST_LOAD_BUDGET_BYTES) {
    console.error(firstLoad.length === 0 ? 'no script found in web/dist/index.html' : 'over budget');
    process.exit(1);
  }
}
