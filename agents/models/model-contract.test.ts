import { createConverseModel } from './converse/converse-model.ts';
import type { Model } from './model.ts';
import { createOfflineModel } from './offline/offline-model.ts';
import { createOpenAiModel } from './openai/openai-model.ts';
import { startConverseServer } from './testing/converse-server.ts';
import { startOpenAiServer } from './testing/openai-server.ts';
import { describeModelContract, type ModelUnderTest } from './testing/model-contract.ts';

/** The converse adapter over a local Converse server that hosts `hosted`. */
async function converseOverLocalServer(
  hosted: Model,
  { stream, supportsImages = false }: { stream: boolean; supportsImages?: boolean },
): Promise<ModelUnderTest> {
  const server = await startConverseServer({ model: hosted, streamChunkLength: 7 });
  const model = createConverseModel({
    modelId: server.modelId,
    client: server.createClient(),
    stream,
    supportsImages,
    maxRetries: 0,
  });
  return { model, receivedCalls: () => server.receivedCalls(), cleanup: () => server.close() };
}

/** The openai adapter, with the platform's fetch, over a local chat completions server that hosts `hosted`. */
async function openAiOverLocalServer(
  hosted: Model,
  { stream, supportsImages = false }: { stream: boolean; supportsImages?: boolean },
): Promise<ModelUnderTest> {
  const apiKey = 'local-test-key-0123456789';
  const server = await startOpenAiServer({ model: hosted, apiKey, streamChunkLength: 7 });
  const model = createOpenAiModel({
    baseUrl: server.baseUrl,
    modelName: server.modelName,
    apiKey,
    stream,
    supportsImages,
    maxRetries: 0,
  });
  return { model, receivedCalls: () => server.receivedCalls(), cleanup: () => server.close() };
}

/**
 * The offline model, made to take images: it accepts image blocks and answers as if they were not
 * there, so that a server hosting it stands for a Bedrock model that reads images.
 */
function acceptingImages(model: Model): Model {
  return {
    id: model.id,
    supportsImages: true,
    converse: (params) =>
      model.converse({
        ...params,
        messages: params.messages.map((message) => ({
          role: message.role,
          content: message.content.filter((block) => !('image' in block)),
        })),
      }),
  };
}

describeModelContract('offline', async () => ({ model: createOfflineModel() }), { deterministic: true });

describeModelContract(
  'converse (Converse) over a local server hosting the offline model',
  () => converseOverLocalServer(createOfflineModel(), { stream: false }),
  { deterministic: true },
);

describeModelContract(
  'converse (ConverseStream) over a local server hosting the offline model',
  () => converseOverLocalServer(createOfflineModel(), { stream: true }),
  { deterministic: true },
);

describeModelContract(
  'converse (ConverseStream) with images over a local server hosting a model that takes images',
  () =>
    converseOverLocalServer(acceptingImages(createOfflineModel()), { stream: true, supportsImages: true }),
  { deterministic: true },
);

describeModelContract(
  'openai (chat completions) over a local server hosting the offline model',
  () => openAiOverLocalServer(createOfflineModel(), { stream: false }),
  { deterministic: true },
);

describeModelContract(
  'openai (streamed chat completions) over a local server hosting the offline model',
  () => openAiOverLocalServer(createOfflineModel(), { stream: true }),
  { deterministic: true },
);

describeModelContract(
  'openai (streamed chat completions) with images over a local server hosting a model that takes images',
  () => openAiOverLocalServer(acceptingImages(createOfflineModel()), { stream: true, supportsImages: true }),
  { deterministic: true },
);
