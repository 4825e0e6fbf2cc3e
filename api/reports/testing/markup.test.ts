import { describe, expect, it } from 'vitest';
import { wellFormednessErrors } from './markup.ts';

describe('wellFormednessErrors', () => {
  it('accepts well-formed XML and HTML', () => {
    expect(
      wellFormednessErrors({
        markup: '<svg a="1"><g><text>a &amp; b</text></g><circle r="1"/></svg>',
        html: false,
      }),
    ).toEqual([]);
    expect(
      wellFormednessErrors({
        markup:
          '<!DOCTYPE html><html><head><meta charset="utf-8"><style>a > b { x: y }</style></head><body><p>x</p></body></html>',
        html: true,
      }),
    ).toEqual([]);
  });

  it('reports unclosed, mismatched and stray tags, bare ampersands and a missing doctype', () => {
    expect(wellFormednessErrors({ markup: '<svg><g></svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg><g>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg>a < b</svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg>a & b</svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg a=1></svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg a="1" a="2"></svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<svg></svg><svg></svg>', html: false })).not.toEqual([]);
    expect(wellFormednessErrors({ markup: '<html><body></body></html>', html: true })).toEqual([
      'missing <!DOCTYPE html>',
    ]);
  });
});
