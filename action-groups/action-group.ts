import { z } from 'zod';
import { ValidationError } from '../domain/index.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import type { DefectHistory } from './recurrence/defect-history.ts';
import { scopeDefectHistory, scopeKnowledgeBase, type AccessScope } from './scope.ts';

/**
 * What the tools read from, shared by every invocation: the runtimes hold these and add the
 * caller's scope and signal per call to make a {@link ToolContext}.
 */
export interface ToolResources {
  knowledgeBase: KnowledgeBase;
  defectHistory: DefectHistory;
  /** The clock, injected so that due dates and windows are deterministic in tests. */
  now: () => Date;
}

/** What a tool handler may use; injected by the runtime or the Lambda entry point. */
export interface ToolContext extends ToolResources {
  /**
   * The facility the caller may read. {@link invokeTool} hands the handler a knowledge base and a
   * defect history narrowed to it, so no tool input can widen it.
   */
  scope: AccessScope;
  signal?: AbortSignal;
}

/**
 * The context a handler runs with: the knowledge base and the defect history narrowed to the
 * context's scope (see {@link scopeKnowledgeBase} and {@link scopeDefectHistory}).
 */
export function scopeToolContext(context: ToolContext): ToolContext {
  return {
    ...context,
    knowledgeBase: scopeKnowledgeBase(context.knowledgeBase, context.scope),
    defectHistory: scopeDefectHistory(context.defectHistory, context.scope),
  };
}

/**
 * A zod object whose fields are primitives, arrays of them, or plain objects of those: Bedrock
 * function parameters are primitives or arrays, and an object field travels as a JSON string (see
 * {@link toFunctionSchema}).
 */
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

/**
 * Who runs an action group's tools when a deployed Bedrock agent calls them: its own Lambda, or
 * the service, to which Bedrock returns control (RETURN_CONTROL) because the tools need data
 * only the service can reach.
 */
export type ActionGroupExecutor = 'lambda' | 'return-control';

