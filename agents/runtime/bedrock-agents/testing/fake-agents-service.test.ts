import {
  InvokeAgentCommand,
  type BedrockAgentRuntimeClient,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toToolInput, type ToolResources } from '../../../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../../../action-groups/index.ts';
import { createInMemoryDefectHistory } from '../../../../action-groups/recurrence/defect-history.ts';
import { ModelThrottledError } from '../../../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { classifierAgent } from '../../../index.ts';
import type { ContentBlock, Message } from '../../../models/model.ts';
import { createOfflineModel } from '../../../models/offline/offline-model.ts';
import { fixtureKnowledgeBase } from '../../../testing/knowledge-base.ts';
import { createScriptedModel, textResponse, toolUseResponse } from '../../../testing/scripted-model.ts';
import { SAMPLE_REPORTS } from '../../../testing/sample-reports.ts';
import { runToCompletion } from '../../agent-runtime.ts';
import { analysisInput } from '../../testing/invocations.ts';
import { createBedrockAgentsRuntime } from '../bedrock-agents-runtime.ts';
import {
  fakeAgentId,
  startFakeAgentsService,
  TEST_ALIAS_ID,
  type FakeAgentsService,
} from './fake-agents-service.ts';

const CLASSIFIER_ID = fakeAgentId('classifier');

/** The chipped-edge report: it has a measurement, so the classifier's first turn calls two tools. */
const CHIPPED_REPORT = SAMPLE_REPORTS[2] ?? { description: 'chips along the edge' };

let knowledgeBase: EmbeddedKnowledgeBase;
let toolContext: ToolResources;
const services: FakeAgentsService[] = [];

