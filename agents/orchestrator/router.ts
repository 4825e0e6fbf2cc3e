import type { z } from 'zod';
import { z as zod } from 'zod';
import type { AgentId } from '../definition.ts';
import { messageText, type Model } from '../models/model.ts';
import { readInstruction } from '../definition.ts';
import { extractJson } from '../runtime/local-runtime.ts';
import { INTENT_SPECIALIST, recognizeQuestion } from '../router/intent.ts';

/** A specialist that can answer follow-up questions. */
export type Specialist = Exclude<AgentId, 'supervisor'>;

/** Picks the specialist for a follow-up question. */
export interface QuestionRouter {
  route(params: { question: string; signal?: AbortSignal }): Promise<{ agent: Specialist; reason: string }>;
}

const RULES: Array<{ agent: Specialist; pattern: RegExp; reason: string }> = [
  {
    agent: 'corrective-action',
    pattern:
      /\b(what (should|do|can) we do|actions?|capa|containment|contain|corrective|preventive|prevent|owner|due|deadline|fix|quarantine|effectiveness|verify|sort|rework plan|who)\b|怎么办|怎么处理|措施|纠正|预防|围堵|隔离|整改/i,
    reason: 'asks what to do about it',
  },
  {
    agent: 'root-cause',
    pattern:
      /\b(why|cause[sd]?|root|stage|where .*(come|originate)|5[- ]?why|five[- ]?why|fishbone|ishikawa|6m|evidence|happen|origin|escape|systemic|recur)|原因|为什么|鱼骨|根因/i,
    reason: 'asks why it happened',
  },
  {
    agent: 'classifier',
    pattern:
      /\b(what (is|kind|type)|type|classif|severity|severe|critical|major|minor|disposition|scrap|pass|ship|confiden|escalat|sure)\b|什么缺陷|类型|分类|判定|置信/i,
    reason: 'asks what the defect is',
  },
];

/**
 * The rules router used with the offline model: the recognised intent's owner (see
 * {@link INTENT_SPECIALIST}), else keyword rules on the main verb, root cause by default.
 */
export function createRuleRouter(): QuestionRouter {
  return {
    async route({ question }) {
      const { intent } = recognizeQuestion(question);
      if (intent !== 'general')
        return { agent: INTENT_SPECIALIST[intent], reason: `asks about ${intent.replaceAll('_', ' ')}` };
      for (const rule of RULES)
        if (rule.pattern.test(question)) return { agent: rule.agent, reason: rule.reason };
      return {
        agent: 'root-cause',
        reason: 'no rule matched; the root-cause analyst holds most of the analysis',
      };
    },
  };
}

const RouterAnswer = zod.object({
  agent: zod.enum(['classifier', 'root-cause', 'corrective-action']),
  reason: zod.string(),
});

/** The model-based router for hosted models; falls back to the rules on an unusable answer. */
export function createModelRouter({ model }: { model: Model }): QuestionRouter {
  const instruction = readInstruction(new URL('../router/instruction.md', import.meta.url));
  const fallback = createRuleRouter();
  return {
    async route({ question, signal }) {
      const result = await model.converse({
        system: [{ text: instruction }],
        messages: [{ role: 'user', content: [{ text: `<question>\n${question}\n</question>` }] }],
        requestMetadata: { agent: 'router', mode: 'route' },
        signal,
      });
      try {
        const parsed: z.infer<typeof RouterAnswer> = RouterAnswer.parse(
          extractJson(messageText(result.output.message)),
        );
        return parsed;
      } catch {
        return fallback.route({ question, signal });
      }
    },
  };
}
