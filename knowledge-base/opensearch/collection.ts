import {
  BatchGetCollectionCommand,
  type OpenSearchServerlessClient,
} from '@aws-sdk/client-opensearchserverless';
import { NotFoundError, UpstreamError } from '../../domain/errors.ts';

/**
 * The endpoint of an OpenSearch Serverless collection, found by its name with
 * `BatchGetCollection`, so that `OPENSEARCH_ENDPOINT` need not be copied from the stack outputs.
 *
 * @throws NotFoundError when no collection has the name.
 * @throws UpstreamError when the collection is not ACTIVE (it cannot serve requests yet), or the
 *   call fails (the SDK error is the cause).
 */
export async function discoverCollectionEndpoint({
  client,
  name,
}: {
  client: OpenSearchServerlessClient;
  name: string;
}): Promise<string> {
  let response;
  try {
    response = await client.send(new BatchGetCollectionCommand({ names: [name] }));
  } catch (error) {
    throw new UpstreamError(`OpenSearch Serverless BatchGetCollection for collection "${name}" failed`, {
      cause: error,
    });
  }
  const collection = response.collectionDetails?.find((candidate) => candidate.name === name);
  if (!collection) {
    const reason = response.collectionErrorDetails?.find((detail) => detail.name === name)?.errorMessage;
    throw new NotFoundError(
      `No OpenSearch Serverless collection is named "${name}"${reason ? ` (${reason})` : ''}; check OPENSEARCH_COLLECTION and the region`,
    );
  }
  if (collection.status !== 'ACTIVE') {
    throw new UpstreamError(
      `OpenSearch Serverless collection "${name}" is ${collection.status ?? 'in an unknown state'}, not ACTIVE; wait until it is ACTIVE`,
    );
  }
  if (!collection.collectionEndpoint)
    throw new UpstreamError(`OpenSearch Serverless collection "${name}" is ACTIVE but has no endpoint`);
  return collection.collectionEndpoint;
}
