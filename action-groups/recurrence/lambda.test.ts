import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody } from '../testing/bedrock-event.ts';
import { TEST_NOW, useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext({
  occurrences: [1, 4, 9].map((daysAgo, index) => ({
    defectId: `DEF-2026112${index}-0000000${index}`,
    detectedAt: new Date(TEST_NOW.getTime() - daysAgo * 86_400_000),
    defectType: 'blade_chip' as const,
    stage: 'cutting_edge_honing' as const,
    facility: 'hongkong' as const,
    productSku: 'WK-KN-100' as const,
  })),
});
const handler = createHandler(async () => kb.context);

describe('recurrence Lambda', () => {
  it('answers count_recurrences from a Bedrock event', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'recurrence',
        functionName: 'count_recurrences',
        parameters: [
          { name: 'defect_type', type: 'string', value: 'blade_chip' },
          { name: 'window_days', type: 'integer', value: '30' },
        ],
      }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('recurrence');
    expect(response.response.function).toBe('count_recurrences');
    expect(responseBody(response)).toMatchObject({
      count: 3,
      window_days: 30,
      since: '2026-10-23',
      by_facility: { hongkong: 3 },
      recurring: true,
    });
  });

  it('returns a validation error for a window that is not an integer', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'recurrence',
        functionName: 'count_recurrences',
        parameters: [{ name: 'window_days', type: 'integer', value: 'ninety' }],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'validation_error', details: [{ path: 'window_days' }] },
    });
  });

  it('answers an unknown function with an error body', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'recurrence', functionName: 'count_defects' }),
      lambdaContext(),
    );
    expect(responseBody(response)).toMatchObject({ error: { code: 'not_found' } });
  });
});
