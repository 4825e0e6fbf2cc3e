import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunk,
  modelOutput,
  startInvokeAgentServer,
  type InvokeAgentServer,
} from '../agents/testing/invoke-agent-server.ts';
import { fixtureKnowledgeBase } from '../agents/testing/knowledge-base.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../agents/testing/outputs.ts';
import { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { postJson, startTestServer, temporaryDirectory, type TestServer } from './testing/harness.ts';

const RUST = {
  description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
  facility: 'yangjiang',
  product_sku: 'WK-KN-200',
};

const BEDROCK_AGENTS = JSON.stringify({
  classifier: { agentId: 'CLS1', agentAliasId: 'CLSALIAS' },
  'root-cause': { agentId: 'RC1', agentAliasId: 'RCALIAS' },
  'corrective-action': { agentId: 'CA1', agentAliasId: 'CAALIAS' },
  supervisor: { agentId: 'SUPER1', agentAliasId: 'SALIAS1' },
});

function sseEvents(text: string): string[] {
  return [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('HTTP API with ORCHESTRATION=supervisor', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  let agents: InvokeAgentServer;
  let server: TestServer;
  let api: string;
  const data = temporaryDirectory('api-supervisor-test-');

  beforeAll(async () => {
    knowledgeBase = await fixtureKnowledgeBase();
    agents = await startInvokeAgentServer();
    server = await startTestServer({
      knowledgeBase,
      dataDir: data.directory,
      settings: { AGENT_RUNTIME: 'bedrock-agents', BEDROCK_AGENTS, ORCHESTRATION: 'supervisor' },
      bedrockAgentsClient: agents.createClient(),
    });
    api = `${server.baseUrl}/api/v1`;
  });

  afterAll(async () => {
    await server.close();
    await agents.close();
    await knowledgeBase.close();
    data.remove();
  });

  beforeEach(() => agents.reset());

  it('streams the stage events in order once the supervisor answers, and flags unresolved citations', async () => {
    agents.scripts.push({
      frames: [
        modelOutput({ inputTokens: 100, outputTokens: 20, collaboratorName: 'classifier' }),
        modelOutput({ inputTokens: 200, outputTokens: 40, collaboratorName: 'root-cause' }),
        chunk(
          JSON.stringify({
            classification: RUST_CLASSIFICATION,
            root_cause: RUST_ROOT_CAUSE,
            corrective_actions: RUST_PLAN.corrective_actions,
          }),
        ),
      ],
    });
    const response = await postJson(`${api}/analyze`, RUST, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sseEvents(text)).toEqual(['accepted', 'classification', 'root_cause', 'actions', 'done']);
    const analysis = ConsolidatedAnalysis.parse(
      JSON.parse((text.split('event: done\ndata: ')[1] ?? '').trim()),
    );
    expect(analysis.status).toBe('complete');
    expect(agents.requests).toHaveLength(1);
    expect(agents.requests[0]?.url).toMatch(/^\/agents\/SUPER1\/agentAliases\/SALIAS1\//);

    const stored = ConsolidatedAnalysis.parse(
      await (await fetch(`${api}/analyses/${analysis.defect_id}`)).json(),
    );
    expect(stored.usage.total_tokens).toBe(360);
    const report = (await (
      await fetch(`${api}/analyses/${analysis.defect_id}/report?format=json`)
    ).json()) as {
      unresolved_citation_ids: string[];
    };
    expect(report.unresolved_citation_ids).toEqual(['NOT-A-PASSAGE#x']);

    agents.scripts.push({
      frames: [
        modelOutput({ inputTokens: 50, outputTokens: 10, collaboratorName: 'corrective-action' }),
        chunk(
          JSON.stringify({ answer: 'Quarantine the suspect lots.', citations: ['SOP-VQ-01#reaction-plan'] }),
        ),
      ],
    });
    const asked = await postJson(`${api}/analyses/${analysis.defect_id}/questions`, {
      question: 'What should we do with the lots on hold?',
    });
    expect(asked.status).toBe(201);
    expect(await asked.json()).toMatchObject({
      agent: 'corrective-action',
      answer: 'Quarantine the suspect lots.',
    });
    expect(agents.requests[1]?.url).toBe(agents.requests[0]?.url);
  });

  it('stores and streams a failed analysis when the supervisor fails', async () => {
    agents.scripts.push({ error: { status: 400, type: 'ValidationException', message: 'bad alias' } });
    const response = await postJson(`${api}/analyze`, RUST, { accept: 'text/event-stream' });
    const text = await response.text();
    expect(sseEvents(text)).toEqual(['accepted', 'classification_failed', 'failed']);
    const analysis = ConsolidatedAnalysis.parse(
      JSON.parse((text.split('event: failed\ndata: ')[1] ?? '').trim()),
    );
    expect(analysis.failure).toMatchObject({ step: 'classifier', code: 'upstream_error' });
    const stored = ConsolidatedAnalysis.parse(
      await (await fetch(`${api}/analyses/${analysis.defect_id}`)).json(),
    );
    expect(stored.status).toBe('failed');
  });
});
