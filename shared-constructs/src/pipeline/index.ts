export * from './platform-pipeline-stack';
export * from './pipeline-failure-notification';
export * from './pipeline-source';
export * from './nag-findings';
export * from './pipeline-nag';
export * from './artifact-access-logs';
export * from './steps/change-set-summary';
