import type { ContentBlock, ConverseParams, ConverseResult, Model, TokenUsage } from '../models/model.ts';

/** One scripted step: a fixed result, a function of the call, an error to throw, or a delay. */
export type ScriptedStep =
  | ConverseResult
  | ((params: ConverseParams) => ConverseResult | Promise<ConverseResult>)
  | Error
  | { delayMs: number; then: ConverseResult };

/** A fake model that answers from a script and records every call. */
export interface ScriptedModel extends Model {
  readonly calls: ConverseParams[];
}

/**
 * A scripted fake model for tests: returns the steps in order, records each call (a copy of
 * its messages), and throws when the script runs out.
 */
export function createScriptedModel({
  steps,
  id = 'scripted',
  supportsImages = false,
}: {
  steps: ScriptedStep[];
  id?: string;
  supportsImages?: boolean;
}): ScriptedModel {
  const calls: ConverseParams[] = [];
  let index = 0;
  return {
    id,
    supportsImages,
    calls,
    async converse(params) {
      calls.push({ ...params, messages: structuredClone([...params.messages]) });
      const step = steps[index];
      index += 1;
      if (step === undefined)
        throw new Error(`scripted model: no step ${index} in a script of ${steps.length}`);
      if (step instanceof Error) throw step;
      if (typeof step === 'function') return step(params);
      if ('delayMs' in step) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, step.delayMs);
          params.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(params.signal?.reason);
          });
        });
        return step.then;
      }
      return step;
    },
  };
}

function usage(inputTokens: number, outputTokens: number): TokenUsage {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** A Converse response that ends the turn with text (as Bedrock returns it). */
export function textResponse(text: string, tokens = { input: 812, output: 164 }): ConverseResult {
  return {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: usage(tokens.input, tokens.output),
    metrics: { latencyMs: 1240 },
  };
}

/** A Converse response that asks for tool calls (as Bedrock returns it). */
export function toolUseResponse(
  uses: Array<{ name: string; input: unknown; toolUseId?: string }>,
  thinking = 'Let me look that up.',
): ConverseResult {
  const content: ContentBlock[] = [{ text: thinking }];
  uses.forEach((use, index) =>
    content.push({
      toolUse: {
        toolUseId: use.toolUseId ?? `tooluse_${index}_${use.name}`,
        name: use.name,
        input: use.input,
      },
    }),
  );
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: 'tool_use',
    usage: usage(1024, 96),
    metrics: { latencyMs: 870 },
  };
}
