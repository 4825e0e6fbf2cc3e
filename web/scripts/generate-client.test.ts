import { describe, expect, it } from 'vitest';
import { staleClientFiles } from './generate-client.ts';

describe('the web console API client', () => {
  it('is generated from the current OpenAPI document (else run npm run web:client)', async () => {
    expect(await staleClientFiles()).toEqual([]);
  });
});
