export * from './vocabulary.ts';
export * from './inspection-report.ts';
export * from './analysis.ts';
export * from './errors.ts';
export * from './config.ts';
export * from './secrets.ts';
export * from './aws-errors.ts';
export * from './glossary/glossary.ts';
