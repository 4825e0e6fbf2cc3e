import type { Facility } from '../../domain/index.ts';
import type { aws_lambda as lambda } from 'aws-cdk-lib';
import {
  CfnOutput,
  Stack,
  type StackProps,
  aws_bedrockagentcore as agentcore,
  aws_iam as iam,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ActionGroup } from '../../action-groups/action-group.ts';
import { ACTION_GROUPS } from '../../action-groups/index.ts';
import { acknowledge, RESOURCE_PREFIX } from '../naming.ts';
import { createActionGroupFunction, foundationModelFinding, modelArns } from './agents-stack.ts';
import { gatewayTool } from './gateway-tools.ts';
import { createGuardrail, type ServiceGuardrail } from './guardrail.ts';

/** Name of the AgentCore Runtime (letters, digits and underscores, up to 48). */
export const AGENTCORE_RUNTIME_NAME = 'defect_rca_agents';

/** Name of the runtime endpoint the API invokes (its `AGENTCORE_QUALIFIER`). */
export const AGENTCORE_ENDPOINT_NAME = 'production';

/** Port of the entry point in the container, as the AgentCore Runtime HTTP contract requires. */
export const AGENTCORE_CONTAINER_PORT = 8080;

/** Settings of the AgentCore stack. */
export interface AgentCoreStackProps extends StackProps {
  /** The container image: `infra/docker/api.Dockerfile` built with `--target agentcore` for linux/arm64. */
  readonly artifact: agentcore.AgentRuntimeArtifact;
  /** The Bedrock knowledge base the hosted agents' tools retrieve from. */
  readonly knowledgeBase: { readonly id: string; readonly arn: string };
  /** The foundation model (or inference profile) ids the hosted agents converse with. */
  readonly foundationModelIds: readonly string[];
  /** Each model call's limit in the runtime (`AGENT_CALL_TIMEOUT_MS`). */
  readonly agentCallTimeoutMs: number;
  /** Adapter settings of domain/config.ts passed to the runtime. */
  readonly environment?: Readonly<Record<string, string>>;
  /** The action groups served through the Gateway; the ones of `action-groups/` run by a Lambda by default. */
  readonly actionGroups?: readonly ActionGroup[];
  /**
   * The one facility the Gateway's tools may read (`GATEWAY_FACILITY` of their Lambdas); unset, a
   * Gateway call reads every facility.
   */
  readonly gatewayFacility?: Facility;
}

/**
 * The agents on Amazon Bedrock AgentCore Runtime (`-c agents=agentcore`): the entry point of
 * `agents/runtime/agentcore/` in an ARM64 image, running the classifier, root-cause analyst and
 * corrective-action planner over Bedrock Converse with the guardrail and the Bedrock knowledge
 * base; a `production` endpoint the API invokes (AGENT_RUNTIME=agentcore); and an execution role
 * that may invoke only the agents' models, retrieve only from the knowledge base and apply only
 * the guardrail, besides the logs, traces, metrics and image pull the runtime needs. The
 * action-group Lambdas are served as MCP tools through an AgentCore Gateway (IAM authorization).
 */
export class AgentCoreStack extends Stack {
  /** The AgentCore Runtime. */
  public readonly runtime: agentcore.Runtime;
  /** The endpoint the API invokes. */
  public readonly endpoint: agentcore.RuntimeEndpoint;
  /** The guardrail every Converse call of the hosted agents applies. */
  public readonly guardrail: ServiceGuardrail;
  /** The AgentCore Gateway serving the action-group Lambdas as MCP tools, with IAM authorization. */
  public readonly gateway: agentcore.Gateway;

