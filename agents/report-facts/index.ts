export { readReportFacts, namedTypes, namesAKindOfFailure, namesAKindOfFailureOf } from './report-facts.ts';
export { summarizeFacts, type ReportFactsSummary } from './summary.ts';
export * from './schema.ts';
