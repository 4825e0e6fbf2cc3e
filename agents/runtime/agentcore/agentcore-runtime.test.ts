import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { ConfigError, UpstreamError, ValidationError } from '../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { classifierAgent, supervisorAgent } from '../../index.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { fixtureKnowledgeBase } from '../../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import { analysisInput, settle } from '../testing/invocations.ts';
import { createAgentCoreRuntime, runtimeSessionIdOf } from './agentcore-runtime.ts';
import {
  FAKE_RUNTIME_ARN,
  startFakeAgentCoreService,
  type FakeAgentCoreService,
} from './testing/fake-agentcore-service.ts';

const REPORT = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };

describe('agentcore runtime: the InvokeAgentRuntime requests it sends', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let service: FakeAgentCoreService;

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    service = await startFakeAgentCoreService({
      model: createOfflineModel(),
      toolContext: {
        knowledgeBase,
        defectHistory: createInMemoryDefectHistory(),
        now: () => new Date('2026-11-22T08:00:00Z'),
      },
      qualifiers: ['production'],
    });
  });

  afterAll(async () => {
    await service?.close();
    knowledgeBase?.close();
  });

  it('gives each session of ours one valid, stable runtime session id (33 to 256 characters), distinct per session', () => {
    const short = runtimeSessionIdOf('DEF-20261204-0000A001:classifier');
    expect(short.length).toBeGreaterThanOrEqual(33);
    expect(short.length).toBeLessThanOrEqual(256);
    expect(short).toBe(runtimeSessionIdOf('DEF-20261204-0000A001:classifier'));
    expect(short).not.toBe(runtimeSessionIdOf('DEF-20261204-0000A001:root_cause'));
    expect(short.startsWith('DEF-20261204-0000A001:classifier-')).toBe(true);
    const long = runtimeSessionIdOf('x'.repeat(400));
    expect(long.length).toBeLessThanOrEqual(256);
    const valid = 'a'.repeat(40);
    expect(runtimeSessionIdOf(valid)).toBe(valid);
  });

  it('sends the runtime ARN, the endpoint qualifier, the session id header, JSON in and an event stream asked for, with the scope', async () => {
    const runtime = createAgentCoreRuntime({
      client: service.createClient(),
      agentRuntimeArn: FAKE_RUNTIME_ARN,
      qualifier: 'production',
    });
    const before = service.invocations.length;
    const { error, events } = await settle(
      runtime.invoke({
        agent: classifierAgent,
        input: analysisInput(classifierAgent, REPORT),
        sessionId: 'DEF-20261204-0000A001:classifier',
        scope: { facility: 'yangjiang' },
      }),
    );
    expect(error).toBeUndefined();
    expect(events.at(-1)?.type).toBe('final');
    const [sent] = service.invocations.slice(before);
    expect(sent).toMatchObject({
      agentRuntimeArn: FAKE_RUNTIME_ARN,
      qualifier: 'production',
      sessionId: runtimeSessionIdOf('DEF-20261204-0000A001:classifier'),
      contentType: 'application/json',
      accept: 'text/event-stream',
      payload: {
        action: 'invoke',
        agent: 'classifier',
        mode: 'analyze',
        output: 'agent',
        scope: { facility: 'yangjiang' },
      },
    });
  });

  it('fails with a non-retryable UpstreamError for a runtime or endpoint that does not exist', async () => {
    for (const config of [
      { agentRuntimeArn: FAKE_RUNTIME_ARN.replace('AbCdEf1234', 'Missing000') },
      { agentRuntimeArn: FAKE_RUNTIME_ARN, qualifier: 'staging' },
    ]) {
      const runtime = createAgentCoreRuntime({ client: service.createClient(), ...config });
      const { error, events } = await settle(
        runtime.invoke({ agent: classifierAgent, input: 'orange spots', sessionId: 'missing-runtime' }),
      );
      expect(events).toEqual([]);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).isRetryable).toBe(false);
      expect((error as UpstreamError).message).toContain('ResourceNotFoundException');
    }
  });

  it('refuses, before any request, an agent the runtime does not host and an output schema that cannot travel', async () => {
    const runtime = createAgentCoreRuntime({
      client: service.createClient(),
      agentRuntimeArn: FAKE_RUNTIME_ARN,
    });
    const before = service.invocations.length;
    const supervisor = await settle(runtime.invoke({ agent: supervisorAgent, input: 'x', sessionId: 's' }));
    expect(supervisor.error).toBeInstanceOf(ConfigError);
    const other = await settle(
      runtime.invoke({ agent: classifierAgent, input: 'x', sessionId: 's', outputSchema: z.object({}) }),
    );
    expect(other.error).toBeInstanceOf(ValidationError);
    expect(service.invocations.length).toBe(before);
  });
});
