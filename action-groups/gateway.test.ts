import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { gatewayToolName, unprefixedToolName } from './gateway.ts';
import { createLambdaEntryPoint, type ToolErrorBody } from './lambda-handler.ts';
import { similarDefectsGroup } from './similar-defects/tools.ts';
import { sopLookupGroup } from './sop-lookup/tools.ts';
import { bedrockEvent, lambdaContext, responseBody } from './testing/bedrock-event.ts';
import { useTestToolContext } from './testing/context.ts';

const kb = useTestToolContext();
const entryPoint = createLambdaEntryPoint(sopLookupGroup, async () => kb.context);

/** The Lambda context of a Gateway call: the prefixed tool name under the client context's custom values. */
function gatewayContext(toolName: string): Context {
  return {
    ...lambdaContext(),
    clientContext: {
      custom: {
        bedrockAgentCoreToolName: toolName,
        bedrockAgentCoreTargetId: 'TARGET0001',
        bedrockAgentCoreMessageVersion: '1.0',
      },
    },
  } as unknown as Context;
}

describe('action-group Lambdas as AgentCore Gateway Lambda targets', () => {
  it('reads the tool name from the client context and strips the target prefix', () => {
    expect(gatewayToolName(gatewayContext('sop-lookup___lookup_sop'))).toBe('sop-lookup___lookup_sop');
    expect(gatewayToolName(lambdaContext())).toBeUndefined();
    const lowerCase = { clientContext: { Custom: { bedrockagentcoreToolName: 'sop-lookup___lookup_sop' } } };
    expect(gatewayToolName(lowerCase as unknown as Context)).toBe('sop-lookup___lookup_sop');
    expect(unprefixedToolName('sop-lookup___lookup_sop')).toBe('lookup_sop');
    expect(unprefixedToolName('sop-lookup__lookup_sop')).toBe('lookup_sop');
    expect(unprefixedToolName('lookup_sop')).toBe('lookup_sop');
  });

  it('runs the tool on the bare arguments of a Gateway call and returns its output as it is', async () => {
    const output = (await entryPoint(
      {
        query: 'what to do after a failed leak test',
        stage: 'vacuum_quench',
        section: 'reaction_plan',
        k: 2,
      },
      gatewayContext('sop-lookup___lookup_sop'),
    )) as { passages: Array<{ source_id: string }> };
    expect(output.passages).toHaveLength(2);
    expect(output.passages[0]?.source_id).toMatch(/^SOP-VQ-/);
  });

  it('answers invalid arguments and an unknown tool with a JSON error body', async () => {
    const invalid = (await entryPoint(
      { stage: 'vacuum_quench' },
      gatewayContext('sop-lookup___lookup_sop'),
    )) as ToolErrorBody;
    expect(invalid.error.code).toBe('validation_error');
    const unknown = (await entryPoint({}, gatewayContext('sop-lookup___draft_capa'))) as ToolErrorBody;
    expect(unknown.error).toMatchObject({ code: 'not_found', details: { available: ['lookup_sop'] } });
  });

  it('still answers a Bedrock agent function call with a Bedrock function response', async () => {
    const response = await entryPoint(
      bedrockEvent({
        actionGroup: 'sop-lookup',
        functionName: 'lookup_sop',
        parameters: [{ name: 'query', type: 'string', value: 'failed leak test' }],
      }),
      lambdaContext(),
    );
    expect(responseBody(response as Parameters<typeof responseBody>[0])).toHaveProperty('passages');
  });

  it('reads only the facility a Gateway deployment is scoped to, whatever the arguments ask', async () => {
    const scoped = createLambdaEntryPoint(similarDefectsGroup, async () => kb.context, {
      gatewayScope: { facility: 'shenzhen' },
    });
    const own = (await scoped(
      { description: 'orange rust spots near the heel after quench', k: 10 },
      gatewayContext('similar-defects___find_similar_defects'),
    )) as { defects: Array<{ facility: string }> };
    expect(own.defects.length).toBeGreaterThan(0);
    expect(new Set(own.defects.map((defect) => defect.facility))).toEqual(new Set(['shenzhen']));
    const other = (await scoped(
      { description: 'orange rust spots near the heel after quench', filter: { facility: 'yangjiang' } },
      gatewayContext('similar-defects___find_similar_defects'),
    )) as { defects: unknown[] };
    expect(other.defects).toEqual([]);
    // Unscoped (no GATEWAY_FACILITY), the same call reads every facility.
    const unscoped = createLambdaEntryPoint(similarDefectsGroup, async () => kb.context);
    const all = (await unscoped(
      { description: 'orange rust spots near the heel after quench', k: 10 },
      gatewayContext('similar-defects___find_similar_defects'),
    )) as { defects: Array<{ facility: string }> };
    expect(new Set(all.defects.map((defect) => defect.facility)).size).toBeGreaterThan(1);
  });
});
