import { CancelledError } from '../../../domain/errors.ts';
import { answerSkill } from './answer-skill.ts';
import { classifierSkill } from './classifier-skill.ts';
import {
  committedClassifierSource,
  withClassifierModel,
  type ClassifierSource,
} from './classifier/classifier.ts';
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

const messageLengths = new WeakMap<object, number>();

/** Characters of a message as JSON, remembered per message object (earlier turns do not change). */
function messageLength(message: object): number {
  let length = messageLengths.get(message);
  if (length === undefined) {
    length = JSON.stringify(message, (_key, value: unknown) =>
      value instanceof Uint8Array ? `[${value.length} bytes]` : value,
    ).length;
    messageLengths.set(message, length);
  }
  return length;
}

function inputCharacters(params: ConverseParams): number {
  let characters = params.system.reduce((sum, block) => sum + block.text.length, 0);
  for (const message of params.messages) characters += messageLength(message);
  for (const tool of params.tools ?? []) characters += messageLength(tool);
  return characters;
}

/**
 * The offline model: deterministic, explainable, grounded only in the tools it calls (the
 * action groups and, through them, the knowledge base). It reads the agent and mode from
 * `requestMetadata`, asks for tools turn by turn, and answers with JSON, through the same tool
 * loop and trace events as a hosted model. Token usage is estimated at four characters a token.
 * Its trained classifier comes from `classifier` (the committed model by default), read once per call.
 */
export function createOfflineModel({
  classifier = committedClassifierSource,
}: { classifier?: ClassifierSource } = {}): Model {
  return {
    id: 'offline-v1',
    supportsImages: false,
    async converse(params): Promise<ConverseResult> {
      if (params.signal?.aborted) {
        throw new CancelledError('the call to the offline model was cancelled', {
          cause: params.signal.reason,
        });
      }
      const conversation = readConversation(params);
      const skill = conversation.mode === 'answer' ? answerSkill : SKILLS[conversation.agent];
      if (!skill) throw new Error(`the offline model has no skill for agent "${conversation.agent}"`);
      const step = withClassifierModel({ model: classifier.current(), body: () => skill(conversation) });
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
      const inputTokens = Math.ceil(inputCharacters(params) / 4);
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
