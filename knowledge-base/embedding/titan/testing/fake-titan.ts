import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Embedder } from '../../embedder.ts';
import { createHashingEmbedder } from '../../hashing-embedder.ts';

/** The body Titan Text Embeddings V2 receives in an InvokeModel call. */
export interface TitanRequestBody {
  inputText: string;
  dimensions: number;
  normalize: boolean;
}

/** One InvokeModel call the fake received, for assertions. */
export interface RecordedInvokeModel {
  method: string;
  /** The decoded path, `/model/<model id>/invoke`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: TitanRequestBody;
}

/** Answers one InvokeModel call. */
export type TitanResponder = (request: RecordedInvokeModel, response: ServerResponse) => void | Promise<void>;

/** Settings of {@link startFakeTitan}. */
export interface FakeTitanOptions {
  /** Milliseconds before each answer; varies with the text by default, so answers overtake each other. */
  delayMs?: (request: RecordedInvokeModel) => number;
}

/** A running fake; see {@link startFakeTitan}. */
export interface FakeTitan {
  /** `http://127.0.0.1:<port>`, the endpoint of a `BedrockRuntimeClient`. */
  url: string;
  /** Every InvokeModel call received, in arrival order. */
  requests: RecordedInvokeModel[];
  /** The most calls that were in flight at once. */
  readonly maxInFlight: number;
  /** Answers the following calls with `responder`; without one, embeds again. */
  answerWith(responder?: TitanResponder): void;
  /** The default responder: a Titan-shaped embedding of the request's text. */
  answerEmbedding: TitanResponder;
  close(): Promise<void>;
}

/** Answers an error the way the Bedrock runtime does: the type in a header, a JSON message. */
export function writeTitanError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'fake-error',
  });
  response.end(JSON.stringify({ message }));
}

/** Answers a Titan V2 embedding. */
export function writeTitanEmbedding(
  response: ServerResponse,
  embedding: readonly number[],
  inputTextTokenCount: number,
): void {
  response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'fake-request' });
  response.end(JSON.stringify({ embedding, inputTextTokenCount }));
}

const MODEL_PATH = /^\/model\/([^/]+)\/invoke$/;

function isTitanRequestBody(value: unknown): value is TitanRequestBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.inputText === 'string' &&
    typeof body.dimensions === 'number' &&
    typeof body.normalize === 'boolean'
  );
}

/** A delay of 5 to 16 ms that depends on the text, so that calls in flight finish out of order. */
function textDependentDelay(request: RecordedInvokeModel): number {
  let hash = 0;
  for (const character of request.body.inputText) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 9973;
  return 5 + (hash % 12);
}

/**
 * A local Bedrock runtime that answers InvokeModel the way Titan Text Embeddings V2 does, over
 * HTTP/1.1 (give the client a `NodeHttpHandler`). It stands in for the model: the vectors are
 * computed by the hashing embedder at the requested dimensions, so related texts do score
 * higher than unrelated ones. They are L2-normalised when the body asks for `normalize: true`
 * and three times longer otherwise, so an adapter that forgets to ask is caught.
 * Like Titan, it refuses an empty text, unsupported dimensions or a malformed body with a
 * ValidationException, and an unknown path with a 404.
 */
export async function startFakeTitan(options: FakeTitanOptions = {}): Promise<FakeTitan> {
  const delayMs = options.delayMs ?? textDependentDelay;
  const embedders = new Map<number, Embedder>();
  const requests: RecordedInvokeModel[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const answerEmbedding: TitanResponder = async (request, response) => {
    const { inputText, dimensions, normalize } = request.body;
    if (inputText.trim().length === 0) {
      writeTitanError(response, 400, 'ValidationException', 'Malformed input request: inputText is empty');
      return;
    }
    if (![256, 512, 1024].includes(dimensions)) {
      writeTitanError(
        response,
        400,
        'ValidationException',
        `Malformed input request: dimensions ${dimensions}`,
      );
      return;
    }
    let embedder = embedders.get(dimensions);
    if (!embedder) {
      embedder = createHashingEmbedder({ dimensions });
      embedders.set(dimensions, embedder);
    }
    const [vector] = await embedder.embed({ texts: [inputText] });
    const embedding = [...(vector ?? [])];
    const scaled = normalize ? embedding : embedding.map((value) => value * 3);
    writeTitanEmbedding(response, scaled, inputText.split(/\s+/).length);
  };
  let responder = answerEmbedding;

  const server = createServer((incoming, response) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const path = decodeURIComponent(new URL(incoming.url ?? '/', 'http://fake').pathname);
      if (incoming.method !== 'POST' || !MODEL_PATH.test(path)) {
        writeTitanError(response, 404, 'ResourceNotFoundException', `no route ${incoming.method} ${path}`);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        body = undefined;
      }
      if (!isTitanRequestBody(body)) {
        writeTitanError(response, 400, 'ValidationException', 'Malformed input request: not a Titan V2 body');
        return;
      }
      const request: RecordedInvokeModel = { method: incoming.method, path, headers: incoming.headers, body };
      requests.push(request);
      const answer = responder;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        void Promise.resolve(answer(request, response)).catch((error: unknown) => {
          writeTitanError(response, 500, 'InternalServerException', String(error));
        });
      }, delayMs(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    answerWith(next) {
      responder = next ?? answerEmbedding;
    },
    answerEmbedding,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
