import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import {
  createInMemoryDefectHistory,
  type DefectHistory,
} from '../action-groups/recurrence/defect-history.ts';
import { ConfigError, type AppConfig } from '../domain/index.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import type { AgentDefinition } from './definition.ts';
import { classifierAgent, supervisorAgent } from './index.ts';
import { createConverseModel } from './models/converse/converse-model.ts';
import type { Model } from './models/model.ts';
import { createOpenAiModel } from './models/openai/openai-model.ts';
import type { ClassifierSource } from './models/offline/classifier/classifier.ts';
import { createOfflineModel } from './models/offline/offline-model.ts';
import { createOrchestrator, type Orchestrator, type StepErrorLogger } from './orchestrator/orchestrator.ts';
import { createModelRouter, createRuleRouter } from './orchestrator/router.ts';
import type { AgentRuntime } from './runtime/agent-runtime.ts';
import { createAgentCoreRuntime } from './runtime/agentcore/agentcore-runtime.ts';
import { createBedrockAgentsRuntime } from './runtime/bedrock-agents/bedrock-agents-runtime.ts';
import { createLocalRuntime } from './runtime/local-runtime.ts';

/** The agents wired for a configuration: the model the classifier uses, the runtime, the orchestrator. */
export interface AgentSystem {
  model: Model;
  runtime: AgentRuntime;
  orchestrator: Orchestrator;
}

type AgentSettings = Pick<
  AppConfig,
  | 'model'
  | 'agentRuntime'
  | 'agentMaxSteps'
  | 'agentCallTimeoutMs'
  | 'awsRegion'
  | 'bedrockModelId'
  | 'bedrockAgentModelIds'
  | 'modelStream'
  | 'bedrockPromptCaching'
  | 'modelSupportsImages'
  | 'modelBaseUrl'
  | 'modelApiKey'
  | 'modelName'
  | 'guardrailId'
  | 'guardrailVersion'
  | 'bedrockAgents'
  | 'agentCoreRuntimeArn'
  | 'agentCoreQualifier'
  | 'agentCoreEndpoint'
  | 'orchestration'
>;

/**
 * One Converse model per model id: the agent's entry of `BEDROCK_AGENT_MODEL_IDS`, else
 * `BEDROCK_MODEL_ID` for every agent, else each agent's own.
 */
function converseModels(
  config: AgentSettings,
  client: BedrockRuntimeClient | undefined,
): (agent: AgentDefinition) => Model {
  const models = new Map<string, Model>();
  return (agent) => {
    const modelId =
      config.bedrockAgentModelIds?.[agent.name] ?? config.bedrockModelId ?? agent.foundationModelId;
    let model = models.get(modelId);
    if (!model) {
      model = createConverseModel({
        modelId,
        region: config.awsRegion,
        ...(client ? { client } : {}),
        supportsImages: config.modelSupportsImages,
        stream: config.modelStream,
        ...(config.bedrockPromptCaching === 'auto'
          ? {}
          : { promptCaching: config.bedrockPromptCaching === 'on' }),
        ...(config.guardrailId
          ? { guardrail: { identifier: config.guardrailId, version: config.guardrailVersion } }
          : {}),
      });
      models.set(modelId, model);
    }
    return model;
  };
}

/** The `openai` model (`MODEL_BASE_URL`, `MODEL_NAME`, `MODEL_API_KEY`), one for every agent. */
function openAiModels(config: AgentSettings): (agent: AgentDefinition) => Model {
  if (!config.modelBaseUrl || !config.modelName) {
    throw new ConfigError('MODEL=openai needs MODEL_BASE_URL and MODEL_NAME');
  }
  const model = createOpenAiModel({
    baseUrl: config.modelBaseUrl,
    modelName: config.modelName,
    ...(config.modelApiKey ? { apiKey: config.modelApiKey } : {}),
    supportsImages: config.modelSupportsImages,
    stream: config.modelStream,
  });
  return () => model;
}

