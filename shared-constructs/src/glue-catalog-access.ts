/**
 * What Glue jobs may do to the Data Catalog: the infrastructure grants exactly these actions on the stage's
 * catalog, database and the database's tables to the job role. The jobs never call the Glue API themselves (the
 * application's tests check that no job code makes a boto3 Glue client or a partition call); Iceberg's
 * `org.apache.iceberg.aws.glue.GlueCatalog` (1.10, the version Glue 5.1 ships) does, for file_processor (create
 * tables, evolve their schema, commit snapshots) and table_maintenance (list the tables, compact, expire
 * snapshots, remove orphan files). Iceberg tables have hidden partitions in their own metadata, so no partition
 * action is needed; DeleteTable is left out because the jobs never drop a table (GlueCatalog calls it only for
 * dropTable, renameTable and a failed create with Lake Formation, none of which the platform uses). A new
 * catalog call is added here, so both apps change together.
 */
export const GLUE_CATALOG_ACTIONS = [
  // loadNamespaceMetadata and namespaceExists (listTables checks the namespace first), and
  // defaultWarehouseLocation on createTable, which reads the database's LocationUri.
  'glue:GetDatabase',
  // loadTable and every refresh (GlueTableOperations.doRefresh), and again inside each commit to read the
  // current metadata location and the table's VersionId for the optimistic lock.
  'glue:GetTable',
  // listTables: table_maintenance finds the database's Iceberg tables with paginated GetTables.
  'glue:GetTables',
  // The first commit of a new table (GlueTableOperations.persistGlueTable with no existing Glue table).
  'glue:CreateTable',
  // Every later commit (appends, overwrites, schema evolution, compaction, snapshot expiry): UpdateTable with
  // the VersionId read before it, so a concurrent commit fails instead of being overwritten.
  'glue:UpdateTable',
] as const;
