import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, UnsupportedMediaTypeError } from '../../domain/index.ts';

/** Media types accepted for inspection photos. */
export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The ImageStore port: keeps inspection photos, addressed by a URI. */
export interface ImageStore {
  put(params: { bytes: Uint8Array; mediaType: ImageMediaType }): Promise<{ uri: string }>;
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

const EXTENSIONS: Record<ImageMediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The embedded ImageStore: files named by their SHA-256 in a local folder. */
export function createLocalImageStore({ directory }: { directory: string }): ImageStore {
  return {
    async put({ bytes, mediaType }) {
      await mkdir(directory, { recursive: true });
      const name = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSIONS[mediaType]}`;
      await writeFile(path.join(directory, name), bytes);
      return { uri: `local://${name}` };
    },
    async get({ uri }) {
      const name = uri.replace(/^local:\/\//, '');
      if (!/^[0-9a-f]{64}\.(jpg|png|webp)$/.test(name)) throw new NotFoundError(`no image ${uri}`);
      try {
        const bytes = await readFile(path.join(directory, name));
        return { bytes, mediaType: detectImageType(bytes) };
      } catch (cause) {
        throw new NotFoundError(`no image ${uri}`, { cause });
      }
    },
  };
}
