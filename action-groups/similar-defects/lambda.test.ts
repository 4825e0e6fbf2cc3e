import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody } from '../testing/bedrock-event.ts';
import { useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext();
const handler = createHandler(async () => kb.context);

describe('similar-defects Lambda', () => {
  it('answers find_similar_defects from a Bedrock event', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'similar-defects',
        functionName: 'find_similar_defects',
        parameters: [
          {
            name: 'description',
            type: 'string',
            value: 'orange-brown rust dots on chef knives after vacuum quench',
          },
          { name: 'filter', type: 'string', value: '{"defect_type": "rust_spot"}' },
          { name: 'k', type: 'integer', value: '3' },
        ],
        inputText: 'Inspector found rust dots on WK-KN-200 blades.',
      }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('similar-defects');
    expect(response.response.function).toBe('find_similar_defects');
    const body = responseBody(response) as { defects: Array<{ defect_type: string; source_id: string }> };
    expect(body.defects).toHaveLength(3);
    expect(body.defects.every((defect) => defect.defect_type === 'rust_spot')).toBe(true);
  });

  it('returns a validation error for a k out of range', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'similar-defects',
        functionName: 'find_similar_defects',
        parameters: [
          { name: 'description', type: 'string', value: 'rust dots' },
          { name: 'k', type: 'integer', value: '50' },
        ],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'validation_error', details: [{ path: 'k' }] },
    });
  });

  it('answers an unknown function with an error body', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'similar-defects', functionName: 'search' }),
      lambdaContext(),
    );
    expect(response.response.function).toBe('search');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'not_found', details: { available: ['find_similar_defects'] } },
    });
  });
});
