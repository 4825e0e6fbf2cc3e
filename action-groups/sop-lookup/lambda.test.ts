import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody } from '../testing/bedrock-event.ts';
import { useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext();
const handler = createHandler(async () => kb.context);

describe('sop-lookup Lambda', () => {
  it('answers lookup_sop from a Bedrock event', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'sop-lookup',
        functionName: 'lookup_sop',
        parameters: [
          { name: 'query', type: 'string', value: 'what to do after a failed leak test' },
          { name: 'stage', type: 'string', value: 'vacuum_quench' },
          { name: 'section', type: 'string', value: 'reaction_plan' },
          { name: 'k', type: 'integer', value: '2' },
        ],
      }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('sop-lookup');
    expect(response.response.function).toBe('lookup_sop');
    const body = responseBody(response) as { passages: Array<{ source_id: string; section: string }> };
    expect(body.passages).toHaveLength(2);
    expect(body.passages[0]?.source_id).toMatch(/^SOP-VQ-/);
    expect(body.passages[0]?.section).toBe('Reaction plan');
  });

  it('returns a validation error for a missing query', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'sop-lookup',
        functionName: 'lookup_sop',
        parameters: [{ name: 'stage', type: 'string', value: 'vacuum_quench' }],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'validation_error', details: [{ path: 'query' }] },
    });
  });

  it('answers an unknown function with an error body', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'sop-lookup', functionName: 'get_sop' }),
      lambdaContext(),
    );
    expect(responseBody(response)).toMatchObject({ error: { code: 'not_found' } });
  });
});
