// Starts the local Bedrock worker from TypeScript source: a worker thread on Node 20 does not run
// the main thread's `--import tsx` hooks, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./bedrock-worker.ts');
