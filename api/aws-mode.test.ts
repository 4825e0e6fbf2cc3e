import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../agents/models/offline/offline-model.ts';
import { startConverseServer, type ConverseServer } from '../agents/models/testing/converse-server.ts';
import { SAMPLE_REPORTS } from '../agents/testing/sample-reports.ts';
import { startFakeBedrock, type FakeBedrock } from '../knowledge-base/bedrock/testing/fake-bedrock.ts';
import { createHashingEmbedder } from '../knowledge-base/embedding/hashing-embedder.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const PLANNER_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const KNOWLEDGE_BASE_ID = 'KBAWSMODE1';
const DATA_SOURCE_ID = 'DSAWSMODE1';
const CORPUS_BUCKET = 'corpus-bucket';
const IMAGE_BUCKET = 'photo-bucket';
/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Starts `npm start`'s entry point with only the given environment and resolves its URL once it listens. */
async function startService(
  environment: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: PROJECT_ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (part: Buffer) => errors.push(part.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const logs: string[] = [];
    lines.on('line', (line) => {
      logs.push(line);
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the service exited with ${code}:\n${logs.join('\n')}\n${errors.join('')}`)),
    );
  });
  return { url, child };
}

describe('the service on the AWS adapters (Converse, Bedrock knowledge base, S3), all local', () => {
  let bedrock: FakeBedrock;
  let converse: ConverseServer;
  let dataDir: string;
  let service: { url: string; child: ChildProcess };

  beforeAll(async () => {
    bedrock = await startFakeBedrock({
      knowledgeBaseId: KNOWLEDGE_BASE_ID,
      dataSourceId: DATA_SOURCE_ID,
      bucket: CORPUS_BUCKET,
      embedder: createHashingEmbedder({ dimensions: 256 }),
      pollsUntilComplete: 0,
    });
    converse = await startConverseServer({
      model: createOfflineModel(),
      modelId: MODEL_ID,
      otherModelIds: [PLANNER_MODEL_ID],
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'aws-mode-'));
    service = await startService({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MODEL: 'converse',
      BEDROCK_MODEL_ID: MODEL_ID,
      BEDROCK_AGENT_MODEL_IDS: `corrective-action=${PLANNER_MODEL_ID}`,
      MODEL_SUPPORTS_IMAGES: 'false',
      KNOWLEDGE_BASE: 'bedrock',
      BEDROCK_KNOWLEDGE_BASE_ID: KNOWLEDGE_BASE_ID,
      BEDROCK_KNOWLEDGE_BASE_BUCKET: CORPUS_BUCKET,
      BEDROCK_DATA_SOURCE_ID: DATA_SOURCE_ID,
      IMAGE_STORE: 's3',
      IMAGE_BUCKET,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: converse.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.http2Url,
      AWS_ENDPOINT_URL_BEDROCK_AGENT: bedrock.url,
      AWS_ENDPOINT_URL_S3: bedrock.url,
    });
  }, 120_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    }
    await converse?.close();
    await bedrock?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ingested the corpus at start-up: chunks in the data source bucket, then one ingestion job', () => {
    const chunkFiles = [...bedrock.objects.keys()].filter(
      (key) => key.startsWith(`${CORPUS_BUCKET}/chunks/`) && key.endsWith('.txt'),
    );
    const manifests = [...bedrock.objects.keys()].filter((key) =>
      key.startsWith(`${CORPUS_BUCKET}/documents/`),
    );
    expect(manifests).toHaveLength(198);
    expect(chunkFiles.length).toBeGreaterThan(manifests.length);
    expect(bedrock.ingestionJobs).toHaveLength(1);
    expect(bedrock.ingestionJobs[0]?.status).toBe('COMPLETE');
    expect(bedrock.ingestionJobs[0]?.statistics.numberOfNewDocumentsIndexed).toBe(chunkFiles.length);
  });

  it('analyses a report with the model over Converse and passages from Retrieve', async () => {
    const retrievesBefore = bedrock.requests.filter((request) => request.path.endsWith('/retrieve')).length;
    const response = await fetch(`${service.url}/api/v1/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SAMPLE_REPORTS[0]),
    });
    expect(response.status).toBe(201);
    const analysis = (await response.json()) as {
      status: string;
      classification: { defect_type: string };
      root_cause: { stage: string; citations?: unknown[] };
      corrective_actions: unknown;
    };
    expect(analysis.status).toBe('complete');
    expect(analysis.classification.defect_type).toBe('rust_spot');
    expect(converse.requests.length).toBeGreaterThan(3);
    expect(converse.requests.every((request) => request.status === 200)).toBe(true);
    // BEDROCK_AGENT_MODEL_IDS puts the planner alone on its own model.
    const onPlannerModel = converse.requests.filter((request) => request.modelId === PLANNER_MODEL_ID);
    expect(onPlannerModel.length).toBeGreaterThan(0);
    expect(onPlannerModel.every((request) => JSON.stringify(request.body).includes('draft_capa'))).toBe(true);
    expect(
      converse.requests
        .filter((request) => request.modelId !== PLANNER_MODEL_ID)
        .every((request) => request.modelId === MODEL_ID),
    ).toBe(true);
    const retrieves = bedrock.requests.filter((request) => request.path.endsWith('/retrieve')).length;
    expect(retrieves).toBeGreaterThan(retrievesBefore);
  });

  it('stores an uploaded photo in the S3 image bucket', async () => {
    const form = new FormData();
    form.set('description', 'Orange rust spots near the bolster after quench, photo attached');
    form.set('facility', 'yangjiang');
    form.set('image', new Blob([PNG], { type: 'image/png' }), 'spots.png');
    const response = await fetch(`${service.url}/api/v1/analyze`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const photos = [...bedrock.objects.keys()].filter((key) => key.startsWith(`${IMAGE_BUCKET}/`));
    expect(photos).toHaveLength(1);
    expect(bedrock.objects.get(photos[0] as string)?.body.equals(PNG)).toBe(true);
  });
});
