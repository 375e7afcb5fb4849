export * from './change-set-summary-step';
export * from './summary-bucket';
export * from './step-env';
export * from './summarize';
export * from './render';
