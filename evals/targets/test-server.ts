import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `seen` holds every request so far, this one last. */
export type TestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  seen: readonly SeenRequest[],
) => void;

/** A running test server. */
export interface TestServer {
  baseUrl: string;
  port: number;
  /** Every request so far, in arrival order. */
  seen: SeenRequest[];
  /** Stops listening and drops open connections. */
  close(): void;
}

const running = new Set<TestServer>();

/**
 * Starts a local `node:http` server on 127.0.0.1 (on `port`, or a free one) that records each
 * request and answers it with `handler`. Close it, or every one at once with {@link closeTestServers}.
 */
export async function serve(handler: TestHandler, port = 0): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  const testServer: TestServer = {
    baseUrl: `http://127.0.0.1:${bound}`,
    port: bound,
    seen,
    close() {
      running.delete(testServer);
      server.closeAllConnections();
      server.close();
    },
  };
  running.add(testServer);
  return testServer;
}

/** Closes every test server still running (for `afterEach`). */
export function closeTestServers(): void {
  for (const server of [...running]) server.close();
}

/** Answers with a JSON body. */
export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
