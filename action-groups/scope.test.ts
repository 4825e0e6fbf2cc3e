import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConcreteDefectType,
  Facility,
  ProductionStage,
  ProductSku,
  ValidationError,
  type Facility as FacilityCode,
} from '../domain/index.ts';
import { parseDocument } from '../knowledge-base/documents/parse.ts';
import { invokeTool, toToolSpec, type ToolDefinition } from './action-group.ts';
import { ALL_TOOLS } from './index.ts';
import type { DefectOccurrence } from './recurrence/defect-history.ts';
import { scopeDefectHistory, scopeKnowledgeBase, UNRESTRICTED } from './scope.ts';
import { TEST_CORPUS_DIR, TEST_NOW, useTestToolContext } from './testing/context.ts';

const DAY = 86_400_000;
const FACILITIES = Facility.options;

/** Recent history of every facility (and of none): every concrete type, at every stage, in turn. */
function historyOf(facility: FacilityCode | null, code: string): DefectOccurrence[] {
  return ConcreteDefectType.options.flatMap((defectType, index) =>
    [0, 1].map((copy) => ({
      defectId: `DEF-202611${String(10 + copy).padStart(2, '0')}-${code}${String(index).padStart(6, '0')}`,
      detectedAt: new Date(TEST_NOW.getTime() - (index + copy * 20 + 1) * DAY),
      defectType,
      stage: ProductionStage.options[index % ProductionStage.options.length] ?? null,
      facility,
      productSku: ProductSku.options[index % ProductSku.options.length] ?? null,
      confirmed: true,
    })),
  );
}

const HISTORY: DefectOccurrence[] = [
  ...historyOf('yangjiang', 'A1'),
  ...historyOf('shenzhen', 'B2'),
  ...historyOf('hongkong', 'C3'),
  ...historyOf(null, 'D4'),
];

/** The facilities of every document of the knowledge base, by document id. */
function corpusFacilities(): Map<string, readonly string[]> {
  const facilities = new Map<string, readonly string[]>();
  for (const folder of ['past-defects', 'sops']) {
    const directory = path.join(TEST_CORPUS_DIR, folder);
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.md'))) {
      const document = parseDocument({ file, source: readFileSync(path.join(directory, file), 'utf8') });
      facilities.set(
        document.metadata.id,
        document.kind === 'past_defect' ? [document.metadata.facility] : document.metadata.facilities,
      );
    }
  }
  return facilities;
}

/**
 * The defect ids (history and past-defect records) a caller scoped to `facility` must never see
 * anywhere in an output, those it may, and the documents it may be handed as sources. SOP ids are
 * not in `forbidden`: an SOP of the facility may name another SOP in its text; the SOPs handed
 * out as sources are checked instead.
 */
function idsFor(facility: FacilityCode): { forbidden: string[]; allowed: string[]; sources: Set<string> } {
  const forbidden: string[] = [];
  const allowed: string[] = [];
  const sources = new Set<string>();
  for (const occurrence of HISTORY)
    (occurrence.facility === facility ? allowed : forbidden).push(occurrence.defectId);
  for (const [id, facilities] of corpusFacilities()) {
    if (facilities.includes(facility)) sources.add(id);
    if (id.startsWith('DEF-')) (facilities.includes(facility) ? allowed : forbidden).push(id);
  }
  return { forbidden, allowed, sources };
}

/** Every `source_id` in an output. */
function sourceIds(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) sourceIds(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'source_id' && typeof item === 'string') found.push(item);
      else sourceIds(item, found);
    }
  }
  return found;
}

type JsonSchema = {
  type?: string;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

const TEXT =
  'rust spots and pitting on the blade after salt spray, pores in the bolster weld, a cracked handle ' +
  'and scratches after glazing; hardness 52 HRC, edge angle 19 degrees';

/**
 * The inputs every tool is run with, derived from its input schema so that a new tool is covered
 * without writing them: variant `n` fills every field, taking the n-th value of each enum (so every
 * facility a tool can be asked about is asked, including the other ones); one more variant gives
 * only the required fields.
 */
function inputsOf(tool: ToolDefinition): Record<string, unknown>[] {
  const schema = toToolSpec(tool).inputSchema.json as JsonSchema;
  const widestEnum = (node: JsonSchema): number =>
    Math.max(
      node.enum?.length ?? 1,
      ...Object.values(node.properties ?? {}).map((child) => widestEnum(child)),
    );
  const valueOf = (node: JsonSchema, variant: number, requiredOnly: boolean): unknown => {
    if (node.enum) return node.enum[variant % node.enum.length];
    switch (node.type) {
      case 'object': {
        const entries = Object.entries(node.properties ?? {}).filter(
          ([name]) => !requiredOnly || (node.required ?? []).includes(name),
        );
        return Object.fromEntries(
          entries.map(([name, child]) => [name, valueOf(child, variant, requiredOnly)]),
        );
      }
      case 'string':
        return TEXT.slice(0, node.maxLength ?? TEXT.length);
      case 'number':
      case 'integer':
        return node.maximum ?? node.minimum ?? 1;
      case 'boolean':
        return variant % 2 === 0;
      case 'array':
        return [];
      default:
        return TEXT;
    }
  };
  const variants = widestEnum(schema);
  return [
    ...Array.from({ length: variants }, (_, variant) => valueOf(schema, variant, false)),
    valueOf(schema, 0, true),
  ] as Record<string, unknown>[];
}

/** Where an id appears in a JSON text, as a whole id (not a prefix of a longer one). */
function mentions(text: string, id: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`).test(text);
}

const kb = useTestToolContext({ occurrences: HISTORY });

describe('every tool under a facility-scoped principal', () => {
  it('has tools to check, each with inputs it accepts', () => {
    expect(ALL_TOOLS.length).toBeGreaterThan(0);
    for (const tool of ALL_TOOLS) expect(inputsOf(tool).length).toBeGreaterThan(0);
  });

  describe.each(FACILITIES)('scoped to %s', (facility) => {
    it('never returns another facility’s defect or record id, nor its SOPs, whatever the input asks for', async () => {
      const { forbidden, allowed, sources } = idsFor(facility);
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
