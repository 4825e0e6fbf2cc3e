import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { AddressInfo } from 'node:net';

/** One request a fake received, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The part of an HTTP/1 or HTTP/2 (compatibility API) response the fakes write to. */
export interface FakeResponse {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(): unknown;
  end(body: string | Uint8Array): unknown;
}

/** An object the fake S3 holds. */
export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  headers: IncomingHttpHeaders;
}

/** Reads a whole request, decoding the path and the query. */
export function readRequest(incoming: IncomingMessage | Http2ServerRequest): Promise<RecordedRequest> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('error', reject);
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake');
      resolve({
        method: incoming.method ?? '',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(parts),
      });
    });
  });
}

/** Decodes an `aws-chunked` body (chunk-size;chunk-signature CRLF data CRLF … 0 CRLF trailers). */
export function decodeAwsChunked(headers: IncomingHttpHeaders, raw: Buffer): Buffer {
  if (!String(headers['content-encoding'] ?? '').includes('aws-chunked')) return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '0', 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Answers an S3 error the way S3 does: XML with a code. */
export function s3Error(response: FakeResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'fake-request' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
      `<RequestId>fake-request</RequestId><HostId>fake-host</HostId></Error>`,
  );
}

/** The S3 side of a fake: its objects by `bucket/key` and a handler for path-style requests. */
export interface FakeS3Handler {
  objects: Map<string, StoredObject>;
  handle(request: RecordedRequest, response: FakeResponse): void;
}

/**
 * S3 over path-style URLs, enough for the SDK's PutObject, GetObject, HeadObject, DeleteObject,
 * DeleteObjects and ListObjectsV2 (with paging): objects are kept in memory by `bucket/key`.
 */
export function createFakeS3Handler(): FakeS3Handler {
  const objects = new Map<string, StoredObject>();

  function listObjects(bucketName: string, request: RecordedRequest, response: FakeResponse): void {
    const prefix = request.query.get('prefix') ?? '';
    const maxKeys = Number(request.query.get('max-keys') ?? 1000);
    const after = request.query.get('continuation-token') ?? request.query.get('start-after') ?? '';
    const keys = [...objects.keys()]
      .filter((key) => key.startsWith(`${bucketName}/`))
      .map((key) => key.slice(bucketName.length + 1))
      .filter((key) => key.startsWith(prefix) && key > after)
      .sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map(
        (key) =>
          `<Contents><Key>${escapeXml(key)}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>` +
          `<ETag>"fake"</ETag><Size>${objects.get(`${bucketName}/${key}`)?.body.length ?? 0}</Size>` +
          `<StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Name>${bucketName}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
        `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}` +
        (truncated ? `<NextContinuationToken>${escapeXml(page.at(-1) ?? '')}</NextContinuationToken>` : '') +
        `</ListBucketResult>`,
    );
  }

  function handle(request: RecordedRequest, response: FakeResponse): void {
    const [bucketName = '', ...rest] = request.path.slice(1).split('/');
    const key = rest.join('/');
    if (request.method === 'GET' && key === '' && request.query.get('list-type') === '2') {
      listObjects(bucketName, request, response);
      return;
    }
    if (request.method === 'POST' && key === '' && request.query.has('delete')) {
      const keys = [...request.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) =>
        unescapeXml(match[1] ?? ''),
      );
      for (const deleted of keys) objects.delete(`${bucketName}/${deleted}`);
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          keys.map((deleted) => `<Deleted><Key>${escapeXml(deleted)}</Key></Deleted>`).join('') +
          `</DeleteResult>`,
      );
      return;
    }
    const stored = `${bucketName}/${key}`;
    if (request.method === 'PUT' && key !== '') {
      const contentType = request.headers['content-type'];
      objects.set(stored, {
        body: decodeAwsChunked(request.headers, request.body),
        contentType: typeof contentType === 'string' ? contentType : undefined,
        headers: request.headers,
      });
      response.writeHead(200, { etag: '"fake"' });
      response.end();
      return;
    }
    if (request.method === 'DELETE' && key !== '') {
      objects.delete(stored);
      response.writeHead(204);
      response.end();
      return;
    }
    const object = objects.get(stored);
    if ((request.method === 'GET' || request.method === 'HEAD') && object) {
      response.writeHead(200, {
        'content-length': String(object.body.length),
        'last-modified': new Date(0).toUTCString(),
        ...(object.contentType ? { 'content-type': object.contentType } : {}),
      });
      if (request.method === 'GET') response.end(object.body);
      else response.end();
      return;
    }
    s3Error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
  }

  return { objects, handle };
}

/** A running fake S3; see {@link startFakeS3}. */
export interface FakeS3 {
  /** `http://127.0.0.1:<port>`; give the client `forcePathStyle: true`. */
  url: string;
  requests: RecordedRequest[];
  objects: Map<string, StoredObject>;
  /** Answers the next request with this handler instead (an error, say). */
  failNext(handler: (response: FakeResponse) => void): void;
  close(): Promise<void>;
}

/** Starts a local S3 (see {@link createFakeS3Handler}) on a free port. */
export async function startFakeS3(): Promise<FakeS3> {
  const s3 = createFakeS3Handler();
  const requests: RecordedRequest[] = [];
  const failures: Array<(response: FakeResponse) => void> = [];
  const server = createServer((incoming, response) => {
    void readRequest(incoming).then((request) => {
      requests.push(request);
      const failure = failures.shift();
      if (failure) failure(response);
      else s3.handle(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    objects: s3.objects,
    failNext: (handler) => failures.push(handler),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
