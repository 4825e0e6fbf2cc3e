import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A collection held by the fake, as BatchGetCollection describes it. */
export interface FakeCollection {
  name: string;
  id: string;
  type: 'SEARCH' | 'TIMESERIES' | 'VECTORSEARCH';
  status: 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING';
  collectionEndpoint: string;
}

/** One call the fake received: the operation of its `X-Amz-Target` and its JSON input. */
export interface FakeServerlessCall {
  operation: string;
  input: Record<string, unknown>;
}

/** A running fake; see {@link startFakeOpenSearchServerless}. */
export interface FakeOpenSearchServerless {
  /** `http://127.0.0.1:<port>`: the endpoint of an `OpenSearchServerlessClient`. */
  url: string;
  /** Calls received, oldest first. */
  calls: FakeServerlessCall[];
  /** The collections, by name; tests change their status. */
  collections: Map<string, FakeCollection>;
  close(): Promise<void>;
}

/**
 * A local OpenSearch Serverless control plane speaking the service's wire protocol (AWS JSON 1.0:
 * `POST /` with `X-Amz-Target: OpenSearchServerless.<Operation>`), for the real SDK client.
 * It serves `BatchGetCollection`; other operations answer `UnknownOperationException`.
 */
export async function startFakeOpenSearchServerless(
  collections: readonly FakeCollection[] = [],
): Promise<FakeOpenSearchServerless> {
  const calls: FakeServerlessCall[] = [];
  const byName = new Map(collections.map((collection) => [collection.name, { ...collection }]));
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const answer = (status: number, body: unknown, errorType?: string): void => {
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        response.end(JSON.stringify(body));
      };
      const target = String(request.headers['x-amz-target'] ?? '');
      const [service, operation = ''] = target.split('.');
      let input: Record<string, unknown>;
      try {
        input =
          parts.length > 0
            ? (JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>)
            : {};
      } catch {
        answer(400, { message: 'The request body is not JSON' }, 'ValidationException');
        return;
      }
      calls.push({ operation, input });
      if (request.method !== 'POST' || service !== 'OpenSearchServerless') {
        answer(400, { message: `Unknown target ${target}` }, 'UnknownOperationException');
        return;
      }
      if (operation === 'BatchGetCollection') {
        const names = Array.isArray(input.names) ? input.names.map(String) : [];
        const found = names.flatMap((name) => {
          const collection = byName.get(name);
          return collection ? [collection] : [];
        });
        answer(200, {
          collectionDetails: found.map((collection) => ({
            ...collection,
            arn: `arn:aws:aoss:us-east-1:123456789012:collection/${collection.id}`,
            ...(collection.status === 'ACTIVE' ? {} : { collectionEndpoint: undefined }),
          })),
          collectionErrorDetails: names
            .filter((name) => !byName.has(name))
            .map((name) => ({ name, errorCode: 'NOT_FOUND', errorMessage: `collection ${name} not found` })),
        });
        return;
      }
      answer(400, { message: `Unsupported operation ${operation}` }, 'UnknownOperationException');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    collections: byName,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
