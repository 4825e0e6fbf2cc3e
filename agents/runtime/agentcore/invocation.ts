import { z } from 'zod';
import {
  AgentOutputError,
  AgentStepLimitError,
  CancelledError,
  ConsolidatedAnalysis,
  DefectId,
  Facility,
  InspectionReport,
  ModelThrottledError,
  TimeoutError,
  UpstreamError,
  ValidationError,
  isDomainError,
  type DomainError,
} from '../../../domain/index.ts';
import type { ContentBlock } from '../../models/model.ts';
import type { AgentEvent } from '../agent-runtime.ts';

/**
 * The wire of the AgentCore entry point: the JSON bodies of `POST /invocations`, the events of
 * its server-sent event streams, and its errors. The entry point and the `agentcore` adapter both
 * read it, so the two ends cannot drift apart.
 */

/** The header AgentCore Runtime sends the session id in (and InvokeAgentRuntime takes it from). */
export const SESSION_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';

/** The agents the entry point serves one invocation of. */
export const InvokableAgent = z.enum(['classifier', 'root-cause', 'corrective-action']);
export type InvokableAgent = z.infer<typeof InvokableAgent>;

/** The output schemas an invocation may ask for, by name: zod schemas do not travel over the wire. */
export const OutputSchemaName = z.enum(['agent', 'follow-up-answer']);
export type OutputSchemaName = z.infer<typeof OutputSchemaName>;

/** A content block of the user turn: text, or an image with its bytes in base64. */
const WireContentBlock = z.union([
  z.object({ text: z.string() }).strict(),
  z
    .object({
      image: z.object({
        format: z.enum(['jpeg', 'png', 'webp']),
        source: z.object({ bytes: z.base64().max(22_000_000) }),
      }),
    })
    .strict(),
]);

const Scope = z.object({ facility: Facility.nullable() }).strict();

/** Runs one agent on one input: what the `agentcore` adapter of the AgentRuntime port sends. */
export const AgentInvocation = z
  .object({
    action: z.literal('invoke'),
    agent: InvokableAgent,
    input: z.union([z.string().min(1).max(200_000), z.array(WireContentBlock).min(1).max(20)]),
    mode: z.enum(['analyze', 'answer']).default('analyze'),
    output: OutputSchemaName.default('agent'),
    scope: Scope.default({ facility: null }),
  })
  .strict();
export type AgentInvocation = z.input<typeof AgentInvocation>;

/** Analyses one report with the orchestrator: the three agents in turn, as the API does in process. */
export const AnalysisInvocation = z
  .object({
    action: z.literal('analyze'),
    defect_id: DefectId,
    report: InspectionReport,
    created_at: z.iso.datetime().optional(),
    scope: Scope.default({ facility: null }),
  })
  .strict();
export type AnalysisInvocation = z.input<typeof AnalysisInvocation>;

/** Answers a follow-up question about a stored analysis. */
export const QuestionInvocation = z
  .object({
    action: z.literal('ask'),
    analysis: ConsolidatedAnalysis,
    history: z
      .array(
        z.object({
          question: z.string(),
          answer: z.string(),
          agent: z.enum(['classifier', 'root-cause', 'corrective-action']),
        }),
      )
      .max(50)
      .default([]),
    question: z.string().min(1).max(4_000),
    scope: Scope.default({ facility: null }),
  })
  .strict();
export type QuestionInvocation = z.input<typeof QuestionInvocation>;

/** The body of `POST /invocations`. */
export const Invocation = z.discriminatedUnion('action', [
  AgentInvocation,
  AnalysisInvocation,
  QuestionInvocation,
]);
export type Invocation = z.output<typeof Invocation>;

/** An error as the entry point sends it: our typed error's code, its message, whether to retry. */
export const WireError = z.object({
  code: z.string().min(1),
  message: z.string(),
  isRetryable: z.boolean(),
});
export type WireError = z.infer<typeof WireError>;

const Usage = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  totalTokens: z.number().int().min(0),
});

