import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UpstreamError } from '../domain/index.ts';
import { defineTool, type ActionGroup, type ToolContext } from './action-group.ts';
import {
  coerceParameters,
  createActionGroupHandler,
  parseArrayParameter,
  toErrorBody,
} from './lambda-handler.ts';
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

const GROUP: ActionGroup = {
  name: 'test-group',
  description: 'Tools for the handler tests.',
  tools: [echoTool, failingTool],
};

function testContext(): ToolContext {
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

describe('parseArrayParameter', () => {
  it('parses JSON arrays and the bracketed comma-separated form', () => {
    expect(parseArrayParameter('["rust_spot","blade_chip"]', 'string')).toEqual(['rust_spot', 'blade_chip']);
    expect(parseArrayParameter('[rust_spot, blade_chip]', 'string')).toEqual(['rust_spot', 'blade_chip']);
    expect(parseArrayParameter("['a', 'b']", 'string')).toEqual(['a', 'b']);
    expect(parseArrayParameter('[1.5, 2]', 'number')).toEqual([1.5, 2]);
    expect(parseArrayParameter('[ ]', 'string')).toEqual([]);
    expect(parseArrayParameter('rust_spot', 'string')).toBe('rust_spot');
  });
});

describe('coerceParameters', () => {
  it('parses arrays and converts numbers and booleans the schema expects', () => {
    expect(
      coerceParameters(echoTool, { codes: '[a, b]', sizes: '[1, 2.5]', limit: '3', strict: 'true' }),
    ).toEqual({ codes: ['a', 'b'], sizes: [1, 2.5], limit: 3, strict: true });
    expect(coerceParameters(echoTool, { limit: 'three', strict: 'yes' })).toEqual({
      limit: 'three',
      strict: 'yes',
    });
  });
});

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
