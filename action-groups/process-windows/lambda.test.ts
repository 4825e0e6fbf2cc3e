import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody } from '../testing/bedrock-event.ts';
import { useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext();
const handler = createHandler(async () => kb.context);

describe('process-windows Lambda', () => {
  it('answers get_process_window with the window and SOP passages', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'process-windows',
        functionName: 'get_process_window',
        parameters: [{ name: 'stage', type: 'string', value: 'cutting_edge_honing' }],
        inputText: 'What is the honing window for the chef knife?',
      }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('process-windows');
    expect(response.response.function).toBe('get_process_window');
    const body = responseBody(response) as {
      stage: string;
      order: number;
      passages: Array<{ source_id: string; section: string }>;
    };
    expect(body).toMatchObject({ stage: 'cutting_edge_honing', order: 11 });
    expect(body.passages[0]).toMatchObject({ section: 'Process window' });
    expect(body.passages[0]?.source_id).toMatch(/^SOP-CH-/);
  });

  it('answers check_measurements with the measurements sent as a JSON object', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'process-windows',
        functionName: 'check_measurements',
        parameters: [
          { name: 'measurements', type: 'string', value: '{"hardness_hrc": 59.2, "sharpness_icp": "61"}' },
        ],
      }),
      lambdaContext(),
    );
    expect(response.response.function).toBe('check_measurements');
    const body = responseBody(response) as { out_of_spec: boolean; findings: Array<{ status: string }> };
    expect(body.out_of_spec).toBe(true);
    expect(body.findings.map((finding) => finding.status)).toEqual(['above', 'within']);
  });

  it('returns a validation error body for a stage outside the vocabulary', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'process-windows',
        functionName: 'get_process_window',
        parameters: [{ name: 'stage', type: 'string', value: 'annealing' }],
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'validation_error', details: [{ path: 'stage' }] },
    });
  });

  it('answers an unknown function with the list of available ones', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'process-windows', functionName: 'get_sop' }),
      lambdaContext(),
    );
    expect(response.response.function).toBe('get_sop');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'not_found', details: { available: ['get_process_window', 'check_measurements'] } },
    });
  });
});
