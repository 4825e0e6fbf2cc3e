import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { redactSecrets } from './secrets.ts';
import { Facility } from './vocabulary.ts';

const AgentLocation = z.object({ agentId: z.string().min(1), agentAliasId: z.string().min(1) });
const BedrockAgentsSetting = z.object({
  classifier: AgentLocation,
  'root-cause': AgentLocation,
  'corrective-action': AgentLocation,
  supervisor: AgentLocation.optional(),
});

/** The Bedrock model of each agent named in `BEDROCK_AGENT_MODEL_IDS`. */
const AgentModelIds = z
  .object({
    classifier: z.string().min(3),
    'root-cause': z.string().min(3),
    'corrective-action': z.string().min(3),
    supervisor: z.string().min(3),
  })
  .partial()
  .strict();

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
    schema: z.enum(['embedded', 'opensearch', 'bedrock']).default('embedded'),
  },
  embedder: { variable: 'EMBEDDER', schema: z.enum(['hashing', 'titan']).default('hashing') },
  opensearchEndpoint: { variable: 'OPENSEARCH_ENDPOINT', schema: z.url().optional() },
  opensearchCollection: {
    variable: 'OPENSEARCH_COLLECTION',
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9-]{2,31}$/, 'must be an OpenSearch Serverless collection name (3-32 characters)')
      .optional(),
  },
  opensearchIndex: {
    variable: 'OPENSEARCH_INDEX',
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,200}$/, 'must be a lower-case index name')
      .default('rca-knowledge'),
  },
  bedrockKnowledgeBaseId: {
    variable: 'BEDROCK_KNOWLEDGE_BASE_ID',
    schema: z
      .string()
      .regex(/^[0-9A-Z]{10}$/)
      .optional(),
  },
  bedrockKnowledgeBaseBucket: {
    variable: 'BEDROCK_KNOWLEDGE_BASE_BUCKET',
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
  },
  bedrockDataSourceId: {
    variable: 'BEDROCK_DATA_SOURCE_ID',
    schema: z
      .string()
      .regex(/^[0-9A-Z]{10}$/)
      .optional(),
  },
  awsRegion: {
    variable: 'AWS_REGION',
    schema: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .default('us-east-1'),
  },
  corpusDir: { variable: 'KB_CORPUS_DIR', schema: z.string().min(1).default('./knowledge-base/corpus') },
  autoIngest: { variable: 'KB_AUTO_INGEST', schema: booleanSetting.default(true) },
  gatewayFacility: {
    variable: 'GATEWAY_FACILITY',
    // The one facility an AgentCore Gateway deployment of the action-group Lambdas may read; unset,
    // a Gateway call reads every facility (IAM keeps the Gateway to operators).
    schema: Facility.optional(),
  },
  agentRuntime: {
    variable: 'AGENT_RUNTIME',
    schema: z.enum(['local', 'bedrock-agents', 'agentcore']).default('local'),
  },
  agentCoreRuntimeArn: {
    variable: 'AGENTCORE_RUNTIME_ARN',
    schema: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:runtime\/[A-Za-z0-9_-]{1,100}$/,
        'must be an AgentCore Runtime ARN (arn:aws:bedrock-agentcore:<region>:<account>:runtime/<id>)',
      )
      .optional(),
  },
  agentCoreQualifier: {
    variable: 'AGENTCORE_QUALIFIER',
    schema: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,47}$/, 'must be an AgentCore Runtime endpoint name')
      .optional(),
  },
  agentCoreEndpoint: {
    variable: 'AGENTCORE_ENDPOINT',
    schema: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  },
  agentCorePort: {
    variable: 'AGENTCORE_PORT',
    schema: z.coerce.number().int().min(0).max(65_535).default(8080),
  },
  bedrockAgents: {
    variable: 'BEDROCK_AGENTS',
    schema: z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return undefined;
        try {
          return BedrockAgentsSetting.parse(JSON.parse(value));
        } catch {
          context.addIssue({
            code: 'custom',
            message:
              'must be JSON like {"classifier":{"agentId":"…","agentAliasId":"…"},…} for classifier, root-cause, corrective-action (and supervisor)',
          });
          return z.NEVER;
        }
      }),
  },
  orchestration: {
    variable: 'ORCHESTRATION',
    schema: z.enum(['pipeline', 'supervisor']).default('pipeline'),
  },
  model: { variable: 'MODEL', schema: z.enum(['offline', 'converse', 'openai']).default('offline') },
  modelBaseUrl: {
    variable: 'MODEL_BASE_URL',
    schema: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://localhost:8000/v1' })
      .optional(),
  },
  modelApiKey: { variable: 'MODEL_API_KEY', schema: z.string().min(1).optional() },
  modelName: { variable: 'MODEL_NAME', schema: z.string().min(1).optional() },
  bedrockModelId: { variable: 'BEDROCK_MODEL_ID', schema: z.string().min(3).optional() },
  /**
   * A Bedrock model per agent, over `BEDROCK_MODEL_ID` and the agents' own: e.g.
   * `corrective-action=us.anthropic.claude-haiku-4-5-20251001-v1:0` puts the planner on Haiku.
   */
  bedrockAgentModelIds: {
    variable: 'BEDROCK_AGENT_MODEL_IDS',
    schema: z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined || value.trim() === '') return undefined;
        const entries = value.split(',').map((entry) => entry.trim().split('='));
        const parsed = AgentModelIds.safeParse(
          Object.fromEntries(entries.map(([agent, modelId]) => [agent?.trim(), modelId?.trim()])),
        );
        if (entries.some((entry) => entry.length !== 2) || !parsed.success) {
          context.addIssue({
            code: 'custom',
            message:
              'must be a comma-separated list of agent=model-id, agents among classifier, root-cause, corrective-action, supervisor (e.g. corrective-action=us.anthropic.claude-haiku-4-5-20251001-v1:0)',
          });
          return z.NEVER;
        }
        return parsed.data;
      }),
  },
  modelStream: { variable: 'MODEL_STREAM', schema: booleanSetting.default(false) },
  /**
   * Bedrock prompt caching (`cachePoint` after the tool specs and the system prompt) with
   * `MODEL=converse`: `auto` for the Claude models, or `on` / `off` for every model.
   */
  bedrockPromptCaching: {
    variable: 'BEDROCK_PROMPT_CACHING',
    schema: z.enum(['auto', 'on', 'off']).default('auto'),
  },
  modelSupportsImages: { variable: 'MODEL_SUPPORTS_IMAGES', schema: booleanSetting.default(true) },
  guardrailId: { variable: 'BEDROCK_GUARDRAIL_ID', schema: z.string().min(1).optional() },
  guardrailVersion: { variable: 'BEDROCK_GUARDRAIL_VERSION', schema: z.string().min(1).default('DRAFT') },
  imageStore: { variable: 'IMAGE_STORE', schema: z.enum(['local', 's3']).default('local') },
  imageBucket: {
    variable: 'IMAGE_BUCKET',
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .optional(),
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
  authFailuresPerWindow: {
    variable: 'RATE_LIMIT_AUTH_FAILURES',
    schema: z.coerce.number().int().min(1).max(100_000).default(20),
  },
  authFailureWindowSeconds: {
    variable: 'RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS',
    schema: z.coerce.number().int().min(1).max(86_400).default(900),
  },
  databaseUrl: {
    variable: 'DATABASE_URL',
    schema: z
      .string()
      .optional()
      .refine(
        (value) =>
          value === undefined || /^(file:|postgres:\/\/|postgresql:\/\/)/.test(value) || value === ':memory:',
        { message: 'must be a file: URL, :memory: or a postgres:// URL' },
      ),
  },
  batchConcurrency: {
    variable: 'BATCH_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(16).default(2),
  },
  batchQueueLimit: {
    variable: 'BATCH_QUEUE_LIMIT',
    schema: z.coerce.number().int().min(1).max(100_000).default(1_000),
  },
  workLeaseSeconds: {
    variable: 'WORK_LEASE_SECONDS',
    schema: z.coerce.number().int().min(1).max(3_600).default(30),
  },
  analysisConcurrency: {
    variable: 'ANALYSIS_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(256).default(32),
  },
  analysisQueueLimit: {
    variable: 'ANALYSIS_QUEUE_LIMIT',
    schema: z.coerce.number().int().min(0).max(100_000).default(256),
  },
  analysisMaxEventLoopDelayMs: {
    variable: 'ANALYSIS_MAX_EVENT_LOOP_DELAY_MS',
    schema: z.coerce.number().int().min(0).max(60_000).default(1_000),
  },
  workers: { variable: 'WORKERS', schema: z.coerce.number().int().min(1).max(64).default(1) },
  mcpEnabled: { variable: 'MCP_ENABLED', schema: booleanSetting.default(false) },
  mcpPort: { variable: 'MCP_PORT', schema: z.coerce.number().int().min(0).max(65_535).default(3001) },
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
      const shown = raw === undefined ? raw : redactSecrets(raw);
      problems.push(`${key} (${setting.variable}=${JSON.stringify(shown)}): ${reason}`);
    }
  }
  if (problems.length === 0) problems.push(...combinationProblems(config as AppConfig));
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

