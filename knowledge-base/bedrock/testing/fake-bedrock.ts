import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Embedder } from '../../embedding/embedder.ts';
import {
  createFakeS3Handler,
  readRequest,
  type FakeResponse,
  type RecordedRequest,
  type StoredObject,
} from './fake-s3.ts';

export { s3Error } from './fake-s3.ts';

/** A metadata filter as Retrieve receives it on the wire. */
interface WireFilter {
  equals?: { key: string; value: unknown };
  notEquals?: { key: string; value: unknown };
  listContains?: { key: string; value: unknown };
  in?: { key: string; value: unknown[] };
  andAll?: WireFilter[];
  orAll?: WireFilter[];
}

interface RetrieveBody {
  retrievalQuery?: { text?: string };
  retrievalConfiguration?: {
    vectorSearchConfiguration?: {
      numberOfResults?: number;
      overrideSearchType?: 'HYBRID' | 'SEMANTIC';
      filter?: WireFilter;
    };
  };
}

/** A chunk as the fake vector store holds it after an ingestion job. */
interface IndexedChunk {
  uri: string;
  text: string;
  attributes: Record<string, unknown>;
  vector: Float32Array;
  words: string[];
}

interface IngestionJob {
  knowledgeBaseId: string;
  dataSourceId: string;
  ingestionJobId: string;
  status: 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  statistics: Record<string, number>;
  failureReasons: string[];
  startedAt: string;
  updatedAt: string;
  pollsLeft: number;
}

/** Settings of {@link startFakeBedrock}. */
export interface FakeBedrockOptions {
  knowledgeBaseId: string;
  dataSourceId: string;
  /** The data source's bucket; objects of other buckets are stored but never ingested. */
  bucket: string;
  /** The data source's inclusion prefix; `chunks/` by default. */
  inclusionPrefix?: string;
  /** Embeds the ingested chunks and the queries, as the knowledge base's embedding model does. */
  embedder: Embedder;
  /** GetIngestionJob answers IN_PROGRESS this many times before COMPLETE; 1 by default. */
  pollsUntilComplete?: number;
}

/** A running fake; see {@link startFakeBedrock}. */
export interface FakeBedrock {
  /** `http://127.0.0.1:<port>`, HTTP/1.1: the endpoint of clients given a `NodeHttpHandler`. */
  url: string;
  /**
   * The same fake over HTTP/2 without TLS, for clients with their default handler: the Bedrock
   * Agent Runtime client speaks HTTP/2.
   */
  http2Url: string;
  requests: RecordedRequest[];
  /** Stored objects by `bucket/key`. */
  objects: ReadonlyMap<string, StoredObject>;
  /** Ingestion jobs started, oldest first. */
  ingestionJobs: readonly IngestionJob[];
  /** Answers the next request with this handler instead (an error, say). */
  failNext(handler: (response: FakeResponse) => void): void;
  close(): Promise<void>;
}

/** Answers a Bedrock error the way restJson1 services do: `x-amzn-errortype` and a message. */
export function bedrockError(response: FakeResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

function sendJson(response: FakeResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

function matches(filter: WireFilter | undefined, attributes: Record<string, unknown>): boolean {
  if (!filter) return true;
  if (filter.andAll) return filter.andAll.every((member) => matches(member, attributes));
  if (filter.orAll) return filter.orAll.some((member) => matches(member, attributes));
  if (filter.equals) return attributes[filter.equals.key] === filter.equals.value;
  if (filter.notEquals) return attributes[filter.notEquals.key] !== filter.notEquals.value;
  if (filter.in) return filter.in.value.includes(attributes[filter.in.key]);
  if (filter.listContains) {
    const list = attributes[filter.listContains.key];
    return Array.isArray(list) && list.includes(filter.listContains.value);
  }
  return false;
}

/** Okapi BM25 of each chunk for the query, over the chunks given. */
function bm25(query: string, chunks: readonly IndexedChunk[]): number[] {
  const terms = [...new Set(words(query))];
  const averageLength = chunks.reduce((sum, chunk) => sum + chunk.words.length, 0) / (chunks.length || 1);
  const documentFrequency = new Map(
    terms.map((term) => [term, chunks.filter((chunk) => chunk.words.includes(term)).length]),
  );
  return chunks.map((chunk) => {
    let score = 0;
    for (const term of terms) {
      const frequency = chunk.words.filter((word) => word === term).length;
      if (frequency === 0) continue;
      const containing = documentFrequency.get(term) ?? 0;
      const idf = Math.log(1 + (chunks.length - containing + 0.5) / (containing + 0.5));
      score +=
        (idf * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * chunk.words.length) / averageLength));
    }
    return score;
  });
}

function ranks(scores: readonly number[]): number[] {
  const order = scores
    .map((score, index) => ({ score, index }))
    .sort((left, right) => right.score - left.score);
  const rank = new Array<number>(scores.length);
  order.forEach(({ index }, position) => {
    rank[index] = position + 1;
  });
  return rank;
}

