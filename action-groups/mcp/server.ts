import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isDomainError, redactSecrets } from '../../domain/index.ts';
import { invokeTool, toToolSpec, type ToolDefinition, type ToolResources } from '../action-group.ts';
import { ALL_TOOLS } from '../index.ts';
import type { AccessScope } from '../scope.ts';

/** The name the MCP server gives itself in its `initialize` answer. */
export const MCP_SERVER_NAME = 'cutlery-defect-rca-action-groups';

/** The error body of a failed tool call, sent as the JSON text of an MCP tool error. */
export interface McpToolErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** What {@link createActionGroupMcpServer} needs. */
export interface ActionGroupMcpServerOptions {
  /** What the tools read from; narrowed to `scope` on every call. */
  resources: ToolResources;
  /** The facility the caller may read (its API key's), or every facility. */
  scope: AccessScope;
  /** The tools to serve; every tool of every action group by default. */
  tools?: readonly ToolDefinition[];
  /** The version the server reports. */
  version: string;
  /** Hears of a tool failure that is not a domain error (the client only gets `internal_error`). */
  onUnexpectedError?: (params: { tool: string; error: unknown }) => void;
}

const outputSchemas = new WeakMap<ToolDefinition, Tool['outputSchema']>();

/**
 * The JSON Schema of a tool's output (what its handler returns after validation), generated from
 * the same zod schema as the runtime check; computed once per tool.
 * @throws TypeError when the output is not an object (MCP's `structuredContent` is one).
 */
export function toOutputJsonSchema(tool: ToolDefinition): NonNullable<Tool['outputSchema']> {
  const cached = outputSchemas.get(tool);
  if (cached) return cached;
  const json = z.toJSONSchema(tool.output, { io: 'output', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  if (json.type !== 'object')
    throw new TypeError(
      `${tool.name}: an MCP tool's output must be an object, got ${JSON.stringify(json.type)}`,
    );
  const schema = { ...json, type: 'object' as const };
  outputSchemas.set(tool, schema);
  return schema;
}

/**
 * A tool as MCP lists it: its name, description, the input JSON Schema of its Converse tool spec
 * ({@link toToolSpec}, the one the local runtime and Bedrock get) and its output JSON Schema.
 */
export function toMcpTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: { ...toToolSpec(tool).inputSchema.json, type: 'object' },
    outputSchema: toOutputJsonSchema(tool),
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

/**
 * The error body of a failed call: a domain error keeps its stable code, message and details; any
 * other error is `internal_error` with a plain message. Secrets are redacted; no stack is sent.
 */
export function toMcpErrorBody(error: unknown): McpToolErrorBody {
  if (isDomainError(error)) {
    return {
      error: {
        code: error.code,
        message: redactSecrets(error.message),
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
  }
  return { error: { code: 'internal_error', message: 'the tool failed; the detail is in the server log' } };
}

function errorResult(body: McpToolErrorBody): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: true };
}

/**
 * An MCP server over the action-group tools for one caller. `tools/list` lists every tool with
 * the JSON Schemas generated from its zod schemas; `tools/call` runs it through {@link invokeTool}
 * (input validation, the reads narrowed to `scope`, output validation) and answers the output as
 * `structuredContent` and as JSON text. A failed call is an MCP tool error (`isError`) whose text is
 * a {@link McpToolErrorBody}; an unknown tool name is a JSON-RPC `InvalidParams` error.
 *
 * The tools are served with the SDK's low-level request handlers rather than `registerTool`, so
 * that the listed input schema is the one every other runtime gets and one validation path (with
 * the stable error codes) serves every caller.
 */
export function createActionGroupMcpServer({
  resources,
  scope,
  tools = ALL_TOOLS,
  version,
  onUnexpectedError,
}: ActionGroupMcpServerOptions): McpServer {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version },
    {
      capabilities: { tools: {} },
      instructions:
        'Tools of a cutlery plant’s defect root-cause analysis: defect taxonomy and severity, process ' +
        'windows and measurement checks, similar past defects, recurrence counts, SOP lookup and CAPA ' +
        'drafts. Answers cite their sources; history and documents are limited to the facility of the API key.',
    },
  );
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(toMcpTool) }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `no tool named "${request.params.name}"`);
    try {
      const output = await invokeTool({
        tool,
        input: request.params.arguments ?? {},
        context: { ...resources, scope, signal: extra.signal },
      });
      const structuredContent = output as Record<string, unknown>;
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent };
    } catch (error) {
      if (!isDomainError(error)) onUnexpectedError?.({ tool: tool.name, error });
      return errorResult(toMcpErrorBody(error));
    }
  });
  return server;
}
