import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

const ARN = 'arn:aws:bedrock-agentcore:cn-north-1:123456789012:runtime/defect_rca-AbCdEf1234';

describe('config: AGENT_RUNTIME=agentcore', () => {
  it('reads the runtime ARN, the endpoint qualifier and the endpoint override; the entry point listens on 8080', () => {
    const config = parseConfig({
      AGENT_RUNTIME: 'agentcore',
      AGENTCORE_RUNTIME_ARN: ARN.replace('arn:aws:', 'arn:aws-cn:'),
      AGENTCORE_QUALIFIER: 'production',
      AGENTCORE_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect(config).toMatchObject({
      agentRuntime: 'agentcore',
      agentCoreRuntimeArn: ARN.replace('arn:aws:', 'arn:aws-cn:'),
      agentCoreQualifier: 'production',
      agentCoreEndpoint: 'http://127.0.0.1:9000',
      agentCorePort: 8080,
    });
    expect(parseConfig({ AGENTCORE_PORT: '9090' }).agentCorePort).toBe(9090);
  });

  it('fails fast naming the variable: no ARN, a malformed ARN or qualifier, the settings without agentcore, MODEL with it', () => {
    expect(() => parseConfig({ AGENT_RUNTIME: 'agentcore' })).toThrow(
      /AGENT_RUNTIME=agentcore needs AGENTCORE_RUNTIME_ARN/,
    );
    expect(() =>
      parseConfig({
        AGENT_RUNTIME: 'agentcore',
        AGENTCORE_RUNTIME_ARN: 'arn:aws:bedrock:us-east-1:1:agent/x',
      }),
    ).toThrow(/agentCoreRuntimeArn \(AGENTCORE_RUNTIME_ARN=/);
    expect(() =>
      parseConfig({ AGENT_RUNTIME: 'agentcore', AGENTCORE_RUNTIME_ARN: ARN, AGENTCORE_QUALIFIER: '1-bad' }),
    ).toThrow(/AGENTCORE_QUALIFIER/);
    expect(() => parseConfig({ AGENTCORE_RUNTIME_ARN: ARN })).toThrow(
      /only used with AGENT_RUNTIME=agentcore/,
    );
    expect(() =>
      parseConfig({ AGENT_RUNTIME: 'agentcore', AGENTCORE_RUNTIME_ARN: ARN, MODEL: 'converse' }),
    ).toThrow(/MODEL is not used with AGENT_RUNTIME=agentcore/);
  });

  it('reads GATEWAY_FACILITY as one of the facilities, and refuses another', () => {
    expect(parseConfig({ GATEWAY_FACILITY: 'hongkong' }).gatewayFacility).toBe('hongkong');
    expect(parseConfig({}).gatewayFacility).toBeUndefined();
    expect(() => parseConfig({ GATEWAY_FACILITY: 'paris' })).toThrow(/GATEWAY_FACILITY/);
  });
});
