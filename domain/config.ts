import { z } from 'zod';
import { ConfigError } from './errors.ts';

const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Each setting: its environment variable and its schema.
 * The config is read once at start-up; no other module reads the environment.
 */
const SETTINGS = {
  host: { variable: 'HOST', schema: z.string().min(1).default('127.0.0.1') },
  port: { variable: 'PORT', schema: z.coerce.number().int().min(0).max(65_535).default(3000) },
  logLevel: {
    variable: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  dataDir: { variable: 'DATA_DIR', schema: z.string().min(1).default('./data') },
  knowledgeBase: {
    variable: 'KNOWLEDGE_BASE',
    schema: z
      .enum(['embedded'], { message: 'must be "embedded" (the only knowledge-base adapter in this build)' })
      .default('embedded'),
  },
  corpusDir: { variable: 'KB_CORPUS_DIR', schema: z.string().min(1).default('./knowledge-base/corpus') },
  autoIngest: { variable: 'KB_AUTO_INGEST', schema: booleanSetting.default(true) },
  agentRuntime: {
    variable: 'AGENT_RUNTIME',
    schema: z
      .enum(['local'], { message: 'must be "local" (the only agent runtime in this build)' })
      .default('local'),
  },
  model: {
    variable: 'MODEL',
    schema: z
      .enum(['offline'], { message: 'must be "offline" (the only model in this build)' })
      .default('offline'),
  },
  agentMaxSteps: { variable: 'AGENT_MAX_STEPS', schema: z.coerce.number().int().min(1).max(50).default(8) },
  agentCallTimeoutMs: {
    variable: 'AGENT_CALL_TIMEOUT_MS',
    schema: z.coerce.number().int().min(100).max(600_000).default(30_000),
  },
  auth: {
    variable: 'AUTH',
    schema: z.enum(['required', 'off']).optional(),
  },
  corsOrigins: {
    variable: 'CORS_ORIGINS',
    schema: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ message: 'must be a comma-separated list of origins (https://host[:port])' }))),
  },
  analysesPerMinute: {
    variable: 'RATE_LIMIT_ANALYSES_PER_MINUTE',
    schema: z.coerce.number().int().min(1).max(100_000).default(60),
  },
  requestsPerMinute: {
    variable: 'RATE_LIMIT_REQUESTS_PER_MINUTE',
    schema: z.coerce.number().int().min(1).max(1_000_000).default(600),
  },
  databaseUrl: {
    variable: 'DATABASE_URL',
    schema: z
      .string()
      .optional()
      .refine((value) => value === undefined || value.startsWith('file:') || value === ':memory:', {
        message: 'must be a file: URL or :memory: (the Postgres adapter is not in this build)',
      }),
  },
  batchConcurrency: {
    variable: 'BATCH_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(16).default(2),
  },
  workers: { variable: 'WORKERS', schema: z.coerce.number().int().min(1).max(64).default(1) },
  embeddingDimensions: {
    variable: 'EMBEDDING_DIMENSIONS',
    schema: z.coerce.number().int().min(64).max(4096).default(384),
  },
} as const;

type Settings = typeof SETTINGS;

/** The validated configuration of the service; `auth` is resolved from the host when unset. */
export type AppConfig = Omit<{ [Key in keyof Settings]: z.output<Settings[Key]['schema']> }, 'auth'> & {
  auth: 'required' | 'off';
};

/** Whether a host name or address only accepts local connections. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The environment variable behind each setting, for docs and error messages. */
export const CONFIG_VARIABLES: Record<keyof AppConfig, string> = Object.fromEntries(
  Object.entries(SETTINGS).map(([key, setting]) => [key, setting.variable]),
) as Record<keyof AppConfig, string>;

/**
 * Parses the configuration from an environment-like record.
 * Fails fast with a {@link ConfigError} naming every bad setting and its variable.
 */
export function parseConfig(environment: Record<string, string | undefined>): AppConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const raw = environment[setting.variable];
    const result = setting.schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) {
      config[key] = result.data;
    } else {
      const reason = result.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`${key} (${setting.variable}=${JSON.stringify(raw)}): ${reason}`);
    }
  }
  if (problems.length === 0) {
    const loopback = isLoopback(String(config.host));
    if (config.auth === undefined) config.auth = loopback ? 'off' : 'required';
    if (config.auth === 'off' && !loopback) {
      problems.push(
        `auth (AUTH=off): refused while HOST=${String(config.host)} is not a loopback address; set AUTH=required`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return config as AppConfig;
}

/** Reads the configuration from the process environment. Call once, at the edge. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}
