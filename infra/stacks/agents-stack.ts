import path from 'node:path';
import {
  Arn,
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_bedrock as bedrock,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { toFunctionSchema, type ActionGroup } from '../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../action-groups/index.ts';
import type { AgentDefinition, AgentId } from '../../agents/definition.ts';
import { AGENTS } from '../../agents/index.ts';
import {
  RESOURCE_PREFIX,
  acknowledge,
  contentHash,
  foundationModelIdOf,
  isInferenceProfileId,
} from '../naming.ts';
import { createGuardrail } from './guardrail.ts';

/** The repository root: the Lambda entries and the lock file are resolved from it. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Name of the stable alias of every agent. */
export const AGENT_ALIAS_NAME = 'live';

/** Modules left out of the Lambda bundles: the SDK ships with the runtime; native modules cannot be bundled. */
export const EXTERNAL_MODULES = [
  '@aws-sdk/*',
  '@libsql/client',
  'libsql',
  'usearch',
  '@node-rs/jieba',
] as const;

/**
 * How each action-group Lambda is bundled: ESM for Node 22, the AWS SDK from the runtime, and
 * the native modules of the embedded knowledge base left out (the Lambdas read Bedrock).
 */
export const ACTION_GROUP_BUNDLING = {
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  externalModules: [...EXTERNAL_MODULES],
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} satisfies nodejs.BundlingOptions;

/** The knowledge base the agents retrieve from. */
export interface AgentKnowledgeBase {
  /** Knowledge base id. */
  readonly id: string;
  /** Knowledge base ARN. */
  readonly arn: string;
}

/** Settings of the agents stack. */
export interface AgentsStackProps extends StackProps {
  /** The Bedrock knowledge base associated with the agents that use one. */
  readonly knowledgeBase: AgentKnowledgeBase;
  /** Agent definitions; the ones in `agents/` unless told otherwise. */
  readonly agents?: Readonly<Record<AgentId, AgentDefinition>>;
  /** Action groups; the ones in `action-groups/` unless told otherwise. */
  readonly actionGroups?: readonly ActionGroup[];
  /** Extra environment of the action-group Lambdas (adapter settings of domain/config.ts). */
  readonly actionGroupEnvironment?: Readonly<Record<string, string>>;
}

/** A deployed agent with its role and stable alias. */
export interface DeployedAgent {
  /** The agent definition it was built from. */
  readonly definition: AgentDefinition;
  /** The agent resource. */
  readonly agent: bedrock.CfnAgent;
  /** Its stable alias. */
  readonly alias: bedrock.CfnAgentAlias;
  /** The role the agent runs with. */
  readonly role: iam.Role;
}

/** What an action-group Lambda reads: the knowledge base and extra adapter settings. */
export interface ActionGroupFunctionProps {
  /** The Bedrock knowledge base the tools retrieve from. */
  readonly knowledgeBase: AgentKnowledgeBase;
  /** Extra environment (adapter settings of domain/config.ts). */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * The Lambda of an action group (`action-groups/<group>/lambda.ts`, bundled for Node 22 on ARM64),
 * which may retrieve from the knowledge base only: a Bedrock agent's action group, or an AgentCore
 * Gateway Lambda target.
 */
export function createActionGroupFunction(
  scope: Construct,
  group: ActionGroup,
  props: ActionGroupFunctionProps,
): nodejs.NodejsFunction {
  const id = pascalCase(group.name);
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const fn = new nodejs.NodejsFunction(scope, `${id}Function`, {
    description: `Bedrock action group ${group.name}: ${group.tools.map((tool) => tool.name).join(', ')}`,
    entry: path.join(PROJECT_ROOT, 'action-groups', group.name, 'lambda.ts'),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 1024,
    timeout: Duration.seconds(30),
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    tracing: lambda.Tracing.ACTIVE,
    environment: {
      POWERTOOLS_SERVICE_NAME: `${RESOURCE_PREFIX}-${group.name}`,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      DATA_DIR: '/tmp/data',
      KNOWLEDGE_BASE: 'bedrock',
      BEDROCK_KNOWLEDGE_BASE_ID: props.knowledgeBase.id,
      KB_AUTO_INGEST: 'false',
      ...props.environment,
    },
    bundling: ACTION_GROUP_BUNDLING,
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RetrieveFromKnowledgeBase',
      actions: ['bedrock:Retrieve'],
      resources: [props.knowledgeBase.arn],
    }),
  );
  acknowledge(fn, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'AWSLambdaBasicExecutionRole only allows writing the function’s own CloudWatch logs; it is the least-privilege managed policy for that.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
      appliesTo: ['Resource::*'],
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned deliberately: it is the LTS line the service is developed and tested on (engines >=20.19); moving to a newer runtime is a tested change.',
    },
  ]);
  return fn;
}

