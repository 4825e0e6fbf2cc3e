import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { ConfigError, ModelThrottledError, UpstreamError, ValidationError } from '../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { classifierAgent, supervisorAgent } from '../../index.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { fixtureKnowledgeBase } from '../../testing/knowledge-base.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import { analysisInput, finalOf, settle } from '../testing/invocations.ts';
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

  it('types the service errors: throttling is a retryable ModelThrottledError, a server fault a retryable UpstreamError', async () => {
    const runtime = createAgentCoreRuntime({
      client: service.createClient(),
      agentRuntimeArn: FAKE_RUNTIME_ARN,
    });
    service.faults.push(
      { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' },
      { status: 500, type: 'InternalServerException', message: 'internal failure' },
    );
    const throttled = await settle(
      runtime.invoke({ agent: classifierAgent, input: 'x', sessionId: 'throttled' }),
    );
    expect(throttled.error).toBeInstanceOf(ModelThrottledError);
    expect((throttled.error as ModelThrottledError).isRetryable).toBe(true);
    const failed = await settle(runtime.invoke({ agent: classifierAgent, input: 'x', sessionId: 'failed' }));
    expect(failed.error).toBeInstanceOf(UpstreamError);
    expect((failed.error as UpstreamError).isRetryable).toBe(true);
  });

  it('sends a photo as a base64 image block, which the entry point decodes for the model', async () => {
    const runtime = createAgentCoreRuntime({
      client: service.createClient(),
      agentRuntimeArn: FAKE_RUNTIME_ARN,
    });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const before = service.invocations.length;
    const { error, events } = await settle(
      runtime.invoke({
        agent: classifierAgent,
        input: [
          { text: analysisInput(classifierAgent, REPORT) },
          { image: { format: 'png', source: { bytes } } },
        ],
        sessionId: 'with-photo',
      }),
    );
    expect(error).toBeUndefined();
    expect(events.at(-1)?.type).toBe('final');
    const sent = service.invocations[before]?.payload as { input: Array<Record<string, unknown>> };
    expect(sent.input[1]).toEqual({
      image: { format: 'png', source: { bytes: Buffer.from(bytes).toString('base64') } },
    });
  });

  it('reads a JSON answer as well, when the runtime does not stream: the same events, the final one last', async () => {
    const jsonService = await startFakeAgentCoreService({
      model: createOfflineModel(),
      toolContext: service.toolContext,
      forwardAccept: 'application/json',
    });
    try {
      const input = analysisInput(classifierAgent, REPORT);
      const streamed = await settle(
        createAgentCoreRuntime({ client: service.createClient(), agentRuntimeArn: FAKE_RUNTIME_ARN }).invoke({
          agent: classifierAgent,
          input,
          sessionId: 'streamed',
        }),
      );
      const answered = await settle(
        createAgentCoreRuntime({
          client: jsonService.createClient(),
          agentRuntimeArn: FAKE_RUNTIME_ARN,
        }).invoke({
          agent: classifierAgent,
          input,
          sessionId: 'answered',
        }),
      );
      expect(answered.error).toBeUndefined();
      expect(answered.events.map((event) => event.type)).toEqual(streamed.events.map((event) => event.type));
      expect(finalOf(answered.events)?.output).toEqual(finalOf(streamed.events)?.output);
    } finally {
      await jsonService.close();
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
