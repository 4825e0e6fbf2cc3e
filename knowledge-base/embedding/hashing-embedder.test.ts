import { describe, expect, it } from 'vitest';
import { computeWordStatistics, createHashingEmbedder } from './hashing-embedder.ts';
import { describeEmbedderContract } from './testing/embedder-contract.ts';
import { readWordStatistics } from './word-statistics.ts';

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}

describeEmbedderContract('hashing (384 dimensions)', async () => ({
  embedder: createHashingEmbedder({ dimensions: 384 }),
}));

describeEmbedderContract('hashing (shipped word statistics, as the service runs it)', async () => ({
  embedder: createHashingEmbedder({ dimensions: 384, wordStatistics: await readWordStatistics() }),
}));

describe('hashing embedder', () => {
  const embedder = createHashingEmbedder({ dimensions: 384 });

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

  it('returns the zero vector for a text with no content words', async () => {
    const [empty] = await embedder.embed({ texts: ['the of and'] });
    expect(dot(empty!, empty!)).toBe(0);
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
