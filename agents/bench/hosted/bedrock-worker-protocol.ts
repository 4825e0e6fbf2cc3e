import { z } from 'zod';
import type { TokenUsage } from '../../models/model.ts';

const Profile = z.object({
  firstTokenMs: z.number().min(0),
  msPerInputToken: z.number().min(0),
  msPerOutputToken: z.number().min(0),
});

/** What the local Bedrock worker is started with. */
export const BedrockWorkerData = z.object({
  /** The model ids it answers for; the first is the server's own. */
  modelIds: z.array(z.string()).min(1),
  sonnet: Profile,
  haiku: Profile,
  /** Multiplies every modelled latency. */
  scale: z.number().positive(),
  /** Where each call's modelled latency starts (see `ConverseServerOptions.latencyFrom`). */
  latencyFrom: z.enum(['received', 'sent']),
});
export type BedrockWorkerData = z.infer<typeof BedrockWorkerData>;

/** One answered request, as the worker reports it. */
export interface ObservedRequest {
  modelId: string;
  metadata: Record<string, string>;
  usage: TokenUsage;
  modelledMs: number;
  /** In ms since the epoch, on the clock both threads share: when the service sent the request. */
  sentAt?: number;
  /** When the stand-in read it. */
  receivedAt: number;
  answeredAt: number;
}

/** What the worker posts back. */
export type BedrockWorkerReply =
  { type: 'ready'; endpoint: string } | { type: 'records'; records: ObservedRequest[] } | { type: 'closed' };
