export * from './run-report';
export * from './ledger-item';
export * from './file-metrics';
export * from './manifest';
