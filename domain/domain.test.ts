import { describe, expect, it } from 'vitest';
import {
  CONCRETE_DEFECT_TYPES,
  ConfigError,
  ConsolidatedAnalysis,
  DEFECT_TYPE_DETAILS,
  DefectId,
  formatDefectId,
  configSecrets,
  InspectionReport,
  LOG_REDACT_PATHS,
  ModelThrottledError,
  parseConfig,
  PRODUCTION_STAGES,
  redactSecrets,
  UpstreamError,
} from './index.ts';

describe('defect ids', () => {
  it('formats DEF-YYYYMMDD-XXXXXXXX from a date and random bytes', () => {
    const id = formatDefectId({
      date: new Date('2026-11-22T10:00:00Z'),
      randomBytes: Uint8Array.of(0x3f, 0xa2, 0xb9, 0x1c),
    });
    expect(id).toBe('DEF-20261122-3FA2B91C');
    expect(DefectId.safeParse(id).success).toBe(true);
  });

  it.each([
    'DEF-20261122-3fa2b91c',
    'DEF-2026112-3FA2B91C',
    'DEF-20260231-3FA2B91C',
    'XYZ-20261122-3FA2B91C',
  ])('rejects %s', (id) => {
    expect(DefectId.safeParse(id).success).toBe(false);
  });
});

describe('vocabulary', () => {
  it('has the 12 concrete types and 12 stages of DOMAIN.md, each type mapped to known stages', () => {
    expect(CONCRETE_DEFECT_TYPES).toHaveLength(12);
    expect(PRODUCTION_STAGES).toHaveLength(12);
    for (const type of CONCRETE_DEFECT_TYPES) {
      for (const stage of DEFECT_TYPE_DETAILS[type].originStages) expect(PRODUCTION_STAGES).toContain(stage);
    }
  });
});

describe('InspectionReport', () => {
  it('accepts text with measurements and context', () => {
    const report = InspectionReport.parse({
      description: '3 of 40 blades show orange spots near the bolster',
      product_sku: 'WK-KN-200',
      facility: 'yangjiang',
      measurements: { hardness_hrc: 55.5, salt_spray_hours: 300, ra_um: 0.2 },
      batch_id: 'YJ-2611-004',
      shift: 'B',
    });
    expect(report.measurements?.ra_um).toBe(0.2);
  });

  it('needs a description or an image, and rejects unknown codes and fields', () => {
    expect(InspectionReport.safeParse({ facility: 'yangjiang' }).success).toBe(false);
    expect(
      InspectionReport.safeParse({ image: { media_type: 'image/png', uri: 's3://bucket/key.png' } }).success,
    ).toBe(true);
    expect(InspectionReport.safeParse({ description: 'chip', facility: 'berlin' }).success).toBe(false);
    expect(InspectionReport.safeParse({ description: 'chip', colour: 'red' }).success).toBe(false);
    expect(
      InspectionReport.safeParse({ description: 'chip', measurements: { hardness_hrc: 'hard' } }).success,
    ).toBe(false);
  });
});

describe('ConsolidatedAnalysis', () => {
  it('accepts a pending analysis with nothing filled in yet', () => {
    const pending = ConsolidatedAnalysis.parse({
      defect_id: 'DEF-20261122-00000001',
      status: 'pending',
      created_at: '2026-11-22T10:00:00Z',
      report: { description: 'wavy edge on paring knives' },
      agents: {
        classifier: { status: 'pending' },
        root_cause: { status: 'pending' },
        corrective_action: { status: 'pending' },
      },
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      timings: { total_ms: null },
    });
    expect(pending.classification).toBeNull();
    expect(pending.citations).toEqual([]);
  });
});

