import { ASSETS_BUCKET, JOB_NAME, LEDGER_TABLE } from './events';

/** The environment the stack gives the function; imported before the handler, which reads it on load. */
export const HANDLER_ENV = {
  ASSETS_BUCKET_NAME: ASSETS_BUCKET,
  GLUE_JOB_NAME: JOB_NAME,
  MAX_OBJECTS_PER_MANIFEST: '1000',
  POWERTOOLS_SERVICE_NAME: 'glue-trigger',
  POWERTOOLS_METRICS_NAMESPACE: 'GluePlatform/Trigger',
  LEDGER_TABLE_NAME: LEDGER_TABLE,
  LEDGER_RETENTION_DAYS: '400',
  FILE_METRICS_NAMESPACE: 'glue-platform/dev/files',
};

Object.assign(process.env, HANDLER_ENV);
