import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_CAPACITY, DATABASE_NAME, DATABASE_PORT } from './stacks/database.ts';
import { SYNTH_TIMEOUT_MS, buildTestApp } from './testing.ts';

interface ContainerDefinition {
  Environment: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

describe('ApiDatabase', () => {
  let template: Template;

  beforeAll(() => {
    const { stacks } = buildTestApp();
    template = Template.fromStack(stacks.api);
  }, SYNTH_TIMEOUT_MS);

  function logicalId(type: string, prefix: string): string {
    const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  }

  it('is an encrypted, deletion-protected Aurora PostgreSQL Serverless v2 cluster', () => {
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: Match.stringLikeRegexp('^16\\.'),
      DatabaseName: DATABASE_NAME,
      Port: DATABASE_PORT,
      StorageEncrypted: true,
      DeletionProtection: true,
      EnableIAMDatabaseAuthentication: true,
      BackupRetentionPeriod: 7,
      ServerlessV2ScalingConfiguration: {
        MinCapacity: DATABASE_CAPACITY.min,
        MaxCapacity: DATABASE_CAPACITY.max,
      },
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.serverless',
      Engine: 'aurora-postgresql',
      PubliclyAccessible: false,
    });
  });

  it('keeps the generated credentials in Secrets Manager, attached to the cluster', () => {
    const secret = logicalId('AWS::SecretsManager::Secret', 'DatabaseSecret');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'password',
        SecretStringTemplate: JSON.stringify({ username: DATABASE_NAME, dbname: DATABASE_NAME }),
      }),
    });
    template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
      SecretId: { Ref: secret },
      TargetType: 'AWS::RDS::DBCluster',
    });
  });

  it('gives the container DATABASE_URL and the PG* variables from the cluster’s attached secret', () => {
    const secret = logicalId('AWS::SecretsManager::SecretTargetAttachment', 'DatabaseSecretAttachment');
    const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    const container = (definition?.Properties.ContainerDefinitions as ContainerDefinition[])[0];
    expect(container?.Environment).toEqual(
      expect.arrayContaining([
        { Name: 'DATABASE_URL', Value: 'postgresql://' },
        { Name: 'PGSSLMODE', Value: 'require' },
      ]),
    );
    const fields = {
      PGHOST: 'host',
      PGPORT: 'port',
      PGUSER: 'username',
      PGPASSWORD: 'password',
      PGDATABASE: 'dbname',
    };
    expect(container?.Secrets?.map((variable) => variable.Name).sort()).toEqual(Object.keys(fields).sort());
    for (const [variable, field] of Object.entries(fields)) {
      const entry = container?.Secrets?.find((candidate) => candidate.Name === variable);
      expect(JSON.stringify(entry?.ValueFrom)).toContain(`:${field}::`);
      expect(JSON.stringify(entry?.ValueFrom)).toContain(`{"Ref":"${secret}"}`);
    }
  });

  it('starts the service only after the secret is attached and the writer instance exists', () => {
    const attachment = logicalId('AWS::SecretsManager::SecretTargetAttachment', 'DatabaseSecretAttachment');
    const writer = logicalId('AWS::RDS::DBInstance', 'DatabaseClusterWriter');
    const [service] = Object.values(template.findResources('AWS::ECS::Service'));
    expect(service?.DependsOn).toEqual(expect.arrayContaining([attachment, writer]));
  });

  it('lets the execution role, not the task role, read the secret', () => {
    const secret = logicalId('AWS::SecretsManager::SecretTargetAttachment', 'DatabaseSecretAttachment');
    const executionRole = logicalId('AWS::IAM::Role', 'ApiTaskDefExecutionRole');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: executionRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: { Ref: secret },
          }),
        ]),
      },
    });
  });

  it('admits only the API service security group, on the PostgreSQL port', () => {
    const databaseGroup = logicalId('AWS::EC2::SecurityGroup', 'DatabaseClusterSecurityGroup');
    const serviceGroup = logicalId('AWS::EC2::SecurityGroup', 'ApiServiceSecurityGroup');
    const dbGroup = template.findResources('AWS::EC2::SecurityGroup')[databaseGroup];
    expect(dbGroup?.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes(databaseGroup),
    );
    expect(ingress.map((rule) => rule.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: DATABASE_PORT,
        ToPort: DATABASE_PORT,
        SourceSecurityGroupId: { 'Fn::GetAtt': [serviceGroup, 'GroupId'] },
      }),
    ]);
  });
});
