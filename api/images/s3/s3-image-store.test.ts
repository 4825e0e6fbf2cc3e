import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnsupportedMediaTypeError, UpstreamError } from '../../../domain/index.ts';
import { createS3ImageStore } from './s3-image-store.ts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
}

function xmlError(response: ServerResponse, status: number, code: string, message: string, key = ''): void {
  response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'req-err' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
      `<Key>${key}</Key><RequestId>req-err</RequestId><HostId>host</HostId></Error>`,
  );
}

/** Decodes an `aws-chunked` body (chunk-size;chunk-signature\r\n data \r\n ... 0\r\n trailers). */
function decodeBody(headers: IncomingHttpHeaders, raw: Buffer): Buffer {
  if (!String(headers['content-encoding'] ?? '').includes('aws-chunked')) return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '0', 16);
    if (size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

describe('createS3ImageStore against a local S3', () => {
  let server: Server;
  let client: S3Client;
  let requests: RecordedRequest[];
  let objects: Map<string, StoredObject>;
  let failWith: ((response: ServerResponse) => void) | null;

  beforeEach(async () => {
    requests = [];
    objects = new Map();
    failWith = null;
    server = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (part: Buffer) => parts.push(part));
      request.on('end', () => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
        const body = decodeBody(request.headers, Buffer.concat(parts));
        requests.push({ method: request.method ?? '', path, headers: request.headers, body });
        if (failWith) {
          failWith(response);
          return;
        }
        if (request.method === 'PUT') {
          objects.set(path, { body, contentType: String(request.headers['content-type']) });
          const etag = createHash('md5').update(body).digest('hex');
          response.writeHead(200, {
            etag: `"${etag}"`,
            'x-amz-server-side-encryption': String(request.headers['x-amz-server-side-encryption']),
          });
          response.end();
          return;
        }
        const stored = objects.get(path);
        if (request.method === 'GET' && stored) {
          response.writeHead(200, {
            'content-type': stored.contentType,
            'content-length': String(stored.body.length),
            'last-modified': new Date(0).toUTCString(),
          });
          response.end(stored.body);
          return;
        }
        xmlError(response, 404, 'NoSuchKey', 'The specified key does not exist.', path);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      forcePathStyle: true,
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stores a photo keyed by its SHA-256 with its type and SSE-S3, and reads it back', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    const sha = createHash('sha256').update(PNG).digest('hex');
    const { uri } = await store.put({ bytes: PNG, mediaType: 'image/png' });
    expect(uri).toBe(`s3://photos/images/${sha}.png`);
    const [put] = requests;
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/photos/images/${sha}.png`);
    expect(put?.headers['content-type']).toBe('image/png');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
    expect(new Uint8Array(put?.body ?? [])).toEqual(PNG);

    const image = await store.get({ uri });
    expect(image.mediaType).toBe('image/png');
    expect(image.bytes).toEqual(PNG);
    expect(requests[1]?.method).toBe('GET');
  });

  it('uses SSE-KMS with the given key and a custom prefix', async () => {
    const store = createS3ImageStore({ bucket: 'photos', prefix: 'qa/', kmsKeyId: 'alias/photos', client });
    const { uri } = await store.put({ bytes: JPEG, mediaType: 'image/jpeg' });
    expect(uri).toMatch(/^s3:\/\/photos\/qa\/[0-9a-f]{64}\.jpg$/);
    expect(requests[0]?.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(requests[0]?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/photos');
  });

  it('maps NoSuchKey to a NotFoundError with the cause', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    const uri = `s3://photos/images/${'a'.repeat(64)}.png`;
    const error = await store.get({ uri }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).cause).toMatchObject({ name: 'NoSuchKey' });
  });

  it('answers NotFound without calling S3 for a URI of another bucket or shape', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    await expect(store.get({ uri: `s3://other/images/${'a'.repeat(64)}.png` })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(store.get({ uri: 's3://photos/images/../secrets.png' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects bytes that are not the declared image type', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    await expect(store.put({ bytes: JPEG, mediaType: 'image/png' })).rejects.toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
    await expect(
      store.put({ bytes: Uint8Array.from([1, 2, 3, 4]), mediaType: 'image/png' }),
    ).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    expect(requests).toHaveLength(0);
  });

  it('checks the magic bytes of what it reads', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    const key = `/photos/images/${'b'.repeat(64)}.png`;
    objects.set(key, { body: Buffer.from('not an image at all'), contentType: 'image/png' });
    await expect(store.get({ uri: `s3:/${key}` })).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('maps AccessDenied to a non-retryable and SlowDown to a retryable UpstreamError', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    failWith = (response) => xmlError(response, 403, 'AccessDenied', 'Access Denied');
    const denied = await store.put({ bytes: PNG, mediaType: 'image/png' }).catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(UpstreamError);
    expect((denied as UpstreamError).isRetryable).toBe(false);
    expect((denied as UpstreamError).cause).toMatchObject({ name: 'AccessDenied' });

    failWith = (response) => xmlError(response, 503, 'SlowDown', 'Please reduce your request rate.');
    const slow = await store.put({ bytes: PNG, mediaType: 'image/png' }).catch((caught: unknown) => caught);
    expect(slow).toBeInstanceOf(UpstreamError);
    expect((slow as UpstreamError).isRetryable).toBe(true);
  });
});
