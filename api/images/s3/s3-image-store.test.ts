import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnsupportedMediaTypeError, UpstreamError } from '../../../domain/index.ts';
import {
  decodeAwsChunked,
  s3Error,
  startFakeS3,
  type FakeS3,
} from '../../../knowledge-base/bedrock/testing/fake-s3.ts';
import { imageName } from '../image-store.ts';
import { describeImageStoreContract, jpegBytes, pngBytes } from '../testing/image-store-contract.ts';
import { createS3ImageStore } from './s3-image-store.ts';

/** The real SDK client, path-style over HTTP/1.1, pointed at the fake and never retrying. */
function clientFor(fake: FakeS3): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

/** The fake's `bucket/key` of an `s3://bucket/key` URI. */
function objectOf(uri: string): string {
  return uri.slice('s3://'.length);
}

describeImageStoreContract('S3 (local fake, real S3Client)', async () => {
  const fake = await startFakeS3();
  const client = clientFor(fake);
  const plant = (key: string, bytes: Uint8Array): void => {
    fake.objects.set(key, { body: Buffer.from(bytes), contentType: 'image/jpeg', headers: {} });
  };
  return {
    store: createS3ImageStore({ bucket: 'photos', client }),
    backing: {
      async overwrite(uri, bytes) {
        plant(objectOf(uri), bytes);
      },
      async remove(uri) {
        fake.objects.delete(objectOf(uri));
      },
      async plantOutside(name, bytes) {
        for (const key of [`photos/${name}`, `photos/elsewhere/${name}`, `other/images/${name}`])
          plant(key, bytes);
        return [`s3://other/images/${name}`, `s3://photos/elsewhere/${name}`, `s3://photos/${name}`];
      },
    },
    async cleanup() {
      client.destroy();
      await fake.close();
    },
  };
});

describe('createS3ImageStore against a local S3', () => {
  let fake: FakeS3;
  let client: S3Client;

  beforeEach(async () => {
    fake = await startFakeS3();
    client = clientFor(fake);
  });

  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  it('stores a photo keyed by its SHA-256 with its type and SSE-S3, and reads it back', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    const name = imageName(pngBytes(), 'image/png');
    const { uri } = await store.put({ bytes: pngBytes(), mediaType: 'image/png' });
    expect(uri).toBe(`s3://photos/images/${name}`);
    const [put] = fake.requests;
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/photos/images/${name}`);
    expect(put?.headers['content-type']).toBe('image/png');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    expect([...decodeAwsChunked(put!.headers, put!.body)]).toEqual([...pngBytes()]);
    expect(fake.objects.get(`photos/images/${name}`)?.contentType).toBe('image/png');

    const image = await store.get({ uri });
    expect(image.mediaType).toBe('image/png');
    expect([...image.bytes]).toEqual([...pngBytes()]);
    expect(fake.requests[1]?.method).toBe('GET');
    expect(fake.requests[1]?.path).toBe(`/photos/images/${name}`);
  });

  it('uses SSE-KMS with the given key and a custom prefix', async () => {
    const store = createS3ImageStore({ bucket: 'photos', prefix: 'qa/', kmsKeyId: 'alias/photos', client });
    const { uri } = await store.put({ bytes: jpegBytes(), mediaType: 'image/jpeg' });
    expect(uri).toBe(`s3://photos/qa/${imageName(jpegBytes(), 'image/jpeg')}`);
    expect(fake.requests[0]?.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(fake.requests[0]?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/photos');
    expect([...(await store.get({ uri })).bytes]).toEqual([...jpegBytes()]);
    await expect(
      store.get({ uri: `s3://photos/images/${imageName(jpegBytes(), 'image/jpeg')}` }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('maps NoSuchKey to a NotFoundError with the cause', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    const uri = `s3://photos/images/${'a'.repeat(64)}.png`;
    const error = await store.get({ uri }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).cause).toMatchObject({ name: 'NoSuchKey' });
    expect(fake.requests).toHaveLength(1);
  });

  it('answers NotFound without calling S3 for a URI of another bucket or shape', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    await expect(store.get({ uri: `s3://other/images/${'a'.repeat(64)}.png` })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(store.get({ uri: 's3://photos/images/../secrets.png' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(store.get({ uri: `s3://photos/images/../${'a'.repeat(64)}.png` })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses bytes that are not the declared image type without calling S3', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    await expect(store.put({ bytes: jpegBytes(), mediaType: 'image/png' })).rejects.toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
    await expect(
      store.put({ bytes: Uint8Array.from([1, 2, 3, 4]), mediaType: 'image/png' }),
    ).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps AccessDenied to a non-retryable and SlowDown to a retryable UpstreamError', async () => {
    const store = createS3ImageStore({ bucket: 'photos', client });
    fake.failNext((response) => s3Error(response, 403, 'AccessDenied', 'Access Denied'));
    const denied = await store
      .put({ bytes: pngBytes(), mediaType: 'image/png' })
      .catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(UpstreamError);
    expect((denied as UpstreamError).isRetryable).toBe(false);
    expect((denied as UpstreamError).cause).toMatchObject({ name: 'AccessDenied' });

    fake.failNext((response) => s3Error(response, 503, 'SlowDown', 'Please reduce your request rate.'));
    const slow = await store
      .put({ bytes: pngBytes(), mediaType: 'image/png' })
      .catch((caught: unknown) => caught);
    expect(slow).toBeInstanceOf(UpstreamError);
    expect((slow as UpstreamError).isRetryable).toBe(true);
    expect((slow as UpstreamError).cause).toMatchObject({ name: 'SlowDown' });

    fake.failNext((response) => s3Error(response, 500, 'InternalError', 'We encountered an internal error.'));
    const broken = await store
      .get({ uri: `s3://photos/images/${'c'.repeat(64)}.png` })
      .catch((caught: unknown) => caught);
    expect(broken).toBeInstanceOf(UpstreamError);
    expect((broken as UpstreamError).isRetryable).toBe(true);
  });
});
