import { setTimeout as delay } from 'node:timers/promises';
import {
  BatchGetCollectionCommand,
  ConflictException,
  CreateAccessPolicyCommand,
  CreateCollectionCommand,
  CreateSecurityPolicyCommand,
  type OpenSearchServerlessClient,
} from '@aws-sdk/client-opensearchserverless';
import type { Client } from '@opensearch-project/opensearch';
import { TimeoutError, UpstreamError, ValidationError } from '../../domain/errors.ts';
import { knowledgeBaseIndexBody } from './index.ts';

/** OpenSearch Serverless policy and collection names: 3-32 lower-case letters, digits and hyphens. */
export const SERVERLESS_NAME_PATTERN = /^[a-z][a-z0-9-]{2,31}$/;

/** Longest policy or collection name the service accepts. */
export const MAX_SERVERLESS_NAME_LENGTH = 32;

/** Settings of {@link provisionVectorCollection}. */
export interface ProvisionOptions {
  /** The OpenSearch Serverless control-plane client. */
  client: OpenSearchServerlessClient;
  /** Collection name (3-32 characters). */
  collectionName: string;
  /** IAM principal ARNs given data access to the collection and its indexes (the operator, the service's role). */
  principals: readonly string[];
  /** The index to create in the collection. */
  indexName: string;
  /** Vector dimensions of the index (the embedder's). */
  dimensions: number;
  /** Opens a SigV4-signed OpenSearch client on the collection endpoint. */
  openSearchClient: (endpoint: string) => Client;
  /** Pause between polls of the collection status; 10 s by default. */
  pollIntervalMs?: number;
  /** Longest wait for the collection to be ACTIVE; 15 minutes by default. */
  maxWaitMs?: number;
  /** Hears each step. */
  onStep?: (message: string) => void;
}

/** What {@link provisionVectorCollection} did. */
export interface ProvisionResult {
  collectionEndpoint: string;
  /** The policies by type, with their names. */
  policyNames: { encryption: string; network: string; data: string };
  /** What already existed and was left as it was. */
  existing: string[];
  indexCreated: boolean;
}

/**
 * A policy name from the collection name and a suffix, cut so that it stays within
 * {@link MAX_SERVERLESS_NAME_LENGTH} characters (and does not end in a hyphen).
 */
