/**
 * Kill -9 in the middle of batches, and count how many times each item ran: `npm run bench:crash`.
 *
 * Each scenario starts the real service (offline model) on a fresh data folder, submits batches
 * and a few synchronous analyses, kills a process with SIGKILL a while after (mid-batch), and
 * waits until no analysis is pending. It then reads the database: every analysis' `attempts`
 * (how many times a process claimed it, so started running it), the jobs and their items (a
 * batch cut by the kill is stored whole or not at all). A result is written only under its lease,
 * which the write clears, so each analysis has one result; an analysis run twice was running in
 * the killed process and was resumed once its lease lapsed.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { Pool } from 'pg';
import { SAMPLE_REPORTS } from '../../agents/testing/sample-reports.ts';
import { startThrowawayPostgres } from '../persistence/postgres/testing/throwaway-postgres.ts';

const USAGE = `Usage: npm run bench:crash -- [--batches 4] [--size 50] [--lease 5] [--kill-after 1500] [--keep]
                           [--scenarios sqlite-1,sqlite-2,postgres-2]

sqlite-1    one process on the SQLite file, killed and started again
sqlite-2    WORKERS=2 on the SQLite file, one worker killed (the cluster starts another)
postgres-2  two services on one PostgreSQL, one killed (the other finishes everything)`;

type Scenario = 'sqlite-1' | 'sqlite-2' | 'postgres-2';

interface Service {
  url: string;
  child: ChildProcess;
  logFile: string;
}

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

/** Starts `api/main.ts` with the given settings; its log (JSON lines) goes to `logFile`. */
async function startService({
  dataDir,
  settings,
  logFile,
}: {
  dataDir: string;
  settings: Record<string, string>;
  logFile: string;
}): Promise<Service> {
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const envFile = path.join(dataDir, `service-${port}.env`);
  writeFileSync(
    envFile,
    Object.entries({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      RATE_LIMIT_ANALYSES_PER_MINUTE: '100000',
      RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
      ...settings,
    })
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [`--env-file=${envFile}`, '--import', 'tsx', 'api/main.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 480; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return { url, child, logFile };
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error('the service did not become ready in 120 s');
}

async function stopService(service: Service): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGTERM');
  await exited;
}

/**
 * Submits the batches at once and a few synchronous analyses, and resolves when the first batch is
 * stored; the others may still be in flight when the process is killed (each is then stored whole
 * or not at all).
 */
async function submitWork(url: string, { batches, size }: { batches: number; size: number }): Promise<void> {
  const submissions = Array.from({ length: batches }, async (_, batch) => {
    const reports = Array.from({ length: size }, (_, index) => {
      const report = SAMPLE_REPORTS[(batch * size + index) % SAMPLE_REPORTS.length] as {
        description: string;
      };
      return { ...report, description: `${report.description} Lot B${batch}-${index}.` };
    });
    const response = await fetch(`${url}/api/v1/analyze/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports }),
    });
    if (response.status !== 202)
      throw new Error(`batch refused: ${response.status} ${await response.text()}`);
  });
  for (let index = 0; index < 4; index += 1) {
    fetch(`${url}/api/v1/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: `rust spots along the blade edge after quench, sync ${index}` }),
    }).catch(() => undefined);
  }
  for (const submission of submissions) submission.catch(() => undefined);
  await Promise.any(submissions);
}

/** The analyses and jobs stored in the database, read with plain SQL (the same in both dialects). */
async function readDatabase(databaseUrl: string): Promise<{
  analyses: Array<{ defectId: string; status: string; attempts: number }>;
  jobItems: string[][];
}> {
  const analysesSql = 'SELECT defect_id, status, attempts FROM analyses';
  const jobsSql = 'SELECT document FROM jobs';
  let analysisRows: Array<Record<string, unknown>>;
  let jobRows: Array<Record<string, unknown>>;
  if (databaseUrl.startsWith('postgres')) {
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      analysisRows = (await pool.query(analysesSql)).rows;
      jobRows = (await pool.query(jobsSql)).rows;
    } finally {
      await pool.end();
    }
  } else {
    const client = createClient({ url: databaseUrl });
    try {
      analysisRows = (await client.execute(analysesSql)).rows;
      jobRows = (await client.execute(jobsSql)).rows;
    } finally {
      client.close();
    }
  }
  return {
    analyses: analysisRows.map((row) => ({
      defectId: String(row.defect_id),
      status: String(row.status),
      attempts: Number(row.attempts),
    })),
    jobItems: jobRows.map((row) =>
      (JSON.parse(String(row.document)) as { items: Array<{ defectId: string }> }).items.map(
        (item) => item.defectId,
      ),
    ),
  };
}

/** Waits until no analysis in the database is pending. */
async function waitNonePending(databaseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { analyses } = await readDatabase(databaseUrl);
    if (analyses.length > 0 && analyses.every((analysis) => analysis.status !== 'pending')) return;
    if (Date.now() > deadline) throw new Error('analyses were still pending at the deadline');
    await sleep(250);
  }
}

