import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import {
  EMBEDDING_MODEL,
  INDEX_PERMISSIONS,
  KnowledgeBaseStack,
  VECTOR_INDEX_FIELDS,
  VECTOR_INDEX_NAME,
} from './stacks/knowledge-base-stack.ts';
import { SYNTH_TIMEOUT_MS, buildTestApp } from './testing.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;

describe('KnowledgeBaseStack', () => {
  let template: Template;
  let resources: Resources;
  const logicalId = (type: string): string => {
    const ids = Object.keys(template.findResources(type));
    expect(ids).toHaveLength(1);
    return ids[0] ?? '';
  };

  beforeAll(() => {
    // The knowledge-base stack is the same in both agents modes; `none` builds fewer stacks.
    const { stacks } = buildTestApp({ agents: 'none' });
    template = Template.fromStack(stacks.knowledgeBase);
    resources = template.toJSON().Resources as Resources;
  }, SYNTH_TIMEOUT_MS);

  it('creates a vector collection after its encryption and network policies', () => {
    template.resourceCountIs('AWS::OpenSearchServerless::Collection', 1);
    template.hasResourceProperties('AWS::OpenSearchServerless::Collection', { Type: 'VECTORSEARCH' });
    const policies = template.findResources('AWS::OpenSearchServerless::SecurityPolicy');
    const types = Object.values(policies).map((policy) => (policy.Properties as { Type: string }).Type);
    expect(types.sort()).toEqual(['encryption', 'network']);
    const collection = resources[logicalId('AWS::OpenSearchServerless::Collection')];
    expect(collection?.DependsOn).toEqual(expect.arrayContaining(Object.keys(policies)));
    template.resourceCountIs('AWS::OpenSearchServerless::AccessPolicy', 1);
  });

  it('maps the vector index the way Bedrock knowledge bases expect it', () => {
    template.hasResourceProperties('AWS::OpenSearchServerless::Index', {
      IndexName: VECTOR_INDEX_NAME,
      Settings: { Index: { Knn: true } },
      Mappings: {
        Properties: {
          [VECTOR_INDEX_FIELDS.vector]: {
            Type: 'knn_vector',
            Dimension: EMBEDDING_MODEL.dimensions,
            Method: { Engine: 'faiss', Name: 'hnsw' },
          },
          [VECTOR_INDEX_FIELDS.text]: { Type: 'text', Index: true },
          [VECTOR_INDEX_FIELDS.metadata]: { Type: 'text', Index: false },
        },
      },
    });
  });

  it('creates the index before the knowledge base, and the knowledge base before its data source', () => {
    const index = logicalId('AWS::OpenSearchServerless::Index');
    const accessPolicy = logicalId('AWS::OpenSearchServerless::AccessPolicy');
    const knowledgeBase = logicalId('AWS::Bedrock::KnowledgeBase');
    expect(resources[index]?.DependsOn).toEqual(
      expect.arrayContaining([logicalId('AWS::OpenSearchServerless::Collection'), accessPolicy]),
    );
    expect(resources[knowledgeBase]?.DependsOn).toEqual(expect.arrayContaining([index, accessPolicy]));
    template.hasResourceProperties('AWS::Bedrock::DataSource', {
      KnowledgeBaseId: { 'Fn::GetAtt': [knowledgeBase, 'KnowledgeBaseId'] },
      DataSourceConfiguration: { Type: 'S3' },
    });
  });

  it('points the knowledge base at the index fields and Titan v2 with 1024 dimensions', () => {
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      KnowledgeBaseConfiguration: {
        Type: 'VECTOR',
        VectorKnowledgeBaseConfiguration: {
          EmbeddingModelArn: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(EMBEDDING_MODEL.id)])]),
          }),
          EmbeddingModelConfiguration: {
            BedrockEmbeddingModelConfiguration: { Dimensions: EMBEDDING_MODEL.dimensions },
          },
        },
      },
      StorageConfiguration: {
        Type: 'OPENSEARCH_SERVERLESS',
        OpensearchServerlessConfiguration: {
          VectorIndexName: VECTOR_INDEX_NAME,
          FieldMapping: {
            VectorField: VECTOR_INDEX_FIELDS.vector,
            TextField: VECTOR_INDEX_FIELDS.text,
            MetadataField: VECTOR_INDEX_FIELDS.metadata,
          },
        },
      },
    });
  });

  it('ingests the exported chunks as they are: no re-chunking, only the chunks/ prefix', () => {
    template.hasResourceProperties('AWS::Bedrock::DataSource', {
      DataSourceConfiguration: { S3Configuration: { InclusionPrefixes: ['chunks/'] } },
      VectorIngestionConfiguration: { ChunkingConfiguration: { ChunkingStrategy: 'NONE' } },
    });
  });

  it('keeps the corpus in an encrypted, versioned, SSL-only bucket with access logs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'corpus/' }),
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it('lets the knowledge-base role read the corpus, embed with Titan and use only its collection', () => {
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith('KnowledgeBaseRole'),
    );
    expect(JSON.stringify(role?.[1].Properties)).toContain('bedrock.amazonaws.com');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role?.[0] }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'bedrock:InvokeModel' }),
          Match.objectLike({
            Action: 'aoss:APIAccessAll',
            Resource: { 'Fn::GetAtt': [logicalId('AWS::OpenSearchServerless::Collection'), 'Arn'] },
          }),
        ]),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Array<{ Resource: unknown }> } }).PolicyDocument
          .Statement,
    );
    expect(statements.every((statement) => statement.Resource !== '*')).toBe(true);
  });

  it('grants the index data access to the knowledge-base role and the CloudFormation execution role', () => {
    const policy = JSON.stringify(template.findResources('AWS::OpenSearchServerless::AccessPolicy'));
    expect(policy).toContain('KnowledgeBaseRole');
    expect(policy).toContain('cfn-exec-role');
  });
});

describe('KnowledgeBaseStack settings', () => {
  const OPERATOR = 'arn:aws:iam::123456789012:role/kb-operator';

  it('lets CloudFormation delete the index, and names each principal once', () => {
    const app = new App();
    const stack = new KnowledgeBaseStack(app, 'Kb', { indexAdminPrincipalArns: [OPERATOR, OPERATOR] });
    const template = Template.fromStack(stack);
    const policy = JSON.stringify(template.findResources('AWS::OpenSearchServerless::AccessPolicy'));
    expect(policy).toContain('aoss:DeleteIndex');
    expect(INDEX_PERMISSIONS).toContain('aoss:DeleteIndex');
    expect(policy.split(OPERATOR)).toHaveLength(2);
  });

  it('keeps standby replicas unless told otherwise (they double the idle capacity)', () => {
    const standbyOf = (props: { standbyReplicas?: boolean }): unknown =>
      Object.values(
        Template.fromStack(new KnowledgeBaseStack(new App(), 'Kb', props)).findResources(
          'AWS::OpenSearchServerless::Collection',
        ),
      )[0]?.Properties.StandbyReplicas;
    expect(standbyOf({})).toBe('ENABLED');
    expect(standbyOf({ standbyReplicas: false })).toBe('DISABLED');
  });

  it('reads standbyReplicas from the context', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { stacks } = buildTestApp({ agents: 'none', standbyReplicas: 'false' });
    Template.fromStack(stacks.knowledgeBase).hasResourceProperties('AWS::OpenSearchServerless::Collection', {
      StandbyReplicas: 'DISABLED',
    });
    expect(() => buildTestApp({ agents: 'none', standbyReplicas: 'maybe' })).toThrow(
      /standbyReplicas must be true or false/,
    );
  });
});
