import {
  createInMemoryDefectHistory,
  type DefectHistory,
} from '../action-groups/recurrence/defect-history.ts';
import type { AppConfig } from '../domain/index.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import type { Model } from './models/model.ts';
import { createOfflineModel } from './models/offline/offline-model.ts';
import { createOrchestrator, type Orchestrator } from './orchestrator/orchestrator.ts';
import { createRuleRouter } from './orchestrator/router.ts';
import type { AgentRuntime } from './runtime/agent-runtime.ts';
import { createLocalRuntime } from './runtime/local-runtime.ts';

/** The agents wired for a configuration: model, runtime, orchestrator. */
export interface AgentSystem {
  model: Model;
  runtime: AgentRuntime;
  orchestrator: Orchestrator;
}

/** Builds the configured agent system over a knowledge base and a defect history. */
export function createAgentSystem({
  config,
  knowledgeBase,
  defectHistory = createInMemoryDefectHistory(),
  now = () => new Date(),
  model,
}: {
  config: Pick<AppConfig, 'model' | 'agentRuntime' | 'agentMaxSteps' | 'agentCallTimeoutMs'>;
  knowledgeBase: KnowledgeBase;
  defectHistory?: DefectHistory;
  now?: () => Date;
  /** Overrides the configured model, e.g. with a scripted one in tests. */
  model?: Model;
}): AgentSystem {
  const chosenModel = model ?? createOfflineModel();
  const runtime = createLocalRuntime({
    model: chosenModel,
    toolContext: { knowledgeBase, defectHistory, now },
    maxSteps: config.agentMaxSteps,
    callTimeoutMs: config.agentCallTimeoutMs,
  });
  const orchestrator = createOrchestrator({ runtime, knowledgeBase, router: createRuleRouter(), now });
  return { model: chosenModel, runtime, orchestrator };
}