/** Lines of the logs that tell of a result write refused because its lease was lost. */
function countLostLeases(logFiles: readonly string[]): number {
  return logFiles
    .map((file) => readFileSync(file, 'utf8').split('lease lost').length - 1)
    .reduce((sum, count) => sum + count, 0);
}

/** The worker processes of a cluster primary. */
function childrenOf(pid: number): number[] {
  return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((value) => Number.parseInt(value.trim(), 10))
    .filter((value) => Number.isInteger(value));
}

async function runScenario(
  scenario: Scenario,
  options: { batches: number; size: number; lease: number; killAfterMs: number; keep: boolean },
) {
  const root = mkdtempSync(path.join(tmpdir(), `bench-crash-${scenario}-`));
  const logFiles: string[] = [];
  const services: Service[] = [];
  let postgres: Awaited<ReturnType<typeof startThrowawayPostgres>> | null = null;
  const start = async (name: string, settings: Record<string, string>, dataDir = path.join(root, 'data')) => {
    const logFile = path.join(root, `${name}.log`);
    logFiles.push(logFile);
    const service = await startService({ dataDir, settings, logFile });
    services.push(service);
    return service;
  };
  try {
    const lease = { WORK_LEASE_SECONDS: String(options.lease) };
    let killedAt = 0;
    let databaseUrl = `file:${path.join(root, 'data', 'rca.db')}`;
    if (scenario === 'sqlite-1') {
      const first = await start('first', lease);
      await submitWork(first.url, options);
      await sleep(options.killAfterMs);
      first.child.kill('SIGKILL');
      killedAt = Date.now();
      await start('restarted', lease);
    } else if (scenario === 'sqlite-2') {
      const cluster = await start('cluster', { ...lease, WORKERS: '2' });
      await submitWork(cluster.url, options);
      await sleep(options.killAfterMs);
      const [victim] = childrenOf(cluster.child.pid as number);
      if (victim === undefined) throw new Error('no worker process to kill');
      process.kill(victim, 'SIGKILL');
      killedAt = Date.now();
    } else {
      postgres = await startThrowawayPostgres();
      databaseUrl = await postgres.createDatabase('rca_crash');
      const settings = { ...lease, DATABASE_URL: databaseUrl };
      const first = await start('service-a', settings, path.join(root, 'data-a'));
      await start('service-b', settings, path.join(root, 'data-b'));
      await submitWork(first.url, options);
      await sleep(options.killAfterMs);
      first.child.kill('SIGKILL');
      killedAt = Date.now();
    }
    await waitNonePending(databaseUrl, 180_000);
    const recoveredMs = Date.now() - killedAt;
    for (const service of services) await stopService(service);
    const { analyses, jobItems } = await readDatabase(databaseUrl);
    const inJobs = new Set(jobItems.flat());
    return {
      scenario,
      analyses: analyses.length,
      jobs: jobItems.length,
      outsideJobs: analyses.length - analyses.filter((analysis) => inJobs.has(analysis.defectId)).length,
      missingItems: [...inJobs].filter((id) => !analyses.some((analysis) => analysis.defectId === id)).length,
      pending: analyses.filter((analysis) => analysis.status === 'pending').length,
      once: analyses.filter((analysis) => analysis.attempts <= 1).length,
      twice: analyses.filter((analysis) => analysis.attempts === 2).length,
      more: analyses.filter((analysis) => analysis.attempts > 2).length,
      lostLeases: countLostLeases(logFiles),
      recoveredMs,
    };
  } finally {
    for (const service of services) {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    }
    await postgres?.stop();
    if (options.keep) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      batches: { type: 'string', default: '4' },
      size: { type: 'string', default: '50' },
      lease: { type: 'string', default: '5' },
      'kill-after': { type: 'string', default: '1500' },
      scenarios: { type: 'string', default: 'sqlite-1,sqlite-2,postgres-2' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = {
    batches: Number(values.batches),
    size: Number(values.size),
    lease: Number(values.lease),
    killAfterMs: Number(values['kill-after']),
    keep: values.keep,
  };
  const rows = [];
  for (const scenario of values.scenarios.split(',') as Scenario[])
    rows.push(await runScenario(scenario, options));
  console.log(
    `\nbench:crash, node ${process.version}, ${options.batches} batches of ${options.size} and 4 synchronous analyses submitted at once, kill -9 ${options.killAfterMs} ms after the first batch is stored, WORK_LEASE_SECONDS=${options.lease}\n`,
  );
  console.log(
    '| scenario | analyses stored | jobs stored | analyses outside a job (the synchronous ones) | job items missing | pending after | run once | run twice (killed mid-run, then resumed) | run 3+ times | result writes refused (lease lost) | kill → none pending |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.scenario} | ${row.analyses} | ${row.jobs} | ${row.outsideJobs} | ${row.missingItems} | ${row.pending} | ${row.once} | ${row.twice} | ${row.more} | ${row.lostLeases} | ${(row.recoveredMs / 1000).toFixed(1)} s |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