/** A named set of tools, deployed as one Bedrock action group (and one Lambda unless returned to the service). */
export interface ActionGroup {
  name: string;
  description: string;
  tools: readonly ToolDefinition[];
  /** `lambda` when not given. */
  executor?: ActionGroupExecutor;
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

/** The longest description Bedrock accepts for a function parameter. */
export const BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH = 500;

type JsonSchema = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON Schema `object` with named properties (a zod object), as opposed to a record or a union. */
function isPlainObjectSchema(schema: JsonSchema | undefined): schema is JsonSchema & {
  properties: Record<string, JsonSchema>;
} {
  return schema?.type === 'object' && isRecord(schema.properties);
}

function bedrockType(schema: JsonSchema, path: string): BedrockParameter['type'] {
  const type = schema.type ?? (Array.isArray(schema.enum) ? 'string' : undefined);
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' || type === 'array')
    return type;
  throw new TypeError(
    `${path}: Bedrock function parameters must be primitives, arrays or plain objects of those, got ${JSON.stringify(type)}`,
  );
}

/** One field of an object parameter, as its description lists it. */
interface ObjectField {
  name: string;
  required: boolean;
  /** Whether the field is an array of `type`. */
  array: boolean;
  /** The type of the field (or of its items), with the range of numbers. */
  type: string;
  enumValues: readonly string[] | null;
  defaultValue: string | null;
  description: string | null;
}

function range(schema: JsonSchema): string {
  const { minimum, maximum } = schema;
  if (typeof minimum === 'number' && typeof maximum === 'number') return ` ${minimum}-${maximum}`;
  if (typeof minimum === 'number') return ` >= ${minimum}`;
  if (typeof maximum === 'number') return ` <= ${maximum}`;
  return '';
}

function objectField(name: string, schema: JsonSchema, required: boolean, path: string): ObjectField {
  const fieldType = bedrockType(schema, path);
  const array = fieldType === 'array';
  const items = array && isRecord(schema.items) ? schema.items : undefined;
  const valueSchema = items ?? schema;
  const type = array ? (items ? bedrockType(items, `${path}[]`) : 'string') : fieldType;
  return {
    name,
    required,
    array,
    type: type === 'number' || type === 'integer' ? `${type}${range(valueSchema)}` : type,
    enumValues: Array.isArray(valueSchema.enum) ? valueSchema.enum.map(String) : null,
    defaultValue: schema.default === undefined ? null : JSON.stringify(schema.default),
    description: typeof schema.description === 'string' ? schema.description : null,
  };
}

function renderField(
  field: ObjectField,
  { withDescription, withEnum }: { withDescription: boolean; withEnum: boolean },
): string {
  const kind = field.enumValues
    ? withEnum
      ? `one of ${field.enumValues.join('|')}`
      : `a ${field.name.replaceAll('_', ' ')} code`
    : field.type;
  const type = `${field.array ? 'array of ' : ''}${kind}`;
  const defaultValue = field.defaultValue === null ? '' : `, default ${field.defaultValue}`;
  const description = withDescription && field.description ? ` (${field.description})` : '';
  return `${field.name}${field.required ? ' (required)' : ''}: ${type}${defaultValue}${description}`;
}

/**
 * The description of an object parameter, which Bedrock receives as a JSON string: the object's own
 * description and its fields. Detail is dropped until it fits Bedrock's limit: first field
 * descriptions, then enum values, the longest first.
 */
function describeObjectParameter(name: string, schema: JsonSchema, path: string): string {
  if (!isPlainObjectSchema(schema)) throw new TypeError(`${path}: not a plain object schema`);
  const required = Array.isArray(schema.required) ? schema.required : [];
  const fields = Object.entries(schema.properties).map(([field, fieldSchema]) => {
    if (isPlainObjectSchema(fieldSchema))
      throw new TypeError(`${path}.${field}: objects nested in an object parameter are not supported`);
    return objectField(field, fieldSchema, required.includes(field), `${path}.${field}`);
  });
  const fieldsAre = fields.some((field) => field.required)
    ? 'fields are optional unless marked required'
    : 'all fields optional';
  const intro = `${String(schema.description ?? name)} A JSON object, ${fieldsAre}: `;
  const withDescription = new Set(fields.filter((field) => field.description).map((field) => field.name));
  const withEnum = new Set(fields.filter((field) => field.enumValues).map((field) => field.name));
  const render = (): string =>
    `${intro}${fields
      .map((field) =>
        renderField(field, {
          withDescription: withDescription.has(field.name),
          withEnum: withEnum.has(field.name),
        }),
      )
      .join('; ')}.`;
  const longestFirst = (length: (field: ObjectField) => number): ObjectField[] =>
    fields.filter((field) => length(field) > 0).sort((left, right) => length(right) - length(left));
  const reductions = [
    ...longestFirst((field) => field.description?.length ?? 0).map(
      (field) => [withDescription, field] as const,
    ),
    ...longestFirst((field) => field.enumValues?.join('|').length ?? 0).map(
      (field) => [withEnum, field] as const,
    ),
  ];
  let description = render();
  for (const [detail, field] of reductions) {
    if (description.length <= BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH) break;
    detail.delete(field.name);
    description = render();
  }
  return description.slice(0, BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH);
}

/**
 * Converts an action group into Bedrock's `functionSchema`. Primitive and array fields map to
 * parameters of their type; a plain object field (a nested zod object) maps to a `string` parameter
 * carrying the object as JSON, whose description lists the object's fields. Anything else (records,
 * unions, objects nested in objects) is refused with a TypeError.
 */
export function toFunctionSchema(group: ActionGroup): BedrockFunctionSchema {
  return {
    functions: group.tools.map((tool) => {
      const json = toToolSpec(tool).inputSchema.json as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      const parameters: Record<string, BedrockParameter> = {};
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        const path = `${group.name}.${tool.name}.${name}`;
        const required = json.required?.includes(name) ?? false;
        if (isPlainObjectSchema(property)) {
          parameters[name] = {
            type: 'string',
            description: describeObjectParameter(name, property, path),
            required,
          };
          continue;
        }
        const enumValues = Array.isArray(property.enum) ? ` One of: ${property.enum.join(', ')}.` : '';
        parameters[name] = {
          type: bedrockType(property, path),
          description: `${String(property.description ?? name)}${enumValues}`.slice(
            0,
            BEDROCK_PARAMETER_DESCRIPTION_MAX_LENGTH,
          ),
          required,
        };
      }
      return { name: tool.name, description: tool.description.slice(0, 1200), parameters };
    }),
  };
}

