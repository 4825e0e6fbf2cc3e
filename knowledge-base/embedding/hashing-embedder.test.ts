import { describe, expect, it } from 'vitest';
import { computeWordStatistics, createHashingEmbedder } from './hashing-embedder.ts';

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}

describe('hashing embedder', () => {
  const embedder = createHashingEmbedder({ dimensions: 384 });

  it('is deterministic and L2-normalised', async () => {
    const [first, second] = await embedder.embed({
      texts: ['Rust spots after quench', 'Rust spots after quench'],
    });
    expect(first).toEqual(second);
    expect(first).toHaveLength(384);
    expect(dot(first!, first!)).toBeCloseTo(1, 5);
  });

  it('places related reports closer than unrelated ones', async () => {
    const [rust, oxidation, handle] = await embedder.embed({
      texts: [
        'orange rust spots near the bolster after a slow vacuum quench',
        'oxidation specks on blades, quench chamber leak suspected',
        'cracked handle scales from the injection mould',
      ],
    });
    expect(dot(rust!, oxidation!)).toBeGreaterThan(dot(rust!, handle!));
  });

  it('returns a zero vector for text with no content words and honours abort', async () => {
    const [empty] = await embedder.embed({ texts: ['the of and'] });
    expect(dot(empty!, empty!)).toBe(0);
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed({ texts: ['x'], signal: controller.signal })).rejects.toThrow();
  });

  it('names its settings in its id', () => {
    expect(embedder.id).toBe('hashing-v3-384');
    const fitted = createHashingEmbedder({
      wordStatistics: computeWordStatistics(['rust quench', 'rust blade']),
    });
    expect(fitted.id).toMatch(/^hashing-v3-384-[0-9a-f]{8}$/);
    expect(createHashingEmbedder({ weights: { trigram: 0 } }).id).not.toBe(embedder.id);
    expect(() => createHashingEmbedder({ dimensions: 3 })).toThrow(RangeError);
  });

  it('weighs rare words above common ones when fitted', async () => {
    const corpus = Array.from(
      { length: 50 },
      (_, index) => `knife blade lot ${index % 2 === 0 ? 'rust' : 'scratch'}`,
    );
    corpus.push('knife blade carbide');
    const fitted = createHashingEmbedder({ wordStatistics: computeWordStatistics(corpus) });
    const [query, common, rare] = await fitted.embed({
      texts: ['knife carbide', 'knife blade', 'carbide steel'],
    });
    expect(dot(query!, rare!)).toBeGreaterThan(dot(query!, common!));
  });
});
