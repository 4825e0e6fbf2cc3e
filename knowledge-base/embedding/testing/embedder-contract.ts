import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, ValidationError } from '../../../domain/index.ts';
import type { Embedder } from '../embedder.ts';

/** What a contract run needs from an adapter. */
export interface EmbedderUnderTest {
  embedder: Embedder;
  /**
   * How many texts the adapter embeds in one request or one round of concurrent calls; the
   * contract embeds a batch larger than this. 16 when not given.
   */
  batchSize?: number;
  /** Releases what `create` started (a local server, say). */
  cleanup?(): Promise<void>;
}

/** Texts about different things, so that their vectors differ. */
const DISTINCT_TEXTS = [
  'rust spots after quench',
  'scratched glazed handle',
  'burr on the blade edge after grinding',
  'logo print smudged on the bolster',
  'hardness below 52 HRC on the tang',
] as const;

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

/** Cosine similarity, computed in full so that it does not rely on the vectors being normalised. */
function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) dot += (left[index] ?? 0) * (right[index] ?? 0);
  return dot / (norm(left) * norm(right));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => error,
  );
}

/**
 * The Embedder contract: every adapter (hashing, Titan, …) must pass it. It checks what the
 * port's TSDoc promises: one vector per text in order, of the advertised dimensions, finite and
 * of unit length, deterministic, related texts closer than unrelated ones, a stable id, blank
 * texts refused with a ValidationError and an aborted signal with a CancelledError.
 * `create` returns a fresh adapter; two adapters it creates must have the same settings.
 */
export function describeEmbedderContract(name: string, create: () => Promise<EmbedderUnderTest>): void {
  describe(`Embedder contract: ${name}`, () => {
    let subject: EmbedderUnderTest;
    let embedder: Embedder;

    beforeEach(async () => {
      subject = await create();
      embedder = subject.embedder;
    });

    afterEach(async () => {
      await subject.cleanup?.();
    });

    it('advertises a non-empty id and a positive whole number of dimensions', () => {
      expect(embedder.id).toMatch(/\S/);
      expect(Number.isInteger(embedder.dimensions)).toBe(true);
      expect(embedder.dimensions).toBeGreaterThan(0);
    });

    it('returns one vector per text, in the order of the texts', async () => {
      const vectors = await embedder.embed({ texts: DISTINCT_TEXTS });
      expect(vectors).toHaveLength(DISTINCT_TEXTS.length);
      for (const [index, text] of DISTINCT_TEXTS.entries()) {
        const [alone] = await embedder.embed({ texts: [text] });
        expect(vectors[index], `vector ${index} is the vector of "${text}"`).toEqual(alone);
      }
      for (let left = 0; left < vectors.length; left += 1) {
        for (let right = left + 1; right < vectors.length; right += 1) {
          expect(vectors[left], `texts ${left} and ${right} differ`).not.toEqual(vectors[right]);
        }
      }
    });

    it('gives vectors of the advertised dimensions, of finite numbers and unit length', async () => {
      const vectors = await embedder.embed({
        texts: [...DISTINCT_TEXTS, 'Ä résumé — 52 HRC, 1.5 µm, 刀', 'x'.repeat(2000)],
      });
      for (const [index, vector] of vectors.entries()) {
        expect(vector, `vector ${index}`).toBeInstanceOf(Float32Array);
        expect(vector, `vector ${index}`).toHaveLength(embedder.dimensions);
        expect(
          vector.every((value) => Number.isFinite(value)),
          `vector ${index} is finite`,
        ).toBe(true);
        expect(norm(vector), `vector ${index} has unit length`).toBeCloseTo(1, 3);
      }
    });

    it('gives a text with nothing to represent finite numbers of unit length or all zeros', async () => {
      const vectors = await embedder.embed({ texts: ['*** "" ()', 'the of and'] });
      for (const [index, vector] of vectors.entries()) {
        expect(vector, `vector ${index}`).toHaveLength(embedder.dimensions);
        expect(
          vector.every((value) => Number.isFinite(value)),
          `vector ${index} is finite`,
        ).toBe(true);
        const length = norm(vector);
        expect(length === 0 || Math.abs(length - 1) < 1e-3, `vector ${index} has length ${length}`).toBe(
          true,
        );
      }
    });

    it('gives the same vector for the same text, within a batch and across calls', async () => {
      const text = 'orange rust near the bolster';
      const [first, second] = await embedder.embed({ texts: [text, text] });
      const [again] = await embedder.embed({ texts: [text] });
      const amongOthers = (await embedder.embed({ texts: [...DISTINCT_TEXTS, text] })).at(-1);
      expect(first).toEqual(second);
      expect(again).toEqual(first);
      expect(amongOthers).toEqual(first);
    });

    it('keeps its id through use, and another adapter with the same settings has the same id', async () => {
      const { id } = embedder;
      await embedder.embed({ texts: DISTINCT_TEXTS });
      expect(embedder.id).toBe(id);
      const other = await create();
      try {
        expect(other.embedder.id).toBe(id);
        expect(other.embedder.dimensions).toBe(embedder.dimensions);
        const [mine] = await embedder.embed({ texts: ['rust spots after quench'] });
        const [theirs] = await other.embedder.embed({ texts: ['rust spots after quench'] });
        expect(theirs).toEqual(mine);
      } finally {
        await other.cleanup?.();
      }
    });

    it('returns no vectors for no texts', async () => {
      expect(await embedder.embed({ texts: [] })).toEqual([]);
    });

    it('keeps the order of a batch larger than the batch size', async () => {
      const count = (subject.batchSize ?? 16) * 2 + 3;
      const texts = Array.from(
        { length: count },
        (_, index) =>
          `${DISTINCT_TEXTS[index % DISTINCT_TEXTS.length]} in lot ${index} ${'x'.repeat(index % 7)}`,
      );
      const vectors = await embedder.embed({ texts });
      expect(vectors).toHaveLength(count);
      const alone = await Promise.all(
        texts.map(async (text) => (await embedder.embed({ texts: [text] }))[0]),
      );
      for (const [index, vector] of vectors.entries()) {
        expect(vector, `vector ${index} is the vector of text ${index}`).toEqual(alone[index]);
      }
    });

    it('scores related texts higher than unrelated ones', async () => {
      const [rust, relatedRust, handle] = await embedder.embed({
        texts: ['rust spots after quench', 'orange rust near the bolster', 'scratched glazed handle'],
      });
      expect(cosine(rust!, relatedRust!)).toBeGreaterThan(cosine(rust!, handle!));
    });

    it('refuses an empty or whitespace-only text with a ValidationError', async () => {
      expect(await rejection(embedder.embed({ texts: [''] }))).toBeInstanceOf(ValidationError);
      expect(await rejection(embedder.embed({ texts: ['rust spots', ' \n\t '] }))).toBeInstanceOf(
        ValidationError,
      );
    });

    it('stops with a CancelledError carrying the reason when the signal is aborted', async () => {
      const controller = new AbortController();
      const reason = new Error('the caller went away');
      controller.abort(reason);
      const error = await rejection(embedder.embed({ texts: ['rust spots'], signal: controller.signal }));
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as CancelledError).cause).toBe(reason);
    });

    it('does not let a change to a returned vector reach later results', async () => {
      const [first] = await embedder.embed({ texts: ['rust spots after quench'] });
      const copy = Float32Array.from(first!);
      first!.fill(7);
      const [again] = await embedder.embed({ texts: ['rust spots after quench'] });
      expect(again).toEqual(copy);
    });
  });
}