beforeAll(async () => {
  knowledgeBase = await fixtureKnowledgeBase();
  toolContext = {
    knowledgeBase,
    defectHistory: createInMemoryDefectHistory(),
    now: () => new Date('2026-11-22T08:00:00Z'),
  };
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

afterAll(() => {
  knowledgeBase.close();
});

async function start(options: Parameters<typeof startFakeAgentsService>[0]): Promise<FakeAgentsService> {
  const service = await startFakeAgentsService(options);
  services.push(service);
  return service;
}

/** Sends one InvokeAgent request with the raw client and reads the whole stream. */
async function invokeRaw(
  client: BedrockAgentRuntimeClient,
  input: Partial<InvokeAgentCommandInput>,
): Promise<ResponseStream[]> {
  const response = await client.send(
    new InvokeAgentCommand({
      agentId: CLASSIFIER_ID,
      agentAliasId: TEST_ALIAS_ID,
      sessionId: 'session-1',
      ...input,
    }),
  );
  const events: ResponseStream[] = [];
  for await (const event of response.completion ?? []) events.push(event);
  return events;
}

function orchestrationTraces(events: readonly ResponseStream[]) {
  return events.flatMap((event) =>
    event.trace?.trace?.orchestrationTrace ? [event.trace.trace.orchestrationTrace] : [],
  );
}

function chunkBytes(events: readonly ResponseStream[]): Uint8Array[] {
  return events.flatMap((event) => (event.chunk?.bytes ? [event.chunk.bytes] : []));
}

function toolResultsOf(
  message: Message | undefined,
): Array<Extract<ContentBlock, { toolResult: unknown }>['toolResult']> {
  return (message?.content ?? []).flatMap((block) => ('toolResult' in block ? [block.toolResult] : []));
}

describe('fake Bedrock Agents service', () => {
  it('returns control with functionInvocationInputs whose parameters are Bedrock strings that convert back to the model input', async () => {
    const service = await start({ model: createOfflineModel() });
    const events = await invokeRaw(service.createClient(), {
      inputText: analysisInput(classifierAgent, CHIPPED_REPORT),
      enableTrace: true,
    });

    const returnControl = events.find((event) => event.returnControl)?.returnControl;
    expect(returnControl?.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    const inputs = (returnControl?.invocationInputs ?? []).map((member) => member.functionInvocationInput);
    expect(inputs.map((input) => [input?.actionGroup, input?.function, input?.actionInvocationType])).toEqual(
      [
        ['similar-defects', 'find_similar_defects', 'RESULT'],
        ['process-windows', 'check_measurements', 'RESULT'],
      ],
    );
    const [similar, measurements] = inputs;
    expect(similar?.parameters?.find((parameter) => parameter.name === 'k')).toEqual({
      name: 'k',
      type: 'integer',
      value: '8',
    });
    const measurementsParameter = measurements?.parameters?.[0];
    expect(measurementsParameter).toMatchObject({ name: 'measurements', type: 'string' });
    expect(JSON.parse(measurementsParameter?.value ?? '')).toEqual({ hardness_hrc: 60.5 });
    for (const parameter of [...(similar?.parameters ?? []), ...(measurements?.parameters ?? [])])
      expect(typeof parameter.value).toBe('string');

    const modelOutput = orchestrationTraces(events).find(
      (trace) => trace.modelInvocationOutput,
    )?.modelInvocationOutput;
    const raw = JSON.parse(modelOutput?.rawResponse?.content ?? '{}') as {
      output: { message: Message };
      stopReason: string;
    };
    expect(raw.stopReason).toBe('tool_use');
    const asked = raw.output.message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
    inputs.forEach((input, index) => {
      const tool = ACTION_GROUPS.flatMap((group) => group.tools).find(
        (candidate) => candidate.name === input?.function,
      );
      expect(toToolInput({ tool, parameters: input?.parameters })).toEqual(asked[index]?.input);
    });
    expect(modelOutput?.metadata?.usage?.inputTokens).toBeGreaterThan(0);
    expect(modelOutput?.metadata?.usage?.outputTokens).toBeGreaterThan(0);
    expect(service.session('classifier', 'session-1')?.pendingInvocationId).toBe(returnControl?.invocationId);
  });

  it('streams orchestration traces in Bedrock order, shaped as the API reference has them', async () => {
    const service = await start({ model: createOfflineModel() });
    const events = await invokeRaw(service.createClient(), {
      inputText: analysisInput(classifierAgent, CHIPPED_REPORT),
      enableTrace: true,
    });
    const traceParts = events.flatMap((event) => (event.trace ? [event.trace] : []));
    for (const part of traceParts) {
      expect(part).toMatchObject({
        agentId: CLASSIFIER_ID,
        agentAliasId: TEST_ALIAS_ID,
        agentVersion: 'DRAFT',
        sessionId: 'session-1',
      });
      expect(part.eventTime).toBeInstanceOf(Date);
    }
    const kinds = orchestrationTraces(events).map((trace) => Object.keys(trace).join());
    expect(kinds).toEqual([
      'modelInvocationInput',
      'modelInvocationOutput',
      'invocationInput',
      'invocationInput',
    ]);
    const [input, output, firstCall] = orchestrationTraces(events);
    expect(input?.modelInvocationInput).toMatchObject({
      type: 'ORCHESTRATION',
      foundationModel: 'offline-v1',
    });
    expect(JSON.parse(input?.modelInvocationInput?.text ?? '{}')).toHaveProperty('messages');
    expect(output?.modelInvocationOutput?.traceId).toBe(input?.modelInvocationInput?.traceId);
    expect(output?.modelInvocationOutput?.metadata?.startTime).toBeInstanceOf(Date);
    expect(firstCall?.invocationInput).toMatchObject({
      invocationType: 'ACTION_GROUP',
      actionGroupInvocationInput: {
        actionGroupName: 'similar-defects',
        function: 'find_similar_defects',
        executionType: 'RETURN_CONTROL',
        invocationId: events.find((event) => event.returnControl)?.returnControl?.invocationId,
      },
    });
    expect(events.at(-1)?.returnControl).toBeDefined();
  });

  it('feeds the results back to the model, as JSON or as tool errors, and ends with the answer in several chunks', async () => {
    const service = await start({ model: createOfflineModel(), chunkBytes: 16 });
    const client = service.createClient();
    const first = await invokeRaw(client, { inputText: analysisInput(classifierAgent, CHIPPED_REPORT) });
    const returnControl = first.find((event) => event.returnControl)?.returnControl;
    const second = await invokeRaw(client, {
      enableTrace: true,
      sessionState: {
        invocationId: returnControl?.invocationId,
        returnControlInvocationResults: [
          {
            functionResult: {
              actionGroup: 'similar-defects',
              function: 'find_similar_defects',
              responseState: 'FAILURE',
              responseBody: { TEXT: { body: '{"error":"the knowledge base is unreachable"}' } },
            },
          },
          {
            functionResult: {
              actionGroup: 'process-windows',
              function: 'check_measurements',
              responseBody: { TEXT: { body: '{"findings":[],"out_of_spec":false}' } },
            },
          },
        ],
      },
    });

    const results = toolResultsOf(service.modelCalls[1]?.params.messages.at(-1));
    expect(results.map((result) => [result.status, result.content])).toEqual([
      ['error', [{ text: '{"error":"the knowledge base is unreachable"}' }]],
      ['success', [{ json: { findings: [], out_of_spec: false } }]],
    ]);
    const observations = orchestrationTraces(second).flatMap((trace) =>
      trace.observation ? [trace.observation] : [],
    );
    expect(observations.slice(0, 2).map((observation) => observation.type)).toEqual([
      'ACTION_GROUP',
      'ACTION_GROUP',
    ]);
    expect(observations[1]?.actionGroupInvocationOutput?.text).toBe('{"findings":[],"out_of_spec":false}');

    // The classifier asks for the severity rule before it answers.
    const severity = second.find((event) => event.returnControl)?.returnControl;
    expect(severity?.invocationInputs?.[0]?.functionInvocationInput?.function).toBe('assess_severity');
    const third = await invokeRaw(client, {
      enableTrace: true,
      sessionState: {
        invocationId: severity?.invocationId,
        returnControlInvocationResults: [
          {
            functionResult: {
              actionGroup: 'defect-taxonomy',
              function: 'assess_severity',
              responseBody: {
                TEXT: {
                  body: JSON.stringify({
                    severity: 'critical',
                    recommended_action: 'SCRAP',
                    escalate: true,
                    escalation_reason: 'safety',
                    rule: 'chips are critical',
                  }),
                },
              },
            },
          },
        ],
      },
    });
    const pieces = chunkBytes(third);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(16);
    const answer = Buffer.concat(pieces).toString('utf8');
    const finish = orchestrationTraces(third).find((trace) => trace.observation?.type === 'FINISH');
    expect(finish?.observation?.finalResponse?.text).toBe(answer);
    expect(JSON.parse(answer)).toMatchObject({ defect_type: 'blade_chip', severity: 'critical' });
    expect(third.at(-1)?.chunk).toBeDefined();
    expect(service.session('classifier', 'session-1')?.history).toEqual([
      { inputText: analysisInput(classifierAgent, CHIPPED_REPORT), answer },
    ]);
  });

  it('splits the answer into byte chunks that may end inside a character', async () => {
    const text = '{"answer": "Härte 60,5 HRC → zu hart; Kanten ausgebrochen ✂"}';
    const service = await start({
      model: createScriptedModel({ steps: [textResponse(text)] }),
      chunkBytes: 5,
    });
    const events = await invokeRaw(service.createClient(), { inputText: 'chips' });
    const pieces = chunkBytes(events);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(text);
    expect(pieces.some((piece) => Buffer.from(piece).toString('utf8').includes('\uFFFD'))).toBe(true);
    expect(orchestrationTraces(events)).toEqual([]);
  });

  it('refuses results for another invocation id, results with nothing pending, unknown agents and bad session ids', async () => {
    const service = await start({ model: createOfflineModel() });
    const client = service.createClient();
    const result = {
      functionResult: {
        actionGroup: 'similar-defects',
        function: 'find_similar_defects',
        responseBody: { TEXT: { body: '{}' } },
      },
    };
    await expect(
      invokeRaw(client, {
        sessionState: { invocationId: 'nothing', returnControlInvocationResults: [result] },
      }),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await invokeRaw(client, { inputText: analysisInput(classifierAgent, CHIPPED_REPORT) });
    await expect(
      invokeRaw(client, {
        sessionState: { invocationId: 'another', returnControlInvocationResults: [result] },
      }),
    ).rejects.toThrow(/does not match the pending RETURN_CONTROL invocation/);
    await expect(invokeRaw(client, { agentId: 'NOSUCHAGNT', inputText: 'x' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      invokeRaw(client, { sessionId: 'a session with spaces', inputText: 'x' }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(invokeRaw(client, { inputText: '  ' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(service.session('classifier', 'session-1')?.pendingInvocationId).toBeDefined();
  });

  it('answers a function the agent does not have itself, as a reprompt, without returning control', async () => {
    const model = createScriptedModel({
      steps: [
        toolUseResponse([{ name: 'draft_capa', input: { defect_type: 'rust_spot' } }]),
        textResponse('{"done": true}'),
      ],
    });
    const service = await start({ model });
    const events = await invokeRaw(service.createClient(), { inputText: 'rust', enableTrace: true });
    expect(events.some((event) => event.returnControl)).toBe(false);
    expect(
      orchestrationTraces(events).map((trace) => trace.observation?.type ?? trace.rationale?.text),
    ).toContain('REPROMPT');
    expect(
      orchestrationTraces(events).some((trace) => trace.rationale?.text === 'Let me look that up.'),
    ).toBe(true);
    const [result] = toolResultsOf(model.calls[1]?.messages.at(-1));
    expect(result).toMatchObject({
      status: 'error',
      content: [{ text: expect.stringContaining('draft_capa') }],
    });
    expect(Buffer.concat(chunkBytes(events)).toString('utf8')).toBe('{"done": true}');
  });

  it('ends the stream with a throttlingException or a dependencyFailedException when the model fails', async () => {
    const model = createScriptedModel({
      steps: [new ModelThrottledError('slow down'), new Error('the model is gone')],
    });
    const service = await start({ model });
    const client = service.createClient();
    await expect(invokeRaw(client, { inputText: 'rust' })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(invokeRaw(client, { inputText: 'rust' })).rejects.toMatchObject({
      name: 'DependencyFailedException',
      message: expect.stringContaining('the model is gone'),
    });
  });

  it('shows the model the earlier exchanges of its session only, and merges session attributes', async () => {
    const model = createScriptedModel({
      steps: [textResponse('{"n": 1}'), textResponse('{"n": 2}'), textResponse('{"n": 3}')],
    });
    const service = await start({ model });
    const client = service.createClient();
    await invokeRaw(client, {
      inputText: 'first question',
      sessionState: { sessionAttributes: { line: 'A' } },
    });
    await invokeRaw(client, {
      inputText: 'second question',
      sessionState: { sessionAttributes: { shift: 'night' } },
    });
    await invokeRaw(client, { inputText: 'elsewhere', sessionId: 'session-2' });
    const systems = service.modelCalls.map((call) =>
      call.params.system.map((block) => block.text).join('\n'),
    );
    expect(systems[0]).not.toContain('first question');
    expect(systems[1]).toContain('User: first question');
    expect(systems[1]).toContain('Agent: {"n": 1}');
    expect(systems[2]).not.toContain('first question');
    expect(service.session('classifier', 'session-1')?.attributes).toEqual({ line: 'A', shift: 'night' });
    expect(service.modelCalls.map((call) => call.sessionId)).toEqual(['session-1', 'session-1', 'session-2']);
  });

  it('passes the mode prompt session attribute to the model, and serves the runtime through a queued fault', async () => {
    const model = createOfflineModel();
    const service = await start({ model });
    service.scripts.push({ error: { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' } });
    const runtime = createBedrockAgentsRuntime({
      client: service.createClient(),
      agents: service.aliases,
      toolContext,
      sleep: async () => undefined,
    });
    const final = await runToCompletion(
      runtime.invoke({
        agent: classifierAgent,
        input: analysisInput(classifierAgent, CHIPPED_REPORT),
        sessionId: 's-9',
      }),
    );
    expect(classifierAgent.outputSchema.safeParse(final.output).success).toBe(true);
    expect(service.requests[0]?.body.inputText).toBe(service.requests[1]?.body.inputText);
    expect(service.requests.length).toBe(service.modelCalls.length + 1);
    for (const call of service.modelCalls)
      expect(call.params.requestMetadata).toEqual({ agent: 'classifier', mode: 'analyze' });
    expect(service.session('classifier', 's-9')?.history).toHaveLength(1);
  });
});