export function policyName(collectionName: string, suffix: string): string {
  const room = MAX_SERVERLESS_NAME_LENGTH - suffix.length - 1;
  return `${collectionName.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/**
 * Provisions what a vector knowledge base needs in an account that does not use the CDK app:
 * the encryption (AWS-owned key), network (public endpoint, SigV4) and data-access policies, the
 * VECTORSEARCH collection, a wait until it is ACTIVE, then the index with the adapter's mapping.
 * What already exists is kept, so a re-run completes an interrupted one.
 *
 * @throws ValidationError for a bad name or no principals; UpstreamError when a call fails or the
 *   collection FAILED (the SDK error is the cause); TimeoutError when it is not ACTIVE in time.
 */
export async function provisionVectorCollection(options: ProvisionOptions): Promise<ProvisionResult> {
  const { client, collectionName: name, principals, onStep = () => undefined } = options;
  if (!SERVERLESS_NAME_PATTERN.test(name))
    throw new ValidationError(
      `Collection name "${name}" must be 3-32 lower-case letters, digits and hyphens`,
    );
  if (principals.length === 0) throw new ValidationError('At least one principal ARN needs data access');
  const policyNames = {
    encryption: policyName(name, 'enc'),
    network: policyName(name, 'net'),
    data: policyName(name, 'access'),
  };
  const existing: string[] = [];
  const collectionResource = [`collection/${name}`];

  async function create(what: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
      onStep(`created ${what}`);
    } catch (error) {
      if (error instanceof ConflictException) {
        existing.push(what);
        onStep(`${what} already exists`);
        return;
      }
      throw new UpstreamError(`OpenSearch Serverless could not create ${what}`, { cause: error });
    }
  }

  await create(`encryption policy ${policyNames.encryption}`, () =>
    client.send(
      new CreateSecurityPolicyCommand({
        name: policyNames.encryption,
        type: 'encryption',
        description: `Encrypts collection ${name} with an AWS-owned key.`,
        policy: JSON.stringify({
          Rules: [{ ResourceType: 'collection', Resource: collectionResource }],
          AWSOwnedKey: true,
        }),
      }),
    ),
  );
  await create(`network policy ${policyNames.network}`, () =>
    client.send(
      new CreateSecurityPolicyCommand({
        name: policyNames.network,
        type: 'network',
        description: `Collection ${name}: endpoint over TLS with SigV4; no dashboards.`,
        policy: JSON.stringify([
          { Rules: [{ ResourceType: 'collection', Resource: collectionResource }], AllowFromPublic: true },
        ]),
      }),
    ),
  );
  await create(`data access policy ${policyNames.data}`, () =>
    client.send(
      new CreateAccessPolicyCommand({
        name: policyNames.data,
        type: 'data',
        description: `Index access to collection ${name}.`,
        policy: JSON.stringify([
          {
            Rules: [
              {
                ResourceType: 'collection',
                Resource: collectionResource,
                Permission: [
                  'aoss:DescribeCollectionItems',
                  'aoss:CreateCollectionItems',
                  'aoss:UpdateCollectionItems',
                ],
              },
              {
                ResourceType: 'index',
                Resource: [`index/${name}/*`],
                Permission: [
                  'aoss:DescribeIndex',
                  'aoss:CreateIndex',
                  'aoss:UpdateIndex',
                  'aoss:DeleteIndex',
                  'aoss:ReadDocument',
                  'aoss:WriteDocument',
                ],
              },
            ],
            Principal: [...new Set(principals)],
          },
        ]),
      }),
    ),
  );
  await create(`collection ${name}`, () =>
    client.send(
      new CreateCollectionCommand({
        name,
        type: 'VECTORSEARCH',
        description: 'Vector store of the defect RCA knowledge base.',
      }),
    ),
  );

  const collectionEndpoint = await waitUntilActive(options);
  onStep(`collection ${name} is ACTIVE at ${collectionEndpoint}`);

  const openSearch = options.openSearchClient(collectionEndpoint);
  let indexCreated = false;
  try {
    const exists = await openSearch.indices.exists({ index: options.indexName });
    if (exists.body === true) {
      existing.push(`index ${options.indexName}`);
      onStep(`index ${options.indexName} already exists`);
    } else {
      await openSearch.indices.create({
        index: options.indexName,
        body: knowledgeBaseIndexBody({ dimensions: options.dimensions }),
      });
      indexCreated = true;
      onStep(`created index ${options.indexName}`);
    }
  } catch (error) {
    throw new UpstreamError(`Could not create index ${options.indexName} in collection ${name}`, {
      cause: error,
    });
  } finally {
    await openSearch.close();
  }
  return { collectionEndpoint, policyNames, existing, indexCreated };
}

async function waitUntilActive(options: ProvisionOptions): Promise<string> {
  const { client, collectionName: name } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const deadline = Date.now() + (options.maxWaitMs ?? 15 * 60_000);
  for (;;) {
    let response;
    try {
      response = await client.send(new BatchGetCollectionCommand({ names: [name] }));
    } catch (error) {
      throw new UpstreamError(`OpenSearch Serverless BatchGetCollection for collection "${name}" failed`, {
        cause: error,
      });
    }
    const collection = response.collectionDetails?.find((candidate) => candidate.name === name);
    if (collection?.status === 'ACTIVE' && collection.collectionEndpoint)
      return collection.collectionEndpoint;
    if (collection?.status === 'FAILED')
      throw new UpstreamError(`OpenSearch Serverless collection "${name}" FAILED`);
    if (Date.now() >= deadline)
      throw new TimeoutError(
        `OpenSearch Serverless collection "${name}" is still ${collection?.status ?? 'missing'}`,
      );
    options.onStep?.(`collection ${name} is ${collection?.status ?? 'not listed yet'}; waiting`);
    await delay(pollIntervalMs);
  }
}