/** One {@link AgentEvent} as the entry point streams it (the `data` of its SSE event). */
export const WireAgentEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('model_call'),
    agent: z.string(),
    step: z.number().int(),
    durationMs: z.number(),
    usage: Usage,
    stopReason: z.string(),
  }),
  z.object({
    type: z.literal('tool_call'),
    agent: z.string(),
    step: z.number().int(),
    toolUseId: z.string(),
    name: z.string(),
    input: z.unknown(),
    durationMs: z.number(),
    status: z.enum(['success', 'error']),
    error: z.string().optional(),
  }),
  z.object({
    type: z.literal('retrieval'),
    agent: z.string(),
    step: z.number().int(),
    tool: z.string(),
    chunkIds: z.array(z.string()),
  }),
  z.object({ type: z.literal('repair'), agent: z.string(), step: z.number().int(), reason: z.string() }),
  z.object({
    type: z.literal('final'),
    agent: z.string(),
    output: z.unknown(),
    usage: Usage,
    durationMs: z.number(),
    steps: z.number().int(),
  }),
]);

/** The user turn as it travels: image bytes in base64. */
export function toWireInput(input: string | ContentBlock[]): AgentInvocation['input'] {
  if (typeof input === 'string') return input;
  return input.flatMap((block): Array<Exclude<AgentInvocation['input'], string>[number]> => {
    if ('text' in block) return [{ text: block.text }];
    if ('image' in block) {
      return [
        {
          image: {
            format: block.image.format,
            source: { bytes: Buffer.from(block.image.source.bytes).toString('base64') },
          },
        },
      ];
    }
    return [];
  });
}

/** The user turn as the runtime takes it: image bytes decoded. */
export function fromWireInput(input: z.output<typeof AgentInvocation>['input']): string | ContentBlock[] {
  if (typeof input === 'string') return input;
  return input.map((block) =>
    'text' in block
      ? { text: block.text }
      : {
          image: {
            format: block.image.format,
            source: { bytes: new Uint8Array(Buffer.from(block.image.source.bytes, 'base64')) },
          },
        },
  );
}

/** A thrown value as the entry point sends it: typed errors keep their code, anything else is internal. */
export function toWireError(error: unknown): WireError {
  if (isDomainError(error))
    return { code: error.code, message: error.message, isRetryable: error.isRetryable };
  return { code: 'internal_error', message: 'the agent runtime failed', isRetryable: false };
}

/** The typed error a wire error stands for, with the wire error as its cause. */
export function fromWireError(wire: WireError, origin: string): DomainError {
  const message = `${origin}: ${wire.message}`;
  const options = { cause: wire };
  switch (wire.code) {
    case 'timeout':
      return new TimeoutError(message, options);
    case 'cancelled':
      return new CancelledError(message, options);
    case 'model_throttled':
      return new ModelThrottledError(message, options);
    case 'agent_output_invalid':
      return new AgentOutputError(message, options);
    case 'agent_step_limit':
      return new AgentStepLimitError(message, options);
    case 'validation_error':
      return new ValidationError(message, options);
    default:
      return new UpstreamError(message, { ...options, isRetryable: wire.isRetryable });
  }
}

/** One server-sent event: its name and its JSON data. */
export function serverSentEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A parsed server-sent event. */
export interface ParsedEvent {
  event: string;
  data: string;
}

/**
 * Splits a growing text of server-sent events into whole events; returns them and the rest,
 * which waits for more text. Lines other than `event:` and `data:` (comments, ids) are skipped.
 */
export function parseServerSentEvents(text: string): { events: ParsedEvent[]; rest: string } {
  const events: ParsedEvent[] = [];
  const normalized = text.replaceAll('\r\n', '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/** A wire event parsed as an {@link AgentEvent}; throws a ZodError when it is not one. */
export function toAgentEvent(data: unknown): AgentEvent {
  return WireAgentEvent.parse(data) as AgentEvent;
}
