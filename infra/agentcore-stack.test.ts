import { Template } from 'aws-cdk-lib/assertions';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_GROUPS } from '../action-groups/index.ts';
import { AGENTS } from '../agents/index.ts';
import type { ServiceStacks } from './app.ts';
import { modelArns } from './stacks/agents-stack.ts';
import {
  AGENTCORE_CONTAINER_PORT,
  AGENTCORE_ENDPOINT_NAME,
  AGENTCORE_RUNTIME_NAME,
} from './stacks/agentcore-stack.ts';
import { HOSTED_AGENT_CALL_TIMEOUT_MS } from './stacks/api-stack.ts';
import { SYNTH_TIMEOUT_MS, TEST_AGENTCORE_IMAGE, buildTestApp } from './testing.ts';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const role = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith(rolePrefix));
  expect(role, `no role ${rolePrefix}*`).toBeDefined();
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
}

function bySid(statements: Statement[], sid: string): Statement {
  const statement = statements.find((candidate) => candidate.Sid === sid);
  expect(statement, `no statement ${sid}`).toBeDefined();
  return statement as Statement;
}

describe('agents=agentcore: the AgentCore Runtime stack and the API wired to it', () => {
  let app: App;
  let stacks: ServiceStacks;
  let agentCore: Template;
  let api: Template;

  beforeAll(() => {
    ({ app, stacks } = buildTestApp({ agents: 'agentcore' }));
    if (!stacks.agentCore) throw new Error('agents=agentcore built no AgentCore stack');
    agentCore = Template.fromStack(stacks.agentCore);
    api = Template.fromStack(stacks.api);
  }, SYNTH_TIMEOUT_MS);

  it('deploys the AgentCore stack in place of the Bedrock agents stack', () => {
    expect(stacks.agents).toBeUndefined();
    expect(stacks.agentCore?.stackName).toBe('DefectRcaAgentCore');
  });

  it('runs the entry point image over HTTP on the public network, with Converse, the guardrail and the Bedrock knowledge base', () => {
    const [runtime] = Object.values(agentCore.findResources('AWS::BedrockAgentCore::Runtime'));
    expect(runtime?.Properties).toMatchObject({
      AgentRuntimeName: AGENTCORE_RUNTIME_NAME,
      AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: TEST_AGENTCORE_IMAGE } },
      ProtocolConfiguration: 'HTTP',
      NetworkConfiguration: { NetworkMode: 'PUBLIC' },
      EnvironmentVariables: {
        HOST: '0.0.0.0',
        AGENTCORE_PORT: String(AGENTCORE_CONTAINER_PORT),
        AGENT_RUNTIME: 'local',
        MODEL: 'converse',
        KNOWLEDGE_BASE: 'bedrock',
        KB_AUTO_INGEST: 'false',
        AGENT_CALL_TIMEOUT_MS: String(HOSTED_AGENT_CALL_TIMEOUT_MS),
      },
    });
    const environment = runtime?.Properties.EnvironmentVariables as Record<string, unknown>;
    expect(environment.BEDROCK_GUARDRAIL_ID).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Guardrail/), 'GuardrailId'],
    });
    expect(environment.BEDROCK_KNOWLEDGE_BASE_ID).toBeDefined();
    agentCore.hasResourceProperties('AWS::BedrockAgentCore::RuntimeEndpoint', {
      Name: AGENTCORE_ENDPOINT_NAME,
    });
  });

  it('lets the runtime invoke only the agents’ models, retrieve only from the knowledge base and apply only its guardrail', () => {
    const statements = statementsOfRole(agentCore, 'RuntimeExecutionRole');
    const converse = bySid(statements, 'ConverseWithModels');
    expect([converse.Action].flat().sort()).toEqual([
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
    ]);
    const stack = stacks.agentCore;
    if (!stack) throw new Error('no AgentCore stack');
    const expected = [...new Set(Object.values(AGENTS).map((agent) => agent.foundationModelId))].flatMap(
      (model) => modelArns(stack, model).map((arn) => stack.resolve(arn)),
    );
    expect([converse.Resource].flat()).toEqual(expected);
    const retrieve = bySid(statements, 'RetrieveFromKnowledgeBase');
    expect(retrieve.Action).toBe('bedrock:Retrieve');
    expect(JSON.stringify(retrieve.Resource)).toContain('KnowledgeBaseArn');
    const guardrail = bySid(statements, 'ApplyGuardrail');
    expect(guardrail.Action).toBe('bedrock:ApplyGuardrail');
    expect(guardrail.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Guardrail/), 'GuardrailArn'],
    });
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) {
        expect(action).toMatch(
          /^(bedrock:(InvokeModel|InvokeModelWithResponseStream|Retrieve|ApplyGuardrail)|logs:|xray:|cloudwatch:PutMetricData|ecr:|bedrock-agentcore:GetWorkloadAccessToken)/,
        );
      }
    }
  });

  it('points the API at the runtime endpoint, and lets its task role invoke only that runtime', () => {
    const [definition] = Object.values(api.findResources('AWS::ECS::TaskDefinition'));
    const variables = Object.fromEntries(
      (
        definition?.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: unknown }>
      ).map((variable) => [variable.Name, variable.Value]),
    );
    expect(variables.AGENT_RUNTIME).toBe('agentcore');
    expect(variables.AGENTCORE_QUALIFIER).toBe(AGENTCORE_ENDPOINT_NAME);
    expect(JSON.stringify(variables.AGENTCORE_RUNTIME_ARN)).toContain('AgentRuntimeArn');
    expect(variables.MODEL).toBeUndefined();
    const statements = statementsOfRole(api, 'TaskRole');
    const invoke = bySid(statements, 'InvokeAgentRuntime');
    expect(invoke.Action).toBe('bedrock-agentcore:InvokeAgentRuntime');
    expect(JSON.stringify(invoke.Resource)).toContain('AgentRuntimeArn');
    expect(JSON.stringify(invoke.Resource)).toContain('AgentRuntimeEndpointArn');
    const sids = statements.map((statement) => statement.Sid);
    expect(sids).not.toContain('ConverseWithModels');
    expect(sids).not.toContain('InvokeAgents');
    expect(api.findResources('AWS::Bedrock::Guardrail')).toEqual({});
  });

  it('serves each action group run by a Lambda as a Gateway Lambda target, its tools from the zod schemas, behind IAM authorization', () => {
    agentCore.hasResourceProperties('AWS::BedrockAgentCore::Gateway', {
      AuthorizerType: 'AWS_IAM',
      ProtocolType: 'MCP',
    });
    const targets = Object.values(agentCore.findResources('AWS::BedrockAgentCore::GatewayTarget'));
    const lambdaGroups = ACTION_GROUPS.filter((group) => (group.executor ?? 'lambda') === 'lambda');
    expect(targets.map((target) => target.Properties.Name).sort()).toEqual(
      lambdaGroups.map((group) => group.name).sort(),
    );
    for (const group of lambdaGroups) {
      const target = targets.find((candidate) => candidate.Properties.Name === group.name);
      const lambda = target?.Properties.TargetConfiguration.Mcp.Lambda as {
        LambdaArn: unknown;
        ToolSchema: {
          InlinePayload: Array<{ Name: string; InputSchema: { Type: string; Required?: string[] } }>;
        };
      };
      expect(JSON.stringify(lambda.LambdaArn)).toContain('Function');
      expect(lambda.ToolSchema.InlinePayload.map((tool) => tool.Name)).toEqual(
        group.tools.map((tool) => tool.name),
      );
      for (const tool of lambda.ToolSchema.InlinePayload) expect(tool.InputSchema.Type).toBe('object');
    }
    const similar = targets.find((candidate) => candidate.Properties.Name === 'similar-defects');
    expect(
      JSON.stringify(
        similar?.Properties.TargetConfiguration.Mcp.Lambda.ToolSchema.InlinePayload[0].InputSchema,
      ),
    ).toContain('"Required":["description"]');
    expect(Object.keys(agentCore.findResources('AWS::Lambda::Function')).length).toBe(lambdaGroups.length);
  });

  it(
    'passes cdk-nag AwsSolutions with every finding acknowledged',
    () => {
      const report = new AwsSolutionsChecks(app).validateScope(app);
      const findings = report.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'pins the Gateway tools to one facility with -c gatewayFacility, and refuses an unknown facility',
    () => {
      const { stacks: scoped } = buildTestApp({ agents: 'agentcore', gatewayFacility: 'shenzhen' });
      if (!scoped.agentCore) throw new Error('agents=agentcore built no AgentCore stack');
      const functions = Object.values(
        Template.fromStack(scoped.agentCore).findResources('AWS::Lambda::Function'),
      );
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions)
        expect(fn.Properties.Environment.Variables.GATEWAY_FACILITY).toBe('shenzhen');
      for (const fn of Object.values(agentCore.findResources('AWS::Lambda::Function')))
        expect(fn.Properties.Environment.Variables.GATEWAY_FACILITY).toBeUndefined();
      expect(() => buildTestApp({ agents: 'agentcore', gatewayFacility: 'paris' })).toThrow(
        /gatewayFacility/,
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});
