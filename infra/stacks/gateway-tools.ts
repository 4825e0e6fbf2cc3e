import { aws_bedrockagentcore as agentcore } from 'aws-cdk-lib';
import { toToolSpec, type ToolDefinition } from '../../action-groups/action-group.ts';

/** The part of a JSON Schema the conversion reads. */
interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const TYPES: Record<string, agentcore.SchemaDefinitionType> = {
  string: agentcore.SchemaDefinitionType.STRING,
  number: agentcore.SchemaDefinitionType.NUMBER,
  integer: agentcore.SchemaDefinitionType.INTEGER,
  boolean: agentcore.SchemaDefinitionType.BOOLEAN,
  array: agentcore.SchemaDefinitionType.ARRAY,
  object: agentcore.SchemaDefinitionType.OBJECT,
};

/** The first variant of a union that is not `null`, with the union's description kept. */
function nonNullVariant(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return schema;
  const chosen = variants.find((variant) => variant.type !== 'null') ?? {};
  return { ...chosen, description: schema.description ?? chosen.description };
}

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') ?? 'string';
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  return 'string';
}

/**
 * A JSON Schema as a Gateway schema definition, which holds only type, description, properties,
 * required and items: a union becomes its first non-null variant and allowed values move into the
 * description. The Lambda validates the arguments with the tool's zod schema in any case.
 */
function toSchemaDefinition(raw: JsonSchema): agentcore.SchemaDefinition {
  const schema = nonNullVariant(raw);
  const type = typeOf(schema);
  const allowed = schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);
  const description = [schema.description, allowed ? `One of: ${allowed.map(String).join(', ')}.` : undefined]
    .filter(Boolean)
    .join(' ');
  return {
    type: TYPES[type] ?? agentcore.SchemaDefinitionType.STRING,
    ...(description ? { description } : {}),
    ...(schema.properties
      ? {
          properties: Object.fromEntries(
            Object.entries(schema.properties).map(([name, property]) => [name, toSchemaDefinition(property)]),
          ),
        }
      : {}),
    ...(schema.required && schema.required.length > 0 ? { required: schema.required } : {}),
    ...(schema.items ? { items: toSchemaDefinition(schema.items) } : {}),
  };
}

/** A tool of an action group as a Gateway Lambda target's tool, from the same zod schema. */
export function gatewayTool(tool: ToolDefinition): agentcore.ToolDefinition {
  const spec = toToolSpec(tool);
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: toSchemaDefinition(spec.inputSchema.json as JsonSchema),
  };
}
