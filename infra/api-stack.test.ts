import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AGENTS } from '../agents/index.ts';
import { agentsModeOf, buildApp, type ServiceStacks } from './app.ts';
import {
  API_CONTAINER_NAME,
  API_CONTAINER_PORT,
  API_IDLE_TIMEOUT_SECONDS,
  HOSTED_AGENT_CALL_TIMEOUT_MS,
} from './stacks/api-stack.ts';
import { SYNTH_TIMEOUT_MS, buildTestApp } from './testing.ts';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

function taskRoleStatements(template: Template): Statement[] {
  const taskRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
    id.startsWith('TaskRole'),
  );
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: taskRole }]))
    .flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
}

/** The statements the stack writes itself (with a Sid), sorted by Sid. */
function namedSids(statements: Statement[]): Array<string | undefined> {
  return statements
    .map((statement) => statement.Sid)
    .filter((sid) => sid !== undefined)
    .sort();
}

/** The only actions allowed on every resource: ECS Exec's, which have no resource-level permissions. */
function expectOnlyExecuteCommandUnscoped(statements: Statement[]): void {
  const unscoped = statements
    .filter((statement) => statement.Resource === '*')
    .flatMap((statement) => [statement.Action].flat());
  expect(unscoped.length).toBeGreaterThan(0);
  for (const action of unscoped) expect(action).toMatch(/^ssmmessages:|^logs:DescribeLogGroups$/);
}

function environmentOf(template: Template): Record<string, unknown> {
  const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  const variables = definition?.Properties.ContainerDefinitions[0].Environment as Array<{
    Name: string;
    Value: unknown;
  }>;
  return Object.fromEntries(variables.map((variable) => [variable.Name, variable.Value]));
}

describe('ApiStack', () => {
  let template: Template;

  beforeAll(() => {
    const { stacks } = buildTestApp();
    template = Template.fromStack(stacks.api);
  }, SYNTH_TIMEOUT_MS);

  it('runs the API on ARM64 Fargate behind a load balancer that keeps long requests open', () => {
    template.resourceCountIs('AWS::ECS::Service', 1);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64' },
      ContainerDefinitions: [
        Match.objectLike({
          PortMappings: [Match.objectLike({ ContainerPort: API_CONTAINER_PORT })],
          Environment: Match.arrayWith([{ Name: 'AUTH', Value: 'required' }]),
        }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'idle_timeout.timeout_seconds', Value: String(API_IDLE_TIMEOUT_SECONDS) },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health',
    });
  });

  it('gives the container the agent alias ids and the knowledge base id', () => {
    const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    const names = (definition?.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string }>).map(
      (variable) => variable.Name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'KNOWLEDGE_BASE',
        'BEDROCK_KNOWLEDGE_BASE_ID',
        'AGENT_RUNTIME',
        'BEDROCK_AGENTS',
        'AWS_REGION',
      ]),
    );
    const variables = definition?.Properties.ContainerDefinitions[0].Environment as Array<{
      Name: string;
      Value: unknown;
    }>;
    const agents = JSON.stringify(variables.find((variable) => variable.Name === 'BEDROCK_AGENTS')?.Value);
    for (const name of ['classifier', 'root-cause', 'corrective-action', 'supervisor'])
      expect(agents).toContain(name);
    expect(variables.find((variable) => variable.Name === 'AGENT_RUNTIME')?.Value).toBe('bedrock-agents');
    expect(variables.find((variable) => variable.Name === 'ORCHESTRATION')?.Value).toBe('pipeline');
  });

  it(
    'orchestrates with the deployed supervisor when the context says so, and refuses other modes',
    { timeout: SYNTH_TIMEOUT_MS },
    () => {
      const { stacks } = buildTestApp({ orchestration: 'supervisor' });
      Template.fromStack(stacks.api).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Environment: Match.arrayWith([{ Name: 'ORCHESTRATION', Value: 'supervisor' }]),
          }),
        ],
      });
      expect(() => buildTestApp({ orchestration: 'swarm' })).toThrow(
        /orchestration must be "pipeline" or "supervisor"/,
      );
    },
  );

  it('lets the task invoke the agent aliases, retrieve from the knowledge base and nothing unscoped', () => {
    const statements = taskRoleStatements(template);
    expect(namedSids(statements)).toEqual([
      'ConverseWithModels',
      'InvokeAgents',
      'RetrieveFromKnowledgeBase',
    ]);
    const invokeAgents = statements.find((statement) => statement.Sid === 'InvokeAgents');
    expect(invokeAgents?.Action).toBe('bedrock:InvokeAgent');
    expect(invokeAgents?.Resource).toHaveLength(4);
    expectOnlyExecuteCommandUnscoped(statements);
  });

  it('enables ECS Exec (how the first API key is created), with every session logged', () => {
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    const logGroups = Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.startsWith('ExecuteCommandLogs'),
    );
    expect(logGroups).toHaveLength(1);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchLogGroupName: { Ref: logGroups[0] } },
        },
      },
    });
    const actions = JSON.stringify(taskRoleStatements(template).map((statement) => statement.Action));
    for (const action of ['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel'])
      expect(actions).toContain(action);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: API_CONTAINER_NAME })],
    });
    template.hasOutput('ClusterName', {});
    template.hasOutput('ServiceName', {});
  });

  it('logs the VPC flows', () => {
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('gives hosted models more than the 30-second default per agent call', () => {
    expect(HOSTED_AGENT_CALL_TIMEOUT_MS).toBeGreaterThanOrEqual(120_000);
    expect(environmentOf(template).AGENT_CALL_TIMEOUT_MS).toBe(String(HOSTED_AGENT_CALL_TIMEOUT_MS));
  });

  it('refuses an unknown agents mode, and the supervisor without agents', () => {
    expect(() => agentsModeOf('bedrock')).toThrow(/agents must be "classic", "none" or "agentcore"/);
    expect(agentsModeOf(undefined)).toBe('classic');
    expect(agentsModeOf('agentcore')).toBe('agentcore');
    expect(() => buildTestApp({ agents: 'none', orchestration: 'supervisor' })).toThrow(/use agents=classic/);
  });
});

