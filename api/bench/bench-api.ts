import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SAMPLE_REPORTS } from '../../agents/testing/sample-reports.ts';

const USAGE = `Usage: npm run bench:api -- [--connections 32] [--duration 20] [--workers 1,2]

Starts the service (offline model, embedded stores, fresh data folder) for each worker count,
then drives POST /api/v1/analyze with autocannon at the given concurrency and prints
analyses per second and latency percentiles. Every request's text is unique (a lot number is
appended), so free-text retrievals are never served from the retrieval cache.`;

const REPORTS = SAMPLE_REPORTS;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the service did not become ready in 120 s');
}

async function benchWorkers({
  workers,
  connections,
  duration,
}: {
  workers: number;
  connections: number;
  duration: number;
}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const envFile = path.join(dataDir, 'bench.env');
  writeFileSync(
    envFile,
    [
      `PORT=${port}`,
      'HOST=127.0.0.1',
      `DATA_DIR=${dataDir}`,
      `WORKERS=${workers}`,
      'LOG_LEVEL=warn',
      'RATE_LIMIT_ANALYSES_PER_MINUTE=100000',
      'RATE_LIMIT_REQUESTS_PER_MINUTE=100000',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [`--env-file=${envFile}`, '--import', 'tsx', 'api/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(url, child);
    let counter = 0;
    const requests = [
      {
        method: 'POST' as const,
        path: '/api/v1/analyze',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: autocannon.Request) => {
          counter += 1;
          const report = REPORTS[counter % REPORTS.length] as { description: string };
          return {
            ...request,
            body: JSON.stringify({ ...report, description: `${report.description} Lot L${counter}.` }),
          };
        },
      },
    ];
    await autocannon({ url, connections: 4, duration: 3, requests });
    const result = await autocannon({ url, connections, duration, requests });
    return {
      workers,
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '32' },
      duration: { type: 'string', default: '20' },
      workers: { type: 'string', default: '1,2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rows = [];
  for (const workers of values.workers.split(',').map(Number)) {
    rows.push(
      await benchWorkers({
        workers,
        connections: Number(values.connections),
        duration: Number(values.duration),
      }),
    );
  }
  console.log(
    `\nbench:api, node ${process.version}, POST /api/v1/analyze, offline model, ${values.connections} connections, ${values.duration} s\n`,
  );
  console.log('| workers | analyses/s | p50 ms | p99 ms | requests | errors |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows)
    console.log(
      `| ${row.workers} | ${row.perSecond.toFixed(1)} | ${row.p50} | ${row.p99} | ${row.total} | ${row.errors} |`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
