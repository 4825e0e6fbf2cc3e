import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnsupportedMediaTypeError } from '../../../domain/index.ts';
import type { ImageMediaType, ImageStore } from '../image-store.ts';

/** Direct access to what backs a store, to set up what the port itself cannot. */
export interface ImageStoreBacking {
  /** Overwrites the bytes stored under `uri`, as damage or tampering would. */
  overwrite(uri: string, bytes: Uint8Array): Promise<void>;
  /** Deletes what is stored under `uri`. */
  remove(uri: string): Promise<void>;
  /**
   * Stores `bytes` under the file or object name `name` outside the store: one level above its
   * photos (the parent folder; the bucket outside the prefix), where a URI with `../` would
   * land, and in a neighbouring store of the same kind (another folder or bucket). Returns the
   * URIs that name the copies in the neighbouring store.
   */
  plantOutside(name: string, bytes: Uint8Array): Promise<string[]>;
}

/** What a contract run needs from an adapter. */
export interface ImageStoreUnderTest {
  store: ImageStore;
  backing: ImageStoreBacking;
  cleanup(): Promise<void>;
}

/** A minimal PNG: the signature and the start of an IHDR chunk, with `seed` to vary it. */
export function pngBytes(seed = 0): Uint8Array {
  return Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    13,
    0x49,
    0x48,
    0x44,
    0x52,
    seed,
  ]);
}

/** A minimal JPEG: SOI and a JFIF APP0 marker, with `seed` to vary it. */
export function jpegBytes(seed = 0): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, seed]);
}

/** A minimal WebP: the RIFF header and a VP8 chunk tag, with `seed` to vary it. */
export function webpBytes(seed = 0): Uint8Array {
  const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));
  return Uint8Array.from([...ascii('RIFF'), 12, 0, 0, 0, ...ascii('WEBPVP8 '), 0, 0, 0, 0, seed]);
}

const IMAGES: ReadonlyArray<{ mediaType: ImageMediaType; bytes: () => Uint8Array }> = [
  { mediaType: 'image/png', bytes: () => pngBytes() },
  { mediaType: 'image/jpeg', bytes: () => jpegBytes() },
  { mediaType: 'image/webp', bytes: () => webpBytes() },
];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => error,
  );
}

/** URIs that are not of the exact form a store hands out, derived from one it did hand out. */
function malformedUris(uri: string): string[] {
  const cut = uri.lastIndexOf('/') + 1;
  const base = uri.slice(0, cut);
  const name = uri.slice(cut);
  const schemeEnd = uri.indexOf('://');
  return [
    '',
    ' ',
    name,
    base,
    `${base}../${name}`,
    `${base}sub/../${name}`,
    `${base}./${name}`,
    `${base}%2e%2e/${name}`,
    `${base}..%2f${name}`,
    `${base}..\\${name}`,
    `${base}${name.toUpperCase()}`,
    `${base}${name}.png`,
    `${base}x${name}`,
    `${uri}/`,
    `${uri}?versionId=1`,
    `${uri}#fragment`,
    ` ${uri}`,
    `${uri}\n`,
    `${uri}\u0000`,
    `other-store${uri.slice(Math.max(schemeEnd, 0))}`,
    `${uri.slice(0, Math.max(schemeEnd, 0)).toUpperCase()}${uri.slice(Math.max(schemeEnd, 0))}`,
  ];
}

/**
 * The ImageStore contract: every adapter (local folder, S3, …) must pass it. It checks what the
 * port's TSDoc promises: round trips of every accepted type, content addressing, refusal of
 * content that is not the declared image, NotFoundError for unknown URIs and for any URI the
 * store does not hand out, without reading outside the store. `create` returns an empty store.
 */
