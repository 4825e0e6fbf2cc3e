import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { toFunctionSchema } from '../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../action-groups/index.ts';
import { AGENTS } from '../agents/index.ts';
import { foundationModelIdOf } from './naming.ts';
import { AGENT_ALIAS_NAME } from './stacks/agents-stack.ts';
import { SYNTH_TIMEOUT_MS, agentsStackOf, buildTestApp } from './testing.ts';

/** The action groups deployed with a Lambda of their own. */
const LAMBDA_GROUPS = ACTION_GROUPS.filter((group) => (group.executor ?? 'lambda') === 'lambda');

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
interface AgentProperties {
  AgentName: string;
  FoundationModel: string;
  Instruction: string;
  ActionGroups?: Array<{
    ActionGroupName: string;
    ActionGroupExecutor: { Lambda?: { 'Fn::GetAtt': [string, string] }; CustomControl?: string };
    FunctionSchema: { Functions: Array<{ Name: string; Parameters: Record<string, unknown> }> };
  }>;
  KnowledgeBases?: unknown[];
  AgentCollaboration?: string;
  AgentCollaborators?: Array<{ CollaboratorName: string; AgentDescriptor: { AliasArn: unknown } }>;
  GuardrailConfiguration?: unknown;
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Sid?: string;
}

/** Bedrock's default quota of parameters per action-group function. */
const BEDROCK_MAX_PARAMETERS_PER_FUNCTION = 5;

/** Converts the camelCase keys of toFunctionSchema's output to the template's PascalCase. */
function pascalKeys(value: unknown, depth = 0, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => pascalKeys(item, depth + 1, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const isUserMap = parentKey === 'parameters';
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      isUserMap ? key : key[0]?.toUpperCase() + key.slice(1),
      pascalKeys(item, depth + 1, isUserMap ? '' : key),
    ]),
  );
}