  constructor(scope: Construct, id: string, props: AgentCoreStackProps) {
    super(scope, id, props);
    this.guardrail = createGuardrail(this);

    this.runtime = new agentcore.Runtime(this, 'Runtime', {
      runtimeName: AGENTCORE_RUNTIME_NAME,
      description: 'Defect RCA: the classifier, root-cause analyst and corrective-action planner.',
      agentRuntimeArtifact: props.artifact,
      protocolConfiguration: agentcore.ProtocolType.HTTP,
      networkConfiguration: agentcore.RuntimeNetworkConfiguration.usingPublicNetwork(),
      environmentVariables: {
        HOST: '0.0.0.0',
        AGENTCORE_PORT: String(AGENTCORE_CONTAINER_PORT),
        LOG_LEVEL: 'info',
        AWS_REGION: this.region,
        AGENT_RUNTIME: 'local',
        MODEL: 'converse',
        BEDROCK_GUARDRAIL_ID: this.guardrail.guardrail.attrGuardrailId,
        BEDROCK_GUARDRAIL_VERSION: this.guardrail.version.attrVersion,
        KNOWLEDGE_BASE: 'bedrock',
        BEDROCK_KNOWLEDGE_BASE_ID: props.knowledgeBase.id,
        KB_AUTO_INGEST: 'false',
        AGENT_CALL_TIMEOUT_MS: String(props.agentCallTimeoutMs),
        ...props.environment,
      },
    });
    this.endpoint = this.runtime.addEndpoint(AGENTCORE_ENDPOINT_NAME, {
      description: 'The endpoint the defect RCA API invokes.',
    });

    const models = [...new Set(props.foundationModelIds)];
    this.runtime.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ConverseWithModels',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: models.flatMap((model) => modelArns(this, model)),
      }),
    );
    this.runtime.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RetrieveFromKnowledgeBase',
        actions: ['bedrock:Retrieve'],
        resources: [props.knowledgeBase.arn],
      }),
    );
    this.runtime.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ApplyGuardrail',
        actions: ['bedrock:ApplyGuardrail'],
        resources: [this.guardrail.guardrail.attrGuardrailArn],
      }),
    );

    acknowledge(this.runtime.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The AgentCore Runtime execution role of the AgentCore documentation, generated by the Runtime construct: the runtime writes its logs under /aws/bedrock-agentcore/runtimes/*, logs:DescribeLogGroups, ecr:GetAuthorizationToken and the X-Ray actions have no resource-level permissions, CloudWatch metrics are limited to the bedrock-agentcore namespace by condition, and workload identities are created per session under the default directory.',
        appliesTo: [
          'Resource::*',
          `Resource::arn:<AWS::Partition>:logs:${this.region}:<AWS::AccountId>:log-group:*`,
          `Resource::arn:<AWS::Partition>:logs:${this.region}:<AWS::AccountId>:log-group:/aws/bedrock-agentcore/runtimes/*`,
          `Resource::arn:<AWS::Partition>:logs:${this.region}:<AWS::AccountId>:log-group:/aws/bedrock-agentcore/runtimes/*:log-stream:*`,
          `Resource::arn:<AWS::Partition>:bedrock-agentcore:${this.region}:<AWS::AccountId>:workload-identity-directory/default/workload-identity/*`,
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'A cross-region inference profile routes each request to the foundation model in any region of its geography; the wildcard is the region of those model ARNs.',
        appliesTo: [...new Set(models.map((model) => foundationModelFinding(model)))],
      },
    ]);

    // The action groups for any MCP client, through a Gateway: one Lambda target per action group,
    // its tools described from the same zod schemas. A Gateway call carries no caller facility, so
    // the tools read the deployment's facility (`gatewayFacility`) or, unset, every facility: IAM
    // authorization keeps the Gateway to principals granted bedrock-agentcore:InvokeGateway
    // (operators); facility-scoped callers use the API's MCP server or a Gateway deployed for their
    // facility.
    this.gateway = new agentcore.Gateway(this, 'Gateway', {
      gatewayName: `${RESOURCE_PREFIX}-tools`,
      description: 'Defect RCA action groups as MCP tools (similar defects, SOPs, process windows, CAPA).',
      authorizerConfiguration: agentcore.GatewayAuthorizer.usingAwsIam(),
    });
    const groups = (props.actionGroups ?? ACTION_GROUPS).filter(
      (group) => (group.executor ?? 'lambda') === 'lambda',
    );
    const functionFindings: string[] = [];
    for (const group of groups) {
      const fn = createActionGroupFunction(this, group, {
        knowledgeBase: props.knowledgeBase,
        ...(props.gatewayFacility ? { environment: { GATEWAY_FACILITY: props.gatewayFacility } } : {}),
      });
      functionFindings.push(
        `Resource::<${this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*`,
      );
      this.gateway.addLambdaTarget(`${fn.node.id}Target`, {
        gatewayTargetName: group.name,
        description: group.description.slice(0, 200),
        lambdaFunction: fn,
        toolSchema: agentcore.ToolSchema.fromInline(group.tools.map(gatewayTool)),
      });
    }

    acknowledge(this.gateway.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The Gateway may invoke each action-group function and its versions (the Lambda target grant of the Gateway construct); no other function.',
        appliesTo: functionFindings,
      },
    ]);

    new CfnOutput(this, 'AgentRuntimeArn', { value: this.runtime.agentRuntimeArn });
    new CfnOutput(this, 'AgentRuntimeEndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'GatewayUrl', { value: this.gateway.gatewayUrl ?? '' });
  }
}