/** One parameter of a Bedrock function invocation as it arrives: its name, declared type and string value. */
export interface BedrockParameterValue {
  name?: string;
  type?: string;
  value?: string;
}

function schemaType(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  return Array.isArray(schema.enum) ? 'string' : undefined;
}

/**
 * Parses an array parameter, which Bedrock sends as a string: JSON (`["a","b"]`) or the looser
 * `[a, b]` form, whose items are converted by the item schema. A value that is not an array is
 * returned unchanged for validation to reject.
 */
function parseArrayParameter(value: string, itemSchema?: JsonSchema): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    /* not JSON: try the bracketed, comma-separated form below */
  }
  const match = /^\s*\[(.*)\]\s*$/s.exec(value);
  if (!match) return value;
  const body = match[1]?.trim() ?? '';
  if (body === '') return [];
  return body
    .split(',')
    .map((item) => item.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .map((item) => convertString(item, schemaType(itemSchema), itemSchema, ''));
}

/**
 * Parses an object parameter, which Bedrock sends as a JSON string, and converts the string values of
 * its fields by their schema. A value that parses but is not an object is returned for validation to
 * reject.
 * @throws {@link ValidationError} naming the parameter when the value is not valid JSON.
 */
function parseObjectParameter(value: string, schema: JsonSchema, path: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`parameter ${path} must be a JSON object, but its value is not valid JSON`, {
      cause: error,
      details: [{ path, message: `expected a JSON object, e.g. {"field": "value"}: ${reason}` }],
    });
  }
  if (!isRecord(parsed) || !isPlainObjectSchema(schema)) return parsed;
  const properties = schema.properties;
  return Object.fromEntries(
    Object.entries(parsed).map(([field, item]) => {
      const fieldSchema = properties[field];
      return [
        field,
        typeof item === 'string' && fieldSchema
          ? convertString(item, schemaType(fieldSchema), fieldSchema, `${path}.${field}`)
          : item,
      ];
    }),
  );
}

/**
 * Converts one string value to the given type: numbers and integers to numbers, booleans to
 * booleans, arrays and objects from their string forms. A value that does not convert is kept as the
 * string, so that the tool's input validation names it.
 */
function convertString(
  value: string,
  type: string | undefined,
  schema: JsonSchema | undefined,
  path: string,
): unknown {
  const trimmed = value.trim();
  switch (type?.toLowerCase()) {
    case 'number':
    case 'integer':
      return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : value;
    case 'boolean': {
      const lowered = trimmed.toLowerCase();
      return lowered === 'true' ? true : lowered === 'false' ? false : value;
    }
    case 'array':
      return parseArrayParameter(value, isRecord(schema?.items) ? schema.items : undefined);
    case 'object':
      return schema ? parseObjectParameter(value, schema, path) : value;
    default:
      return value;
  }
}

/**
 * Turns the parameters of a Bedrock function invocation (a Lambda event or a RETURN_CONTROL request)
 * into the input of a tool, by the tool's input schema: numbers and booleans sent as strings are
 * converted, arrays are parsed from JSON or the bracketed `[a, b]` form, and object parameters (see
 * {@link toFunctionSchema}) from JSON. A parameter the schema does not declare, or any parameter
 * when no tool is given, is converted by the type Bedrock declares for it. Anything that does not
 * convert is left for the zod schema to judge.
 * @throws {@link ValidationError} naming the parameter when an object parameter is not valid JSON.
 */
export function toToolInput({
  tool,
  parameters = [],
}: {
  tool?: ToolDefinition;
  parameters?: readonly BedrockParameterValue[];
}): Record<string, unknown> {
  const properties = tool
    ? ((toToolSpec(tool).inputSchema.json.properties ?? {}) as Record<string, JsonSchema>)
    : {};
  const input: Record<string, unknown> = {};
  for (const { name, type, value } of parameters) {
    if (!name || value === undefined) continue;
    const schema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    input[name] = convertString(value, schema ? schemaType(schema) : type, schema, name);
  }
  return input;
}

/**
 * Runs a tool: validates the input (a {@link ValidationError} names the bad arguments and no
 * handler runs), calls the handler with its reads narrowed to the context's scope
 * ({@link scopeToolContext}), and validates its output.
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
  const output = await tool.handler(parsed.data, scopeToolContext(context));
  return tool.output.parse(output);
}