/** The model of each agent for `MODEL`, or null for the offline model. */
function configuredModels(
  config: AgentSettings,
  bedrockRuntimeClient: BedrockRuntimeClient | undefined,
): ((agent: AgentDefinition) => Model) | null {
  if (config.model === 'converse') return converseModels(config, bedrockRuntimeClient);
  if (config.model === 'openai') return openAiModels(config);
  return null;
}

/**
 * Builds the configured agent system over a knowledge base and a defect history: the runtime
 * (`AGENT_RUNTIME`), the model of each agent (`MODEL`), the follow-up router and the orchestrator
 * in the configured mode (`ORCHESTRATION`).
 */
export function createAgentSystem({
  config,
  knowledgeBase,
  defectHistory = createInMemoryDefectHistory(),
  now = () => new Date(),
  model,
  bedrockAgentsClient,
  agentCoreClient,
  bedrockRuntimeClient,
  classifierSource,
  logger,
}: {
  config: AgentSettings;
  knowledgeBase: KnowledgeBase;
  defectHistory?: DefectHistory;
  now?: () => Date;
  /** Overrides the configured model, e.g. with a scripted one in tests. */
  model?: Model;
  /** The InvokeAgent client of the `bedrock-agents` runtime; one for `AWS_REGION` by default. */
  bedrockAgentsClient?: BedrockAgentRuntimeClient;
  /** The InvokeAgentRuntime client of the `agentcore` runtime; one for `AWS_REGION` by default. */
  agentCoreClient?: BedrockAgentCoreClient;
  /** The Converse client of `MODEL=converse` (e.g. one pointed at a local server); one per model for `AWS_REGION` by default. */
  bedrockRuntimeClient?: BedrockRuntimeClient;
  /** The offline model's classifier (`MODEL=offline`): the committed one by default, or the learning loop's. */
  classifierSource?: ClassifierSource;
  /** Where failed agent steps are logged in full. */
  logger?: StepErrorLogger;
}): AgentSystem {
  const toolContext = { knowledgeBase, defectHistory, now };
  const modelFor = model ? () => model : configuredModels(config, bedrockRuntimeClient);
  const offline = createOfflineModel(classifierSource ? { classifier: classifierSource } : {});
  const pick = (agent: AgentDefinition): Model => (modelFor ? modelFor(agent) : offline);
  let runtime: AgentRuntime;
  if (config.agentRuntime === 'bedrock-agents' && config.bedrockAgents) {
    runtime = createBedrockAgentsRuntime({
      region: config.awsRegion,
      agents: config.bedrockAgents,
      toolContext,
      callTimeoutMs: config.agentCallTimeoutMs,
      ...(bedrockAgentsClient ? { client: bedrockAgentsClient } : {}),
    });
  } else if (config.agentRuntime === 'agentcore') {
    if (!config.agentCoreRuntimeArn)
      throw new ConfigError('AGENT_RUNTIME=agentcore needs AGENTCORE_RUNTIME_ARN');
    runtime = createAgentCoreRuntime({
      region: config.awsRegion,
      agentRuntimeArn: config.agentCoreRuntimeArn,
      callTimeoutMs: config.agentCallTimeoutMs,
      ...(config.agentCoreQualifier ? { qualifier: config.agentCoreQualifier } : {}),
      ...(config.agentCoreEndpoint ? { endpoint: config.agentCoreEndpoint } : {}),
      ...(agentCoreClient ? { client: agentCoreClient } : {}),
    });
  } else {
    runtime = createLocalRuntime({
      model: pick(classifierAgent),
      modelFor: pick,
      toolContext,
      maxSteps: config.agentMaxSteps,
      callTimeoutMs: config.agentCallTimeoutMs,
    });
  }
  const router =
    modelFor && !model ? createModelRouter({ model: pick(supervisorAgent) }) : createRuleRouter();
  const orchestrator = createOrchestrator({
    runtime,
    knowledgeBase,
    router,
    now,
    orchestration: config.orchestration,
    ...(logger ? { logger } : {}),
  });
  return { model: pick(classifierAgent), runtime, orchestrator };
}