/** Settings that only make sense together; each problem names the variables involved. */
function combinationProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.agentRuntime === 'bedrock-agents' && !config.bedrockAgents) {
    problems.push('AGENT_RUNTIME=bedrock-agents needs BEDROCK_AGENTS (the deployed agent and alias ids)');
  }
  if (config.agentRuntime === 'agentcore' && !config.agentCoreRuntimeArn) {
    problems.push(
      'AGENT_RUNTIME=agentcore needs AGENTCORE_RUNTIME_ARN (the AgentCore Runtime that hosts the agents)',
    );
  }
  if (
    config.agentRuntime !== 'agentcore' &&
    (config.agentCoreRuntimeArn || config.agentCoreQualifier || config.agentCoreEndpoint)
  ) {
    problems.push(
      'AGENTCORE_RUNTIME_ARN, AGENTCORE_QUALIFIER and AGENTCORE_ENDPOINT are only used with AGENT_RUNTIME=agentcore; leave them unset',
    );
  }
  if (config.agentRuntime === 'agentcore' && config.model !== 'offline') {
    problems.push(
      'MODEL is not used with AGENT_RUNTIME=agentcore (the runtime has its own MODEL); leave it unset',
    );
  }
  if (config.knowledgeBase === 'opensearch' && !config.opensearchEndpoint && !config.opensearchCollection) {
    problems.push(
      'KNOWLEDGE_BASE=opensearch needs OPENSEARCH_ENDPOINT (the collection endpoint) or OPENSEARCH_COLLECTION (its name, to look the endpoint up)',
    );
  }
  if (config.knowledgeBase === 'bedrock' && !config.bedrockKnowledgeBaseId) {
    problems.push('KNOWLEDGE_BASE=bedrock needs BEDROCK_KNOWLEDGE_BASE_ID');
  }
  if (Boolean(config.bedrockKnowledgeBaseBucket) !== Boolean(config.bedrockDataSourceId)) {
    problems.push(
      'BEDROCK_KNOWLEDGE_BASE_BUCKET and BEDROCK_DATA_SOURCE_ID go together (the data source and its bucket, for ingestion)',
    );
  }
  if (config.bedrockKnowledgeBaseBucket && config.knowledgeBase !== 'bedrock') {
    problems.push('BEDROCK_KNOWLEDGE_BASE_BUCKET is only used with KNOWLEDGE_BASE=bedrock; leave it unset');
  }
  if (config.knowledgeBase === 'bedrock' && config.embedder !== 'hashing') {
    problems.push(
      'EMBEDDER has no effect with KNOWLEDGE_BASE=bedrock (the knowledge base embeds itself); leave it unset',
    );
  }
  if (config.imageStore === 's3' && !config.imageBucket) problems.push('IMAGE_STORE=s3 needs IMAGE_BUCKET');
  if (config.agentRuntime === 'bedrock-agents' && config.model !== 'offline') {
    problems.push(
      'MODEL is not used with AGENT_RUNTIME=bedrock-agents (the deployed agents have their models); leave it unset',
    );
  }
  if (config.model === 'openai' && !config.modelBaseUrl) {
    problems.push(
      'MODEL=openai needs MODEL_BASE_URL (modelBaseUrl: the chat completions API, e.g. http://localhost:8000/v1)',
    );
  }
  if (config.model === 'openai' && !config.modelName) {
    problems.push('MODEL=openai needs MODEL_NAME (modelName: the model the server hosts, e.g. qwen2.5:7b)');
  }
  if (config.model !== 'openai' && (config.modelBaseUrl || config.modelName || config.modelApiKey)) {
    problems.push(
      'MODEL_BASE_URL, MODEL_NAME and MODEL_API_KEY are only used with MODEL=openai; leave them unset',
    );
  }
  if (config.orchestration === 'supervisor' && config.agentRuntime !== 'bedrock-agents') {
    problems.push(
      'ORCHESTRATION=supervisor needs AGENT_RUNTIME=bedrock-agents (the supervisor is a deployed Bedrock agent)',
    );
  }
  if (
    config.orchestration === 'supervisor' &&
    config.agentRuntime === 'bedrock-agents' &&
    !config.bedrockAgents?.supervisor
  ) {
    problems.push(
      'ORCHESTRATION=supervisor needs a "supervisor" entry in BEDROCK_AGENTS (the deployed supervisor agent and alias ids)',
    );
  }
  return problems;
}

/** Reads the configuration from the process environment. Call once, at the edge. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}
