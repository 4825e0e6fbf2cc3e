import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../domain/index.ts';
import { chunkDocument, type Chunk } from '../documents/chunk.ts';
import { fixtureDocument } from '../testing/fixtures.ts';
import { createBedrockKnowledgeBase } from './bedrock-knowledge-base.ts';

const KB_ID = 'KBTEST1234';

/** A Retrieve request body as the service receives it. */
interface RetrieveBody {
  retrievalQuery: { text: string };
  retrievalConfiguration?: {
    vectorSearchConfiguration?: {
      numberOfResults?: number;
      overrideSearchType?: string;
      filter?: WireFilter;
    };
  };
}

interface WireFilter {
  equals?: { key: string; value: unknown };
  listContains?: { key: string; value: unknown };
  andAll?: WireFilter[];
}

interface RecordedRequest {
  method: string;
  path: string;
  body: RetrieveBody;
}

type Attributes = Record<string, unknown>;

/** The chunk's metadata as Bedrock returns it: no nulls, plus Bedrock's own attributes. */
function attributesOf(chunk: Chunk): Attributes {
  const attributes: Attributes = Object.fromEntries(
    Object.entries(chunk.metadata).filter(([, value]) => value !== null && value !== undefined),
  );
  attributes['x-amz-bedrock-kb-source-uri'] =
    `s3://kb-source/chunks/${encodeURIComponent(chunk.chunkId)}.txt`;
  attributes['x-amz-bedrock-kb-chunk-id'] = `1%3A0%3A${chunk.chunkId.length}`;
  attributes['x-amz-bedrock-kb-data-source-id'] = 'DSTEST0001';
  return attributes;
}