describe('AgentsStack', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  const agentsByName = (): Map<string, [string, AgentProperties]> =>
    new Map(
      Object.entries(template.findResources('AWS::Bedrock::Agent')).map(([id, resource]) => {
        const properties = resource.Properties as AgentProperties;
        return [properties.AgentName.replace(/^defect-rca-/, ''), [id, properties]];
      }),
    );
  const policyStatementsOf = (roleLogicalId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleLogicalId }]),
      )
      .flatMap(
        (policy) =>
          (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      );

  beforeAll(() => {
    const { stacks } = buildTestApp();
    template = Template.fromStack(agentsStackOf(stacks));
    resources = template.toJSON().Resources as Record<string, Resource>;
  }, SYNTH_TIMEOUT_MS);

  it('deploys the four agents, each with a stable alias', () => {
    template.resourceCountIs('AWS::Bedrock::Agent', Object.keys(AGENTS).length);
    expect(Object.keys(AGENTS)).toHaveLength(4);
    template.resourceCountIs('AWS::Bedrock::AgentAlias', 4);
    const aliases = Object.values(template.findResources('AWS::Bedrock::AgentAlias'));
    expect(aliases.every((alias) => alias.Properties.AgentAliasName === AGENT_ALIAS_NAME)).toBe(true);
  });

  it('deploys one Node 22 ARM64 function per Lambda action group, from its lambda.ts', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(LAMBDA_GROUPS.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toMatch(/^defect-rca-/);
    }
    const described = functions.map((fn) => String(fn.Properties.Description));
    for (const group of LAMBDA_GROUPS) {
      expect(described.some((text) => text.startsWith(`Bedrock action group ${group.name}:`))).toBe(true);
    }
  });

  it('lets each action-group function role retrieve from the knowledge base, and only from it', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(LAMBDA_GROUPS.length);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.KNOWLEDGE_BASE).toBe('bedrock');
      const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const retrieve = policyStatementsOf(role).filter((statement) =>
        [statement.Action].flat().includes('bedrock:Retrieve'),
      );
      expect(retrieve, `${String(fn.Properties.Description)}`).toEqual([
        expect.objectContaining({ Sid: 'RetrieveFromKnowledgeBase', Action: 'bedrock:Retrieve' }),
      ]);
      expect(JSON.stringify(retrieve[0]?.Resource)).toMatch(/KnowledgeBaseArn/);
    }
  });

  it('builds each agent from its definition: model, instruction, action groups and knowledge base', () => {
    const agents = agentsByName();
    for (const definition of Object.values(AGENTS)) {
      const [, properties] = agents.get(definition.name) ?? [];
      expect(properties?.FoundationModel).toBe(definition.foundationModelId);
      expect(properties?.Instruction).toBe(definition.instruction);
      expect((properties?.ActionGroups ?? []).map((group) => group.ActionGroupName)).toEqual(
        definition.actionGroups,
      );
      expect((properties?.KnowledgeBases ?? []).length).toBe(definition.usesKnowledgeBase ? 1 : 0);
      expect(properties?.GuardrailConfiguration).toBeDefined();
    }
  });

  it('gives every action group the functionSchema of toFunctionSchema and its own Lambda or RETURN_CONTROL', () => {
    for (const [, [, properties]] of agentsByName()) {
      for (const actionGroup of properties.ActionGroups ?? []) {
        const group = ACTION_GROUPS.find((candidate) => candidate.name === actionGroup.ActionGroupName);
        expect(group).toBeDefined();
        if (!group) continue;
        expect(actionGroup.FunctionSchema).toEqual(pascalKeys(toFunctionSchema(group)));
        if (group.executor === 'return-control') {
          expect(actionGroup.ActionGroupExecutor).toEqual({ CustomControl: 'RETURN_CONTROL' });
          continue;
        }
        const functionId = actionGroup.ActionGroupExecutor.Lambda?.['Fn::GetAtt'][0] ?? '';
        expect(String(resources[functionId]?.Properties.Description)).toContain(
          `action group ${group.name}:`,
        );
      }
    }
  });

  it('keeps every function within Bedrock’s default quota of five parameters per function', () => {
    const over = ACTION_GROUPS.flatMap((group) =>
      toFunctionSchema(group)
        .functions.filter((fn) => Object.keys(fn.parameters).length > BEDROCK_MAX_PARAMETERS_PER_FUNCTION)
        .map((fn) => `${group.name}.${fn.name} (${Object.keys(fn.parameters).length})`),
    );
    expect(over).toEqual([]);
  });

  it('keeps every agent within CreateAgent’s limits: instruction 40-20,000 and description 1-200 characters', () => {
    for (const [name, [, properties]] of agentsByName()) {
      expect(properties.Instruction.length, name).toBeGreaterThanOrEqual(40);
      expect(properties.Instruction.length, name).toBeLessThanOrEqual(20_000);
    }
    for (const definition of Object.values(AGENTS)) {
      expect(definition.description.length, definition.name).toBeGreaterThan(0);
      expect(definition.description.length, definition.name).toBeLessThanOrEqual(200);
    }
  });

  it('makes the supervisor collaborate with the specialists through their aliases', () => {
    const agents = agentsByName();
    const [, supervisor] = agents.get('supervisor') ?? [];
    expect(supervisor?.AgentCollaboration).toBe('SUPERVISOR');
    const collaborators = supervisor?.AgentCollaborators ?? [];
    expect(collaborators.map((collaborator) => collaborator.CollaboratorName)).toEqual(
      AGENTS.supervisor.collaborators,
    );
    const aliases = template.findResources('AWS::Bedrock::AgentAlias');
    for (const collaborator of collaborators) {
      const [agentId] = agents.get(collaborator.CollaboratorName) ?? [];
      const aliasId = Object.keys(aliases).find(
        (id) =>
          JSON.stringify(aliases[id]?.Properties.AgentId) ===
          JSON.stringify({ 'Fn::GetAtt': [agentId, 'AgentId'] }),
      );
      expect(collaborator.AgentDescriptor.AliasArn).toEqual({ 'Fn::GetAtt': [aliasId, 'AgentAliasArn'] });
    }
    for (const name of ['classifier', 'root-cause', 'corrective-action']) {
      expect(agents.get(name)?.[1].AgentCollaboration).toBeUndefined();
    }
  });

  it('lets only the agents that call an action group invoke its Lambda', () => {
    const agents = agentsByName();
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    const expected = Object.values(AGENTS).reduce(
      (sum, agent) =>
        sum + agent.actionGroups.filter((name) => LAMBDA_GROUPS.some((group) => group.name === name)).length,
      0,
    );
    expect(permissions).toHaveLength(expected);
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'bedrock.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [expect.any(String), 'AgentArn'] },
      });
      const [agentId] = permission.Properties.SourceArn['Fn::GetAtt'] as [string];
      const functionId = (permission.Properties.FunctionName as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const agent = [...agents.values()].find(([id]) => id === agentId)?.[1];
      expect(
        agent?.ActionGroups?.some(
          (group) => group.ActionGroupExecutor.Lambda?.['Fn::GetAtt'][0] === functionId,
        ),
      ).toBe(true);
    }
  });

  it('lets each agent role invoke only its own model, and no statement allows every resource', () => {
    const agents = agentsByName();
    for (const definition of Object.values(AGENTS)) {
      const [agentId] = agents.get(definition.name) ?? [];
      const roleId = (
        resources[agentId ?? '']?.Properties.AgentResourceRoleArn as { 'Fn::GetAtt': [string] }
      )['Fn::GetAtt'][0];
      const statements = policyStatementsOf(roleId);
      const invoke = statements.find((statement) => statement.Sid === 'InvokeFoundationModel');
      const text = JSON.stringify(invoke?.Resource);
      expect(text).toContain(definition.foundationModelId);
      expect(text).toContain(`foundation-model/${foundationModelIdOf(definition.foundationModelId)}`);
      for (const other of Object.values(AGENTS)) {
        if (
          foundationModelIdOf(other.foundationModelId) !== foundationModelIdOf(definition.foundationModelId)
        )
          expect(text).not.toContain(foundationModelIdOf(other.foundationModelId));
      }
      expect(statements.some((statement) => statement.Sid === 'RetrieveFromKnowledgeBase')).toBe(
        definition.usesKnowledgeBase,
      );
      expect(statements.some((statement) => statement.Sid === 'InvokeCollaborators')).toBe(
        (definition.collaborators ?? []).length > 0,
      );
      expect(statements.every((statement) => statement.Resource !== '*')).toBe(true);
      const actions = statements.flatMap((statement) => [statement.Action].flat());
      expect(actions.every((action) => !action.endsWith('*'))).toBe(true);
    }
  });

  it('applies a guardrail with content filters and a denied prompt-attack topic to every agent', () => {
    template.resourceCountIs('AWS::Bedrock::Guardrail', 1);
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      ContentPolicyConfig: {
        FiltersConfig: Match.arrayWith([Match.objectLike({ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH' })]),
      },
      TopicPolicyConfig: { TopicsConfig: [Match.objectLike({ Type: 'DENY' })] },
    });
    for (const [, [, agent]] of agentsByName()) {
      expect(agent.GuardrailConfiguration).toMatchObject({
        GuardrailIdentifier: { 'Fn::GetAtt': [expect.any(String), 'GuardrailId'] },
        GuardrailVersion: { 'Fn::GetAtt': [expect.any(String), 'Version'] },
      });
    }
  });
});
