import sharp from 'sharp';
import { ValidationError } from '../../../domain/errors.ts';
import type { ContentBlock, Message } from '../model.ts';

/** The image of an image content block. */
export type ImageContent = Extract<ContentBlock, { image: unknown }>['image'];

/** The limits an image sent to Converse is fitted within. */
export interface ImageLimits {
  /** Largest encoded size in bytes. */
  readonly maxBytes: number;
  /** Longest edge in pixels. */
  readonly maxEdgePixels: number;
}

/**
 * Converse refuses an image over 3.75 MB, and Claude downscales any image whose long edge exceeds
 * 1,568 px before reading it (larger ones only cost upload time and input tokens), while the API
 * accepts photos up to 16 MB.
 */
export const CONVERSE_IMAGE_LIMITS: ImageLimits = { maxBytes: 3_750_000, maxEdgePixels: 1568 };

/** JPEG qualities tried in turn until the re-encoded image fits `maxBytes`. */
const JPEG_QUALITIES = [85, 70, 55, 40] as const;

/**
 * Fits an image within Converse's limits: returned unchanged when it already fits, else turned
 * upright (EXIF orientation), scaled down to the longest edge, flattened onto white and re-encoded
 * as JPEG, at a lower quality while it is still too large.
 *
 * @throws ValidationError when the image cannot be decoded, or cannot be made small enough.
 */
export async function fitImage(
  image: ImageContent,
  limits: ImageLimits = CONVERSE_IMAGE_LIMITS,
): Promise<ImageContent> {
  const { bytes } = image.source;
  let width: number;
  let height: number;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch (error) {
    throw new ValidationError(`The ${image.format} image cannot be decoded`, { cause: error });
  }
  if (bytes.byteLength <= limits.maxBytes && Math.max(width, height) <= limits.maxEdgePixels) return image;
  for (const quality of JPEG_QUALITIES) {
    let encoded: Buffer;
    try {
      encoded = await sharp(bytes)
        .rotate()
        .resize({
          width: limits.maxEdgePixels,
          height: limits.maxEdgePixels,
          fit: 'inside',
          withoutEnlargement: true,
        })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer();
    } catch (error) {
      throw new ValidationError(`The ${image.format} image cannot be re-encoded`, { cause: error });
    }
    if (encoded.byteLength <= limits.maxBytes)
      return { format: 'jpeg', source: { bytes: new Uint8Array(encoded) } };
  }
  throw new ValidationError(
    `The ${image.format} image stays over ${limits.maxBytes} bytes at ${limits.maxEdgePixels} px`,
  );
}

/**
 * Fits every image of the messages with {@link fitImage}; messages without images are returned as
 * they are. The cache, keyed by the image bytes, spares re-encoding the same photo on every call
 * of a tool loop.
 */
export async function fitImages(
  messages: readonly Message[],
  cache: WeakMap<Uint8Array, Promise<ImageContent>>,
  limits: ImageLimits = CONVERSE_IMAGE_LIMITS,
): Promise<Message[]> {
  return Promise.all(
    messages.map(async (message) => {
      if (!message.content.some((block) => 'image' in block)) return message;
      const content = await Promise.all(
        message.content.map(async (block): Promise<ContentBlock> => {
          if (!('image' in block)) return block;
          const bytes = block.image.source.bytes;
          let fitted = cache.get(bytes);
          if (!fitted) {
            fitted = fitImage(block.image, limits);
            cache.set(bytes, fitted);
          }
          return { image: await fitted };
        }),
      );
      return { ...message, content };
    }),
  );
}
