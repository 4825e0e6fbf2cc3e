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

/** A policy the fake holds. */
export interface FakePolicy {
  name: string;
  type: string;
  policy: unknown;
}

/** Settings of {@link startFakeOpenSearchServerless}. */
export interface FakeOpenSearchServerlessOptions {
  /** Collections that exist from the start. */
  collections?: readonly FakeCollection[];
  /** The endpoint CreateCollection gives new collections (a fake OpenSearch, say). */
  newCollectionEndpoint?: string;
  /** BatchGetCollection answers CREATING this many times for a new collection before ACTIVE; 1 by default. */
  pollsUntilActive?: number;
}

/** A running fake; see {@link startFakeOpenSearchServerless}. */
export interface FakeOpenSearchServerless {
  /** `http://127.0.0.1:<port>`: the endpoint of an `OpenSearchServerlessClient`. */
  url: string;
  /** Calls received, oldest first. */
  calls: FakeServerlessCall[];
  /** The collections, by name; tests change their status. */
  collections: Map<string, FakeCollection>;
  /** Security (`encryption`, `network`) and access (`data`) policies, by `type/name`. */
  policies: ReadonlyMap<string, FakePolicy>;
  close(): Promise<void>;
}

/**
 * A local OpenSearch Serverless control plane speaking the service's wire protocol (AWS JSON 1.0:
 * `POST /` with `X-Amz-Target: OpenSearchServerless.<Operation>`), for the real SDK client.
 * It serves `BatchGetCollection`, `CreateCollection` (CREATING, then ACTIVE after some polls),
 * `CreateSecurityPolicy` and `CreateAccessPolicy` (names of 3-32 characters, a second policy of
 * the same name and type is a `ConflictException`); other operations answer
 * `UnknownOperationException`.
 */
export async function startFakeOpenSearchServerless(
  options: FakeOpenSearchServerlessOptions = {},
): Promise<FakeOpenSearchServerless> {
  const calls: FakeServerlessCall[] = [];
  const byName = new Map(
    (options.collections ?? []).map((collection) => [collection.name, { ...collection }]),
  );
  const policies = new Map<string, FakePolicy>();
  const pollsLeft = new Map<string, number>();
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
      const name = typeof input.name === 'string' ? input.name : '';
      if (operation === 'CreateSecurityPolicy' || operation === 'CreateAccessPolicy') {
        const type = String(input.type);
        if (!/^[a-z][a-z0-9-]{2,31}$/.test(name)) {
          answer(400, { message: `Invalid policy name ${name}: 3-32 characters` }, 'ValidationException');
          return;
        }
        if (policies.has(`${type}/${name}`)) {
          answer(
            409,
            { message: `Policy with name ${name} and type ${type} already exists` },
            'ConflictException',
          );
          return;
        }
        let policy: unknown;
        try {
          policy = JSON.parse(String(input.policy));
        } catch {
          answer(400, { message: 'Policy json is invalid' }, 'ValidationException');
          return;
        }
        policies.set(`${type}/${name}`, { name, type, policy });
        answer(200, {
          [operation === 'CreateAccessPolicy' ? 'accessPolicyDetail' : 'securityPolicyDetail']: {
            name,
            type,
          },
        });
        return;
      }
      if (operation === 'CreateCollection') {
        if (byName.has(name)) {
          answer(409, { message: `Collection with name ${name} already exists` }, 'ConflictException');
          return;
        }
        const hasEncryption = [...policies.values()].some(
          (policy) =>
            policy.type === 'encryption' && JSON.stringify(policy.policy).includes(`collection/${name}`),
        );
        if (!hasEncryption) {
          answer(
            400,
            { message: `No matching security policy of encryption type found for collection name: ${name}` },
            'ValidationException',
          );
          return;
        }
        const id = `id${byName.size + 1}${name.replace(/-/g, '')}`.slice(0, 20);
        byName.set(name, {
          name,
          id,
          type: input.type === 'VECTORSEARCH' ? 'VECTORSEARCH' : 'SEARCH',
          status: 'CREATING',
          collectionEndpoint: options.newCollectionEndpoint ?? `https://${id}.us-east-1.aoss.amazonaws.com`,
        });
        pollsLeft.set(name, options.pollsUntilActive ?? 1);
        answer(200, { createCollectionDetail: { name, id, status: 'CREATING' } });
        return;
      }
      if (operation === 'BatchGetCollection') {
        const names = Array.isArray(input.names) ? input.names.map(String) : [];
        for (const candidate of names) {
          const collection = byName.get(candidate);
          const left = pollsLeft.get(candidate);
          if (!collection || left === undefined) continue;
          if (left <= 0) {
            collection.status = 'ACTIVE';
            pollsLeft.delete(candidate);
          } else pollsLeft.set(candidate, left - 1);
        }
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
    policies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