/**
 * A local stand-in for a Bedrock knowledge base with an S3 data source, on one HTTP endpoint:
 * - S3 (path style): PutObject, GetObject, DeleteObject, DeleteObjects and ListObjectsV2;
 * - Bedrock Agent: StartIngestionJob and GetIngestionJob. A job reads the data source's
 *   `<file>` and `<file>.metadata.json` objects under the inclusion prefix, embeds the files
 *   whole (chunking NONE) and replaces the vector store's content;
 * - Bedrock Agent Runtime: Retrieve with `numberOfResults`, `overrideSearchType` (SEMANTIC is
 *   cosine similarity; HYBRID, the default, fuses it with BM25 by reciprocal rank) and metadata
 *   filters, answering with the attributes Bedrock adds (`x-amz-bedrock-kb-source-uri`, …).
 *
 * Until a job completes, Retrieve answers from the previous state, as Bedrock does. It listens
 * twice: HTTP/1.1 on `url` and HTTP/2 without TLS on `http2Url`.
 */
export async function startFakeBedrock(options: FakeBedrockOptions): Promise<FakeBedrock> {
  const { knowledgeBaseId, dataSourceId, bucket, embedder } = options;
  const inclusionPrefix = options.inclusionPrefix ?? 'chunks/';
  const pollsUntilComplete = options.pollsUntilComplete ?? 1;
  const s3 = createFakeS3Handler();
  const objects = s3.objects;
  const requests: RecordedRequest[] = [];
  const ingestionJobs: IngestionJob[] = [];
  const failures: Array<(response: FakeResponse) => void> = [];
  let index: IndexedChunk[] = [];

  async function runIngestion(job: IngestionJob): Promise<void> {
    const prefix = `${bucket}/${inclusionPrefix}`;
    const files = [...objects.keys()].filter(
      (key) => key.startsWith(prefix) && !key.endsWith('.metadata.json'),
    );
    const previous = new Map(index.map((chunk) => [chunk.uri, chunk]));
    const next: IndexedChunk[] = [];
    const failureReasons: string[] = [];
    let metadataScanned = 0;
    for (const key of files) {
      const uri = `s3://${key}`;
      const sidecar = objects.get(`${key}.metadata.json`);
      let attributes: Record<string, unknown> = {};
      if (sidecar) {
        metadataScanned += 1;
        try {
          const parsed = JSON.parse(sidecar.body.toString('utf8')) as {
            metadataAttributes?: Record<string, unknown>;
          };
          attributes = parsed.metadataAttributes ?? {};
        } catch {
          failureReasons.push(`${uri}.metadata.json is not valid JSON`);
          continue;
        }
      }
      const text = (objects.get(key)?.body ?? Buffer.alloc(0)).toString('utf8');
      next.push({ uri, text, attributes, vector: new Float32Array(), words: words(text) });
    }
    const vectors = await embedder.embed({ texts: next.map((chunk) => chunk.text) });
    next.forEach((chunk, position) => {
      chunk.vector = vectors[position] ?? new Float32Array();
    });
    const currentUris = new Set(next.map((chunk) => chunk.uri));
    const isNew = (chunk: IndexedChunk) => !previous.has(chunk.uri);
    const isModified = (chunk: IndexedChunk) => {
      const before = previous.get(chunk.uri);
      return (
        before !== undefined &&
        (before.text !== chunk.text || JSON.stringify(before.attributes) !== JSON.stringify(chunk.attributes))
      );
    };
    job.statistics = {
      numberOfDocumentsScanned: files.length,
      numberOfMetadataDocumentsScanned: metadataScanned,
      numberOfNewDocumentsIndexed: next.filter(isNew).length,
      numberOfModifiedDocumentsIndexed: next.filter(isModified).length,
      numberOfMetadataDocumentsModified: 0,
      numberOfDocumentsDeleted: [...previous.keys()].filter((uri) => !currentUris.has(uri)).length,
      numberOfDocumentsFailed: failureReasons.length,
    };
    job.failureReasons = failureReasons;
    index = next;
  }

  function retrieve(body: RetrieveBody, response: FakeResponse): Promise<void> | void {
    const configuration = body.retrievalConfiguration?.vectorSearchConfiguration ?? {};
    const text = body.retrievalQuery?.text ?? '';
    const numberOfResults = configuration.numberOfResults ?? 5;
    if (text.length === 0 || numberOfResults < 1 || numberOfResults > 100) {
      bedrockError(
        response,
        400,
        'ValidationException',
        'retrievalQuery.text and numberOfResults 1-100 are required',
      );
      return;
    }
    const candidates = index.filter((chunk) => matches(configuration.filter, chunk.attributes));
    return embedder.embed({ texts: [text] }).then(([query]) => {
      const semantic = candidates.map((chunk) => cosine(query ?? new Float32Array(), chunk.vector));
      const hybrid = configuration.overrideSearchType !== 'SEMANTIC';
      const lexical = hybrid ? bm25(text, candidates) : [];
      const semanticRanks = ranks(semantic);
      const lexicalRanks = ranks(lexical);
      const scored = candidates.map((chunk, position) => ({
        chunk,
        score: hybrid
          ? 1 / (60 + (semanticRanks[position] ?? 0)) +
            ((lexical[position] ?? 0) > 0 ? 1 / (60 + (lexicalRanks[position] ?? 0)) : 0)
          : (semantic[position] ?? 0),
      }));
      scored.sort((left, right) => right.score - left.score);
      sendJson(response, 200, {
        retrievalResults: scored.slice(0, numberOfResults).map(({ chunk, score }) => ({
          content: { text: chunk.text, type: 'TEXT' },
          location: { type: 'S3', s3Location: { uri: chunk.uri } },
          metadata: {
            ...chunk.attributes,
            'x-amz-bedrock-kb-source-uri': chunk.uri,
            'x-amz-bedrock-kb-chunk-id': `1%3A0%3A${randomUUID()}`,
            'x-amz-bedrock-kb-data-source-id': dataSourceId,
          },
          score,
        })),
      });
    });
  }

  function jobView(job: IngestionJob): Record<string, unknown> {
    const { pollsLeft: _pollsLeft, ...view } = job;
    return view;
  }

  async function bedrockRoute(request: RecordedRequest, response: FakeResponse): Promise<void> {
    const segments = request.path.split('/').filter(Boolean);
    if (segments[0] !== 'knowledgebases' || segments[1] !== knowledgeBaseId) {
      bedrockError(
        response,
        404,
        'ResourceNotFoundException',
        `Knowledge base ${segments[1]} does not exist`,
      );
      return;
    }
    if (segments[2] === 'retrieve' && request.method === 'POST') {
      await retrieve(JSON.parse(request.body.toString('utf8')) as RetrieveBody, response);
      return;
    }
    if (segments[2] !== 'datasources' || segments[3] !== dataSourceId || segments[4] !== 'ingestionjobs') {
      bedrockError(response, 404, 'ResourceNotFoundException', `No resource at ${request.path}`);
      return;
    }
    if (request.method === 'PUT' && segments.length === 5) {
      if (ingestionJobs.some((job) => job.status === 'STARTING' || job.status === 'IN_PROGRESS')) {
        bedrockError(
          response,
          409,
          'ConflictException',
          'An ingestion job is already running for this data source',
        );
        return;
      }
      const now = new Date().toISOString();
      const job: IngestionJob = {
        knowledgeBaseId,
        dataSourceId,
        ingestionJobId: randomUUID().slice(0, 10).toUpperCase(),
        status: 'STARTING',
        statistics: {},
        failureReasons: [],
        startedAt: now,
        updatedAt: now,
        pollsLeft: pollsUntilComplete,
      };
      ingestionJobs.push(job);
      sendJson(response, 202, { ingestionJob: jobView(job) });
      return;
    }
    const job = ingestionJobs.find((candidate) => candidate.ingestionJobId === segments[5]);
    if (request.method === 'GET' && job) {
      if (job.status === 'STARTING' || job.status === 'IN_PROGRESS') {
        if (job.pollsLeft > 0) {
          job.pollsLeft -= 1;
          job.status = 'IN_PROGRESS';
        } else {
          await runIngestion(job);
          job.status = job.statistics.numberOfDocumentsFailed ? 'FAILED' : 'COMPLETE';
        }
        job.updatedAt = new Date().toISOString();
      }
      sendJson(response, 200, { ingestionJob: jobView(job) });
      return;
    }
    bedrockError(response, 404, 'ResourceNotFoundException', `No ingestion job ${segments[5]}`);
  }

  const listener = (incoming: Parameters<typeof readRequest>[0], response: FakeResponse) => {
    void readRequest(incoming).then((request) => {
      requests.push(request);
      const failure = failures.shift();
      if (failure) {
        failure(response);
        return;
      }
      if (!request.path.startsWith('/knowledgebases/')) {
        s3.handle(request, response);
        return;
      }
      bedrockRoute(request, response).catch((error: unknown) => {
        bedrockError(response, 500, 'InternalServerException', String(error));
      });
    });
  };
  const sessions = new Set<Http2Session>();
  const server = createServer(listener);
  const http2Server = createHttp2Server(listener).on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => http2Server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { port: http2Port } = http2Server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    http2Url: `http://127.0.0.1:${http2Port}`,
    requests,
    objects,
    ingestionJobs,
    failNext(handler) {
      failures.push(handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        let open = 2;
        const closed = () => {
          open -= 1;
          if (open === 0) resolve();
        };
        server.close(closed);
        http2Server.close(closed);
      }),
  };
}
