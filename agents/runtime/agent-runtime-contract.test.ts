import { createAgentCoreRuntime } from './agentcore/agentcore-runtime.ts';
import { FAKE_RUNTIME_ARN, startFakeAgentCoreService } from './agentcore/testing/fake-agentcore-service.ts';
import { createBedrockAgentsRuntime } from './bedrock-agents/bedrock-agents-runtime.ts';
import { startFakeAgentsService } from './bedrock-agents/testing/fake-agents-service.ts';
import { createLocalRuntime } from './local-runtime.ts';
import { describeAgentRuntimeContract } from './testing/agent-runtime-contract.ts';

describeAgentRuntimeContract('local (offline model)', async ({ model, toolContext, callTimeoutMs }) => ({
  runtime: createLocalRuntime({ model, toolContext, callTimeoutMs }),
}));

describeAgentRuntimeContract(
  'bedrock-agents (real client → fake Bedrock Agents service hosting the offline model)',
  async ({ model, toolContext, callTimeoutMs }) => {
    const service = await startFakeAgentsService({ model });
    const runtime = createBedrockAgentsRuntime({
      client: service.createClient(),
      agents: service.aliases,
      toolContext,
      callTimeoutMs,
      sleep: async () => undefined,
    });
    return { runtime, cleanup: () => service.close() };
  },
);

describeAgentRuntimeContract(
  'agentcore (real client → fake InvokeAgentRuntime service → entry point hosting the offline model)',
  async ({ model, toolContext, callTimeoutMs }) => {
    const service = await startFakeAgentCoreService({ model, toolContext, callTimeoutMs });
    const runtime = createAgentCoreRuntime({
      client: service.createClient(),
      agentRuntimeArn: FAKE_RUNTIME_ARN,
      callTimeoutMs,
    });
    return { runtime, cleanup: () => service.close() };
  },
);