/** The order agents are created in: specialists first, the supervisor after its collaborators. */
const AGENT_ORDER: readonly AgentId[] = ['classifier', 'root-cause', 'corrective-action', 'supervisor'];

/**
 * The Bedrock agents: one Lambda per action group, the three specialists, the supervisor with its
 * collaborators, a stable alias per agent and a guardrail, all built from the definitions in
 * `agents/` and `action-groups/`.
 */
export class AgentsStack extends Stack {
  /** The action-group Lambdas, by action-group name; groups returned to the service have none. */
  public readonly functions: ReadonlyMap<string, nodejs.NodejsFunction>;
  /** The agents, by name. */
  public readonly agents: ReadonlyMap<AgentId, DeployedAgent>;
  /** The guardrail applied to every agent. */
  public readonly guardrail: bedrock.CfnGuardrail;
  /** The pinned guardrail version the agents use. */
  public readonly guardrailVersion: bedrock.CfnGuardrailVersion;

  constructor(scope: Construct, id: string, props: AgentsStackProps) {
    super(scope, id, props);
    const definitions = props.agents ?? AGENTS;
    const groups = props.actionGroups ?? ACTION_GROUPS;

    this.functions = new Map(
      groups
        .filter((group) => (group.executor ?? 'lambda') === 'lambda')
        .map((group) => [group.name, this.actionGroupFunction(group, props)]),
    );
    ({ guardrail: this.guardrail, version: this.guardrailVersion } = createGuardrail(this));

    const agents = new Map<AgentId, DeployedAgent>();
    for (const name of AGENT_ORDER) {
      const definition = definitions[name];
      agents.set(name, this.createAgent(definition, groups, agents, props.knowledgeBase));
    }
    this.agents = agents;
  }

  private actionGroupFunction(group: ActionGroup, props: AgentsStackProps): nodejs.NodejsFunction {
    return createActionGroupFunction(this, group, {
      knowledgeBase: props.knowledgeBase,
      ...(props.actionGroupEnvironment ? { environment: props.actionGroupEnvironment } : {}),
    });
  }

