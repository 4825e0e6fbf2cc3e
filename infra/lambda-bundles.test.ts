import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_GROUPS } from '../action-groups/index.ts';
import { bedrockEvent, lambdaContext, type EventParameter } from '../action-groups/testing/bedrock-event.ts';
import { createBedrockKnowledgeBaseIndex } from '../knowledge-base/bedrock/bedrock-knowledge-base-index.ts';
import { startFakeBedrock, type FakeBedrock } from '../knowledge-base/bedrock/testing/fake-bedrock.ts';
import { createHashingEmbedder } from '../knowledge-base/embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../knowledge-base/testing/fixtures.ts';
import { ACTION_GROUP_BUNDLING } from './stacks/agents-stack.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
/** Inside the project, so that the external `@aws-sdk/*` modules resolve as the Lambda runtime provides them. */
const BUNDLE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'lambda-bundles');
const KNOWLEDGE_BASE_ID = 'KBBUNDLE01';
const DATA_SOURCE_ID = 'DSBUNDLE01';

const run = promisify(execFile);

/** The action groups deployed with a Lambda of their own. */
const LAMBDA_GROUPS = ACTION_GROUPS.filter((group) => (group.executor ?? 'lambda') === 'lambda');

/** Invokes a bundled handler in a fresh Node process, with only the Lambda's environment. */
async function invokeBundle({
  bundle,
  event,
  environment,
}: {
  bundle: string;
  event: unknown;
  environment: Record<string, string>;
}): Promise<{ body: unknown; state: string | undefined }> {
  const script = `
    const { handler } = await import(process.argv[1]);
    const result = await handler(JSON.parse(process.argv[2]), JSON.parse(process.argv[3]));
    process.stdout.write(JSON.stringify(result));`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, bundle, JSON.stringify(event), JSON.stringify(lambdaContext())],
    { env: environment, cwd: tmpdir() },
  );
  const result = JSON.parse(stdout) as {
    response: {
      functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } };
    };
  };
  return {
    body: JSON.parse(result.response.functionResponse.responseBody.TEXT.body),
    state: result.response.functionResponse.responseState,
  };
}

describe('action-group Lambda bundles, built as the stack builds them', () => {
  let fake: FakeBedrock;
  let dataDir: string;
  const bundles = new Map<string, string>();
  let environment: Record<string, string>;

  beforeAll(async () => {
    await mkdir(BUNDLE_DIR, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'lambda-data-'));
    await Promise.all(
      LAMBDA_GROUPS.map(async (group) => {
        const outfile = path.join(BUNDLE_DIR, group.name, 'index.mjs');
        await build({
          entryPoints: [path.join(PROJECT_ROOT, 'action-groups', group.name, 'lambda.ts')],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: ACTION_GROUP_BUNDLING.target,
          minify: ACTION_GROUP_BUNDLING.minify,
          external: ACTION_GROUP_BUNDLING.externalModules,
          mainFields: ACTION_GROUP_BUNDLING.mainFields,
          banner: { js: ACTION_GROUP_BUNDLING.banner },
          logLevel: 'silent',
        });
        bundles.set(group.name, outfile);
      }),
    );

    const embedder = createHashingEmbedder({ dimensions: 128 });
    fake = await startFakeBedrock({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      dataSourceId: DATA_SOURCE_ID,
      bucket: 'corpus',
      embedder,
    });
    const settings = {
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
    };
    const knowledgeBase = createBedrockKnowledgeBaseIndex({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      dataSourceId: DATA_SOURCE_ID,
      bucket: 'corpus',
      client: new BedrockAgentRuntimeClient(settings),
      agentClient: new BedrockAgentClient(settings),
      s3Client: new S3Client({ ...settings, forcePathStyle: true }),
      pollIntervalMs: 1,
    });
    const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((name) => fixtureDocument(name));
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(documents, embedder),
      embedderId: embedder.id,
    });
    await knowledgeBase.flush();

    environment = {
      KNOWLEDGE_BASE: 'bedrock',
      BEDROCK_KNOWLEDGE_BASE_ID: KNOWLEDGE_BASE_ID,
      KB_AUTO_INGEST: 'false',
      DATA_DIR: dataDir,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: fake.http2Url,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_DEV: 'false',
    };
  }, 120_000);

  afterAll(async () => {
    await fake?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads every bundle without the native modules and answers an unknown function with a failure', async () => {
    for (const group of LAMBDA_GROUPS) {
      const bundle = bundles.get(group.name) as string;
      const { body } = await invokeBundle({
        bundle,
        event: bedrockEvent({ actionGroup: group.name, functionName: 'no_such_function' }),
        environment,
      });
      expect(JSON.stringify(body), group.name).toMatch(/no_such_function/);
    }
  });

  it('runs a tool that needs no knowledge base', async () => {
    const { body, state } = await invokeBundle({
      bundle: bundles.get('defect-taxonomy') as string,
      event: bedrockEvent({
        actionGroup: 'defect-taxonomy',
        functionName: 'get_defect_taxonomy',
        parameters: [{ name: 'defect_type', type: 'string', value: 'rust_spot' }],
      }),
      environment,
    });
    expect(state).toBeUndefined();
    expect(body).toMatchObject({ defect_types: [{ code: 'rust_spot' }] });
  });

  it('retrieves from the Bedrock knowledge base through Retrieve', async () => {
    const parameters: EventParameter[] = [
      { name: 'query', type: 'string', value: 'what to do when the quench is too slow' },
      { name: 'stage', type: 'string', value: 'vacuum_quench' },
    ];
    const before = fake.requests.length;
    const { body, state } = await invokeBundle({
      bundle: bundles.get('sop-lookup') as string,
      event: bedrockEvent({ actionGroup: 'sop-lookup', functionName: 'lookup_sop', parameters }),
      environment,
    });
    expect(state).toBeUndefined();
    const passages = (body as { passages: Array<{ source_id: string }> }).passages;
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.every((passage) => passage.source_id === 'SOP-VQ-01')).toBe(true);
    const retrieves = fake.requests
      .slice(before)
      .filter((request) => request.path === `/knowledgebases/${KNOWLEDGE_BASE_ID}/retrieve`);
    expect(retrieves.length).toBeGreaterThan(0);
  });
});