function matches(filter: WireFilter | undefined, attributes: Attributes): boolean {
  if (!filter) return true;
  if (filter.andAll) return filter.andAll.every((member) => matches(member, attributes));
  if (filter.equals) return attributes[filter.equals.key] === filter.equals.value;
  if (filter.listContains) {
    const list = attributes[filter.listContains.key];
    return Array.isArray(list) && list.includes(filter.listContains.value);
  }
  return false;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

/** Scores by the share of query words found in the chunk, as a stand-in for a vector search. */
function score(query: string, chunk: Chunk): number {
  const queryWords = words(query);
  const chunkWords = words(chunk.indexedText);
  const shared = [...queryWords].filter((word) => chunkWords.has(word)).length;
  return queryWords.size === 0 ? 0 : shared / queryWords.size;
}

function answerError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

const CHUNKS = (['rust', 'scratch', 'sop', 'handle'] as const).flatMap((name) =>
  chunkDocument(fixtureDocument(name)),
);

describe('createBedrockKnowledgeBase against a local Bedrock agent runtime', () => {
  let server: Server;
  let port: number;
  let requests: RecordedRequest[];
  let results: (body: RetrieveBody) => unknown[];
  let failures: Array<(response: ServerResponse) => void>;

  const fakeResults = (body: RetrieveBody): unknown[] => {
    const configuration = body.retrievalConfiguration?.vectorSearchConfiguration;
    return CHUNKS.map((chunk) => ({ chunk, attributes: attributesOf(chunk) }))
      .filter(({ attributes }) => matches(configuration?.filter, attributes))
      .map(({ chunk, attributes }) => ({
        content: { text: chunk.text, type: 'TEXT' },
        location: { type: 'S3', s3Location: { uri: attributes['x-amz-bedrock-kb-source-uri'] } },
        metadata: attributes,
        score: score(body.retrievalQuery.text, chunk),
      }))
      .sort((left, right) => right.score - left.score)
      .slice(0, configuration?.numberOfResults ?? 5);
  };

  function clientFor(maxAttempts = 1): BedrockAgentRuntimeClient {
    return new BedrockAgentRuntimeClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts,
    });
  }

  beforeEach(async () => {
    requests = [];
    failures = [];
    results = fakeResults;
    server = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (part: Buffer) => parts.push(part));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as RetrieveBody;
        const path = decodeURIComponent(request.url ?? '');
        requests.push({ method: request.method ?? '', path, body });
        const failure = failures.shift();
        if (failure) {
          failure(response);
          return;
        }
        if (path !== `/knowledgebases/${KB_ID}/retrieve`) {
          answerError(response, 404, 'ResourceNotFoundException', `No knowledge base at ${path}`);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ retrievalResults: results(body) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('retrieves passages in the Retrieve shape, best first, with the metadata validated', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const passages = await knowledgeBase.retrieve({ query: 'orange rust spots after quench', k: 3 });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.path).toBe(`/knowledgebases/${KB_ID}/retrieve`);
    expect(requests[0]?.body).toEqual({
      retrievalQuery: { text: 'orange rust spots after quench' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
    });
    expect(passages).toHaveLength(3);
    const [first] = passages;
    expect(first?.metadata.source_id).toBe('DEF-20240314-3FA2B91C');
    expect(first?.content.type).toBe('TEXT');
    expect(first?.location).toEqual({
      type: 'CUSTOM',
      customDocumentLocation: { id: 'DEF-20240314-3FA2B91C' },
    });
    const expected = CHUNKS.find((chunk) => chunk.chunkId === first?.metadata.chunk_id)?.metadata;
    expect(first?.metadata).toEqual(expected);
    const scores = passages.map((passage) => passage.score);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
  });

  it('reads absent nullable attributes as null', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const [sop] = await knowledgeBase.retrieve({
      query: 'quench',
      k: 1,
      filter: { doc_type: 'sop', stage: 'vacuum_quench' },
    });
    expect(sop?.metadata.source_id).toBe('SOP-VQ-01');
    expect(sop?.metadata.product_sku).toBeNull();
    expect(sop?.metadata.severity).toBeNull();
  });

  it.each([
    ['hybrid', 'HYBRID'],
    ['semantic', 'SEMANTIC'],
  ] as const)('sends searchType %s as overrideSearchType %s', async (searchType, wire) => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    await knowledgeBase.retrieve({ query: 'rust', searchType });
    expect(requests[0]?.body.retrievalConfiguration?.vectorSearchConfiguration).toEqual({
      numberOfResults: 5,
      overrideSearchType: wire,
    });
  });

  it('ignores ranking: varied and similar send the same Retrieve request', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    await knowledgeBase.retrieve({ query: 'rust', k: 3, ranking: 'varied' });
    await knowledgeBase.retrieve({ query: 'rust', k: 3, ranking: 'similar' });
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
    expect(requests[0]?.body).toEqual({
      retrievalQuery: { text: 'rust' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
    });
  });

  it('maps one filter field to a single condition and several to andAll', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const one = await knowledgeBase.retrieve({
      query: 'quench rust',
      k: 20,
      filter: { facility: 'hongkong' },
    });
    expect(requests[0]?.body.retrievalConfiguration?.vectorSearchConfiguration?.filter).toEqual({
      listContains: { key: 'facilities', value: 'hongkong' },
    });
    expect(new Set(one.map((passage) => passage.metadata.source_id))).toEqual(new Set(['SOP-HI-01']));

    const all = await knowledgeBase.retrieve({
      query: 'quench rust scratch handle mould',
      k: 20,
      filter: {
        doc_type: 'past_defect',
        stage: 'vacuum_quench',
        defect_type: 'rust_spot',
        facility: 'yangjiang',
        product_sku: 'WK-KN-200',
      },
    });
    expect(requests[1]?.body.retrievalConfiguration?.vectorSearchConfiguration?.filter).toEqual({
      andAll: [
        { equals: { key: 'doc_type', value: 'past_defect' } },
        { equals: { key: 'stage', value: 'vacuum_quench' } },
        { equals: { key: 'product_sku', value: 'WK-KN-200' } },
        { listContains: { key: 'defect_types', value: 'rust_spot' } },
        { listContains: { key: 'facilities', value: 'yangjiang' } },
      ],
    });
    expect(new Set(all.map((passage) => passage.metadata.source_id))).toEqual(
      new Set(['DEF-20240314-3FA2B91C']),
    );
  });

  it('refuses lexical search, a bad k and an empty query without calling Bedrock', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const lexical = await knowledgeBase
      .retrieve({ query: 'rust', searchType: 'lexical' })
      .catch((caught: unknown) => caught);
    expect(lexical).toBeInstanceOf(ValidationError);
    expect((lexical as ValidationError).message).toMatch(/lexical.*not supported by Bedrock/);
    await expect(knowledgeBase.retrieve({ query: 'rust', k: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(knowledgeBase.retrieve({ query: 'rust', k: 101 })).rejects.toBeInstanceOf(ValidationError);
    await expect(knowledgeBase.retrieve({ query: '  ' })).rejects.toBeInstanceOf(ValidationError);
    expect(requests).toHaveLength(0);
  });

  it('names the metadata attributes that are missing', async () => {
    results = (body) =>
      fakeResults(body).map((result) => {
        const { metadata } = result as { metadata: Attributes };
        const { chunk_id: _chunkId, stage: _stage, ...rest } = metadata;
        return { ...(result as object), metadata: rest };
      });
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const error = await knowledgeBase.retrieve({ query: 'rust' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(/chunk_id is missing/);
    expect((error as UpstreamError).message).toMatch(/stage is missing/);
    expect((error as UpstreamError).message).toMatch(/s3:\/\/kb-source\/chunks\//);
  });

  it('returns passages by chunk id in order, filtering on chunk_id, leaving out unknown ids', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    const passages = await knowledgeBase.getPassages({
      chunkIds: ['SOP-VQ-01#reaction-plan', 'nope#nothing', 'DEF-20240314-3FA2B91C#description'],
    });
    expect(passages.map((passage) => passage.metadata.chunk_id)).toEqual([
      'SOP-VQ-01#reaction-plan',
      'DEF-20240314-3FA2B91C#description',
    ]);
    expect(requests).toHaveLength(3);
    const sent = requests.map((request) => request.body.retrievalConfiguration?.vectorSearchConfiguration);
    expect(sent).toContainEqual({
      numberOfResults: 1,
      filter: { equals: { key: 'chunk_id', value: 'nope#nothing' } },
    });
  });

  it('describes itself with unknown counts and its id', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    expect(await knowledgeBase.describe()).toEqual({
      documents: -1,
      chunks: -1,
      embedderId: null,
      knowledgeBaseId: KB_ID,
    });
  });

  it('lets the client retry throttling, then succeeds', async () => {
    failures.push((response) => answerError(response, 429, 'ThrottlingException', 'Rate exceeded'));
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor(2) });
    const passages = await knowledgeBase.retrieve({ query: 'rust spots', k: 1 });
    expect(passages).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('maps throttling and server errors to retryable UpstreamErrors with the cause', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: KB_ID, client: clientFor() });
    failures.push((response) => answerError(response, 429, 'ThrottlingException', 'Rate exceeded'));
    const throttled = await knowledgeBase.retrieve({ query: 'rust' }).catch((caught: unknown) => caught);
    expect(throttled).toBeInstanceOf(UpstreamError);
    expect((throttled as UpstreamError).isRetryable).toBe(true);
    expect((throttled as UpstreamError).cause).toMatchObject({ name: 'ThrottlingException' });

    failures.push((response) => answerError(response, 500, 'InternalServerException', 'oops'));
    const internal = await knowledgeBase.retrieve({ query: 'rust' }).catch((caught: unknown) => caught);
    expect((internal as UpstreamError).isRetryable).toBe(true);
  });

  it('maps an unknown knowledge base to a non-retryable UpstreamError', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({ knowledgeBaseId: 'MISSING123', client: clientFor(3) });
    const error = await knowledgeBase.retrieve({ query: 'rust' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).isRetryable).toBe(false);
    expect((error as UpstreamError).message).toContain('ResourceNotFoundException');
    expect((error as UpstreamError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(requests).toHaveLength(1);
  });
});
