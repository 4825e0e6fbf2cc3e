import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

/**
 * Tokens Anthropic documents for the system prompt that enables tool use on Claude 4 models with
 * `toolChoice` auto (313 with `any` or a named tool); a request with tools pays them on top of its
 * tool specs.
 */
export const TOOL_USE_SYSTEM_PROMPT_TOKENS = 346;

/** Tokens counted for each message's role and turn markers. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/**
 * A token counter with OpenAI's `cl100k_base` byte-pair encoding (js-tiktoken, pure JavaScript,
 * no downloads). Claude's own tokenizer for Claude 3 and later is not published (Anthropic
 * counts tokens only through its API), so this is an approximation: on English prose Claude's
 * tokenizer gives somewhat more tokens than `cl100k_base` (roughly 10 to 20 %), and on Chinese
 * text the two differ more. Counts of repeated texts (instructions, tool specs) are remembered,
 * up to `memoryLimit` texts, the least recently used forgotten first.
 */
export function createTokenCounter({ memoryLimit = 4096 }: { memoryLimit?: number } = {}): TokenCounter {
  const encoder = new Tiktoken(cl100kBase);
  const remembered = new Map<string, number>();
  return (text) => {
    if (text.length === 0) return 0;
    const known = remembered.get(text);
    if (known !== undefined) {
      // Least recently used first: a conversation's earlier turns, counted again with every call, stay.
      remembered.delete(text);
      remembered.set(text, known);
      return known;
    }
    const count = encoder.encode(text, [], []).length;
    if (remembered.size >= memoryLimit) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
    remembered.set(text, count);
    return count;
  };
}
