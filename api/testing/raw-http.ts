import {
  request as httpRequest,
  type Agent,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { connect } from 'node:net';

/** A response read off the wire: its status (0 when the server closed without one), headers and body. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What {@link sendRequest} sends: `node:http` checks the method, path and headers, not the body. */
export interface RequestSpec {
  method: string;
  /** The path as sent, percent-encoding untouched. */
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: Uint8Array | string;
  agent?: Agent;
  /** Give up (and reject) after this long; 10 s by default. */
  timeoutMs?: number;
}

/**
 * Sends one request with `node:http`, which (unlike `fetch`) leaves the path's percent-encoding
 * and a `content-encoding` header as they are, and reads the whole response.
 */
export function sendRequest(baseUrl: string, spec: RequestSpec): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        agent: spec.agent,
        timeout: spec.timeoutMs ?? 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`no response to ${spec.method} ${spec.path} in time`)),
    );
    request.on('error', reject);
    request.end(spec.body);
  });
}

/**
 * Writes raw bytes to the server on a fresh connection, half-closes it, and reads what comes back
 * until the server closes. For what `node:http` refuses to send: a `content-length` that does not
 * match the body, bad header bytes, a request cut off mid-way. The status is 0 when the server
 * closed without answering; the body is as sent (a chunked body keeps its framing).
 */
export function sendRawBytes(
  baseUrl: string,
  bytes: Uint8Array | string,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer to raw bytes in ${timeoutMs} ms`)),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we still write (it answered early): read what it sent.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(parseResponse(chunks));
      else reject(new Error('raw request failed', { cause: error }));
    });
    socket.on('close', () => resolve(parseResponse(chunks)));
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}

function parseResponse(chunks: Buffer[]): RawResponse {
  const text = Buffer.concat(chunks).toString('latin1');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match) return { status: 0, headers: {}, body: '' };
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const headers: IncomingHttpHeaders = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(match[1]),
    headers,
    body: split < 0 ? '' : Buffer.from(text.slice(split + 4), 'latin1').toString('utf8'),
  };
}
