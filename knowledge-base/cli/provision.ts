import { parseArgs } from 'node:util';
import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { loadConfig } from '../../domain/index.ts';
import { createOpenSearchClient } from '../opensearch/opensearch-knowledge-base.ts';
import { provisionVectorCollection } from '../opensearch/provision.ts';

/** The collection name when neither --collection nor OPENSEARCH_COLLECTION gives one. */
const DEFAULT_COLLECTION = 'defect-rca-kb';

const USAGE = `Usage: npm run kb:provision -- --principal <IAM ARN> [--principal <IAM ARN> …] [--collection <name>] [--index <name>] [--dimensions <n>]

For accounts that do not use the CDK app: creates the OpenSearch Serverless encryption (AWS-owned
key), network and data-access policies (names within 32 characters), the VECTORSEARCH
collection, waits until it is ACTIVE, then creates the index with the knowledge base's mapping.
What exists is kept, so a re-run completes an interrupted one. Then run
KNOWLEDGE_BASE=opensearch OPENSEARCH_COLLECTION=<name> npm run kb:ingest.
  --principal <arn>   IAM principal given data access (repeat: the operator, the service's role)
  --collection <name> collection name, 3-32 characters (OPENSEARCH_COLLECTION, default ${DEFAULT_COLLECTION})
  --index <name>      index name (OPENSEARCH_INDEX, default rca-knowledge)
  --dimensions <n>    vector dimensions (1024 with EMBEDDER=titan, else EMBEDDING_DIMENSIONS)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      principal: { type: 'string', multiple: true, default: [] },
      collection: { type: 'string' },
      index: { type: 'string' },
      dimensions: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || values.principal.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const dimensions = values.dimensions
    ? Number(values.dimensions)
    : config.embedder === 'titan'
      ? 1024
      : config.embeddingDimensions;
  const client = new OpenSearchServerlessClient({ region: config.awsRegion });
  try {
    const result = await provisionVectorCollection({
      client,
      collectionName: values.collection ?? config.opensearchCollection ?? DEFAULT_COLLECTION,
      principals: values.principal,
      indexName: values.index ?? config.opensearchIndex,
      dimensions,
      openSearchClient: (endpoint) => createOpenSearchClient({ node: endpoint, region: config.awsRegion }),
      onStep: (message) => console.log(message),
    });
    console.log(`OPENSEARCH_ENDPOINT=${result.collectionEndpoint}`);
    return 0;
  } finally {
    client.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
