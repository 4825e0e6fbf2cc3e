import type { Logger } from 'pino';
import type { Orchestrator } from '../../agents/orchestrator/orchestrator.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import type { AnalysisSlots } from './analysis-slots.ts';
import type { AnalysisWorker } from './analysis-worker.ts';
import type { ReviewLearning } from './review.ts';

/** What the use cases work with; built once at start-up and injected, so tests can swap any of it. */
export interface ServiceDependencies {
  store: AnalysisStore;
  knowledgeBase: KnowledgeBase;
  orchestrator: Orchestrator;
  /** Admission control of synchronous analyses (`ANALYSIS_CONCURRENCY`, `ANALYSIS_QUEUE_LIMIT`). */
  analysisSlots: AnalysisSlots;
  imageStore: ImageStore;
  /** Whether the configured model accepts images. */
  visionAvailable: boolean;
  logger: Logger;
  now: () => Date;
  /** Hears of every review of a production analysis (the learning loop); none by default. */
  learning?: ReviewLearning;
  /** This process' worker: it runs claimed analyses and renews the leases of those this process runs. */
  worker: AnalysisWorker;
  /** Random bytes, injected so that defect ids are deterministic in tests. */
  randomBytes: (size: number) => Uint8Array;
}
