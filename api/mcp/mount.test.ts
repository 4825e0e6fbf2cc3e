import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../action-groups/index.ts';
import { parseConfig } from '../../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from '../auth/api-keys.ts';
import {
  corpusKnowledgeBase,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from '../testing/harness.ts';

const now = () => new Date('2026-11-22T08:00:00Z');
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'curl', version: '1' },
  },
};

/** POSTs a JSON-RPC message to `/mcp` as an MCP client would. */
function postMcp(baseUrl: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(INITIALIZE),
  });
}

let knowledgeBase: EmbeddedKnowledgeBase;
const data = temporaryDirectory('api-mcp-mount-');

beforeAll(async () => {
  knowledgeBase = await corpusKnowledgeBase();
});

afterAll(async () => {
  await knowledgeBase.close();
  data.remove();
});

describe('MCP_ENABLED', () => {
  it('is off by default', () => {
    expect(parseConfig({}).mcpEnabled).toBe(false);
    expect(parseConfig({ MCP_ENABLED: 'true', MCP_PORT: '0' })).toMatchObject({
      mcpEnabled: true,
      mcpPort: 0,
    });
  });
});

describe('the service without MCP_ENABLED', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ knowledgeBase, dataDir: data.directory });
  });
  afterAll(() => server.close());

  it('has no /mcp', async () => {
    const response = await postMcp(server.baseUrl);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('the service with MCP_ENABLED=true and AUTH=required', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      auth: 'required',
      settings: { MCP_ENABLED: 'true' },
    });
  });
  afterAll(() => server.close());

  it('refuses a missing or wrong API key with a 401 in the API’s error shape', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'rca_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
    ];
    for (const headers of attempts) {
      const response = await postMcp(server.baseUrl, headers);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.requestId).toBeTruthy();
    }
  });

  it('serves the tools to an MCP client with a valid key', async () => {
    const { key } = await createApiKey({
      store: server.store,
      name: 'shenzhen qa',
      facility: 'shenzhen',
      now,
    });
    const client = new Client({ name: 'mcp-mount-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/mcp`), {
        requestInit: { headers: { 'x-api-key': key } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
      const result = (await client.callTool({
        name: 'count_recurrences',
        arguments: { facility: 'yangjiang', window_days: 730 },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ count: 0, recent_defect_ids: [] });
    } finally {
      await client.close();
    }
  });

  it('answers GET with a 405: the endpoint is stateless', async () => {
    const { key } = await createApiKey({ store: server.store, name: 'reader', facility: null, now });
    const response = await fetch(`${server.baseUrl}/mcp`, {
      headers: { 'x-api-key': key, accept: 'text/event-stream' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('the service with MCP_ENABLED=true and AUTH=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      settings: { MCP_ENABLED: 'true' },
    });
  });
  afterAll(() => server.close());

  /** The status of an initialize POSTed to `/mcp` with the given Host header. */
  function statusWithHost(host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        `${server.baseUrl}/mcp`,
        {
          method: 'POST',
          headers: {
            host,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (incoming) => {
          incoming.resume();
          resolve(incoming.statusCode ?? 0);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify(INITIALIZE));
    });
  }

  it('accepts a local Host without a key, and refuses any other Host (DNS rebinding)', async () => {
    expect(await statusWithHost(new URL(server.baseUrl).host)).toBe(200);
    expect(await statusWithHost('attacker.example:80')).toBe(403);
  });
});
