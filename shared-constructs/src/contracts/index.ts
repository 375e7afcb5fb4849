export * from './run-report';
