/** Entry point of the kill tests' worker process: `tsx claim-worker-main.ts '<json arguments>'`. */
import { runClaimWorker } from './claim-worker.ts';

runClaimWorker(JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof runClaimWorker>[0]).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
