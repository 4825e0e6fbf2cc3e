import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { startConverseServer } from '../../models/testing/converse-server.ts';
import { callLatency } from '../../models/testing/latency-model.ts';
import { createPromptCache } from '../../models/testing/prompt-cache.ts';
import { createTokenCounter } from '../../models/testing/token-counter.ts';
import {
  BedrockWorkerData,
  type BedrockWorkerReply,
  type ObservedRequest,
} from './bedrock-worker-protocol.ts';

const settings = BedrockWorkerData.parse(workerData);
const port = parentPort;
if (!port) throw new Error('the local Bedrock worker runs in a worker thread');

const server = await startConverseServer({
  model: createOfflineModel(),
  modelId: settings.modelIds[0] ?? '',
  otherModelIds: settings.modelIds.slice(1),
  accounting: { countTokens: createTokenCounter({ memoryLimit: 65_536 }), promptCache: createPromptCache() },
  latencyFrom: settings.latencyFrom,
  latency: ({ modelId, usage }) =>
    callLatency(/haiku/.test(modelId) ? settings.haiku : settings.sonnet, usage, settings.scale),
});

const Command = z.enum(['records', 'close']);

port.on('message', (message: unknown) => {
  const command = Command.parse(message);
  if (command === 'records') {
    const records: ObservedRequest[] = server.requests.flatMap((request) =>
      request.usage && request.latency && request.answeredAt !== undefined && request.receivedAt !== undefined
        ? [
            {
              modelId: request.modelId,
              metadata: request.params?.requestMetadata ?? {},
              usage: request.usage,
              modelledMs: request.latency.totalMs,
              ...(request.sentAt === undefined ? {} : { sentAt: request.sentAt }),
              receivedAt: request.receivedAt,
              answeredAt: request.answeredAt,
            },
          ]
        : [],
    );
    server.reset();
    port.postMessage({ type: 'records', records } satisfies BedrockWorkerReply);
    return;
  }
  void server.close().then(() => port.postMessage({ type: 'closed' } satisfies BedrockWorkerReply));
});

port.postMessage({ type: 'ready', endpoint: server.endpoint } satisfies BedrockWorkerReply);