  private createAgent(
    definition: AgentDefinition,
    groups: readonly ActionGroup[],
    deployed: ReadonlyMap<AgentId, DeployedAgent>,
    knowledgeBase: AgentKnowledgeBase,
  ): DeployedAgent {
    const id = pascalCase(definition.name);
    const agentName = `${RESOURCE_PREFIX}-${definition.name}`;
    const agentArnPattern = Arn.format(
      { service: 'bedrock', resource: 'agent', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
      this,
    );
    const role = new iam.Role(this, `${id}AgentRole`, {
      description: `Runs the ${definition.name} Bedrock agent.`,
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': agentArnPattern },
        },
      }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeFoundationModel',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: modelArns(this, definition.foundationModelId),
      }),
    );
    if (isInferenceProfileId(definition.foundationModelId)) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadInferenceProfile',
          actions: ['bedrock:GetInferenceProfile'],
          resources: [inferenceProfileArn(this, definition.foundationModelId)],
        }),
      );
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ApplyGuardrail',
        actions: ['bedrock:ApplyGuardrail'],
        resources: [this.guardrail.attrGuardrailArn],
      }),
    );
    if (definition.usesKnowledgeBase) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'RetrieveFromKnowledgeBase',
          actions: ['bedrock:Retrieve'],
          resources: [knowledgeBase.arn],
        }),
      );
    }

    const collaborators = (definition.collaborators ?? []).map((name) => {
      const collaborator = deployed.get(name);
      if (!collaborator)
        throw new Error(`${definition.name}: collaborator "${name}" is not deployed before it`);
      return collaborator;
    });
    if (collaborators.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'InvokeCollaborators',
          actions: ['bedrock:GetAgentAlias', 'bedrock:InvokeAgent'],
          resources: collaborators.map((collaborator) => collaborator.alias.attrAgentAliasArn),
        }),
      );
    }

    const actionGroups = definition.actionGroups.map((groupName) => {
      const group = groups.find((candidate) => candidate.name === groupName);
      if (!group) throw new Error(`${definition.name}: unknown action group "${groupName}"`);
      return { group, fn: this.functions.get(groupName) };
    });

    const agent = new bedrock.CfnAgent(this, `${id}Agent`, {
      agentName,
      description: definition.description,
      agentResourceRoleArn: role.roleArn,
      foundationModel: definition.foundationModelId,
      instruction: definition.instruction,
      autoPrepare: true,
      idleSessionTtlInSeconds: 1800,
      guardrailConfiguration: {
        guardrailIdentifier: this.guardrail.attrGuardrailId,
        guardrailVersion: this.guardrailVersion.attrVersion,
      },
      actionGroups: actionGroups.map(({ group, fn }) => ({
        actionGroupName: group.name,
        description: group.description,
        actionGroupState: 'ENABLED',
        actionGroupExecutor: fn ? { lambda: fn.functionArn } : { customControl: 'RETURN_CONTROL' },
        functionSchema: toFunctionSchema(group),
      })),
      knowledgeBases: definition.usesKnowledgeBase
        ? [
            {
              knowledgeBaseId: knowledgeBase.id,
              description: 'Past defect reports and SOPs of the plant; cite the passages used.',
              knowledgeBaseState: 'ENABLED',
            },
          ]
        : undefined,
      agentCollaboration: collaborators.length > 0 ? 'SUPERVISOR' : undefined,
      agentCollaborators:
        collaborators.length > 0
          ? collaborators.map((collaborator) => ({
              collaboratorName: collaborator.definition.name,
              collaborationInstruction: collaborator.definition.description,
              agentDescriptor: { aliasArn: collaborator.alias.attrAgentAliasArn },
              relayConversationHistory: 'TO_COLLABORATOR',
            }))
          : undefined,
    });
    const rolePolicy = role.node.tryFindChild('DefaultPolicy');
    if (rolePolicy) agent.node.addDependency(rolePolicy);

    for (const { fn } of actionGroups) {
      fn?.addPermission(`InvokedBy${id}Agent`, {
        principal: new iam.ServicePrincipal('bedrock.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: agent.attrAgentArn,
        sourceAccount: Aws.ACCOUNT_ID,
      });
    }

    const alias = new bedrock.CfnAgentAlias(this, `${id}AgentAlias`, {
      agentId: agent.attrAgentId,
      agentAliasName: AGENT_ALIAS_NAME,
      description: `Configuration ${contentHash({
        definition: { ...definition, outputSchema: undefined },
        actionGroups: actionGroups.map(({ group }) => toFunctionSchema(group)),
        guardrail: this.guardrailVersion.description,
      })}`,
    });

    if (foundationModelIdOf(definition.foundationModelId) !== definition.foundationModelId) {
      acknowledge(role, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'A cross-region inference profile routes each request to the foundation model in any region of its geography; the wildcard is the region of that one model ARN.',
          appliesTo: [foundationModelFinding(definition.foundationModelId)],
        },
      ]);
    }

    new CfnOutput(this, `${id}AgentId`, { value: agent.attrAgentId });
    new CfnOutput(this, `${id}AgentAliasId`, { value: alias.attrAgentAliasId });
    return { definition, agent, alias, role };
  }
}

/** The ARN of a cross-region inference profile in this stack's account and region. */
function inferenceProfileArn(stack: Stack, profileId: string): string {
  return Arn.format(
    {
      service: 'bedrock',
      resource: 'inference-profile',
      resourceName: profileId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    stack,
  );
}

/**
 * The ARNs an agent needs to invoke its model: the foundation model, and for an inference profile
 * also the profile and the model in every region the profile routes to.
 */
export function modelArns(stack: Stack, modelId: string): string[] {
  const foundationModelId = foundationModelIdOf(modelId);
  if (!isInferenceProfileId(modelId)) {
    return [
      Arn.format(
        {
          service: 'bedrock',
          account: '',
          resource: 'foundation-model',
          resourceName: foundationModelId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        },
        stack,
      ),
    ];
  }
  return [
    inferenceProfileArn(stack, modelId),
    `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${foundationModelId}`,
  ];
}

/** The cdk-nag IAM5 finding of the any-region foundation-model ARN behind an inference profile. */
export function foundationModelFinding(modelId: string): string {
  return `Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${foundationModelIdOf(modelId)}`;
}

function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}
