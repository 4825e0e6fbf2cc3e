import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_CONTAINER_PORT, API_IDLE_TIMEOUT_SECONDS } from './stacks/api-stack.ts';
import { buildTestApp } from './testing.ts';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

describe('ApiStack', () => {
  let template: Template;

  beforeAll(() => {
    const { stacks } = buildTestApp();
    template = Template.fromStack(stacks.api);
  });

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

  it('orchestrates with the deployed supervisor when the context says so, and refuses other modes', () => {
    const { stacks } = buildTestApp({ orchestration: 'supervisor' });
    Template.fromStack(stacks.api).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({ Environment: Match.arrayWith([{ Name: 'ORCHESTRATION', Value: 'supervisor' }]) }),
      ],
    });
    expect(() => buildTestApp({ orchestration: 'swarm' })).toThrow(
      /orchestration must be "pipeline" or "supervisor"/,
    );
  });

  it('lets the task invoke the agent aliases, retrieve from the knowledge base and nothing unscoped', () => {
    const taskRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith('TaskRole'),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: taskRole }]))
      .flatMap(
        (policy) =>
          (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      );
    expect(statements.map((statement) => statement.Sid).sort()).toEqual([
      'ConverseWithModels',
      'InvokeAgents',
      'RetrieveFromKnowledgeBase',
    ]);
    const invokeAgents = statements.find((statement) => statement.Sid === 'InvokeAgents');
    expect(invokeAgents?.Action).toBe('bedrock:InvokeAgent');
    expect(invokeAgents?.Resource).toHaveLength(4);
    expect(statements.every((statement) => statement.Resource !== '*')).toBe(true);
  });

  it('logs the VPC flows', () => {
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });
});
