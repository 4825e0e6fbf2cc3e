import { GetObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import {
  awsErrorStatus,
  isAwsServiceError,
  isRetryableAwsError,
  NotFoundError,
  UpstreamError,
  type DomainError,
} from '../../../domain/index.ts';
import { checkImageContent, detectImageType, imageName, type ImageStore } from '../image-store.ts';

/** Settings of {@link createS3ImageStore}. */
export interface S3ImageStoreOptions {
  bucket: string;
  /** Key prefix of the photos; `images/` by default. */
  prefix?: string;
  /** The S3 client; without one, a client for `region` is created. */
  client?: S3Client;
  /** Region of the client created when none is given. */
  region?: string;
  /** A KMS key id or ARN: objects are encrypted with SSE-KMS. Without it, SSE-S3 (AES256). */
  kmsKeyId?: string;
}

/** Maps an S3 failure to a typed error: a missing key is a NotFoundError, throttling and 5xx are retryable. */
export function mapS3Error(error: unknown, action: string, uri: string): DomainError {
  if (!isAwsServiceError(error)) {
    return new UpstreamError(`S3 ${action} of ${uri} failed`, { cause: error, isRetryable: true });
  }
  const status = awsErrorStatus(error);
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') {
    return new NotFoundError(`no image ${uri}`, { cause: error });
  }
  return new UpstreamError(`S3 ${action} of ${uri} failed with ${error.name}: ${error.message}`, {
    cause: error,
    isRetryable: isRetryableAwsError(error),
    details: { name: error.name, status },
  });
}

/**
 * The ImageStore port over S3: each photo is one object named by the SHA-256 of its bytes,
 * under `prefix`, stored with its media type and server-side encryption. Its URI is
 * `s3://<bucket>/<key>`. The media type is checked by the magic bytes when storing and reading.
 */
export function createS3ImageStore(options: S3ImageStoreOptions): ImageStore {
  const { bucket, prefix = 'images/', kmsKeyId } = options;
  const client = options.client ?? new S3Client({ region: options.region });
  const uriPrefix = `s3://${bucket}/`;
  const keyPattern = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9a-f]{64}\\.(jpg|png|webp)$`,
  );

  return {
    async put({ bytes, mediaType }) {
      checkImageContent(bytes, mediaType);
      const key = `${prefix}${imageName(bytes, mediaType)}`;
      const uri = `${uriPrefix}${key}`;
      const encryption: Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> = kmsKeyId
        ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId }
        : { ServerSideEncryption: 'AES256' };
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentType: mediaType,
            ...encryption,
          }),
        );
      } catch (error) {
        throw mapS3Error(error, 'PutObject', uri);
      }
      return { uri };
    },

    async get({ uri }) {
      const key = uri.startsWith(uriPrefix) ? uri.slice(uriPrefix.length) : '';
      if (!keyPattern.test(key)) {
        throw new NotFoundError(`no image ${uri}: not a URI of the image store s3://${bucket}/${prefix}`);
      }
      let bytes: Uint8Array;
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!output.Body) throw new UpstreamError(`S3 returned no body for ${uri}`);
        bytes = await output.Body.transformToByteArray();
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw mapS3Error(error, 'GetObject', uri);
      }
      return { bytes, mediaType: detectImageType(bytes) };
    },
  };
}
