/**
 * What Glue jobs may do to the Data Catalog: the infrastructure grants exactly these actions on the stage
 * database's tables to the job role, and the application's tests check that the job code calls nothing else.
 * A job that needs another catalog call adds it here, so both apps change together.
 */
export const GLUE_CATALOG_ACTIONS = [
  'glue:GetTable',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:BatchCreatePartition',
  'glue:BatchUpdatePartition',
] as const;
