import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsupportedMediaTypeError, UpstreamError } from '../../domain/index.ts';
import { createLocalImageStore, imageName } from './image-store.ts';
import { describeImageStoreContract, pngBytes } from './testing/image-store-contract.ts';

const LOCAL_SCHEME = 'local://';

/** The file a `local://` URI of a store in `directory` names. */
function fileOf(directory: string, uri: string): string {
  return path.join(directory, uri.slice(LOCAL_SCHEME.length));
}

describeImageStoreContract('local folder', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'image-store-contract-'));
  const directory = path.join(root, 'store', 'images');
  return {
    store: createLocalImageStore({ directory }),
    backing: {
      async overwrite(uri, bytes) {
        await writeFile(fileOf(directory, uri), bytes);
      },
      async remove(uri) {
        await rm(fileOf(directory, uri));
      },
      async plantOutside(name, bytes) {
        const neighbour = path.join(root, 'neighbour', 'images');
        await mkdir(neighbour, { recursive: true });
        await writeFile(path.join(directory, '..', name), bytes);
        await writeFile(path.join(neighbour, name), bytes);
        return [
          `file://${path.join(neighbour, name)}`,
          `${LOCAL_SCHEME}${path.join(neighbour, name)}`,
          `${LOCAL_SCHEME}../../neighbour/images/${name}`,
        ];
      },
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('local image store', () => {
  let root: string;
  let directory: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'image-store-'));
    directory = path.join(root, 'images');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names each photo by the SHA-256 of its bytes and creates its folder', async () => {
    const store = createLocalImageStore({ directory });
    const { uri } = await store.put({ bytes: pngBytes(), mediaType: 'image/png' });
    expect(uri).toBe(`local://${imageName(pngBytes(), 'image/png')}`);
    expect(uri).toMatch(/^local:\/\/[0-9a-f]{64}\.png$/);
    expect(await readdir(directory)).toEqual([imageName(pngBytes(), 'image/png')]);
  });

  it('leaves nothing behind when it refuses a photo', async () => {
    const store = createLocalImageStore({ directory });
    await expect(
      store.put({ bytes: new TextEncoder().encode('plain text'), mediaType: 'image/png' }),
    ).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    expect(existsSync(directory)).toBe(false);
  });

  it('reports a folder it cannot write as an UpstreamError with the cause, leaving no temporary file', async () => {
    await writeFile(directory, 'a file where the folder should be');
    const store = createLocalImageStore({ directory });
    const error = await store
      .put({ bytes: pngBytes(), mediaType: 'image/png' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).cause).toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readdir(root)).toEqual(['images']);
  });

  it('reports a photo it cannot read as an UpstreamError with the cause, not as missing', async () => {
    const store = createLocalImageStore({ directory });
    const name = imageName(pngBytes(), 'image/png');
    await mkdir(path.join(directory, name), { recursive: true });
    const error = await store.get({ uri: `${LOCAL_SCHEME}${name}` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).cause).toMatchObject({ code: 'EISDIR' });
  });
});
