import { ASSETS_BUCKET, INPUT_BUCKET, LEDGER_TABLE } from './fakes';

/** The environment the stack gives the function; imported before the handler, which reads it on load. */
Object.assign(process.env, {
  INPUT_BUCKET_NAME: INPUT_BUCKET,
  LEDGER_TABLE_NAME: LEDGER_TABLE,
  ASSETS_BUCKET_NAME: ASSETS_BUCKET,
  MIN_AGE_MINUTES: '240',
  LEDGER_RETENTION_DAYS: '400',
  POWERTOOLS_SERVICE_NAME: 'file-reconciliation',
  POWERTOOLS_METRICS_NAMESPACE: 'glue-etl/dev/reconciliation',
});
