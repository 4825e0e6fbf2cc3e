import { afterEach, describe, expect, it } from 'vitest';
import type { EvalCase } from './case.ts';
import { fixtureAnalysis } from './report/fixtures.ts';
import { describeErrors, runCases } from './runner.ts';
import { createHttpTarget } from './targets/http.ts';
import { StopRunError } from './targets/target.ts';
import { closeTestServers, json, serve } from './targets/test-server.ts';

afterEach(closeTestServers);

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

const CASES = Array.from({ length: 12 }, (_, index) =>
  rustCase(`rust-${String(index + 1).padStart(3, '0')}`),
);

function httpTarget(baseUrl: string) {
  return createHttpTarget({
    baseUrl,
    evaluationRunId: 'eval-test-run',
    sleep: async () => {},
    onWait: () => {},
  });
}

describe('runCases against the HTTP target', () => {
  it('records a failed case as an error, not a wrong answer, and goes on', async () => {
    const server = await serve((_request, response, seen) => {
      const description = (JSON.parse(seen.at(-1)?.body ?? '{}') as { description?: string }).description;
      if (description === 'rust-002')
        json(response, 500, { error: { code: 'internal_error', message: 'boom' } });
      else if (description === 'rust-003')
        json(response, 201, fixtureAnalysis({ type: 'blade_chip', stage: null }));
      else json(response, 201, fixtureAnalysis({ type: 'rust_spot', stage: 'vacuum_quench' }));
    });
    const results = await runCases({
      cases: CASES.slice(0, 4),
      target: httpTarget(server.baseUrl),
      concurrency: 2,
      timeoutMs: 5000,
      citationExists: () => true,
    });
    expect(results.map((result) => [result.id, result.outcome, result.checks.typeCorrect ?? null])).toEqual([
      ['rust-001', 'ok', true],
      ['rust-002', 'error', null],
      ['rust-003', 'ok', false],
      ['rust-004', 'ok', true],
    ]);
    expect(describeErrors(results)).toMatch(
      /^1 of 4 cases errored \(HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/analyze: .*boom.*\)$/,
    );
  });

  it('stops the whole run on a 401 instead of erroring every case', async () => {
    const server = await serve((_request, response) =>
      json(response, 401, { error: { code: 'unauthorized', message: 'missing API key' } }),
    );
    const progress: number[] = [];
    const failure = await runCases({
      cases: CASES,
      target: httpTarget(server.baseUrl),
      concurrency: 3,
      timeoutMs: 5000,
      citationExists: () => true,
      onProgress: (update) => progress.push(update.done),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StopRunError);
    expect((failure as StopRunError).message).toMatch(
      /answered 401 \(unauthorized: missing API key\): .*--api-key/,
    );
    // Only the cases already running when the first 401 came were sent.
    expect(server.seen.length).toBeLessThanOrEqual(3);
    expect(progress).toEqual([]);
  });
});

describe('describeErrors', () => {
  const failed = (error: string) => ({ outcome: 'error', error });

  it('is null when nothing errored; invalid answers are not errors', () => {
    expect(
      describeErrors([
        { outcome: 'ok', error: null },
        { outcome: 'invalid', error: 'not an analysis' },
      ]),
    ).toBeNull();
  });

  it('counts the errors and quotes the first three different messages', () => {
    const results = [
      failed('401 unauthorized'),
      failed('401 unauthorized'),
      failed('timed out after 30000 ms'),
      failed('HTTP 500'),
      failed('HTTP 502'),
      { outcome: 'ok', error: null },
    ];
    expect(describeErrors(results)).toBe(
      '5 of 6 cases errored (401 unauthorized; timed out after 30000 ms; HTTP 500; and 1 more)',
    );
    expect(describeErrors([failed('x')], 'follow-up questions')).toBe(
      '1 of 1 follow-up questions errored (x)',
    );
  });
});
