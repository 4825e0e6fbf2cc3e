/**
 * A process of the start-up tests: prepares the embedded knowledge base of the data folder given
 * as its first argument (open and ingest, as the service does at start-up) and prints the ingest
 * summary's counts as JSON.
 */
import { parseConfig } from '../../domain/index.ts';
import { prepareConfiguredKnowledgeBase } from '../open.ts';

const [dataDir] = process.argv.slice(2);
prepareConfiguredKnowledgeBase(parseConfig({ DATA_DIR: dataDir })).then(
  (summary) => {
    console.log(JSON.stringify({ added: summary?.added.length, unchanged: summary?.unchanged }));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
