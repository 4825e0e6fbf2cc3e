import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerSentEvents, SESSION_HEADER } from '../../agents/runtime/agentcore/invocation.ts';
import { SAMPLE_REPORTS } from '../../agents/testing/sample-reports.ts';
import { ConsolidatedAnalysis } from '../../domain/index.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
const REPORT = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };

/** Starts `npm run agentcore`'s entry point with only the given environment; resolves its URL once it listens. */
function startEntryPoint(environment: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<{ code: number | null; output: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/agentcore/main.ts'], {
    cwd: PROJECT_ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (part: Buffer) => output.push(part.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exit = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output: output.join('') })),
  );
  const url = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(`${line}\n`);
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    void exit.then(({ code, output: text }) =>
      reject(new Error(`the entry point exited with ${code}:\n${text}`)),
    );
  });
  return { child, url, exit };
}

describe('npm run agentcore: the entry point process', () => {
  let dataDir: string;
  let entryPoint: ReturnType<typeof startEntryPoint>;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'agentcore-'));
    entryPoint = startEntryPoint({
      HOST: '127.0.0.1',
      AGENTCORE_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    url = await entryPoint.url;
  }, 120_000);

  afterAll(async () => {
    if (entryPoint?.child.exitCode === null) entryPoint.child.kill('SIGTERM');
    await entryPoint?.exit;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /ping, then analyses a report as server-sent events over the ingested corpus', async () => {
    const ping = (await (await fetch(`${url}/ping`)).json()) as {
      status: string;
      time_of_last_update: number;
    };
    expect(ping.status).toBe('Healthy');
    expect(Number.isInteger(ping.time_of_last_update)).toBe(true);

    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        [SESSION_HEADER]: 'process-test-session-0123456789abcdef012',
      },
      body: JSON.stringify({ action: 'analyze', defect_id: 'DEF-20261204-0000D001', report: REPORT }),
    });
    expect(response.status).toBe(200);
    const { events } = parseServerSentEvents(await response.text());
    expect(events.map((event) => event.event)).toEqual(['classification', 'root_cause', 'actions', 'done']);
    const analysis = ConsolidatedAnalysis.parse(JSON.parse(events.at(-1)?.data ?? '{}'));
    expect(analysis.status).toBe('complete');
    expect(analysis.citations.length).toBeGreaterThan(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    entryPoint.child.kill('SIGTERM');
    expect((await entryPoint.exit).code).toBe(0);
  });
});

describe('npm run agentcore: refused configurations', () => {
  it('refuses AGENT_RUNTIME=agentcore inside the runtime (it would call itself), naming the setting', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'agentcore-'));
    try {
      const refused = startEntryPoint({
        HOST: '127.0.0.1',
        AGENTCORE_PORT: '0',
        DATA_DIR: dataDir,
        AGENT_RUNTIME: 'agentcore',
        AGENTCORE_RUNTIME_ARN:
          'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/defect_rca-AbCdEf1234',
      });
      refused.url.catch(() => undefined);
      const { code, output } = await refused.exit;
      expect(code).toBe(1);
      expect(output).toContain('AGENT_RUNTIME must be local here');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
