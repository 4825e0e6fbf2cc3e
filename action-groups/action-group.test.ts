import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../domain/index.ts';
import {
  BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH,
  defineTool,
  toFunctionSchema,
  toToolInput,
  toToolSpec,
  type ActionGroup,
  type ToolDefinition,
} from './action-group.ts';

function toolWith(input: z.ZodObject<Record<string, z.ZodType>>): ToolDefinition {
  return defineTool({
    name: 'probe',
    description: 'A tool for the schema tests.',
    input,
    output: z.object({}),
    handler: async () => ({}),
  });
}

function groupWith(tool: ToolDefinition): ActionGroup {
  return { name: 'probe-group', description: 'Tools for the schema tests.', tools: [tool] };
}

const CAPA_LIKE = toolWith(
  z.object({
    severity: z.enum(['critical', 'major']),
    root_cause: z
      .object({
        category_6m: z.enum(['machine', 'method']),
        occurrence: z.string().min(3).describe('Why the defect was made'),
        weight: z.number().min(0).max(1).optional(),
        tags: z.array(z.string()).optional(),
      })
      .describe('The confirmed root cause.'),
    scope: z.object({ batch_id: z.string().optional() }).optional().describe('Where it was found.'),
  }),
);

describe('toFunctionSchema', () => {
  it('maps a nested object to a string parameter whose description lists the JSON fields', () => {
    const [fn] = toFunctionSchema(groupWith(CAPA_LIKE)).functions;
    expect(fn?.parameters.severity).toEqual({
      type: 'string',
      description: 'severity One of: critical, major.',
      required: true,
    });
    expect(fn?.parameters.root_cause).toEqual({
      type: 'string',
      description:
        'The confirmed root cause. A JSON object, fields are optional unless marked required: ' +
        'category_6m (required): one of machine|method; occurrence (required): string (Why the defect was made); ' +
        'weight: number 0-1; tags: array of string.',
      required: true,
    });
    expect(fn?.parameters.scope).toEqual({
      type: 'string',
      description: 'Where it was found. A JSON object, all fields optional: batch_id: string.',
      required: false,
    });
  });

  it('keeps the Converse tool spec nested', () => {
    const json = toToolSpec(CAPA_LIKE).inputSchema.json as {
      properties: Record<string, { type: string; required?: string[] }>;
    };
    expect(json.properties.root_cause).toMatchObject({
      type: 'object',
      required: ['category_6m', 'occurrence'],
    });
  });

  it('drops field descriptions, then the longest enum values, to fit the description limit', () => {
    const stages = Array.from({ length: 30 }, (_, index) => `production_stage_${index}`);
    const tool = toolWith(
      z.object({
        filter: z
          .object({
            stage: z
              .enum(stages as [string, ...string[]])
              .optional()
              .describe('x'.repeat(120)),
            side: z.enum(['left', 'right']).optional().describe('Which side'),
          })
          .describe('Only matching records.'),
      }),
    );
    const description = toFunctionSchema(groupWith(tool)).functions[0]?.parameters.filter?.description;
    expect(description?.length).toBeLessThanOrEqual(BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH);
    expect(description).toBe(
      'Only matching records. A JSON object, all fields optional: stage: a stage code; side: one of left|right.',
    );
  });

  it('refuses records, unions and objects nested in an object parameter', () => {
    const refused = [
      z.object({ counts: z.record(z.string(), z.number()) }),
      z.object({ either: z.union([z.string(), z.number()]) }),
      z.object({ outer: z.object({ inner: z.object({ value: z.string() }) }) }),
    ];
    for (const input of refused) {
      expect(() => toFunctionSchema(groupWith(toolWith(input)))).toThrow(TypeError);
    }
  });
});

describe('toToolInput', () => {
  const tool = toolWith(
    z.object({
      codes: z.array(z.string()),
      sizes: z.array(z.number()).optional(),
      limit: z.number().int().optional(),
      strict: z.boolean().optional(),
      root_cause: z
        .object({ occurrence: z.string(), weight: z.number().optional(), flagged: z.boolean().optional() })
        .optional(),
    }),
  );
  const parameters = (values: Record<string, string>): Array<{ name: string; type: string; value: string }> =>
    Object.entries(values).map(([name, value]) => ({ name, type: 'string', value }));

  it('converts numbers, booleans and arrays by the tool schema, whatever type Bedrock declares', () => {
    expect(
      toToolInput({
        tool,
        parameters: parameters({ codes: '[a, "b"]', sizes: '[1, 2.5]', limit: '3', strict: 'TRUE' }),
      }),
    ).toEqual({ codes: ['a', 'b'], sizes: [1, 2.5], limit: 3, strict: true });
    expect(toToolInput({ tool, parameters: parameters({ codes: '["x","y"]', sizes: '[ ]' }) })).toEqual({
      codes: ['x', 'y'],
      sizes: [],
    });
  });

  it('keeps what does not convert for the zod schema to reject', () => {
    expect(
      toToolInput({ tool, parameters: parameters({ codes: 'rust_spot', limit: 'three', strict: 'yes' }) }),
    ).toEqual({ codes: 'rust_spot', limit: 'three', strict: 'yes' });
  });

  it('parses a JSON object parameter and converts its string fields by their schema', () => {
    expect(
      toToolInput({
        tool,
        parameters: parameters({
          root_cause: '{"occurrence": "Worn seal", "weight": "0.5", "flagged": true}',
        }),
      }),
    ).toEqual({ root_cause: { occurrence: 'Worn seal', weight: 0.5, flagged: true } });
    expect(toToolInput({ tool, parameters: parameters({ root_cause: '["not", "an object"]' }) })).toEqual({
      root_cause: ['not', 'an object'],
    });
  });

  it('throws a ValidationError naming a parameter whose JSON is malformed', () => {
    let thrown: unknown;
    try {
      toToolInput({ tool, parameters: parameters({ root_cause: '{occurrence: Worn seal' }) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.message).toMatch(/parameter root_cause must be a JSON object/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.details).toEqual([{ path: 'root_cause', message: expect.stringMatching(/JSON object/) }]);
  });

  it('converts by the declared type without a tool or for an undeclared parameter', () => {
    const sent = [
      { name: 'temperature_c', type: 'number', value: '1050' },
      { name: 'flags', type: 'array', value: '[grinding, polishing]' },
      { name: 'ok', type: 'boolean', value: 'false' },
      { name: 'note', type: 'string', value: '42' },
      { name: 'ignored', type: 'string' },
    ];
    const expected = { temperature_c: 1050, flags: ['grinding', 'polishing'], ok: false, note: '42' };
    expect(toToolInput({ parameters: sent })).toEqual(expected);
    expect(toToolInput({ tool, parameters: sent })).toEqual(expected);
  });
});
