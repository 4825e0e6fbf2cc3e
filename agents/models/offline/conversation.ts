import type { ConverseParams, Message } from '../model.ts';

/** What the offline model reads off a conversation: the tagged input and the tool results so far. */
export interface Conversation {
  agent: string;
  mode: string;
  /** The `<tag>…</tag>` sections of the first user turn, JSON-parsed where possible. */
  sections: Record<string, unknown>;
  /** Tool outputs by tool name, in call order. */
  results: Map<string, unknown[]>;
  /** Assistant turns so far. */
  turn: number;
  /** The names of the tools the agent was offered. */
  tools: ReadonlySet<string>;
}

/** One step of a skill: ask for tools, or give the final answer. */
export type SkillStep =
  { toolUses: Array<{ name: string; input: Record<string, unknown> }> } | { final: unknown };

/** An agent's behaviour in the offline model. */
export type Skill = (conversation: Conversation) => SkillStep;

const SECTION = /<([a-z_]+)>\s*([\s\S]*?)\s*<\/\1>/g;

function parseSections(message: Message | undefined): Record<string, unknown> {
  const sections: Record<string, unknown> = {};
  if (!message) return sections;
  const text = message.content.flatMap((block) => ('text' in block ? [block.text] : [])).join('\n');
  for (const match of text.matchAll(SECTION)) {
    const [, name = '', body = ''] = match;
    try {
      sections[name] = JSON.parse(body);
    } catch {
      sections[name] = body;
    }
  }
  return sections;
}

/** Reads a Converse request into a {@link Conversation}. */
export function readConversation(params: ConverseParams): Conversation {
  const messages = params.messages;
  const results = new Map<string, unknown[]>();
  const names = new Map<string, string>();
  let turn = 0;
  for (const message of messages) {
    if (message.role === 'assistant') turn += 1;
    for (const block of message.content) {
      if ('toolUse' in block) names.set(block.toolUse.toolUseId, block.toolUse.name);
      if ('toolResult' in block && block.toolResult.status !== 'error') {
        const name = names.get(block.toolResult.toolUseId);
        const json = block.toolResult.content.find((item): item is { json: unknown } => 'json' in item);
        if (name && json) results.set(name, [...(results.get(name) ?? []), json.json]);
      }
    }
  }
  return {
    agent: params.requestMetadata?.agent ?? '',
    mode: params.requestMetadata?.mode ?? 'analyze',
    sections: parseSections(messages[0]),
    results,
    turn,
    tools: new Set((params.tools ?? []).map((tool) => tool.name)),
  };
}

/** The last output of a tool, or undefined. */
export function lastResult<T>(conversation: Conversation, tool: string): T | undefined {
  return conversation.results.get(tool)?.at(-1) as T | undefined;
}

/** All outputs of a tool. */
export function allResults<T>(conversation: Conversation, tool: string): T[] {
  return (conversation.results.get(tool) ?? []) as T[];
}