export function describeImageStoreContract(name: string, create: () => Promise<ImageStoreUnderTest>): void {
  describe(`ImageStore contract: ${name}`, () => {
    let subject: ImageStoreUnderTest;
    let store: ImageStore;

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it.each(IMAGES)(
      'gives back the same bytes and media type for $mediaType',
      async ({ mediaType, bytes }) => {
        const { uri } = await store.put({ bytes: bytes(), mediaType });
        expect(uri).toMatch(/\S/);
        const image = await store.get({ uri });
        expect(image.mediaType).toBe(mediaType);
        expect(image.bytes).toBeInstanceOf(Uint8Array);
        expect([...image.bytes]).toEqual([...bytes()]);
      },
    );

    it('gives back a large photo whole', async () => {
      const bytes = new Uint8Array(1024 * 1024 + 7);
      bytes.set(pngBytes());
      bytes.set(randomBytes(bytes.length - 32), 32);
      const { uri } = await store.put({ bytes, mediaType: 'image/png' });
      const image = await store.get({ uri });
      expect(Buffer.from(image.bytes).equals(Buffer.from(bytes))).toBe(true);
    });

    it('gives the same bytes the same URI, and different bytes different URIs', async () => {
      const first = await store.put({ bytes: pngBytes(1), mediaType: 'image/png' });
      const again = await store.put({ bytes: pngBytes(1), mediaType: 'image/png' });
      const other = await store.put({ bytes: pngBytes(2), mediaType: 'image/png' });
      const jpeg = await store.put({ bytes: jpegBytes(1), mediaType: 'image/jpeg' });
      expect(again.uri).toBe(first.uri);
      expect(new Set([first.uri, other.uri, jpeg.uri]).size).toBe(3);
      expect([...(await store.get(first)).bytes]).toEqual([...pngBytes(1)]);
      expect([...(await store.get(other)).bytes]).toEqual([...pngBytes(2)]);
    });

    it('stores the same photo put concurrently once, whole', async () => {
      const bytes = new Uint8Array(256 * 1024);
      bytes.set(jpegBytes(3));
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.put({ bytes, mediaType: 'image/jpeg' })),
      );
      expect(new Set(results.map((result) => result.uri)).size).toBe(1);
      const reads = await Promise.all([
        store.get(results[0]!),
        store.put({ bytes, mediaType: 'image/jpeg' }).then(() => store.get(results[0]!)),
      ]);
      for (const read of reads) expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true);
    });

    it.each([
      ['text', () => new TextEncoder().encode('not an image at all')],
      ['no bytes', () => new Uint8Array(0)],
      ['a truncated PNG signature', () => pngBytes().subarray(0, 6)],
      ['a GIF', () => new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000')],
      ['a PDF', () => new TextEncoder().encode('%PDF-1.7\n%âãÏÓ')],
    ])('refuses %s with an UnsupportedMediaTypeError', async (_label, bytes) => {
      for (const { mediaType } of IMAGES) {
        expect(await rejection(store.put({ bytes: bytes(), mediaType }))).toBeInstanceOf(
          UnsupportedMediaTypeError,
        );
      }
    });

    it('refuses content that is not the declared type with an UnsupportedMediaTypeError', async () => {
      for (const { mediaType, bytes } of IMAGES) {
        for (const declared of IMAGES.filter((other) => other.mediaType !== mediaType)) {
          const error = await rejection(store.put({ bytes: bytes(), mediaType: declared.mediaType }));
          expect(error, `${mediaType} declared ${declared.mediaType}`).toBeInstanceOf(
            UnsupportedMediaTypeError,
          );
        }
      }
    });

    it('answers a NotFoundError naming the URI when nothing is stored under it', async () => {
      const { uri } = await store.put({ bytes: pngBytes(4), mediaType: 'image/png' });
      await subject.backing.remove(uri);
      const error = await rejection(store.get({ uri }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).message).toContain(uri);
    });

    it('answers a NotFoundError for any URI it does not hand out, without reading outside the store', async () => {
      const { uri } = await store.put({ bytes: pngBytes(5), mediaType: 'image/png' });
      const planted = jpegBytes(5);
      const foreign = await subject.backing.plantOutside(uri.slice(uri.lastIndexOf('/') + 1), planted);
      expect(foreign.length).toBeGreaterThan(0);
      for (const candidate of [...malformedUris(uri), ...foreign]) {
        const outcome = await store.get({ uri: candidate }).then(
          (image) => `read ${image.mediaType}, ${image.bytes.length} bytes`,
          (error: unknown) => error,
        );
        expect(outcome, JSON.stringify(candidate)).toBeInstanceOf(NotFoundError);
        expect((outcome as NotFoundError).message, JSON.stringify(candidate)).toContain(candidate);
      }
      expect([...(await store.get({ uri })).bytes]).toEqual([...pngBytes(5)]);
    });

    it('detects the media type of what it reads, and refuses stored content that is not an image', async () => {
      const { uri } = await store.put({ bytes: pngBytes(6), mediaType: 'image/png' });
      await subject.backing.overwrite(uri, jpegBytes(6));
      expect((await store.get({ uri })).mediaType).toBe('image/jpeg');
      await subject.backing.overwrite(uri, new TextEncoder().encode('<html>not an image</html>'));
      expect(await rejection(store.get({ uri }))).toBeInstanceOf(UnsupportedMediaTypeError);
    });

    it('keeps what it stored when the caller changes its arrays afterwards', async () => {
      const bytes = pngBytes(7);
      const { uri } = await store.put({ bytes, mediaType: 'image/png' });
      bytes.fill(0);
      const first = await store.get({ uri });
      expect([...first.bytes]).toEqual([...pngBytes(7)]);
      first.bytes.fill(0);
      expect([...(await store.get({ uri })).bytes]).toEqual([...pngBytes(7)]);
    });
  });
}
