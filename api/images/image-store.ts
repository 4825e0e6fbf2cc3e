import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, UnsupportedMediaTypeError, UpstreamError } from '../../domain/index.ts';

/** Media types accepted for inspection photos. */
export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * The ImageStore port: keeps inspection photos, addressed by a URI.
 *
 * What every adapter promises (checked by `testing/image-store-contract.ts`):
 * - `put` checks the bytes by their magic numbers: content that is not a JPEG, PNG or WebP,
 *   or that is not the declared `mediaType`, is an `UnsupportedMediaTypeError`, and nothing is
 *   stored;
 * - URIs are content addressed: the same bytes always give the same URI, so storing a photo
 *   twice is harmless, and different bytes give different URIs;
 * - `get` of a URI returned by `put` gives back the same bytes, and the media type detected
 *   from them; stored content that is no longer an image is an `UnsupportedMediaTypeError`;
 * - `get` accepts only URIs of the exact form this store hands out. Any other URI (another
 *   scheme, bucket or folder, a malformed name, `..` or encoded path segments) is a
 *   `NotFoundError` naming the URI, decided before anything is read, so it never reads outside
 *   the store. A URI of this store with nothing stored under it is a `NotFoundError` too;
 * - a later change to the caller's array, or to an array `get` returned, does not change what
 *   is stored.
 */
export interface ImageStore {
  /** Stores a photo and returns its URI. */
  put(params: { bytes: Uint8Array; mediaType: ImageMediaType }): Promise<{ uri: string }>;
  /** Reads a photo stored by `put`. */
  get(params: { uri: string }): Promise<{ bytes: Uint8Array; mediaType: ImageMediaType }>;
}

/** Detects jpg, png or webp from the file's magic bytes; the declared type is not trusted. */
export function detectImageType(bytes: Uint8Array): ImageMediaType {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, index) => bytes[index] === byte)) return 'image/png';
  const ascii = (start: number, end: number): string => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  throw new UnsupportedMediaTypeError('the image must be a JPEG, PNG or WebP file (checked by its content)');
}

/**
 * Checks that `bytes` are an accepted image of the declared type, as `put` must before
 * storing anything; a mismatch is an UnsupportedMediaTypeError.
 */
export function checkImageContent(bytes: Uint8Array, mediaType: ImageMediaType): void {
  const detected = detectImageType(bytes);
  if (detected !== mediaType) {
    throw new UnsupportedMediaTypeError(`the image was declared ${mediaType} but its content is ${detected}`);
  }
}

/** File extension of each accepted media type, used in the names of stored photos. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageMediaType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The content-addressed name of a photo: the SHA-256 of its bytes and its extension. */
export function imageName(bytes: Uint8Array, mediaType: ImageMediaType): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${IMAGE_EXTENSIONS[mediaType]}`;
}

const LOCAL_SCHEME = 'local://';
const IMAGE_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/;

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * The embedded ImageStore: files named by their SHA-256 in a local folder, with URIs
 * `local://<sha256>.<extension>`. A photo is written to a temporary file and renamed into
 * place, so a reader never sees half of one.
 */
export function createLocalImageStore({ directory }: { directory: string }): ImageStore {
  return {
    async put({ bytes, mediaType }) {
      checkImageContent(bytes, mediaType);
      const name = imageName(bytes, mediaType);
      const temporary = path.join(directory, `.${name}.${randomUUID()}.tmp`);
      try {
        await mkdir(directory, { recursive: true });
        await writeFile(temporary, bytes);
        await rename(temporary, path.join(directory, name));
      } catch (cause) {
        // Best effort: the failure being reported matters more than a leftover temporary file.
        await rm(temporary, { force: true }).catch(() => undefined);
        throw new UpstreamError(`storing image ${LOCAL_SCHEME}${name} in the local folder failed`, { cause });
      }
      return { uri: `${LOCAL_SCHEME}${name}` };
    },

    async get({ uri }) {
      const name = uri.startsWith(LOCAL_SCHEME) ? uri.slice(LOCAL_SCHEME.length) : '';
      if (!IMAGE_NAME.test(name))
        throw new NotFoundError(`no image ${uri}: not a URI of the local image store`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path.join(directory, name));
      } catch (cause) {
        if (errorCode(cause) === 'ENOENT') throw new NotFoundError(`no image ${uri}`, { cause });
        throw new UpstreamError(`reading image ${uri} from the local folder failed`, { cause });
      }
      return { bytes, mediaType: detectImageType(bytes) };
    },
  };
}
