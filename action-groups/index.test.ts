import { describe, expect, it } from 'vitest';
import { toFunctionSchema, toToolSpec, type ActionGroup } from './action-group.ts';
import { ACTION_GROUPS, ALL_TOOLS, findTool, findToolGroup } from './index.ts';

/** Names Bedrock accepts for action groups, functions and parameters. */
const BEDROCK_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const BEDROCK_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);

function groupOf(toolName: string): ActionGroup {
  const group = findToolGroup(toolName);
  if (!group) throw new Error(`no action group has ${toolName}`);
  return group;
}

describe('action groups', () => {
  it('are the six groups, named after their folders', () => {
    expect(ACTION_GROUPS.map((group) => group.name)).toEqual([
      'defect-taxonomy',
      'process-windows',
      'similar-defects',
      'recurrence',
      'sop-lookup',
      'capa-draft',
    ]);
    for (const group of ACTION_GROUPS) {
      expect(group.description.length).toBeGreaterThan(0);
      expect(group.tools.length).toBeGreaterThan(0);
    }
  });

  it('have unique snake_case tool names that findTool resolves', () => {
    const names = ALL_TOOLS.map((tool) => tool.name);
    expect(names).toEqual([
      'get_defect_taxonomy',
      'assess_severity',
      'get_process_window',
      'check_measurements',
      'find_similar_defects',
      'count_recurrences',
      'lookup_sop',
      'draft_capa',
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of ALL_TOOLS) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(findTool(tool.name)).toBe(tool);
    }
    expect(findTool('classify')).toBeUndefined();
    expect(findToolGroup('draft_capa')?.name).toBe('capa-draft');
    expect(findToolGroup('classify')).toBeUndefined();
  });

  it('produce Bedrock function schemas with legal names and parameter types only', () => {
    for (const group of ACTION_GROUPS) {
      expect(group.name).toMatch(BEDROCK_NAME);
      const schema = toFunctionSchema(group);
      expect(schema.functions.map((fn) => fn.name)).toEqual(group.tools.map((tool) => tool.name));
      for (const fn of schema.functions) {
        expect(fn.name).toMatch(BEDROCK_NAME);
        expect(fn.description.length).toBeGreaterThan(0);
        expect(fn.description.length).toBeLessThanOrEqual(1200);
        for (const [name, parameter] of Object.entries(fn.parameters)) {
          expect(name).toMatch(BEDROCK_NAME);
          expect(BEDROCK_TYPES.has(parameter.type), `${fn.name}.${name}: ${parameter.type}`).toBe(true);
          expect(parameter.description.length).toBeLessThanOrEqual(500);
        }
      }
    }
  });

  it('mark required parameters as the schemas do', () => {
    const capa = toFunctionSchema(groupOf('draft_capa')).functions[0];
    expect(capa?.parameters.root_cause).toMatchObject({ type: 'string', required: true });
    expect(capa?.parameters.scope).toMatchObject({ type: 'string', required: false });
    expect(capa?.parameters.severity?.description).toMatch(/One of: critical, major, minor, cosmetic\./);
    const recurrence = toFunctionSchema(groupOf('count_recurrences')).functions[0];
    expect(recurrence?.parameters.window_days).toMatchObject({ type: 'integer', required: false });
  });

  it('produce Converse tool specs with an object input schema', () => {
    for (const tool of ALL_TOOLS) {
      const spec = toToolSpec(tool);
      expect(spec.name).toBe(tool.name);
      expect(spec.inputSchema.json.type).toBe('object');
    }
  });
});
