import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toToolSpec } from '../../action-groups/action-group.ts';
import { ALL_TOOLS, findTool } from '../../action-groups/index.ts';
import type { McpToolErrorBody } from '../../action-groups/mcp/server.ts';
import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { CountRecurrencesOutput } from '../../action-groups/recurrence/schema.ts';
import { TEST_NOW } from '../../action-groups/testing/context.ts';
import {
  FACILITIES,
  inputsFromJsonSchema,
  mentions,
  SCOPED_HISTORY,
  scopedIds,
  sourceIds,
} from '../../action-groups/testing/scope-fixtures.ts';
import type { Facility } from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from '../auth/api-keys.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { openSqliteStore } from '../persistence/sqlite/sqlite-store.ts';
import { corpusKnowledgeBase } from '../testing/harness.ts';
import { createMcpApp, MCP_PATH } from './app.ts';

const now = () => new Date(TEST_NOW);

let knowledgeBase: EmbeddedKnowledgeBase;
let store: AnalysisStore;
let server: Server;
let url: URL;
const keys = new Map<Facility | 'all', string>();
const clients: Client[] = [];

/** A JSON Schema 2020-12 validator that knows the formats (`date`, `date-time`) the tools use. */
function schemaValidator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false });
  formats.default(ajv);
  return ajv;
}

/** An MCP client of the SDK, connected over Streamable HTTP with the given API key. */
async function connect(apiKey?: string): Promise<Client> {
  const client = new Client(
    { name: 'mcp-test-client', version: '1.0.0' },
    { jsonSchemaValidator: new AjvJsonSchemaValidator(schemaValidator()) },
  );
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: apiKey ? { 'x-api-key': apiKey } : {} },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

function errorBodyOf(result: CallToolResult): McpToolErrorBody {
  const [first] = result.content;
  if (first?.type !== 'text') throw new Error('a tool error has a text content');
  return JSON.parse(first.text) as McpToolErrorBody;
}

function keyOf(facility: Facility | 'all'): string {
  const key = keys.get(facility);
  if (!key) throw new Error(`no key for ${facility}`);
  return key;
}

beforeAll(async () => {
  knowledgeBase = await corpusKnowledgeBase();
  store = await openSqliteStore({ url: ':memory:' });
  keys.set('all', (await createApiKey({ store, name: 'qa admin', facility: null, now })).key);
  for (const facility of FACILITIES)
    keys.set(facility, (await createApiKey({ store, name: `${facility} qa`, facility, now })).key);
  const app = createMcpApp({
    resources: { knowledgeBase, defectHistory: createInMemoryDefectHistory(SCOPED_HISTORY), now },
    store,
    auth: 'required',
    logger: pino({ level: 'silent' }),
    version: 'test',
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${MCP_PATH}`);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  await knowledgeBase.close();
});

describe('the action groups over MCP (Streamable HTTP)', () => {
  it('lists every tool with the name and input schema of its action-group definition', async () => {
    const client = await connect(keyOf('all'));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
    for (const listed of tools) {
      const tool = findTool(listed.name);
      expect(tool, listed.name).toBeDefined();
      if (!tool) continue;
      expect(listed.description).toBe(tool.description);
      expect(listed.inputSchema).toEqual(toToolSpec(tool).inputSchema.json);
      expect(listed.outputSchema?.type).toBe('object');
    }
  });

  it('calls each tool with valid input, and its output validates against the tool’s output schema', async () => {
    const client = await connect(keyOf('all'));
    const { tools } = await client.listTools();
    const ajv = schemaValidator();
    for (const listed of tools) {
      const tool = findTool(listed.name);
      if (!tool) throw new Error(`unknown tool ${listed.name}`);
      const validateListed = ajv.compile(listed.outputSchema as Tool['outputSchema'] & object);
      const inputs = inputsFromJsonSchema(listed.inputSchema);
      let answered = 0;
      for (const input of inputs) {
        const result = (await client.callTool({ name: listed.name, arguments: input })) as CallToolResult;
        if (result.isError) {
          // Some generated combinations are refused by a tool's own rules; they must say so plainly.
          expect(errorBodyOf(result).error.code, `${listed.name}(${JSON.stringify(input)})`).toBe(
            'validation_error',
          );
          continue;
        }
        answered += 1;
        expect(tool.output.safeParse(result.structuredContent).success, listed.name).toBe(true);
        expect(validateListed(result.structuredContent), JSON.stringify(validateListed.errors)).toBe(true);
        const [text] = result.content;
        expect(text?.type === 'text' ? JSON.parse(text.text) : null).toEqual(result.structuredContent);
      }
      expect(answered, `${listed.name} accepted none of its generated inputs`).toBeGreaterThan(0);
    }
  });

  it('answers invalid input with a tool error naming the bad arguments, and no stack trace', async () => {
    const client = await connect(keyOf('all'));
    const result = (await client.callTool({
      name: 'count_recurrences',
      arguments: { defect_type: 'not_a_defect', window_days: 'thirty' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    const body = errorBodyOf(result);
    expect(body.error.code).toBe('validation_error');
    expect(body.error.message).toBe('invalid arguments for count_recurrences');
    const paths = (body.error.details as Array<{ path: string }>).map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['defect_type', 'window_days']));
    expect(JSON.stringify(result)).not.toMatch(/\n\s+at |\.ts:\d+/);
  });

  it('refuses an unknown tool with a JSON-RPC error', async () => {
    const client = await connect(keyOf('all'));
    await expect(client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toBeInstanceOf(McpError);
  });

  it('refuses a missing or wrong API key', async () => {
    await expect(connect()).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining('unauthorized'),
    });
    await expect(connect('rca_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining('the API key is not valid'),
    });
  });

  describe.each(FACILITIES)('with a key scoped to %s', (facility) => {
    it('never returns another facility’s defect or record id, nor its SOPs, whatever the input asks for', async () => {
      const { forbidden, allowed, sources } = scopedIds(facility);
      const client = await connect(keyOf(facility));
      const { tools } = await client.listTools();
      let seenAllowed = 0;
      for (const listed of tools) {
        for (const input of inputsFromJsonSchema(listed.inputSchema)) {
          const result = (await client.callTool({ name: listed.name, arguments: input })) as CallToolResult;
          const text = JSON.stringify(result);
          const call = `${listed.name}(${JSON.stringify(input)})`;
          expect(
            forbidden.filter((id) => mentions(text, id)),
            call,
          ).toEqual([]);
          if (result.isError) continue;
          expect(
            sourceIds(result.structuredContent).filter((id) => !sources.has(id)),
            `${call} sources`,
          ).toEqual([]);
          seenAllowed += allowed.filter((id) => mentions(text, id)).length;
        }
      }
      // Not vacuous: the tools do read this facility's history and records.
      expect(seenAllowed).toBeGreaterThan(0);
    });
  });

  it('counts only the key’s facility, and nothing when the input names another one', async () => {
    const client = await connect(keyOf('yangjiang'));
    const countRecurrences = async (input: Record<string, unknown>) => {
      const result = (await client.callTool({
        name: 'count_recurrences',
        arguments: input,
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      return CountRecurrencesOutput.parse(result.structuredContent);
    };
    const own = await countRecurrences({ window_days: 730 });
    expect(own.by_facility).toEqual({ yangjiang: own.count });
    expect(own.count).toBe(SCOPED_HISTORY.filter((entry) => entry.facility === 'yangjiang').length);
    expect((await countRecurrences({ facility: 'shenzhen', window_days: 730 })).count).toBe(0);
  });
});
