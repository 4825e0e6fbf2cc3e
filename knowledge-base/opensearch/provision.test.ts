import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { Client } from '@opensearch-project/opensearch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { VECTOR_FIELD } from './index.ts';
import { MAX_SERVERLESS_NAME_LENGTH, policyName, provisionVectorCollection } from './provision.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from './testing/fake-opensearch.ts';
import {
  startFakeOpenSearchServerless,
  type FakeOpenSearchServerless,
} from './testing/fake-opensearch-serverless.ts';

/** A collection name of the longest length the service accepts. */
const LONG_NAME = 'defect-rca-knowledge-base-plant1';
const OPERATOR = 'arn:aws:iam::123456789012:role/kb-operator';
const SERVICE = 'arn:aws:iam::123456789012:role/defect-rca-task';

describe('provisionVectorCollection (real SDK client, local OpenSearch Serverless and OpenSearch)', () => {
  let serverless: FakeOpenSearchServerless;
  let openSearch: FakeOpenSearch;
  let client: OpenSearchServerlessClient;

  beforeEach(async () => {
    openSearch = await startFakeOpenSearch();
    serverless = await startFakeOpenSearchServerless({
      newCollectionEndpoint: openSearch.url,
      pollsUntilActive: 2,
    });
    client = new OpenSearchServerlessClient({
      region: 'us-east-1',
      endpoint: serverless.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await serverless.close();
    await openSearch.close();
  });

  const provision = () =>
    provisionVectorCollection({
      client,
      collectionName: LONG_NAME,
      principals: [OPERATOR, SERVICE, OPERATOR],
      indexName: 'rca-knowledge',
      dimensions: 1024,
      openSearchClient: (endpoint) => new Client({ node: endpoint }),
      pollIntervalMs: 1,
    });

  it('creates the policies, the VECTORSEARCH collection once ACTIVE, then the index with the mapping', async () => {
    expect(LONG_NAME).toHaveLength(MAX_SERVERLESS_NAME_LENGTH);
    const result = await provision();

    expect(result).toMatchObject({ collectionEndpoint: openSearch.url, existing: [], indexCreated: true });
    for (const name of Object.values(result.policyNames))
      expect(name.length).toBeLessThanOrEqual(MAX_SERVERLESS_NAME_LENGTH);
    expect([...serverless.policies.keys()].sort()).toEqual(
      [
        `data/${result.policyNames.data}`,
        `encryption/${result.policyNames.encryption}`,
        `network/${result.policyNames.network}`,
      ].sort(),
    );
    const access = JSON.stringify(serverless.policies.get(`data/${result.policyNames.data}`)?.policy);
    expect(access).toContain('aoss:DeleteIndex');
    expect(access.split(OPERATOR)).toHaveLength(2);
    expect(serverless.collections.get(LONG_NAME)).toMatchObject({ type: 'VECTORSEARCH', status: 'ACTIVE' });
    const operations = serverless.calls.map((call) => call.operation);
    expect(operations.slice(0, 4)).toEqual([
      'CreateSecurityPolicy',
      'CreateSecurityPolicy',
      'CreateAccessPolicy',
      'CreateCollection',
    ]);
    expect(operations.filter((operation) => operation === 'BatchGetCollection')).toHaveLength(3);
    expect(JSON.stringify(openSearch.indices.get('rca-knowledge')?.mappings)).toContain(VECTOR_FIELD);
    expect(JSON.stringify(openSearch.indices.get('rca-knowledge')?.mappings)).toContain('"dimension":1024');
  });

  it('keeps what exists, so that a re-run completes an interrupted one', async () => {
    await provision();
    const again = await provision();
    expect(again.indexCreated).toBe(false);
    expect(again.existing).toHaveLength(5);
  });

  it('cuts policy names to 32 characters, and refuses a bad collection name or no principal', async () => {
    expect(policyName(LONG_NAME, 'access')).toBe('defect-rca-knowledge-base-access');
    expect(policyName('kb', 'enc')).toBe('kb-enc');
    await expect(
      provisionVectorCollection({
        client,
        collectionName: 'Bad_Name',
        principals: [OPERATOR],
        indexName: 'x',
        dimensions: 4,
        openSearchClient: (endpoint) => new Client({ node: endpoint }),
      }),
    ).rejects.toThrow(ValidationError);
    expect(serverless.calls).toHaveLength(0);
  });
});
