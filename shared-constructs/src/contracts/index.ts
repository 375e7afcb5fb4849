export * from './run-report';
export * from './ledger-item';
export * from './file-metrics';
export * from './manifest';
// The object prefixes every runtime agrees on (naming.ts imports nothing, so no CDK comes with them).
export { S3_PREFIXES } from '../naming';
