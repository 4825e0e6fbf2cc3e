import {
  Aws,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_bedrock as bedrock,
  aws_iam as iam,
  aws_opensearchserverless as aoss,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RESOURCE_PREFIX, acknowledge } from '../naming.ts';

/** Names of the fields of the vector index, as Bedrock knowledge bases expect them. */
export const VECTOR_INDEX_FIELDS = {
  vector: 'bedrock-knowledge-base-default-vector',
  text: 'AMAZON_BEDROCK_TEXT_CHUNK',
  metadata: 'AMAZON_BEDROCK_METADATA',
} as const;

/** Name of the vector index in the collection. */
export const VECTOR_INDEX_NAME = 'bedrock-knowledge-base-default-index';

/** Titan Text Embeddings V2: model id and the vector dimension configured for it. */
export const EMBEDDING_MODEL = { id: 'amazon.titan-embed-text-v2:0', dimensions: 1024 } as const;

/** Settings of the knowledge-base stack. */
export interface KnowledgeBaseStackProps extends StackProps {
  /**
   * Extra IAM principal ARNs allowed to read and write the vector index (for example an operator
   * role that runs the ingestion CLI with the `opensearch` adapter).
   */
  readonly indexAdminPrincipalArns?: readonly string[];
  /** Removal policy of the corpus bucket; RETAIN unless told otherwise. */
  readonly corpusRemovalPolicy?: RemovalPolicy;
  /**
   * Standby replicas of the collection in another Availability Zone (true unless told otherwise).
   * They double the floor of the capacity billed while idle: with them, at least 1 OCU for
   * indexing and 1 for search (2 OCUs, about 350 USD a month at us-east-1's 0.24 USD per
   * OCU-hour); without them 0.5 + 0.5 (1 OCU, about 175 USD a month), with no failover to another
   * zone. Turn them off (`-c standbyReplicas=false`) for development and test accounts only.
   */
  readonly standbyReplicas?: boolean;
}

/** Data-access permissions on the index: the knowledge base writes and reads, CloudFormation creates, updates and deletes it. */
export const INDEX_PERMISSIONS = [
  'aoss:DescribeIndex',
  'aoss:CreateIndex',
  'aoss:UpdateIndex',
  'aoss:DeleteIndex',
  'aoss:ReadDocument',
  'aoss:WriteDocument',
] as const;

/**
 * The knowledge base of past defects and SOPs: an S3 corpus bucket, an OpenSearch Serverless
 * vector collection with its policies and Bedrock-compatible index, and the Bedrock knowledge
 * base with its S3 data source. The index is created before the knowledge base.
 */
export class KnowledgeBaseStack extends Stack {
  /** The corpus bucket the data source ingests from. */
  public readonly corpusBucket: s3.Bucket;
  /** The OpenSearch Serverless vector collection. */
  public readonly collection: aoss.CfnCollection;
  /** The Bedrock-compatible vector index. */
  public readonly vectorIndex: aoss.CfnIndex;
  /** The Bedrock knowledge base. */
  public readonly knowledgeBase: bedrock.CfnKnowledgeBase;
  /** The S3 data source of the knowledge base. */
  public readonly dataSource: bedrock.CfnDataSource;
  /** The role Bedrock assumes to embed documents and write the index. */
  public readonly knowledgeBaseRole: iam.Role;

  constructor(scope: Construct, id: string, props: KnowledgeBaseStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.corpusRemovalPolicy ?? RemovalPolicy.RETAIN;

    const accessLogs = new s3.Bucket(this, 'CorpusAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });
    acknowledge(accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the server access log destination; logging it into itself would loop.',
      },
    ]);

