import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { ConsolidatedAnalysis } from '../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { classifierAgent } from '../../index.ts';
import type { ConverseParams, ConverseResult, Model } from '../../models/model.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { createOrchestrator } from '../../orchestrator/orchestrator.ts';
import { createRuleRouter } from '../../orchestrator/router.ts';
import { fixtureKnowledgeBase } from '../../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import { createLocalRuntime } from '../local-runtime.ts';
import { analysisInput } from '../testing/invocations.ts';
import { createAgentCoreServer, PingStatus, type AgentCoreEntryPoint } from './entry-point.ts';
import { parseServerSentEvents, SESSION_HEADER, type AgentInvocation } from './invocation.ts';

const REPORT = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };
const SESSION = 'entry-point-session-0123456789abcdef0123';

/** A model that waits for `release()` before each call is answered by the offline model. */
function gatedModel(): Model & { release(): void; waiting(): number; aborted(): number } {
  const offline = createOfflineModel();
  let waiters: Array<() => void> = [];
  let aborted = 0;
  return {
    id: 'gated',
    supportsImages: false,
    async converse(params: ConverseParams): Promise<ConverseResult> {
      await new Promise<void>((resolve, reject) => {
        waiters.push(resolve);
        params.signal?.addEventListener('abort', () => {
          aborted += 1;
          reject(params.signal?.reason);
        });
      });
      return offline.converse(params);
    },
    release() {
      const current = waiters;
      waiters = [];
      for (const resolve of current) resolve();
    },
    waiting: () => waiters.length,
    aborted: () => aborted,
  };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

describe('AgentCore entry point (HTTP contract)', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let server: Server;
  let entryPoint: AgentCoreEntryPoint;
  let url: string;
  let clock = new Date('2026-12-04T10:00:00Z');
  const gated = gatedModel();
  let useGated = false;

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    const offline = createOfflineModel();
    const toolContext = {
      knowledgeBase,
      defectHistory: createInMemoryDefectHistory(),
      now: () => new Date('2026-11-22T08:00:00Z'),
    };
    const runtime = createLocalRuntime({
      model: offline,
      modelFor: () => (useGated ? gated : offline),
      toolContext,
    });
    const orchestrator = createOrchestrator({
      runtime,
      knowledgeBase,
      router: createRuleRouter(),
      now: () => new Date('2026-12-04T10:00:00Z'),
    });
    ({ server, entryPoint } = createAgentCoreServer({ runtime, orchestrator, now: () => clock }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    knowledgeBase.close();
  });

  function post(body: unknown, accept = 'application/json', signal?: AbortSignal): Promise<Response> {
    return fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, [SESSION_HEADER]: SESSION },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  }

  const classify: AgentInvocation = {
    action: 'invoke',
    agent: 'classifier',
    input: analysisInput(classifierAgent, REPORT),
  };

  it('GET /ping answers Healthy with the time of the last status change, in Unix seconds', async () => {
    const response = await fetch(`${url}/ping`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = PingStatus.parse(await response.json());
    expect(body).toEqual({
      status: 'Healthy',
      time_of_last_update: Date.parse('2026-12-04T10:00:00Z') / 1000,
    });
  });

  it('answers HealthyBusy while an invocation runs, then Healthy again; each change moves time_of_last_update', async () => {
    useGated = true;
    try {
      clock = new Date('2026-12-04T10:05:00Z');
      let done = false;
      const pending = post(classify).finally(() => {
        done = true;
      });
      await waitFor(() => gated.waiting() > 0);
      const busy = PingStatus.parse(await (await fetch(`${url}/ping`)).json());
      expect(busy).toEqual({
        status: 'HealthyBusy',
        time_of_last_update: Date.parse('2026-12-04T10:05:00Z') / 1000,
      });
      clock = new Date('2026-12-04T10:06:00Z');
      while (!done) {
        gated.release();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await pending).status).toBe(200);
      expect(entryPoint.ping()).toEqual({
        status: 'Healthy',
        time_of_last_update: Date.parse('2026-12-04T10:06:00Z') / 1000,
      });
    } finally {
      useGated = false;
    }
  });

  it('invoke, as JSON: every event of the agent, the final one last, with the output of its schema', async () => {
    const response = await post(classify);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { events } = (await response.json()) as { events: Array<{ type: string; output?: unknown }> };
    expect(events.at(-1)?.type).toBe('final');
    expect(events.some((event) => event.type === 'tool_call')).toBe(true);
    expect(classifierAgent.outputSchema.safeParse(events.at(-1)?.output).success).toBe(true);
  });

  it('invoke, as server-sent events: one event per agent event, named by its type, and the session id echoed', async () => {
    const response = await post(classify, 'text/event-stream');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get(SESSION_HEADER)).toBe(SESSION);
    const { events, rest } = parseServerSentEvents(await response.text());
    expect(rest).toBe('');
    expect(events[0]?.event).toBe('model_call');
    expect(events.at(-1)?.event).toBe('final');
    for (const event of events) expect((JSON.parse(event.data) as { type: string }).type).toBe(event.event);
  });

  it('analyze, as server-sent events: the stage events of the API, then done with the consolidated analysis', async () => {
    const response = await post(
      { action: 'analyze', defect_id: 'DEF-20261204-0000A001', report: REPORT },
      'text/event-stream',
    );
    const { events } = parseServerSentEvents(await response.text());
    expect(events.map((event) => event.event)).toEqual(['classification', 'root_cause', 'actions', 'done']);
    const analysis = ConsolidatedAnalysis.parse(JSON.parse(events.at(-1)?.data ?? '{}'));
    expect(analysis.defect_id).toBe('DEF-20261204-0000A001');
    expect(analysis.status).toBe('complete');
  });

  it('analyze and ask, as JSON: the consolidated analysis, then the answer to a question about it', async () => {
    const analyzed = await post({ action: 'analyze', defect_id: 'DEF-20261204-0000A002', report: REPORT });
    expect(analyzed.status).toBe(200);
    const analysis = ConsolidatedAnalysis.parse(await analyzed.json());
    const asked = await post({ action: 'ask', analysis, question: 'Which SOP covers the quench?' });
    expect(asked.status).toBe(200);
    const answer = (await asked.json()) as { agent: string; answer: string };
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(['classifier', 'root-cause', 'corrective-action']).toContain(answer.agent);
  });

  it('rejects a body that is not an invocation with 400 and the issues, and other paths with 404', async () => {
    const invalid = await post({ action: 'invoke', agent: 'supervisor', input: 'x' });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; isRetryable: boolean } };
    expect(body.error).toMatchObject({ code: 'validation_error', isRetryable: false });
    expect((await post('not json')).status).toBe(400);
    expect((await fetch(`${url}/health`)).status).toBe(404);
  });

  it('cancels the invocation when the caller goes away: the model call is aborted and /ping is Healthy again', async () => {
    useGated = true;
    try {
      const controller = new AbortController();
      const pending = post(classify, 'text/event-stream', controller.signal).catch(() => undefined);
      await waitFor(() => gated.waiting() > 0);
      const abortedBefore = gated.aborted();
      controller.abort();
      await pending;
      await waitFor(() => gated.aborted() > abortedBefore);
      await waitFor(() => entryPoint.ping().status === 'Healthy');
    } finally {
      useGated = false;
      gated.release();
    }
  });
});
