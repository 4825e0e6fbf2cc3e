import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createLocalBedrockClient, SENT_AT_HEADER } from '../../models/testing/converse-server.ts';
import type { BedrockWorkerData, BedrockWorkerReply, ObservedRequest } from './bedrock-worker-protocol.ts';

/** The local Bedrock server running in its own thread, as the benchmark drives it. */
export interface BedrockWorker {
  /** A real Bedrock Runtime client pointed at it over HTTP/2, with test credentials and no retries. */
  client: BedrockRuntimeClient;
  /** The requests answered since the last call, and forgets them. */
  takeRecords(): Promise<ObservedRequest[]>;
  close(): Promise<void>;
}

async function reply<Type extends BedrockWorkerReply['type']>(
  worker: Worker,
  type: Type,
): Promise<Extract<BedrockWorkerReply, { type: Type }>> {
  for (;;) {
    const [message] = (await once(worker, 'message')) as [BedrockWorkerReply];
    if (message.type === type) return message as Extract<BedrockWorkerReply, { type: Type }>;
  }
}

/**
 * Starts the local Bedrock server (the offline model behind Converse, with token accounting, the
 * prompt cache and modelled latency) in a worker thread, so that what it computes in place of
 * Bedrock does not run on the event loop of the service being measured.
 */
export async function startBedrockWorker(data: BedrockWorkerData): Promise<BedrockWorker> {
  const worker = new Worker(new URL('./bedrock-worker-from-source.mjs', import.meta.url), {
    workerData: data,
  });
  worker.on('error', (error) => {
    throw error;
  });
  const { endpoint } = await reply(worker, 'ready');
  const client = createLocalBedrockClient(endpoint);
  // Stamps when the service hands each request to the connection (after serializing and signing
  // it), so the stand-in can tell its own queueing from the service's.
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers)
        request.headers[SENT_AT_HEADER] = String(performance.timeOrigin + performance.now());
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchSentAtMiddleware' },
  );
  return {
    client,
    async takeRecords() {
      const answer = reply(worker, 'records');
      worker.postMessage('records');
      return (await answer).records;
    },
    async close() {
      client.destroy();
      const closed = reply(worker, 'closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
