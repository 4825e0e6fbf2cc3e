import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../domain/config.ts';
import { NotFoundError, UpstreamError } from '../../domain/errors.ts';
import { openConfiguredKnowledgeBase } from '../open.ts';
import { discoverCollectionEndpoint } from './collection.ts';
import {
  startFakeOpenSearchServerless,
  type FakeOpenSearchServerless,
} from './testing/fake-opensearch-serverless.ts';

const NAME = 'defect-rca-kb';
const ENDPOINT = 'https://abc123xyz.us-east-1.aoss.amazonaws.com';

describe('discoverCollectionEndpoint (real SDK client, local OpenSearch Serverless)', () => {
  let fake: FakeOpenSearchServerless;
  let client: OpenSearchServerlessClient;

  beforeEach(async () => {
    fake = await startFakeOpenSearchServerless({
      collections: [
        { name: NAME, id: 'abc123xyz', type: 'VECTORSEARCH', status: 'ACTIVE', collectionEndpoint: ENDPOINT },
      ],
    });
    client = new OpenSearchServerlessClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  it('finds the endpoint of an ACTIVE collection by its name with BatchGetCollection', async () => {
    await expect(discoverCollectionEndpoint({ client, name: NAME })).resolves.toBe(ENDPOINT);
    expect(fake.calls).toEqual([{ operation: 'BatchGetCollection', input: { names: [NAME] } }]);
  });

  it('fails fast while the collection is not ACTIVE', async () => {
    const collection = fake.collections.get(NAME);
    if (collection) collection.status = 'CREATING';
    const failure = discoverCollectionEndpoint({ client, name: NAME });
    await expect(failure).rejects.toThrow(UpstreamError);
    await expect(failure).rejects.toThrow(/is CREATING, not ACTIVE/);
  });

  it('names the collection that does not exist', async () => {
    await expect(discoverCollectionEndpoint({ client, name: 'no-such-kb' })).rejects.toThrow(NotFoundError);
    await expect(discoverCollectionEndpoint({ client, name: 'no-such-kb' })).rejects.toThrow(
      /OPENSEARCH_COLLECTION/,
    );
  });

  it('lets KNOWLEDGE_BASE=opensearch start from OPENSEARCH_COLLECTION alone, and refuses neither', async () => {
    const config = parseConfig({
      KNOWLEDGE_BASE: 'opensearch',
      OPENSEARCH_COLLECTION: NAME,
      AWS_REGION: 'us-east-1',
    });
    expect(config.opensearchEndpoint).toBeUndefined();
    const collection = fake.collections.get(NAME);
    if (collection) collection.status = 'CREATING';
    await expect(openConfiguredKnowledgeBase(config, { serverlessClient: client })).rejects.toThrow(
      /not ACTIVE/,
    );
    expect(fake.calls.map((call) => call.operation)).toEqual(['BatchGetCollection']);
    expect(() => parseConfig({ KNOWLEDGE_BASE: 'opensearch' })).toThrow(
      /OPENSEARCH_ENDPOINT .* or OPENSEARCH_COLLECTION/,
    );
  });
});
