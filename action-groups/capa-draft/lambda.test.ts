import { describe, expect, it } from 'vitest';
import { bedrockEvent, lambdaContext, responseBody, type EventParameter } from '../testing/bedrock-event.ts';
import { useTestToolContext } from '../testing/context.ts';
import { createHandler } from './lambda.ts';

const kb = useTestToolContext();
const handler = createHandler(async () => kb.context);

const ROOT_CAUSE = {
  category_6m: 'machine',
  occurrence: 'Mould temperature controller heater failed; mould ran at 48 C',
  escape: 'Handles were inspected warm at the press before cracks opened',
  systemic: 'Mould temperature alarm not interlocked with the press',
};

const PARAMETERS: EventParameter[] = [
  { name: 'defect_type', type: 'string', value: 'handle_crack' },
  { name: 'stage', type: 'string', value: 'handle_injection' },
  { name: 'severity', type: 'string', value: 'major' },
  { name: 'root_cause', type: 'string', value: JSON.stringify(ROOT_CAUSE) },
  { name: 'scope', type: 'string', value: '{"facility": "shenzhen", "batch_id": "SZ-2611-066"}' },
];

function withRootCause(rootCause: Record<string, string | boolean>): EventParameter[] {
  return PARAMETERS.map((parameter) =>
    parameter.name === 'root_cause' ? { ...parameter, value: JSON.stringify(rootCause) } : parameter,
  );
}

describe('capa-draft Lambda', () => {
  it('answers draft_capa from a Bedrock event', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'capa-draft', functionName: 'draft_capa', parameters: PARAMETERS }),
      lambdaContext(),
    );
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.actionGroup).toBe('capa-draft');
    expect(response.response.function).toBe('draft_capa');
    const body = responseBody(response) as {
      actions: Array<{ type: string; description: string; due_date: string; citations: string[] }>;
    };
    expect(body.actions.map((action) => action.type)).toEqual([
      'containment',
      'correction',
      'corrective',
      'corrective',
      'preventive',
      'preventive',
    ]);
    expect(body.actions[0]?.description).toMatch(/batch SZ-2611-066 and every lot at shenzhen/);
    expect(body.actions[0]?.due_date).toBe('2026-11-23');
    expect(body.actions.every((action) => action.citations.length > 0)).toBe(true);
  });

  it('verifies a cause sent as a hypothesis before fixing it, checked on the mould temperature', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'capa-draft',
        functionName: 'draft_capa',
        parameters: withRootCause({ ...ROOT_CAUSE, hypothesis: true }),
      }),
      lambdaContext(),
    );
    const body = responseBody(response) as {
      actions: Array<{ type: string; description: string; effectiveness_check: { metric: string } }>;
      basis: { hypothesis: boolean };
    };
    const corrective = body.actions.filter((action) => action.type === 'corrective');
    expect(corrective.map((action) => action.description.slice(0, 20))).toEqual([
      'Verify the cause fir',
      'Once the cause is ve',
      'Close the escape: "H',
    ]);
    expect(corrective[1]?.effectiveness_check.metric).toMatch(/^Mould surface temperature/);
    expect(body.basis.hypothesis).toBe(true);
  });

  it('returns a validation error naming the missing causes', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'capa-draft',
        functionName: 'draft_capa',
        parameters: withRootCause({ category_6m: 'machine' }),
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    const body = responseBody(response) as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('validation_error');
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual([
      'root_cause.escape',
      'root_cause.occurrence',
      'root_cause.systemic',
    ]);
  });

  it('returns a validation error naming a root cause that is not JSON', async () => {
    const response = await handler(
      bedrockEvent({
        actionGroup: 'capa-draft',
        functionName: 'draft_capa',
        parameters: PARAMETERS.map((parameter) =>
          parameter.name === 'root_cause' ? { ...parameter, value: 'machine: worn heater' } : parameter,
        ),
      }),
      lambdaContext(),
    );
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(responseBody(response)).toMatchObject({
      error: { code: 'validation_error', details: [{ path: 'root_cause' }] },
    });
  });

  it('answers an unknown function with an error body', async () => {
    const response = await handler(
      bedrockEvent({ actionGroup: 'capa-draft', functionName: 'draft_8d' }),
      lambdaContext(),
    );
    expect(responseBody(response)).toMatchObject({
      error: { code: 'not_found', details: { available: ['draft_capa'] } },
    });
  });
});
