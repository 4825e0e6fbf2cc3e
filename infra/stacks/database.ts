import { Duration, aws_ec2 as ec2, aws_ecs as ecs, aws_rds as rds } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from '../naming.ts';

/** Name of the database, and of its master user, in the Aurora cluster. */
export const DATABASE_NAME = 'rca';

/** PostgreSQL's port, which only the API service may reach. */
export const DATABASE_PORT = 5432;

/** Aurora Serverless v2 capacity range, in ACUs. */
export const DATABASE_CAPACITY = { min: 0.5, max: 4 } as const;

/** Settings of {@link ApiDatabase}. */
export interface ApiDatabaseProps {
  /** The VPC the cluster runs in (its private subnets with egress). */
  readonly vpc: ec2.IVpc;
}

/**
 * The API's PostgreSQL store: an encrypted Aurora Serverless v2 cluster in the private subnets,
 * its master credentials generated in Secrets Manager. Nothing may reach it until
 * {@link ApiDatabase.connectService} opens port 5432 to a service.
 */
export class ApiDatabase extends Construct {
  /** The Aurora PostgreSQL cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /**
   * The master credentials (`username`, `password`, `dbname`); the cluster's attached secret
   * (`cluster.secret`) adds `host`, `port` and `engine` once the cluster exists.
   */
  public readonly secret: rds.DatabaseSecret;

  constructor(scope: Construct, id: string, props: ApiDatabaseProps) {
    super(scope, id);

    // Generated here rather than by `Credentials.fromGeneratedSecret` so that the secret also
    // carries `dbname`, which the container reads as PGDATABASE.
    this.secret = new rds.DatabaseSecret(this, 'Secret', {
      username: DATABASE_NAME,
      dbname: DATABASE_NAME,
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.VER_16_6,
      }),
      credentials: rds.Credentials.fromSecret(this.secret),
      defaultDatabaseName: DATABASE_NAME,
      port: DATABASE_PORT,
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: DATABASE_CAPACITY.min,
      serverlessV2MaxCapacity: DATABASE_CAPACITY.max,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      storageEncrypted: true,
      deletionProtection: true,
      iamAuthentication: true,
      backup: { retention: Duration.days(7) },
      cloudwatchLogsExports: ['postgresql'],
    });

    acknowledge(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'ECS injects the password into the API tasks at start; single-user rotation would break their new connections until a redeploy, so the password is rotated with a planned redeploy instead.',
      },
    ]);
  }

  /**
   * Lets a Fargate service reach the cluster on its port and gives its container the connection:
   * `DATABASE_URL=postgresql://` with the parts from PG* variables read from the cluster's
   * attached secret (the execution role is granted read on it) and TLS required. The service
   * waits for the attachment and the writer instance: before the attachment, the secret holds no
   * `host` and `port`, and before the writer, nothing answers on them.
   */
  public connectService(service: ecs.FargateService, container: ecs.ContainerDefinition): void {
    const attachedSecret = this.cluster.secret;
    if (!attachedSecret) throw new Error('The database cluster has no attached secret.');
    this.cluster.connections.allowFrom(service, ec2.Port.tcp(DATABASE_PORT), 'The API service');
    container.addEnvironment('DATABASE_URL', 'postgresql://');
    container.addEnvironment('PGSSLMODE', 'require');
    const fields = {
      PGHOST: 'host',
      PGPORT: 'port',
      PGUSER: 'username',
      PGPASSWORD: 'password',
      PGDATABASE: 'dbname',
    } as const;
    for (const [variable, field] of Object.entries(fields))
      container.addSecret(variable, ecs.Secret.fromSecretsManager(attachedSecret, field));
    // Only the service resource: its security group is referenced by the cluster's ingress rule.
    const serviceResource = service.node.defaultChild;
    if (!serviceResource) throw new Error('The Fargate service has no CloudFormation resource.');
    serviceResource.node.addDependency(this.cluster, attachedSecret);
  }
}
