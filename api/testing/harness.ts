import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { Model } from '../../agents/models/model.ts';
import type { ClassifierSource } from '../../agents/models/offline/classifier/classifier.ts';
import { parseConfig } from '../../domain/index.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { ingestCorpus } from '../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../knowledge-base/open.ts';
import { createApp, type AppDependencies } from '../app.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { openSqliteStore } from '../persistence/sqlite/sqlite-store.ts';
import { createServiceDependencies } from '../service.ts';
import type { ReviewLearning } from '../use-cases/review.ts';

/** The real corpus in an in-memory knowledge base, shared by the tests of one file. */
export async function corpusKnowledgeBase(): Promise<EmbeddedKnowledgeBase> {
  const embedder = await createDefaultEmbedder({ dimensions: 384 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  await ingestCorpus({ corpusDir: 'knowledge-base/corpus', knowledgeBase, embedder });
  return knowledgeBase;
}

/** A running test server. */
export interface TestServer {
  baseUrl: string;
  store: AnalysisStore;
  dependencies: AppDependencies;
  close(): Promise<void>;
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryDirectory(prefix: string): { directory: string; remove(): void } {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * Starts the app on port 0 over the real service wiring: a SQLite store (a file when
 * `databaseFile` is given, so a restart can reopen it), the offline model unless another is
 * given, a fixed clock and counting random bytes. `settings` adds environment variables to the
 * configuration, and `bedrockAgentsClient` serves them when they select `bedrock-agents`.
 */
export async function startTestServer({
  knowledgeBase,
  dataDir,
  databaseFile,
  auth = 'off',
  analysesPerMinute = 1000,
  model,
  now = () => new Date('2026-11-22T08:00:00Z'),
  settings = {},
  bedrockAgentsClient,
  logger = pino({ level: 'silent' }),
  learning,
  classifierSource,
  store: injectedStore,
}: {
  knowledgeBase: EmbeddedKnowledgeBase;
  dataDir: string;
  databaseFile?: string;
  auth?: 'required' | 'off';
  analysesPerMinute?: number;
  model?: Model;
  now?: () => Date;
  settings?: Record<string, string>;
  bedrockAgentsClient?: BedrockAgentRuntimeClient;
  /** The service's logger; a silent one by default. */
  logger?: Logger;
  /** What hears of reviews; none by default. */
  learning?: ReviewLearning;
  /** The offline model's classifier; the committed one by default. */
  classifierSource?: ClassifierSource;
  /** A store to serve from (closed with the server) instead of a new SQLite one. */
  store?: AnalysisStore;
}): Promise<TestServer> {
  const config = parseConfig({ ...settings, DATA_DIR: dataDir, AUTH: auth, BATCH_CONCURRENCY: '2' });
  const store =
    injectedStore ?? (await openSqliteStore({ url: databaseFile ? `file:${databaseFile}` : ':memory:' }));
  let counter = 0;
  const random = (size: number): Uint8Array => {
    counter += 1;
    const bytes = new Uint8Array(size);
    new DataView(bytes.buffer).setUint32(0, counter);
    return bytes;
  };
  const service = createServiceDependencies({
    config,
    knowledgeBase,
    store,
    logger,
    now,
    random,
    model,
    bedrockAgentsClient,
    ...(classifierSource ? { classifierSource } : {}),
  });
  service.worker.start();
  const dependencies: AppDependencies = {
    ...service,
    ...(learning ? { learning } : {}),
    auth,
    analysesPerMinute,
    requestsPerMinute: 10_000,
    authFailuresPerWindow: config.authFailuresPerWindow,
    authFailureWindowSeconds: config.authFailureWindowSeconds,
    version: 'test',
    mcpEnabled: config.mcpEnabled,
  };
  let requestCounter = 0;
  const server: Server = createApp({
    ...dependencies,
    createRequestId: () => `req-${++requestCounter}`,
  }).listen(0);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    dependencies,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await service.jobs.idle();
      await service.worker.stop();
      await store.close();
    },
  };
}

/** POSTs JSON. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Sends JSON with any method. */
export function sendJson(
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Confirms an analysis through the review API as it is (GET for its ETag, then POST the
 * decision with If-Match), or corrects it when `changes` are given; returns the response.
 */
export async function reviewAnalysis({
  api,
  defectId,
  headers = {},
  changes,
}: {
  api: string;
  defectId: string;
  headers?: Record<string, string>;
  changes?: Record<string, unknown>;
}): Promise<Response> {
  const current = await fetch(`${api}/analyses/${defectId}`, { headers });
  if (current.status !== 200) throw new Error(`GET ${defectId} answered ${current.status}`);
  const etag = current.headers.get('etag') ?? '';
  const decision = changes
    ? { decision: 'correct', changes, reason: 'checked on the line' }
    : { decision: 'confirm' };
  return sendJson('POST', `${api}/analyses/${defectId}/review`, decision, { ...headers, 'if-match': etag });
}
