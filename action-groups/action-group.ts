import { z } from 'zod';
import { ValidationError } from '../domain/index.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import type { DefectHistory } from './recurrence/defect-history.ts';

/** What a tool handler may use; injected by the runtime or the Lambda entry point. */
export interface ToolContext {
  knowledgeBase: KnowledgeBase;
  defectHistory: DefectHistory;
  /** The clock, injected so that due dates and windows are deterministic in tests. */
  now: () => Date;
  signal?: AbortSignal;
}

/** A flat zod object: Bedrock function parameters are primitives or arrays of them. */
export type ToolInputSchema = z.ZodObject<Record<string, z.ZodType>>;

/** One typed tool: its zod input and output schemas and its pure handler. */
export interface ToolDefinition<
  Input extends ToolInputSchema = ToolInputSchema,
  Output extends z.ZodType = z.ZodType,
> {
  /** snake_case, unique across all action groups. */
  name: string;
  description: string;
  input: Input;
  output: Output;
  handler: (input: z.output<Input>, context: ToolContext) => Promise<z.input<Output>>;
}

/** A named set of tools, deployed as one Lambda and one Bedrock action group. */
export interface ActionGroup {
  name: string;
  description: string;
  tools: readonly ToolDefinition[];
}

/** Declares a tool with its types inferred from the schemas. */
export function defineTool<Input extends ToolInputSchema, Output extends z.ZodType>(
  tool: ToolDefinition<Input, Output>,
): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/** The Converse `toolSpec` of a tool (also what the local runtime offers a model). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: { json: Record<string, unknown> };
}

const toolSpecs = new WeakMap<ToolDefinition, ToolSpec>();

/** Converts a tool's input schema into a Converse tool spec (computed once per tool). */
export function toToolSpec(tool: ToolDefinition): ToolSpec {
  const cached = toolSpecs.get(tool);
  if (cached) return cached;
  const spec = buildToolSpec(tool);
  toolSpecs.set(tool, spec);
  return spec;
}

function buildToolSpec(tool: ToolDefinition): ToolSpec {
  const json = z.toJSONSchema(tool.input, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return { name: tool.name, description: tool.description, inputSchema: { json } };
}

/** A Bedrock action group parameter. */
export interface BedrockParameter {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  description: string;
  required: boolean;
}

/** A Bedrock action group `functionSchema`, as CloudFormation's `AWS::Bedrock::Agent` takes it. */
export interface BedrockFunctionSchema {
  functions: Array<{ name: string; description: string; parameters: Record<string, BedrockParameter> }>;
}

function bedrockType(schema: Record<string, unknown>, path: string): BedrockParameter['type'] {
  const type = schema.type ?? (Array.isArray(schema.enum) ? 'string' : undefined);
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' || type === 'array')
    return type;
  throw new TypeError(
    `${path}: Bedrock function parameters must be primitives or arrays, got ${JSON.stringify(type)}`,
  );
}

/** Converts an action group into Bedrock's `functionSchema`; nested objects are refused. */
export function toFunctionSchema(group: ActionGroup): BedrockFunctionSchema {
  return {
    functions: group.tools.map((tool) => {
      const json = toToolSpec(tool).inputSchema.json as {
        properties?: Record<string, Record<string, unknown>>;
        required?: string[];
      };
      const parameters: Record<string, BedrockParameter> = {};
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        const enumValues = Array.isArray(property.enum) ? ` One of: ${property.enum.join(', ')}.` : '';
        parameters[name] = {
          type: bedrockType(property, `${group.name}.${tool.name}.${name}`),
          description: `${String(property.description ?? name)}${enumValues}`.slice(0, 500),
          required: json.required?.includes(name) ?? false,
        };
      }
      return { name: tool.name, description: tool.description.slice(0, 1200), parameters };
    }),
  };
}

/**
 * Runs a tool: validates the input (a {@link ValidationError} names the bad arguments and no
 * handler runs), calls the handler, and validates its output.
 */
export async function invokeTool({
  tool,
  input,
  context,
}: {
  tool: ToolDefinition;
  input: unknown;
  context: ToolContext;
}): Promise<unknown> {
  const parsed = tool.input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ValidationError(`invalid arguments for ${tool.name}`, {
      cause: parsed.error,
      details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  context.signal?.throwIfAborted();
  const output = await tool.handler(parsed.data, context);
  return tool.output.parse(output);
}
