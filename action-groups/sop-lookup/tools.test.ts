import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { LookupSopOutput } from './schema.ts';
import { lookupSopTool, SOP_SECTION_HEADINGS } from './tools.ts';

const kb = useTestToolContext();

async function lookup(input: unknown) {
  return LookupSopOutput.parse(await invokeTool({ tool: lookupSopTool, input, context: kb.context }));
}

describe('lookup_sop', () => {
  it('returns the reaction plan of a vacuum-quench SOP first', async () => {
    const { passages } = await lookup({
      query: 'slow quench, cooling took too long',
      stage: 'vacuum_quench',
      section: 'reaction_plan',
    });
    expect(passages).toHaveLength(4);
    expect(passages[0]?.source_id).toMatch(/^SOP-VQ-0\d$/);
    expect(passages[0]).toMatchObject({ section: 'Reaction plan', stage: 'vacuum_quench' });
    expect(passages[0]?.owner_role.length).toBeGreaterThan(0);
    expect(passages.filter((passage) => passage.section === 'Reaction plan').length).toBe(3);
    expect(passages.every((passage) => passage.stage === 'vacuum_quench')).toBe(true);
  });

  it('puts the requested section first for every section', async () => {
    for (const [section, heading] of Object.entries(SOP_SECTION_HEADINGS)) {
      const { passages } = await lookup({
        query: 'rivet fixture wear',
        stage: 'rivet_assembly',
        section,
        k: 2,
      });
      expect(passages, section).toHaveLength(2);
      for (const passage of passages) {
        expect(passage.section, section).toBe(heading);
        expect(passage.source_id).toMatch(/^SOP-RA-/);
      }
    }
  });

  it('searches every section when section is any', async () => {
    const { passages } = await lookup({ query: 'leak rate test chamber door seal', k: 6 });
    expect(passages).toHaveLength(6);
    expect(passages[0]?.source_id).toMatch(/^SOP-VQ-/);
    expect(new Set(passages.map((passage) => passage.section)).size).toBeGreaterThan(1);
  });

  it('narrows by defect type and by escape point', async () => {
    const byType = await lookup({ query: 'weld porosity', defect_type: 'weld_defect', k: 5 });
    expect(byType.passages.length).toBeGreaterThan(0);
    expect(byType.passages.every((passage) => passage.stage === 'bolster_welding')).toBe(true);

    const packaging = await lookup({
      query: 'humidity in the packing room',
      stage: 'packaging',
      section: 'checks',
    });
    expect(packaging.passages[0]).toMatchObject({ stage: 'packaging', section: 'Checks' });
  });

  it('falls back to the stage SOPs when none of them lists the defect type', async () => {
    const { passages } = await lookup({
      query: 'rust on blades after glazing',
      stage: 'blade_glazing',
      defect_type: 'rust_spot',
      section: 'reaction_plan',
      k: 2,
    });
    expect(passages).toHaveLength(2);
    expect(passages.every((passage) => passage.source_id.startsWith('SOP-BG-'))).toBe(true);
  });

  it('returns passages whose chunk ids exist', async () => {
    const { passages } = await lookup({ query: 'mould temperature', stage: 'handle_injection', k: 5 });
    const found = await kb.knowledgeBase.getPassages({
      chunkIds: passages.map((passage) => passage.chunk_id),
    });
    expect(found.map((passage) => passage.metadata.chunk_id)).toEqual(
      passages.map((passage) => passage.chunk_id),
    );
  });

  it('rejects an unknown section and an empty query', async () => {
    for (const input of [{ query: 'leak', section: 'appendix' }, { query: '' }, { query: 'leak', k: 0 }]) {
      await expect(invokeTool({ tool: lookupSopTool, input, context: kb.context })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });
});
