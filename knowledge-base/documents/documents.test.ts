import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../domain/index.ts';
import { FIXTURE_SOURCES } from '../testing/fixtures.ts';
import { chunkDocument, splitSections, windowSection } from './chunk.ts';
import { parseDocument } from './parse.ts';

describe('parseDocument', () => {
  it('parses a past defect record and a SOP', () => {
    const record = parseDocument({ file: 'rust.md', source: FIXTURE_SOURCES.rust });
    expect(record.kind).toBe('past_defect');
    expect(record.metadata.id).toBe('DEF-20240314-3FA2B91C');
    const sop = parseDocument({ file: 'sop.md', source: FIXTURE_SOURCES.sop });
    expect(sop.kind === 'sop' && sop.metadata.defect_types).toEqual(['rust_spot', 'heat_treatment_defect']);
    expect(sop.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['no front-matter', '# Title\n\nbody', /missing YAML front-matter/],
    ['bad YAML', '---\ntitle: a: b: c\n---\nbody', /not valid YAML/],
    ['an unknown stage', FIXTURE_SOURCES.rust.replace('stage: vacuum_quench', 'stage: painting'), /stage:/],
    ['a bad id', FIXTURE_SOURCES.rust.replace('DEF-20240314-3FA2B91C', 'DEF-1'), /id:/],
    [
      'an unknown doc type',
      FIXTURE_SOURCES.rust.replace('doc_type: past_defect', 'doc_type: memo'),
      /doc_type must be/,
    ],
    ['an unexpected field', FIXTURE_SOURCES.sop.replace('revision: D', 'revision: D\ncolour: red'), /colour/],
  ])('names the file and the problem for %s', (_name, source, message) => {
    expect(() => parseDocument({ file: 'corpus/bad.md', source })).toThrow(DocumentError);
    expect(() => parseDocument({ file: 'corpus/bad.md', source })).toThrow(/^corpus\/bad\.md: /);
    expect(() => parseDocument({ file: 'corpus/bad.md', source })).toThrow(message);
  });
});

describe('chunking', () => {
  it('splits at ## headings and drops the # title', () => {
    const sections = splitSections('# Title\n\n## One\nfirst\n\n## Two\nsecond\n### Detail\nmore');
    expect(sections).toEqual([
      { heading: 'One', content: 'first' },
      { heading: 'Two', content: 'second\n### Detail\nmore' },
    ]);
  });

  it('cuts a long section into overlapping windows', () => {
    const sentences = Array.from(
      { length: 60 },
      (_, index) => `Sentence number ${index} about quench seals.`,
    );
    const text = sentences.join(' ');
    const windows = windowSection(text, { maxChars: 800, targetChars: 500, overlapChars: 120 });
    expect(windows.length).toBeGreaterThan(3);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(500 + 120 + 60);
    for (let index = 1; index < windows.length; index += 1) {
      const firstSentence = windows[index]!.slice(0, windows[index]!.indexOf('.') + 1);
      expect(firstSentence.length).toBeGreaterThan(0);
      expect(windows[index - 1]).toContain(firstSentence);
    }
    expect(windows.join(' ')).toContain('Sentence number 59');
  });

  it('gives every chunk a unique id, the metadata and a contextual header', () => {
    const chunks = chunkDocument(parseDocument({ file: 'rust.md', source: FIXTURE_SOURCES.rust }));
    expect(chunks.map((chunk) => chunk.chunkId)).toEqual([
      'DEF-20240314-3FA2B91C#description',
      'DEF-20240314-3FA2B91C#confirmed-root-cause',
    ]);
    expect(chunks[0]?.metadata).toMatchObject({
      doc_type: 'past_defect',
      stage: 'vacuum_quench',
      defect_types: ['rust_spot'],
      facilities: ['yangjiang'],
      product_sku: 'WK-KN-200',
      section: 'Description',
    });
    expect(chunks[0]?.indexedText).toContain('stage vacuum quench');
    expect(chunks[0]?.text.startsWith('Fourteen chef knives')).toBe(true);
  });
});
