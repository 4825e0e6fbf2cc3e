import { describeReviewApi } from './testing/review-suite.ts';

describeReviewApi({ name: 'SQLite', openStore: async () => ({ dispose: async () => {} }) });
