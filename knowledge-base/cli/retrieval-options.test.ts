import { describe, expect, it } from 'vitest';
import { parseRetrievalOptions } from './retrieval-options.ts';

describe('parseRetrievalOptions', () => {
  it('reads the crowded-pool diversity as a flag or as settings', () => {
    expect(parseRetrievalOptions(undefined)).toEqual({});
    expect(parseRetrievalOptions('{"crowdedDiversity":true}')).toEqual({ crowdedDiversity: true });
    expect(parseRetrievalOptions('{"crowdedDiversity":{"share":0.15},"diversity":0.85}')).toEqual({
      crowdedDiversity: { share: 0.15 },
      diversity: 0.85,
    });
  });

  it('refuses unknown settings, values out of range and text that is not JSON', () => {
    expect(() => parseRetrievalOptions('{"crowded":true}')).toThrow(/--options/);
    expect(() => parseRetrievalOptions('{"crowdedDiversity":{"share":2}}')).toThrow(/--options/);
    expect(() => parseRetrievalOptions('{"crowdedDiversity":{"windows":2}}')).toThrow(/--options/);
    expect(() => parseRetrievalOptions('crowded')).toThrow('--options must be a JSON object');
  });
});
