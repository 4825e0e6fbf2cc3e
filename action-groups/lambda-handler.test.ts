import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UpstreamError } from '../domain/index.ts';
import { defineTool, type ActionGroup, type ToolResources } from './action-group.ts';
import { createActionGroupHandler, toErrorBody } from './lambda-handler.ts';
import { createInMemoryDefectHistory } from './recurrence/defect-history.ts';
import { bedrockEvent, lambdaContext, responseBody } from './testing/bedrock-event.ts';
import { TEST_NOW } from './testing/context.ts';

const echoTool = defineTool({
  name: 'echo_codes',
  description: 'Echoes its arguments with the clock.',
  input: z.object({
    codes: z.array(z.string()).min(1),
    sizes: z.array(z.number()).optional(),
    limit: z.number().int().optional(),
    strict: z.boolean().optional(),
  }),
  output: z.object({
    codes: z.array(z.string()),
    sizes: z.array(z.number()),
    limit: z.number().nullable(),
    strict: z.boolean(),
    at: z.string(),
  }),
  handler: async ({ codes, sizes, limit, strict }, context) => ({
    codes,
    sizes: sizes ?? [],
    limit: limit ?? null,
    strict: strict ?? false,
    at: context.now().toISOString(),
  }),
});

const failingTool = defineTool({
  name: 'always_fails',
  description: 'Fails like an unreachable knowledge base.',
  input: z.object({}),
  output: z.object({}),
  handler: async () => {
    throw new UpstreamError('knowledge base unavailable', { isRetryable: true });
  },
});

const echoRootCauseTool = defineTool({
  name: 'echo_root_cause',
  description: 'Echoes an object parameter.',
  input: z.object({
    stage: z.string(),
    root_cause: z.object({
      category_6m: z.enum(['machine', 'method']),
      occurrence: z.string(),
      confidence: z.number().optional(),
    }),
  }),
  output: z.object({
    stage: z.string(),
    category: z.string(),
    occurrence: z.string(),
    confidence: z.number(),
  }),
  handler: async ({ stage, root_cause: rootCause }) => ({
    stage,
    category: rootCause.category_6m,
    occurrence: rootCause.occurrence,
    confidence: rootCause.confidence ?? 0,
  }),
});

const GROUP: ActionGroup = {
  name: 'test-group',
  description: 'Tools for the handler tests.',
  tools: [echoTool, failingTool, echoRootCauseTool],
};

function testContext(): ToolResources {
  return {
    knowledgeBase: {
      retrieve: async () => [],
      getPassages: async () => [],
      describe: async () => ({ documents: 0, chunks: 0, embedderId: null }),
    },
    defectHistory: createInMemoryDefectHistory(),
    now: () => new Date(TEST_NOW),
  };
}

describe('toErrorBody', () => {
  it('keeps the code and message of domain errors and hides nothing else', () => {
    expect(toErrorBody(new UpstreamError('down'))).toEqual({
      error: { code: 'upstream_error', message: 'down' },
    });
    expect(toErrorBody(new Error('boom'))).toEqual({ error: { code: 'internal_error', message: 'boom' } });
    expect(toErrorBody('odd')).toEqual({ error: { code: 'internal_error', message: 'odd' } });
  });
});

