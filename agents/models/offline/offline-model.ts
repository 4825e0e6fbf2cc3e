import { answerSkill } from './answer-skill.ts';
import { classifierSkill } from './classifier-skill.ts';
import { readConversation, type Skill } from './conversation.ts';
import { correctiveActionSkill } from './corrective-action-skill.ts';
import { rootCauseSkill } from './root-cause-skill.ts';
import type { ContentBlock, ConverseParams, ConverseResult, Model } from '../model.ts';

const SKILLS: Record<string, Skill> = {
  classifier: classifierSkill,
  'root-cause': rootCauseSkill,
  'corrective-action': correctiveActionSkill,
};

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function paramsText(params: ConverseParams): string {
  return (
    params.system.map((block) => block.text).join('\n') +
    JSON.stringify(params.messages, (_key, value: unknown) =>
      value instanceof Uint8Array ? `[${value.length} bytes]` : value,
    ) +
    JSON.stringify(params.tools ?? [])
  );
}

/**
 * The offline model: deterministic, explainable, grounded only in the tools it calls (the
 * action groups and, through them, the knowledge base). It reads the agent and mode from
 * `requestMetadata`, asks for tools turn by turn, and answers with JSON, through the same tool
 * loop and trace events as a hosted model. Token usage is estimated at four characters a token.
 */
export function createOfflineModel(): Model {
  return {
    id: 'offline-v1',
    supportsImages: false,
    async converse(params): Promise<ConverseResult> {
      params.signal?.throwIfAborted();
      const conversation = readConversation(params);
      const skill = conversation.mode === 'answer' ? answerSkill : SKILLS[conversation.agent];
      if (!skill) throw new Error(`the offline model has no skill for agent "${conversation.agent}"`);
      const step = skill(conversation);
      const content: ContentBlock[] =
        'final' in step
          ? [{ text: JSON.stringify(step.final) }]
          : step.toolUses.map((use, index) => ({
              toolUse: {
                toolUseId: `offline_${conversation.turn}_${index}_${use.name}`,
                name: use.name,
                input: use.input,
              },
            }));
      const inputTokens = estimateTokens(paramsText(params));
      const outputTokens = estimateTokens(JSON.stringify(content));
      return {
        output: { message: { role: 'assistant', content } },
        stopReason: 'final' in step ? 'end_turn' : 'tool_use',
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        metrics: { latencyMs: 0 },
      };
    },
  };
}
