import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EvalCase } from './case.ts';
import { fixtureAnalysis } from './report/fixtures.ts';
import { closeTestServers, json, serve, type TestHandler } from './targets/test-server.ts';

const run = promisify(execFile);

/** A rust-spot case whose report text is its id, so the test server can tell the cases apart. */
function rustCase(id: string): EvalCase {
  return {
    id,
    tags: ['concrete', 'rust_spot'],
    input: { description: id },
    labels: {
      defect_detected: true,
      defect_type: 'rust_spot',
      severity: 'major',
      disposition: 'SCRAP',
      escalate: false,
      stage: 'vacuum_quench',
      category_6m: 'machine',
      root_cause_keywords: [],
      action_types: [],
      action_keywords: [],
    },
  };
}

let directory: string;
let casesFile: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'evals-cli-'));
  casesFile = path.join(directory, 'cases.jsonl');
  const cases = ['rust-right', 'rust-wrong', 'rust-failing'].map(rustCase);
  writeFileSync(casesFile, `${cases.map((testCase) => JSON.stringify(testCase)).join('\n')}\n`);
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(closeTestServers);

/** The service's answer to a report: right, wrong, or (for `rust-failing`) what `failing` says. */
function service(failing: (response: Parameters<TestHandler>[1]) => void): TestHandler {
  return (_request, response, seen) => {
    const { description } = JSON.parse(seen.at(-1)?.body ?? '{}') as { description?: string };
    if (description === 'rust-failing') failing(response);
    else if (description === 'rust-wrong')
      json(response, 201, fixtureAnalysis({ type: 'blade_chip', stage: null }));
    else json(response, 201, fixtureAnalysis({ type: 'rust_spot', stage: 'vacuum_quench' }));
  };
}

/** Runs `npm run evals` on the cases against `baseUrl`; its exit code, output and results folder. */
async function evals(baseUrl: string) {
  const out = mkdtempSync(path.join(directory, 'out-'));
  const args = ['--import', 'tsx', 'evals/cli.ts', '--target', baseUrl, '--cases', casesFile, '--out', out];
  args.push('--concurrency', '1', '--max-retries', '0');
  return run(process.execPath, args).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr, out }),
    (failure: { code: number; stdout: string; stderr: string }) => ({ ...failure, out }),
  );
}

describe('npm run evals against an HTTP target', () => {
  it('exits 0 when every case got an answer, wrong ones included, and marks every request with the run id', async () => {
    const server = await serve(
      service((response) => json(response, 201, fixtureAnalysis({ type: 'none', stage: null }))),
    );
    const result = await evals(server.baseUrl);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/type accuracy 33\.3 %/);
    expect(result.stdout).not.toMatch(/errored/);

    const [resultsFile] = readdirSync(result.out).filter((file) => file.endsWith('.json'));
    const { runId } = JSON.parse(readFileSync(path.join(result.out, resultsFile ?? ''), 'utf8')) as {
      runId: string;
    };
    expect(server.seen).toHaveLength(3);
    expect(new Set(server.seen.map((request) => request.headers['x-evaluation-run']))).toEqual(
      new Set([runId]),
    );
  });

  it('exits 3 with the count and the first errors when a case errored, and leaves it unscored', async () => {
    const server = await serve(
      service((response) => json(response, 503, { error: { code: 'unavailable', message: 'at capacity' } })),
    );
    const result = await evals(server.baseUrl);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /1 of 3 cases errored \(POST \/api\/v1\/analyze: HTTP 503, not retried \(--max-retries 0\)\); the scores below are not valid/,
    );
    expect(result.stderr).toMatch(/\[cases\] 1 of 3 cases errored \(.*\); the scores above are not valid/);
    // The errored case is not scored: one right of the two answered.
    expect(result.stdout).toMatch(/type accuracy 50\.0 %/);
    const markdown = readdirSync(result.out).find((file) => file.endsWith('.md'));
    expect(readFileSync(path.join(result.out, markdown ?? ''), 'utf8')).toContain(
      '**1 of 3 cases errored (see the failed cases); they are not scored, and the scores below are not valid.**',
    );
  });

  it('stops at the first 401 with a message naming --api-key, and writes no results', async () => {
    const server = await serve((_request, response) =>
      json(response, 401, { error: { code: 'unauthorized', message: 'missing API key' } }),
    );
    const result = await evals(server.baseUrl);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${server.baseUrl} answered 401 (unauthorized: missing API key): it needs an API key: pass one with --api-key <key>`,
    );
    expect(server.seen).toHaveLength(1);
    expect(readdirSync(result.out)).toEqual([]);
  });
});