describe('config', () => {
  it('has defaults for the embedded setup', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      knowledgeBase: 'embedded',
      autoIngest: true,
    });
  });

  it('reads a Bedrock model per agent and refuses an unknown agent or a malformed entry', () => {
    expect(
      parseConfig({
        BEDROCK_AGENT_MODEL_IDS:
          'corrective-action=us.anthropic.claude-haiku-4-5-20251001-v1:0, classifier = model-a',
      }).bedrockAgentModelIds,
    ).toEqual({
      'corrective-action': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      classifier: 'model-a',
    });
    expect(parseConfig({}).bedrockAgentModelIds).toBeUndefined();
    expect(() => parseConfig({ BEDROCK_AGENT_MODEL_IDS: 'planner=model-a' })).toThrow(
      /BEDROCK_AGENT_MODEL_IDS/,
    );
    expect(() => parseConfig({ BEDROCK_AGENT_MODEL_IDS: 'classifier' })).toThrow(/agent=model-id/);
  });

  it('selects the AWS adapters and refuses incomplete combinations with the variables named', () => {
    const agents = JSON.stringify({
      classifier: { agentId: 'A1', agentAliasId: 'L1' },
      'root-cause': { agentId: 'A2', agentAliasId: 'L2' },
      'corrective-action': { agentId: 'A3', agentAliasId: 'L3' },
    });
    expect(
      parseConfig({ AGENT_RUNTIME: 'bedrock-agents', BEDROCK_AGENTS: agents }).bedrockAgents?.classifier
        .agentId,
    ).toBe('A1');
    expect(() => parseConfig({ AGENT_RUNTIME: 'bedrock-agents' })).toThrow(/BEDROCK_AGENTS/);
    expect(() => parseConfig({ BEDROCK_AGENTS: '{"classifier":{}}' })).toThrow(/BEDROCK_AGENTS/);
    expect(() => parseConfig({ KNOWLEDGE_BASE: 'opensearch' })).toThrow(/OPENSEARCH_ENDPOINT/);
    expect(
      parseConfig({
        KNOWLEDGE_BASE: 'opensearch',
        OPENSEARCH_ENDPOINT: 'https://abc.us-east-1.aoss.amazonaws.com',
      }).opensearchIndex,
    ).toBe('rca-knowledge');
    expect(() => parseConfig({ KNOWLEDGE_BASE: 'bedrock' })).toThrow(/BEDROCK_KNOWLEDGE_BASE_ID/);
    const bedrock = { KNOWLEDGE_BASE: 'bedrock', BEDROCK_KNOWLEDGE_BASE_ID: 'KB12345678' };
    expect(() => parseConfig({ ...bedrock, BEDROCK_KNOWLEDGE_BASE_BUCKET: 'corpus-bucket' })).toThrow(
      /BEDROCK_KNOWLEDGE_BASE_BUCKET and BEDROCK_DATA_SOURCE_ID go together/,
    );
    expect(() =>
      parseConfig({ BEDROCK_KNOWLEDGE_BASE_BUCKET: 'corpus-bucket', BEDROCK_DATA_SOURCE_ID: 'DS12345678' }),
    ).toThrow(/only used with KNOWLEDGE_BASE=bedrock/);
    expect(
      parseConfig({
        ...bedrock,
        BEDROCK_KNOWLEDGE_BASE_BUCKET: 'corpus-bucket',
        BEDROCK_DATA_SOURCE_ID: 'DS12345678',
      }).bedrockDataSourceId,
    ).toBe('DS12345678');
    expect(() => parseConfig({ IMAGE_STORE: 's3' })).toThrow(/IMAGE_BUCKET/);
    expect(() =>
      parseConfig({ AGENT_RUNTIME: 'bedrock-agents', BEDROCK_AGENTS: agents, MODEL: 'converse' }),
    ).toThrow(/MODEL is not used/);
    expect(parseConfig({ DATABASE_URL: 'postgres://rca@db:5432/rca' }).databaseUrl).toBe(
      'postgres://rca@db:5432/rca',
    );
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(parseConfig({})).toMatchObject({ authFailuresPerWindow: 20, authFailureWindowSeconds: 900 });
    expect(() => parseConfig({ RATE_LIMIT_AUTH_FAILURES: '0' })).toThrow(
      /authFailuresPerWindow \(RATE_LIMIT_AUTH_FAILURES="0"\)/,
    );
    expect(() => parseConfig({ RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS: 'soon' })).toThrow(
      /authFailureWindowSeconds \(RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS="soon"\)/,
    );
    expect(parseConfig({ MODEL: 'converse' }).model).toBe('converse');
  });

  it('selects MODEL=openai and fails fast naming MODEL_BASE_URL or MODEL_NAME when one is missing', () => {
    const openai = { MODEL: 'openai', MODEL_BASE_URL: 'http://localhost:8000/v1', MODEL_NAME: 'qwen2.5:7b' };
    expect(parseConfig({ ...openai, MODEL_API_KEY: 'sk-local-0123456789' })).toMatchObject({
      model: 'openai',
      modelBaseUrl: 'http://localhost:8000/v1',
      modelName: 'qwen2.5:7b',
      modelApiKey: 'sk-local-0123456789',
    });
    expect(() => parseConfig({ MODEL: 'openai', MODEL_NAME: 'qwen2.5:7b' })).toThrow(ConfigError);
    expect(() => parseConfig({ MODEL: 'openai', MODEL_NAME: 'qwen2.5:7b' })).toThrow(
      /MODEL=openai needs MODEL_BASE_URL/,
    );
    expect(() => parseConfig({ ...openai, MODEL_NAME: undefined })).toThrow(/MODEL=openai needs MODEL_NAME/);
    expect(() => parseConfig({ ...openai, MODEL_BASE_URL: 'localhost:8000' })).toThrow(
      /modelBaseUrl \(MODEL_BASE_URL="localhost:8000"\)/,
    );
    expect(() => parseConfig({ MODEL_BASE_URL: 'http://localhost:8000/v1' })).toThrow(
      /only used with MODEL=openai/,
    );
  });

  it('treats MODEL_API_KEY as a secret: a redacted log field and a known secret value', () => {
    const key = 'sk-live-abcdefghijklmnop';
    const config = parseConfig({
      MODEL: 'openai',
      MODEL_BASE_URL: 'http://gpu:8000/v1',
      MODEL_NAME: 'm',
      MODEL_API_KEY: key,
    });
    expect(LOG_REDACT_PATHS).toContain('modelApiKey');
    expect(configSecrets(config)).toContain(key);
    expect(redactSecrets(`calling with ${key}`, configSecrets(config))).toBe('calling with [Redacted]');
  });

  it('selects the orchestration and refuses the supervisor without its deployed agent', () => {
    const specialists = {
      classifier: { agentId: 'A1', agentAliasId: 'L1' },
      'root-cause': { agentId: 'A2', agentAliasId: 'L2' },
      'corrective-action': { agentId: 'A3', agentAliasId: 'L3' },
    };
    const withSupervisor = JSON.stringify({
      ...specialists,
      supervisor: { agentId: 'A4', agentAliasId: 'L4' },
    });
    expect(parseConfig({}).orchestration).toBe('pipeline');
    expect(() => parseConfig({ ORCHESTRATION: 'swarm' })).toThrow(/orchestration \(ORCHESTRATION="swarm"\)/);
    const supervisor = parseConfig({
      ORCHESTRATION: 'supervisor',
      AGENT_RUNTIME: 'bedrock-agents',
      BEDROCK_AGENTS: withSupervisor,
    });
    expect(supervisor.orchestration).toBe('supervisor');
    expect(supervisor.bedrockAgents?.supervisor?.agentId).toBe('A4');

    expect(() => parseConfig({ ORCHESTRATION: 'supervisor' })).toThrow(ConfigError);
    expect(() => parseConfig({ ORCHESTRATION: 'supervisor' })).toThrow(
      /ORCHESTRATION=supervisor needs AGENT_RUNTIME=bedrock-agents/,
    );
    expect(() =>
      parseConfig({
        ORCHESTRATION: 'supervisor',
        AGENT_RUNTIME: 'bedrock-agents',
        BEDROCK_AGENTS: JSON.stringify(specialists),
      }),
    ).toThrow(/ORCHESTRATION=supervisor needs a "supervisor" entry in BEDROCK_AGENTS/);
    expect(() => parseConfig({ ORCHESTRATION: 'supervisor', AGENT_RUNTIME: 'bedrock-agents' })).toThrow(
      /BEDROCK_AGENTS/,
    );
    expect(
      parseConfig({
        ORCHESTRATION: 'pipeline',
        AGENT_RUNTIME: 'bedrock-agents',
        BEDROCK_AGENTS: withSupervisor,
      }).orchestration,
    ).toBe('pipeline');
  });

  it('turns auth off only on a loopback address, and refuses AUTH=off elsewhere', () => {
    expect(parseConfig({}).auth).toBe('off');
    expect(parseConfig({ HOST: '0.0.0.0' }).auth).toBe('required');
    expect(parseConfig({ HOST: '0.0.0.0', AUTH: 'required' }).auth).toBe('required');
    expect(() => parseConfig({ HOST: '0.0.0.0', AUTH: 'off' })).toThrow(/AUTH=off.*refused/);
    expect(parseConfig({ HOST: 'localhost', AUTH: 'required' }).auth).toBe('required');
  });

  it('fails fast, naming each bad setting and its environment variable', () => {
    expect(() => parseConfig({ PORT: 'eighty', KNOWLEDGE_BASE: 'elastic' })).toThrow(ConfigError);
    try {
      parseConfig({ PORT: 'eighty', KNOWLEDGE_BASE: 'elastic' });
    } catch (error) {
      expect((error as Error).message).toContain('port (PORT="eighty")');
      expect((error as Error).message).toContain('knowledgeBase (KNOWLEDGE_BASE="elastic")');
    }
  });
});

describe('errors', () => {
  it('carry a code, retryability and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new UpstreamError('the model call failed', { cause, isRetryable: true });
    expect(error.cause).toBe(cause);
    expect(error.isRetryable).toBe(true);
    expect(new ModelThrottledError('slow down').isRetryable).toBe(true);
    expect(error.name).toBe('UpstreamError');
  });
});
