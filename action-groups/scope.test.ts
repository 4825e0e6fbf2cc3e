import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/index.ts';
import { invokeTool, toToolSpec, type ToolDefinition } from './action-group.ts';
import { ALL_TOOLS } from './index.ts';
import type { DefectOccurrence } from './recurrence/defect-history.ts';
import { scopeDefectHistory, scopeKnowledgeBase, UNRESTRICTED } from './scope.ts';
import { useTestToolContext } from './testing/context.ts';
import {
  FACILITIES,
  inputsFromJsonSchema,
  mentions,
  SCOPED_HISTORY,
  scopedIds,
  sourceIds,
  TEXT,
} from './testing/scope-fixtures.ts';

/** The inputs every tool is run with, derived from its input schema. */
function inputsOf(tool: ToolDefinition): Record<string, unknown>[] {
  return inputsFromJsonSchema(
    toToolSpec(tool).inputSchema.json as Parameters<typeof inputsFromJsonSchema>[0],
  );
}

const HISTORY: DefectOccurrence[] = [...SCOPED_HISTORY];

const kb = useTestToolContext({ occurrences: HISTORY });

describe('every tool under a facility-scoped principal', () => {
  it('has tools to check, each with inputs it accepts', () => {
    expect(ALL_TOOLS.length).toBeGreaterThan(0);
    for (const tool of ALL_TOOLS) expect(inputsOf(tool).length).toBeGreaterThan(0);
  });

  describe.each(FACILITIES)('scoped to %s', (facility) => {
    it('never returns another facility’s defect or record id, nor its SOPs, whatever the input asks for', async () => {
      const { forbidden, allowed, sources } = scopedIds(facility);
      const context = { ...kb.context, scope: { facility } };
      let seenAllowed = 0;
      for (const tool of ALL_TOOLS) {
        let answered = 0;
        for (const input of inputsOf(tool)) {
          let output: unknown;
          try {
            output = await invokeTool({ tool, input, context });
          } catch (error) {
            if (error instanceof ValidationError) continue;
            throw error;
          }
          answered += 1;
          const text = JSON.stringify(output);
          const leaked = forbidden.filter((id) => mentions(text, id));
          expect(leaked, `${tool.name}(${JSON.stringify(input)})`).toEqual([]);
          const foreignSources = sourceIds(output).filter((id) => !sources.has(id));
          expect(foreignSources, `${tool.name}(${JSON.stringify(input)}) sources`).toEqual([]);
          seenAllowed += allowed.filter((id) => mentions(text, id)).length;
        }
        expect(answered, `${tool.name} accepted none of its generated inputs`).toBeGreaterThan(0);
      }
      // The check is not vacuous: the tools do read this facility's history and records.
      expect(seenAllowed).toBeGreaterThan(0);
    });
  });

  it('counts only the scope’s facility, and nothing when the input names another one', async () => {
    const context = { ...kb.context, scope: { facility: 'yangjiang' as const } };
    const tool = ALL_TOOLS.find((candidate) => candidate.name === 'count_recurrences');
    expect(tool).toBeDefined();
    if (!tool) return;
    const own = (await invokeTool({ tool, input: { window_days: 730 }, context })) as {
      count: number;
      by_facility: Record<string, number>;
    };
    expect(own.by_facility).toEqual({ yangjiang: own.count });
    expect(own.count).toBe(HISTORY.filter((entry) => entry.facility === 'yangjiang').length);
    const other = (await invokeTool({
      tool,
      input: { facility: 'shenzhen', window_days: 730 },
      context,
    })) as {
      count: number;
    };
    expect(other.count).toBe(0);
  });
});

describe('the scoped reads', () => {
  it('leave an unrestricted caller every facility', async () => {
    expect(scopeKnowledgeBase(kb.knowledgeBase, UNRESTRICTED)).toBe(kb.knowledgeBase);
    expect(scopeDefectHistory(kb.defectHistory, UNRESTRICTED)).toBe(kb.defectHistory);
  });

  it('drop passages of other facilities fetched by id', async () => {
    const all = await kb.knowledgeBase.retrieve({ query: TEXT, k: 50, filter: { doc_type: 'past_defect' } });
    const foreign = all.filter((passage) => !passage.metadata.facilities.includes('yangjiang'));
    expect(foreign.length).toBeGreaterThan(0);
    const scoped = scopeKnowledgeBase(kb.knowledgeBase, { facility: 'yangjiang' });
    const fetched = await scoped.getPassages({ chunkIds: all.map((passage) => passage.metadata.chunk_id) });
    expect(fetched.length).toBe(all.length - foreign.length);
    expect(fetched.every((passage) => passage.metadata.facilities.includes('yangjiang'))).toBe(true);
  });

  it('narrow a history adapter that ignores the facility filter', async () => {
    const careless = {
      listOccurrences: async () => HISTORY,
      summarizeOccurrences: async () => ({
        count: HISTORY.length,
        unconfirmed: 0,
        byFacility: { yangjiang: 1, shenzhen: 1 },
        byStage: {},
        recentDefectIds: HISTORY.map((entry) => entry.defectId),
      }),
    };
    const scoped = scopeDefectHistory(careless, { facility: 'shenzhen' });
    const summary = await scoped.summarizeOccurrences({ since: new Date(0), recentLimit: 100 });
    expect(summary.byFacility).toEqual({ shenzhen: summary.count });
    expect(summary.recentDefectIds.every((id) => id.includes('-B2'))).toBe(true);
    const listed = await scoped.listOccurrences({ since: new Date(0) });
    expect(listed.every((entry) => entry.facility === 'shenzhen')).toBe(true);
  });
});