describe('ApiStack with agents=none (accounts without Bedrock Agents)', () => {
  let app: App;
  let stacks: ServiceStacks;
  let template: Template;

  beforeAll(() => {
    ({ app, stacks } = buildTestApp({ agents: 'none' }));
    template = Template.fromStack(stacks.api);
  }, SYNTH_TIMEOUT_MS);

  it('deploys no agents stack, and nothing refers to one', () => {
    expect(stacks.agents).toBeUndefined();
    expect(app.node.tryFindChild('DefectRcaAgents')).toBeUndefined();
    expect(stacks.api.dependencies.map((stack) => stack.stackName)).toEqual([stacks.knowledgeBase.stackName]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/DefectRcaAgents|AWS::Bedrock::Agent/);
  });

  it('runs the local runtime over Converse with the guardrail and the knowledge base', () => {
    const environment = environmentOf(template);
    expect(environment).toMatchObject({
      AGENT_RUNTIME: 'local',
      MODEL: 'converse',
      KNOWLEDGE_BASE: 'bedrock',
      ORCHESTRATION: 'pipeline',
      AGENT_CALL_TIMEOUT_MS: String(HOSTED_AGENT_CALL_TIMEOUT_MS),
    });
    expect(environment.BEDROCK_AGENTS).toBeUndefined();
    const guardrail = Object.keys(template.findResources('AWS::Bedrock::Guardrail'));
    const version = Object.keys(template.findResources('AWS::Bedrock::GuardrailVersion'));
    expect(guardrail).toHaveLength(1);
    expect(version).toHaveLength(1);
    expect(environment.BEDROCK_GUARDRAIL_ID).toEqual({ 'Fn::GetAtt': [guardrail[0], 'GuardrailId'] });
    expect(environment.BEDROCK_GUARDRAIL_VERSION).toEqual({ 'Fn::GetAtt': [version[0], 'Version'] });
    expect(JSON.stringify(environment.BEDROCK_KNOWLEDGE_BASE_ID)).toContain('KnowledgeBaseId');
  });

  it('lets the task converse with the agents’ models, apply the guardrail and retrieve, and nothing else', () => {
    const statements = taskRoleStatements(template);
    expect(namedSids(statements)).toEqual([
      'ApplyGuardrail',
      'ConverseWithModels',
      'RetrieveFromKnowledgeBase',
    ]);
    const guardrail = Object.keys(template.findResources('AWS::Bedrock::Guardrail'))[0];
    const applyGuardrail = statements.find((statement) => statement.Sid === 'ApplyGuardrail');
    expect(applyGuardrail?.Action).toBe('bedrock:ApplyGuardrail');
    expect(applyGuardrail?.Resource).toEqual({ 'Fn::GetAtt': [guardrail, 'GuardrailArn'] });
    const converse = JSON.stringify(statements.find((statement) => statement.Sid === 'ConverseWithModels'));
    for (const definition of Object.values(AGENTS)) expect(converse).toContain(definition.foundationModelId);
    expectOnlyExecuteCommandUnscoped(statements);
  });
});

describe('the API image asset', () => {
  it('is built for linux/arm64, the task’s architecture', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'defect-rca-assets-'));
    try {
      // Asset staging disabled: the manifest names the repository as the build context, nothing is copied.
      const app = new App({
        outdir,
        context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true, agents: 'none' },
      });
      buildApp(app);
      app.synth();
      const manifest = JSON.parse(readFileSync(path.join(outdir, 'DefectRcaApi.assets.json'), 'utf8')) as {
        dockerImages: Record<string, { source: { dockerFile?: string; platform?: string } }>;
      };
      const images = Object.values(manifest.dockerImages);
      expect(images).toHaveLength(1);
      expect(images[0]?.source).toMatchObject({
        dockerFile: path.join('infra', 'docker', 'api.Dockerfile'),
        platform: 'linux/arm64',
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
