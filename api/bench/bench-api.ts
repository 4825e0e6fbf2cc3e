import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SAMPLE_REPORTS } from '../../agents/testing/sample-reports.ts';

const USAGE = `Usage: npm run bench:api -- [--connections 32] [--duration 20] [--workers 1,2]
       [--setting NAME=VALUE ...] [--timeout 30]

Starts the service (offline model, embedded stores, fresh data folder) for each worker count,
then drives POST /api/v1/analyze with autocannon at the given concurrency and prints
answers per second, latency percentiles (p99 also over the second half of the run, once every
connection is accepted), the share of 503 answers, their latency and the time to the first one. Every request's text is unique (a lot number is appended), so free-text
retrievals are never served from the retrieval cache. --setting passes a setting to the service
(for example --setting ANALYSIS_CONCURRENCY=2 --setting ANALYSIS_QUEUE_LIMIT=20 for overload).`;

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

/** A percentile of sorted millisecond samples (0 when there are none). */
function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

async function benchWorkers({
  workers,
  connections,
  duration,
  settings,
  timeout,
}: {
  workers: number;
  connections: number;
  duration: number;
  settings: readonly string[];
  timeout: number;
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
      ...settings,
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
    const started = performance.now();
    let firstRefusal: number | undefined;
    const refusals: number[] = [];
    const answers: number[] = [];
    // Answers in the second half of the run, once every connection has been accepted: a busy
    // event loop accepts one connection per turn (libuv), so the first half includes connecting.
    const lateAnswers: number[] = [];
    const statuses = new Map<number, number>();
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url, connections, duration, timeout, requests }, (error, finished) =>
        error ? reject(error as Error) : resolve(finished),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
        answers.push(responseTime);
        if (performance.now() - started > (duration * 1000) / 2) lateAnswers.push(responseTime);
        if (statusCode !== 503) return;
        refusals.push(responseTime);
        firstRefusal ??= performance.now() - started;
      });
    });
    answers.sort((a, b) => a - b);
    lateAnswers.sort((a, b) => a - b);
    refusals.sort((a, b) => a - b);
    return {
      workers,
      perSecond: result.requests.average,
      p50: Math.round(percentile(answers, 0.5)),
      p99: Math.round(percentile(answers, 0.99)),
      lateP99: Math.round(percentile(lateAnswers, 0.99)),
      total: answers.length,
      refusedShare: answers.length === 0 ? 0 : refusals.length / answers.length,
      refusedP99: Math.round(percentile(refusals, 0.99)),
      firstRefusal,
      statuses: [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`),
      errors: result.errors + result.timeouts + result.non2xx - refusals.length,
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
      setting: { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string', default: '30' },
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
        settings: values.setting,
        timeout: Number(values.timeout),
      }),
    );
  }
  console.log(
    `\nbench:api, node ${process.version}, POST /api/v1/analyze, offline model, ${values.connections} connections, ${values.duration} s${values.setting.length > 0 ? `, ${values.setting.join(' ')}` : ''}\n`,
  );
  console.log(
    '| workers | answers/s | p50 ms | p99 ms | p99 ms, 2nd half | answers | 503 share | 503 p99 ms | first 503 ms | other errors | statuses |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows)
    console.log(
      `| ${row.workers} | ${row.perSecond.toFixed(1)} | ${row.p50} | ${row.p99} | ${row.lateP99} | ${row.total} | ${(row.refusedShare * 100).toFixed(1)} % | ${row.refusedShare === 0 ? '-' : row.refusedP99} | ${row.firstRefusal === undefined ? '-' : Math.round(row.firstRefusal)} | ${row.errors} | ${row.statuses.join(', ')} |`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
