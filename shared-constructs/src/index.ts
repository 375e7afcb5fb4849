export * from './compliance';
export * from './config-loader';
export * from './config-schema';
export * from './export-contract';
export * from './manifest';
export * from './name-limits';
export * from './naming';
export * from './regions';
