export * from './run-report';
export * from './ledger-item';