describe('createActionGroupHandler', () => {
  it('creates the context once and reuses it across invocations', async () => {
    let created = 0;
    const handler = createActionGroupHandler(GROUP, async () => {
      created += 1;
      return testContext();
    });
    for (const codes of ['["a"]', '[b, c]']) {
      const response = await handler(
        bedrockEvent({
          actionGroup: 'test-group',
          functionName: 'echo_codes',
          parameters: [{ name: 'codes', type: 'array', value: codes }],
        }),
        lambdaContext(),
      );
      expect(response.response.function).toBe('echo_codes');
      expect(responseBody(response)).toMatchObject({ at: '2026-11-22T08:00:00.000Z' });
    }
    expect(created).toBe(1);
  });

  it('reports a failed context creation and retries it on the next invocation', async () => {
    let attempts = 0;
    const handler = createActionGroupHandler(GROUP, async () => {
      attempts += 1;
      if (attempts === 1) throw new UpstreamError('cannot open the knowledge base');
      return testContext();
    });
    const event = bedrockEvent({
      actionGroup: 'test-group',
      functionName: 'echo_codes',
      parameters: [{ name: 'codes', type: 'array', value: '["a"]' }],
    });
    const failed = await handler(event, lambdaContext());
    expect(failed.response.functionResponse.responseState).toBeUndefined();
    expect(responseBody(failed)).toEqual({
      error: { code: 'upstream_error', message: 'cannot open the knowledge base' },
    });
    expect(responseBody(await handler(event, lambdaContext()))).toMatchObject({ codes: ['a'] });
    expect(attempts).toBe(2);
  });

  it('converts the event parameters by the tool schema', async () => {
    const handler = createActionGroupHandler(GROUP, async () => testContext());
    const response = await handler(
      bedrockEvent({
        actionGroup: 'test-group',
        functionName: 'echo_codes',
        parameters: [
          { name: 'codes', type: 'array', value: '[a, b]' },
          { name: 'sizes', type: 'array', value: '[1, 2.5]' },
          { name: 'limit', type: 'integer', value: '3' },
          { name: 'strict', type: 'boolean', value: 'TRUE' },
        ],
      }),
      lambdaContext(),
    );
    expect(responseBody(response)).toMatchObject({
      codes: ['a', 'b'],
      sizes: [1, 2.5],
      limit: 3,
      strict: true,
    });
  });

  it('parses a JSON object parameter into the nested input', async () => {
    const handler = createActionGroupHandler(GROUP, async () => testContext());
    const response = await handler(
      bedrockEvent({
        actionGroup: 'test-group',
        functionName: 'echo_root_cause',
        parameters: [
          { name: 'stage', type: 'string', value: 'vacuum_quench' },
          {
            name: 'root_cause',
            type: 'string',
            value: '{"category_6m": "machine", "occurrence": "Worn door seal", "confidence": "0.8"}',
          },
        ],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBeUndefined();
    expect(responseBody(response)).toEqual({
      stage: 'vacuum_quench',
      category: 'machine',
      occurrence: 'Worn door seal',
      confidence: 0.8,
    });
  });

  it('answers a malformed JSON object parameter with a validation error naming it, for a REPROMPT', async () => {
    const handler = createActionGroupHandler(GROUP, async () => testContext());
    const response = await handler(
      bedrockEvent({
        actionGroup: 'test-group',
        functionName: 'echo_root_cause',
        parameters: [
          { name: 'stage', type: 'string', value: 'vacuum_quench' },
          { name: 'root_cause', type: 'string', value: "{category_6m: 'machine'" },
        ],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toEqual({
      error: {
        code: 'validation_error',
        message: expect.stringContaining('root_cause must be a JSON object'),
        details: [{ path: 'root_cause', message: expect.stringContaining('expected a JSON object') }],
      },
    });
  });

  it('returns tool errors as a JSON body, not a crash', async () => {
    const handler = createActionGroupHandler(GROUP, async () => testContext());
    const response = await handler(
      bedrockEvent({ actionGroup: 'test-group', functionName: 'always_fails' }),
      lambdaContext(),
    );
    expect(responseBody(response)).toEqual({
      error: { code: 'upstream_error', message: 'knowledge base unavailable' },
    });
  });

  it('rejects an event that is not a Bedrock function invocation', async () => {
    const handler = createActionGroupHandler(GROUP, async () => testContext());
    await expect(handler({ httpMethod: 'GET' }, lambdaContext())).rejects.toThrow(
      /BedrockAgentFunctionEvent/,
    );
  });
});
