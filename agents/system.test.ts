import { describe, expect, it } from 'vitest';
import { bedrockMaxSockets } from './system.ts';

describe('bedrockMaxSockets', () => {
  it('sizes the Bedrock connection pool to the analyses that may run at once, never below the SDK default', () => {
    expect(bedrockMaxSockets({ bedrockMaxSockets: undefined, analysisConcurrency: 200 })).toBe(400);
    expect(bedrockMaxSockets({ bedrockMaxSockets: undefined, analysisConcurrency: 8 })).toBe(50);
    expect(bedrockMaxSockets({ bedrockMaxSockets: 120, analysisConcurrency: 200 })).toBe(120);
  });
});
