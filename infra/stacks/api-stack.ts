import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_ecs_patterns as patterns,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_logs as logs,
  aws_s3 as s3,
  aws_certificatemanager as acm,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AgentId } from '../../agents/definition.ts';
import { acknowledge } from '../naming.ts';
import { foundationModelFinding, modelArns } from './agents-stack.ts';
import { ApiDatabase } from './database.ts';
import { createGuardrail, type ServiceGuardrail } from './guardrail.ts';

/** An agent the API may invoke through its stable alias. */
export interface ApiAgentReference {
  /** Agent id. */
  readonly agentId: string;
  /** Alias id. */
  readonly aliasId: string;
  /** Alias ARN. */
  readonly aliasArn: string;
  /** Foundation model (or inference profile) id, for the Converse path. */
  readonly foundationModelId: string;
}

/**
 * How the API runs its agents: through the deployed Bedrock agents (`-c agents=classic`), in
 * process with the local runtime over Bedrock Converse (`-c agents=none`: accounts that cannot
 * create Bedrock Agents), or on an AgentCore Runtime (`-c agents=agentcore`). With the local
 * runtime the API stack owns the guardrail and applies it to every Converse call.
 */
export type ApiAgentRuntime =
  | {
      readonly kind: 'bedrock-agents';
      /** The deployed agents, by name. */
      readonly agents: Readonly<Partial<Record<AgentId, ApiAgentReference>>>;
    }
  | {
      readonly kind: 'local';
      /** The foundation model (or inference profile) ids the agents converse with. */
      readonly foundationModelIds: readonly string[];
    }
  | {
      readonly kind: 'agentcore';
      /** The AgentCore Runtime that hosts the agents (`-c agents=agentcore`). */
      readonly runtimeArn: string;
      /** The endpoint the API invokes: its name (the qualifier) and ARN. */
      readonly endpointName: string;
      readonly endpointArn: string;
    };

/** `AGENT_CALL_TIMEOUT_MS` of the service: a hosted model's root-cause answer (about 2k tokens) can outlast the 30-second default. */
export const HOSTED_AGENT_CALL_TIMEOUT_MS = 180_000;