    this.corpusBucket = new s3.Bucket(this, 'CorpusBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'corpus/',
      removalPolicy,
    });

    const embeddingModel = bedrock.FoundationModel.fromFoundationModelId(
      this,
      'EmbeddingModel',
      new bedrock.FoundationModelIdentifier(EMBEDDING_MODEL.id),
    );

    this.knowledgeBaseRole = new iam.Role(this, 'KnowledgeBaseRole', {
      description: 'Assumed by Bedrock to embed the corpus and read and write the vector index.',
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:knowledge-base/*`,
          },
        },
      }),
    });
    this.corpusBucket.grantRead(this.knowledgeBaseRole);
    this.knowledgeBaseRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [embeddingModel.modelArn] }),
    );

    const collectionName = `${RESOURCE_PREFIX}-kb`;
    const encryptionPolicy = new aoss.CfnSecurityPolicy(this, 'EncryptionPolicy', {
      name: `${collectionName}-enc`,
      type: 'encryption',
      description: 'Encrypts the knowledge-base collection with an AWS-owned key.',
      policy: JSON.stringify({
        Rules: [{ ResourceType: 'collection', Resource: [`collection/${collectionName}`] }],
        AWSOwnedKey: true,
      }),
    });
    const networkPolicy = new aoss.CfnSecurityPolicy(this, 'NetworkPolicy', {
      name: `${collectionName}-net`,
      type: 'network',
      // Public, because the AWS::OpenSearchServerless::Index resource below is created by
      // CloudFormation over the collection endpoint, and the operator's `opensearch` ingestion
      // CLI runs outside any VPC: a policy allowing only `SourceServices: bedrock.amazonaws.com`
      // would refuse both. Every request still needs SigV4 and a principal of the access policy.
      description:
        'The collection endpoint is reachable over TLS with SigV4 (data access is still governed by the access policy); no dashboards.',
      policy: JSON.stringify([
        {
          Rules: [{ ResourceType: 'collection', Resource: [`collection/${collectionName}`] }],
          AllowFromPublic: true,
        },
      ]),
    });

    this.collection = new aoss.CfnCollection(this, 'Collection', {
      name: collectionName,
      type: 'VECTORSEARCH',
      description: 'Vector store of the defect RCA knowledge base.',
      standbyReplicas: (props.standbyReplicas ?? true) ? 'ENABLED' : 'DISABLED',
    });
    this.collection.addResourceDependency(encryptionPolicy);
    this.collection.addResourceDependency(networkPolicy);

    const cfnExecutionRoleArn =
      this.synthesizer instanceof DefaultStackSynthesizer
        ? Fn.sub(this.synthesizer.cloudFormationExecutionRoleArn)
        : undefined;
    // The service rejects an access policy that names a principal twice.
    const indexPrincipals = [
      ...new Set([
        this.knowledgeBaseRole.roleArn,
        ...(cfnExecutionRoleArn ? [cfnExecutionRoleArn] : []),
        ...(props.indexAdminPrincipalArns ?? []),
      ]),
    ];
    const dataAccessPolicy = new aoss.CfnAccessPolicy(this, 'DataAccessPolicy', {
      name: `${collectionName}-access`,
      type: 'data',
      description:
        'The knowledge-base role and the CloudFormation execution role (which creates the index) may use the index.',
      policy: Stack.of(this).toJsonString([
        {
          Rules: [
            {
              ResourceType: 'collection',
              Resource: [`collection/${collectionName}`],
              Permission: [
                'aoss:DescribeCollectionItems',
                'aoss:CreateCollectionItems',
                'aoss:UpdateCollectionItems',
              ],
            },
            {
              ResourceType: 'index',
              Resource: [`index/${collectionName}/*`],
              Permission: [...INDEX_PERMISSIONS],
            },
          ],
          Principal: indexPrincipals,
        },
      ]),
    });

    this.knowledgeBaseRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: [this.collection.attrArn] }),
    );

    this.vectorIndex = new aoss.CfnIndex(this, 'VectorIndex', {
      collectionEndpoint: this.collection.attrCollectionEndpoint,
      indexName: VECTOR_INDEX_NAME,
      settings: { index: { knn: true, knnAlgoParamEfSearch: 512 } },
      mappings: {
        properties: {
          [VECTOR_INDEX_FIELDS.vector]: {
            type: 'knn_vector',
            dimension: EMBEDDING_MODEL.dimensions,
            method: {
              engine: 'faiss',
              name: 'hnsw',
              spaceType: 'l2',
              parameters: { efConstruction: 512, m: 16 },
            },
          },
          [VECTOR_INDEX_FIELDS.text]: { type: 'text', index: true },
          [VECTOR_INDEX_FIELDS.metadata]: { type: 'text', index: false },
        },
      },
    });
    this.vectorIndex.addResourceDependency(this.collection);
    this.vectorIndex.addResourceDependency(dataAccessPolicy);
    this.vectorIndex.addResourceDependency(networkPolicy);

    this.knowledgeBase = new bedrock.CfnKnowledgeBase(this, 'KnowledgeBase', {
      name: `${RESOURCE_PREFIX}-knowledge-base`,
      description: 'Past defects and SOPs of the cutlery plant, with citations.',
      roleArn: this.knowledgeBaseRole.roleArn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: embeddingModel.modelArn,
          embeddingModelConfiguration: {
            bedrockEmbeddingModelConfiguration: {
              dimensions: EMBEDDING_MODEL.dimensions,
              embeddingDataType: 'FLOAT32',
            },
          },
        },
      },
      storageConfiguration: {
        type: 'OPENSEARCH_SERVERLESS',
        opensearchServerlessConfiguration: {
          collectionArn: this.collection.attrArn,
          vectorIndexName: VECTOR_INDEX_NAME,
          fieldMapping: {
            vectorField: VECTOR_INDEX_FIELDS.vector,
            textField: VECTOR_INDEX_FIELDS.text,
            metadataField: VECTOR_INDEX_FIELDS.metadata,
          },
        },
      },
    });
    this.knowledgeBase.addResourceDependency(this.vectorIndex);
    this.knowledgeBase.addResourceDependency(dataAccessPolicy);
    const rolePolicy = this.knowledgeBaseRole.node.tryFindChild('DefaultPolicy');
    if (rolePolicy) this.knowledgeBase.node.addDependency(rolePolicy);

    this.dataSource = new bedrock.CfnDataSource(this, 'CorpusDataSource', {
      knowledgeBaseId: this.knowledgeBase.attrKnowledgeBaseId,
      name: `${RESOURCE_PREFIX}-corpus`,
      description:
        'Corpus chunks (one object per chunk with its .metadata.json sidecar) written by npm run kb:export-bedrock.',
      dataDeletionPolicy: 'DELETE',
      dataSourceConfiguration: {
        type: 'S3',
        s3Configuration: { bucketArn: this.corpusBucket.bucketArn, inclusionPrefixes: ['chunks/'] },
      },
      vectorIngestionConfiguration: {
        chunkingConfiguration: { chunkingStrategy: 'NONE' },
      },
    });

    acknowledge(this.knowledgeBaseRole, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Bedrock ingestion lists and reads every object of the corpus bucket; the wildcard is scoped to that one bucket.',
        appliesTo: [
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          `Resource::<${this.getLogicalId(this.corpusBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
        ],
      },
    ]);

    new CfnOutput(this, 'KnowledgeBaseId', { value: this.knowledgeBase.attrKnowledgeBaseId });
    new CfnOutput(this, 'DataSourceId', { value: this.dataSource.attrDataSourceId });
    new CfnOutput(this, 'CorpusBucketName', { value: this.corpusBucket.bucketName });
    new CfnOutput(this, 'CollectionEndpoint', { value: this.collection.attrCollectionEndpoint });
  }
}
