import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { createAgentSystem } from '../agents/system.ts';
import { createAnalysisSlots } from './use-cases/analysis-slots.ts';
import type { Model } from '../agents/models/model.ts';
import type { ClassifierSource } from '../agents/models/offline/classifier/classifier.ts';
import type { ReviewLearning } from './use-cases/review.ts';
import type { AppConfig } from '../domain/index.ts';
import type { KnowledgeBase } from '../knowledge-base/knowledge-base.ts';
import { createLocalImageStore, type ImageStore } from './images/image-store.ts';
import { createS3ImageStore } from './images/s3/s3-image-store.ts';
import { openPostgresStore } from './persistence/postgres/postgres-store.ts';
import type { AnalysisStore } from './persistence/analysis-store.ts';
import { openSqliteStore } from './persistence/sqlite/sqlite-store.ts';
import { createJobRunner, type JobRunner } from './use-cases/batch.ts';
import { createAnalysisWorker, type AnalysisWorker } from './use-cases/analysis-worker.ts';
import { runStoredAnalysis } from './use-cases/analyses.ts';
import { openPgBossWorkQueue } from './work-queue/pg-boss/pg-boss-work-queue.ts';
import { createStoreWorkQueue } from './work-queue/store-work-queue.ts';
import { processOwnerId, type WorkQueue } from './work-queue/work-queue.ts';
import type { ServiceDependencies } from './use-cases/dependencies.ts';

/** The URL of the embedded store: `DATABASE_URL`, or a SQLite file under the data folder. */
export function databaseUrl(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): string {
  return config.databaseUrl ?? `file:${path.join(config.dataDir, 'rca.db')}`;
}

/** The store and the work queue of this process, and how to close both. */
export interface ConfiguredPersistence {
  store: AnalysisStore;
  queue: WorkQueue;
  /** Whether processes share state through a server (PostgreSQL), so rate limits live there too. */
  shared: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured store with its WorkQueue: on PostgreSQL, pg-boss over a pool the store
 * shares; on the SQLite file, the store itself.
 */
export async function openConfiguredPersistence(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'workLeaseSeconds'>,
): Promise<ConfiguredPersistence> {
  const url = databaseUrl(config);
  const leaseMs = config.workLeaseSeconds * 1000;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    const store = await openSqliteStore({ url });
    return {
      store,
      queue: createStoreWorkQueue({ store, leaseMs }),
      shared: false,
      close: () => store.close(),
    };
  }
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  try {
    const store = await openPostgresStore({ connectionString: url, pool });
    const queue = await openPgBossWorkQueue({ store, pool, leaseMs });
    return {
      store,
      queue,
      shared: true,
      async close() {
        await queue.close();
        await store.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** Opens the configured store: PostgreSQL for a postgres:// URL, else the SQLite file. */
export async function openConfiguredStore(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
): Promise<AnalysisStore> {
  const url = databaseUrl(config);
  return /^postgres(ql)?:\/\//.test(url)
    ? openPostgresStore({ connectionString: url })
    : openSqliteStore({ url });
}

/** The configured image store: a local folder, or an S3 bucket. */
export function createConfiguredImageStore(
  config: Pick<AppConfig, 'imageStore' | 'imageBucket' | 'dataDir' | 'awsRegion'>,
): ImageStore {
  return config.imageStore === 's3'
    ? createS3ImageStore({ bucket: config.imageBucket as string, region: config.awsRegion })
    : createLocalImageStore({ directory: path.join(config.dataDir, 'images') });
}

/**
 * Wires the service: store, agents over the knowledge base, image store, the worker of the
 * WorkQueue (started by the caller) and the job runner.
 */
export function createServiceDependencies({
  config,
  knowledgeBase,
  store,
  logger,
  now = () => new Date(),
  random = (size: number) => randomBytes(size),
  model,
  bedrockAgentsClient,
  classifierSource,
  learning,
  queue = createStoreWorkQueue({ store, now, leaseMs: config.workLeaseSeconds * 1000 }),
  owner = processOwnerId(),
}: {
  config: AppConfig;
  /** The WorkQueue of batch items and interrupted work: the store's own by default. */
  queue?: WorkQueue;
  /** This process' lease owner id: {@link processOwnerId} by default. */
  owner?: string;
  knowledgeBase: KnowledgeBase;
  store: AnalysisStore;
  logger: Logger;
  /** The offline model's classifier: the learning loop's, or the committed one by default. */
  classifierSource?: ClassifierSource;
  /** Hears of every review of a production analysis; none by default. */
  learning?: ReviewLearning;
  now?: () => Date;
  random?: (size: number) => Uint8Array;
  model?: Model;
  /** The InvokeAgent client of the `bedrock-agents` runtime; one for `AWS_REGION` by default. */
  bedrockAgentsClient?: BedrockAgentRuntimeClient;
}): ServiceDependencies & { jobs: JobRunner; worker: AnalysisWorker; queue: WorkQueue } {
  const agents = createAgentSystem({
    config,
    knowledgeBase,
    defectHistory: store,
    now,
    model,
    bedrockAgentsClient,
    logger,
    ...(classifierSource ? { classifierSource } : {}),
  });
  // The worker runs claimed analyses with these same dependencies, which it is part of.
  const dependencies: ServiceDependencies = {
    worker: createAnalysisWorker(
      { store, logger, now },
      {
        queue,
        owner,
        concurrency: config.batchConcurrency,
        run: ({ analysis, leaseOwner, signal }) =>
          runStoredAnalysis(dependencies, { analysis, leaseOwner, signal }),
      },
    ),
    ...(learning ? { learning } : {}),
    store,
    knowledgeBase,
    orchestrator: agents.orchestrator,
    analysisSlots: createAnalysisSlots({
      concurrency: config.analysisConcurrency,
      queueLimit: config.analysisQueueLimit,
    }),
    imageStore: createConfiguredImageStore(config),
    visionAvailable: agents.model.supportsImages,
    logger,
    now,
    randomBytes: random,
  };
  return {
    ...dependencies,
    worker: dependencies.worker,
    queue,
    jobs: createJobRunner({ ...dependencies, queue }, { queueLimit: config.batchQueueLimit }),
  };
}
