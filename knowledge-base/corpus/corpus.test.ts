import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONCRETE_DEFECT_TYPES, DEFECT_TYPE_DETAILS, Facility, PRODUCTION_STAGES } from '../../domain/index.ts';
import { parseDocument } from '../documents/parse.ts';
import type { KnowledgeDocument } from '../documents/schema.ts';
import { readGoldFile } from '../eval/retrieval-eval.ts';

function load(folder: string): KnowledgeDocument[] {
  const directory = path.join('knowledge-base/corpus', folder);
  return readdirSync(directory)
    .filter((name) => name.endsWith('.md'))
    .map((name) => parseDocument({ file: name, source: readFileSync(path.join(directory, name), 'utf8') }));
}

describe('the shipped corpus', () => {
  const defects = load('past-defects');
  const sops = load('sops');

  it('parses every file, with ids matching file names and dates', () => {
    for (const document of [...defects, ...sops]) expect(document.file).toBe(`${document.metadata.id}.md`);
    for (const document of defects) {
      if (document.kind !== 'past_defect') throw new Error(`${document.file} is not a past defect`);
      expect(document.metadata.id.slice(4, 12)).toBe(document.metadata.date.replaceAll('-', ''));
    }
  });

  it('has at least 150 past defects, every concrete type at least 8 times from a usual origin stage', () => {
    expect(defects.length).toBeGreaterThanOrEqual(150);
    for (const type of CONCRETE_DEFECT_TYPES) {
      const ofType = defects.flatMap((document) => (document.kind === 'past_defect' && document.metadata.defect_type === type ? [document] : []));
      expect(ofType.length, type).toBeGreaterThanOrEqual(8);
      if (type === 'surface_contamination') continue;
      for (const document of ofType) expect(DEFECT_TYPE_DETAILS[type].originStages, document.file).toContain(document.metadata.stage);
    }
    const facilities = new Set(defects.map((document) => (document.kind === 'past_defect' ? document.metadata.facility : null)));
    expect(facilities).toEqual(new Set(Facility.options));
  });

  it('keeps recurrences pointing at earlier records that exist', () => {
    const ids = new Set(defects.map((document) => document.metadata.id));
    const recurrences = defects.flatMap((document) => (document.kind === 'past_defect' && document.metadata.recurrence_of ? [document.metadata] : []));
    expect(recurrences.length).toBeGreaterThanOrEqual(10);
    for (const record of recurrences) {
      expect(ids.has(record.recurrence_of as string), record.id).toBe(true);
      expect((record.recurrence_of as string) < record.id || (record.recurrence_of as string).slice(4, 12) <= record.id.slice(4, 12)).toBe(true);
    }
  });

  it('has at least 36 SOPs: three or more per stage, plus inspection and packaging, each with the five sections', () => {
    expect(sops.length).toBeGreaterThanOrEqual(36);
    for (const stage of [...PRODUCTION_STAGES, 'inspection', 'packaging']) {
      expect(sops.filter((document) => document.metadata.stage === stage).length, stage).toBeGreaterThanOrEqual(3);
    }
    for (const document of sops) {
      for (const section of ['Process window', 'Checks', 'Reaction plan', 'Escalation path']) {
        expect(document.body, `${document.file}: ${section}`).toMatch(new RegExp(`^## ${section}`, 'm'));
      }
    }
  });

  it('has a gold file of at least 40 queries whose relevant ids all exist', async () => {
    const gold = await readGoldFile('knowledge-base/eval/gold.jsonl');
    const ids = new Set([...defects, ...sops].map((document) => document.metadata.id));
    expect(gold.length).toBeGreaterThanOrEqual(40);
    for (const query of gold) for (const id of query.relevant) expect(ids.has(id), `${query.query}: ${id}`).toBe(true);
  });
});
