import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody } from '../testing/bedrock-event.ts';
import { useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext();
const handler = createHandler(async () => kb.context);

describe('defect-taxonomy Lambda', () => {
  it('answers assess_severity with the typed parameters of a Bedrock event', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'defect-taxonomy',
        functionName: 'assess_severity',
        parameters: [
          { name: 'defect_type', type: 'string', value: 'blade_scratch' },
          { name: 'defect_size_mm', type: 'number', value: '6.5' },
          { name: 'confidence', type: 'number', value: '0.82' },
        ],
        sessionAttributes: { defect_id: 'DEF-20261122-0A1B2C3D' },
      }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('defect-taxonomy');
    expect(response.response.function).toBe('assess_severity');
    expect(response.response.functionResponse.responseState).toBeUndefined();
    expect(response.sessionAttributes).toEqual({ defect_id: 'DEF-20261122-0A1B2C3D' });
    expect(responseBody(response)).toMatchObject({
      severity: 'major',
      recommended_action: 'REWORK',
      escalate: false,
    });
  });

  it('converts numbers sent as strings and reads the condition', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'defect-taxonomy',
        functionName: 'assess_severity',
        parameters: [
          { name: 'defect_type', type: 'string', value: 'handle_crack' },
          { name: 'condition', type: 'string', value: 'cosmetic' },
          { name: 'confidence', type: 'string', value: '0.4' },
        ],
      }),
      lambdaContext(),
    );
    expect(responseBody(response)).toMatchObject({ severity: 'minor', escalate: true });
  });

  it('answers get_defect_taxonomy without parameters', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'defect-taxonomy', functionName: 'get_defect_taxonomy' }),
      lambdaContext(),
    );
    const body = responseBody(response) as { defect_types: unknown[] };
    expect(response.response.function).toBe('get_defect_taxonomy');
    expect(body.defect_types).toHaveLength(13);
  });

  it('returns a readable validation error for a bad parameter', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'defect-taxonomy',
        functionName: 'assess_severity',
        parameters: [
          { name: 'defect_type', type: 'string', value: 'dent' },
          { name: 'confidence', type: 'number', value: 'high' },
        ],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    const body = responseBody(response) as {
      error: { code: string; message: string; details: Array<{ path: string }> };
    };
    expect(body.error.code).toBe('validation_error');
    expect(body.error.message).toMatch(/assess_severity/);
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual(['confidence', 'defect_type']);
  });

  it('names the available functions when asked for an unknown one', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'defect-taxonomy', functionName: 'classify_defect' }),
      lambdaContext(),
    );
    expect(response.response.function).toBe('classify_defect');
    expect(response.response.actionGroup).toBe('defect-taxonomy');
    expect(responseBody(response)).toEqual({
      error: {
        code: 'not_found',
        message: 'the defect-taxonomy action group has no function "classify_defect"',
        details: { available: ['get_defect_taxonomy', 'assess_severity'] },
      },
    });
  });
});