/** Settings of the API stack. */
export interface ApiStackProps extends StackProps {
  /** The deployed agents, or the local runtime over Converse. */
  readonly agentRuntime: ApiAgentRuntime;
  /** The Bedrock knowledge base the API retrieves from. */
  readonly knowledgeBase: { readonly id: string; readonly arn: string };
  /** The container image; built from `infra/docker/api.Dockerfile` at the repository root unless given. */
  readonly image: ecs.ContainerImage;
  /** ACM certificate for HTTPS; without it the load balancer listens on HTTP only. */
  readonly certificateArn?: string;
  /** Adapter settings of domain/config.ts passed to the container. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Seconds the load balancer keeps an idle connection: long analyses and SSE streams stay open. */
export const API_IDLE_TIMEOUT_SECONDS = 900;

/** Name of the API container (ECS Exec sessions name it: `--container web`). */
export const API_CONTAINER_NAME = 'web';

/** Port the API container listens on. */
export const API_CONTAINER_PORT = 3000;

/**
 * The HTTP API on Fargate behind an Application Load Balancer: long synchronous analyses and
 * server-sent event streams outlive API Gateway's 30-second integration timeout, and the service
 * keeps warm in-process state (knowledge-base index, rate limits) between requests.
 */
export class ApiStack extends Stack {
  /** The load-balanced Fargate service. */
  public readonly service: patterns.ApplicationLoadBalancedFargateService;
  /** The role the API container runs with. */
  public readonly taskRole: iam.Role;
  /** The Aurora PostgreSQL store of the API. */
  public readonly database: ApiDatabase;
  /** The guardrail the Converse calls apply, when the API runs the agents itself (`-c agents=none`). */
  public readonly guardrail?: ServiceGuardrail;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });

    // ECS Exec is how an operator creates the first API key (AUTH=required and the database is
    // private): every session's commands and output are logged to this group.
    const executeCommandLogs = new logs.LogGroup(this, 'ExecuteCommandLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      executeCommandConfiguration: {
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: { cloudWatchLogGroup: executeCommandLogs },
      },
    });

    this.taskRole = new iam.Role(this, 'TaskRole', {
      description: 'Runs the defect RCA API container.',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const runtime = props.agentRuntime;
    const agents =
      runtime.kind === 'bedrock-agents'
        ? (Object.entries(runtime.agents) as Array<[AgentId, ApiAgentReference]>)
        : [];
    if (agents.length > 0) {
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'InvokeAgents',
          actions: ['bedrock:InvokeAgent'],
          resources: agents.map(([, agent]) => agent.aliasArn),
        }),
      );
    }
    const models = [
      ...new Set(
        runtime.kind === 'bedrock-agents'
          ? agents.map(([, agent]) => agent.foundationModelId)
          : runtime.kind === 'local'
            ? runtime.foundationModelIds
            : [],
      ),
    ];
    if (models.length > 0) {
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ConverseWithModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: models.flatMap((model) => modelArns(this, model)),
        }),
      );
    }
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RetrieveFromKnowledgeBase',
        actions: ['bedrock:Retrieve'],
        resources: [props.knowledgeBase.arn],
      }),
    );

    let agentEnvironment: Record<string, string>;
    if (runtime.kind === 'bedrock-agents') {
      agentEnvironment = {
        AGENT_RUNTIME: 'bedrock-agents',
        BEDROCK_AGENTS: Stack.of(this).toJsonString(
          Object.fromEntries(
            agents.map(([name, agent]) => [name, { agentId: agent.agentId, agentAliasId: agent.aliasId }]),
          ),
        ),
      };
    } else if (runtime.kind === 'agentcore') {
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'InvokeAgentRuntime',
          actions: ['bedrock-agentcore:InvokeAgentRuntime'],
          resources: [runtime.runtimeArn, runtime.endpointArn],
        }),
      );
      agentEnvironment = {
        AGENT_RUNTIME: 'agentcore',
        AGENTCORE_RUNTIME_ARN: runtime.runtimeArn,
        AGENTCORE_QUALIFIER: runtime.endpointName,
      };
    } else {
      this.guardrail = createGuardrail(this);
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ApplyGuardrail',
          actions: ['bedrock:ApplyGuardrail'],
          resources: [this.guardrail.guardrail.attrGuardrailArn],
        }),
      );
      agentEnvironment = {
        AGENT_RUNTIME: 'local',
        MODEL: 'converse',
        BEDROCK_GUARDRAIL_ID: this.guardrail.guardrail.attrGuardrailId,
        BEDROCK_GUARDRAIL_VERSION: this.guardrail.version.attrVersion,
      };
    }

    const logGroup = new logs.LogGroup(this, 'ApiLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const certificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;

    this.service = new patterns.ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      cpu: 1024,
      memoryLimitMiB: 2048,
      desiredCount: 1,
      minHealthyPercent: 100,
      publicLoadBalancer: true,
      idleTimeout: Duration.seconds(API_IDLE_TIMEOUT_SECONDS),
      circuitBreaker: { rollback: true },
      enableExecuteCommand: true,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      ...(certificate
        ? {
            certificate,
            protocol: elbv2.ApplicationProtocol.HTTPS,
            redirectHTTP: true,
            sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          }
        : {}),
      taskImageOptions: {
        image: props.image,
        containerName: API_CONTAINER_NAME,
        containerPort: API_CONTAINER_PORT,
        taskRole: this.taskRole,
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logGroup }),
        environment: {
          HOST: '0.0.0.0',
          PORT: String(API_CONTAINER_PORT),
          AUTH: 'required',
          LOG_LEVEL: 'info',
          AWS_REGION: Stack.of(this).region,
          KNOWLEDGE_BASE: 'bedrock',
          BEDROCK_KNOWLEDGE_BASE_ID: props.knowledgeBase.id,
          KB_AUTO_INGEST: 'false',
          AGENT_CALL_TIMEOUT_MS: String(HOSTED_AGENT_CALL_TIMEOUT_MS),
          ...agentEnvironment,
          ...props.environment,
        },
      },
    });
    this.database = new ApiDatabase(this, 'Database', { vpc });
    const container = this.service.taskDefinition.defaultContainer;
    if (!container) throw new Error('The API task definition has no container.');
    this.database.connectService(this.service.service, container);

    this.service.targetGroup.configureHealthCheck({
      path: '/health',
      healthyHttpCodes: '200',
      interval: Duration.seconds(30),
    });

    const accessLogs = new s3.Bucket(this, 'LoadBalancerAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.service.loadBalancer.logAccessLogs(accessLogs, 'alb');
    acknowledge(accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the load balancer access log destination; logging it into itself would loop.',
      },
    ]);

    acknowledge(this.service.loadBalancer, [
      {
        id: 'AwsSolutions-EC23',
        reason: 'The API is public by design; requests are authenticated with API keys by the service.',
      },
    ]);
    acknowledge(this.service.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'The environment holds adapter settings and resource ids only; the database credentials are injected as ECS secrets.',
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The execution role’s GetAuthorizationToken statement is generated by CDK; that ECR action does not support resource-level permissions.',
        appliesTo: ['Resource::*'],
      },
    ]);
    acknowledge(this.taskRole, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'ECS Exec (how the first API key is created): the ssmmessages channel actions and logs:DescribeLogGroups do not support resource-level permissions, and the session log streams are named at run time within the one ECS Exec log group; CDK generates these statements.',
        appliesTo: [
          'Resource::*',
          `Resource::arn:<AWS::Partition>:logs:${Stack.of(this).region}:<AWS::AccountId>:log-group:<${Stack.of(this).getLogicalId(executeCommandLogs.node.defaultChild as logs.CfnLogGroup)}>:*`,
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'A cross-region inference profile routes each request to the foundation model in any region of its geography; the wildcard is the region of those model ARNs.',
        appliesTo: [...new Set(models.map((model) => foundationModelFinding(model)))],
      },
    ]);

    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'ApiUrl', {
      value: `${certificate ? 'https' : 'http'}://${this.service.loadBalancer.loadBalancerDnsName}`,
    });
  }
}
