import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

import { GLUE_CATALOG_ACTIONS } from '@glue-platform/shared-constructs';

/**
 * The jobs reach the Data Catalog only through Iceberg's GlueCatalog, so the role's catalog actions are the ones
 * GlueCatalog needs (GLUE_CATALOG_ACTIONS, granted by infrastructure-repo/lib/roles/glue-job-role.ts and checked
 * against the synthesized role in infrastructure-repo/test/roles.test.ts). Job code that made its own Glue client
 * or managed partitions would need actions the role does not have, and would fail only when deployed; this
 * finds it in the source.
 */

const GLUE_JOBS = path.join(__dirname, '..', 'glue-jobs');

/** Glue client methods that manage Hive-style partitions; an Iceberg table has none of these in Glue. */
const PARTITION_METHODS = [
  'batch_create_partition',
  'batch_delete_partition',
  'batch_get_partition',
  'batch_update_partition',
  'create_partition',
  'create_partition_index',
  'delete_partition',
  'delete_partition_index',
  'get_partition',
  'get_partition_indexes',
  'get_partitions',
  'update_partition',
];

const RULES = {
  // boto3.client("glue"), a Session's client or resource, botocore's create_client, in either quote style.
  'glue-client':
    /\b(?:client|resource|create_client)\(\s*(?:service_name\s*=\s*)?["']glue["']|\bmypy_boto3_glue\b/g,
  // A call, or a name handed to getattr and the like.
  'partition-call': new RegExp(
    `\\.(?:${PARTITION_METHODS.join('|')})\\s*\\(|["'](?:${PARTITION_METHODS.join('|')})["']`,
    'g',
  ),
} as const;

type Rule = keyof typeof RULES;

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: Rule;
  readonly text: string;
}

const findingsIn = (file: string, source: string): Finding[] =>
  (Object.entries(RULES) as [Rule, RegExp][]).flatMap(([rule, pattern]) =>
    [...source.matchAll(pattern)].map((match) => ({
      file,
      line: source.slice(0, match.index).split('\n').length,
      rule,
      text: match[0].replace(/\s+/g, ' '),
    })),
  );

/** A job is a folder of glue-jobs/ with a package under src/. */
const jobIds = (): string[] =>
  readdirSync(GLUE_JOBS).filter((name) => existsSync(path.join(GLUE_JOBS, name, 'src')));

/** Every Python file a job ships: its entrypoint and its package, not its tests or sample data. */
const jobPythonFiles = (): string[] => {
  const walk = (directory: string): string[] =>
    readdirSync(directory).flatMap((name) => {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) {
        return ['tests', 'samples', '__pycache__'].includes(name) ? [] : walk(full);
      }
      return name.endsWith('.py') ? [full] : [];
    });
  return jobIds().flatMap((job) => walk(path.join(GLUE_JOBS, job)));
};

const jobFindings = (rule: Rule): Finding[] =>
  jobPythonFiles()
    .flatMap((file) => findingsIn(path.relative(GLUE_JOBS, file), readFileSync(file, 'utf8')))
    .filter((finding) => finding.rule === rule);

describe('the scan', () => {
  test("reaches every job's entrypoint and package", () => {
    const files = jobPythonFiles().map((file) => path.relative(GLUE_JOBS, file));

    expect(jobIds()).toContain('file_processor');
    for (const job of jobIds()) {
      expect(files).toContain(path.join(job, 'glue_entrypoint.py'));
      expect(
        files.filter((file) => file.startsWith(path.join(job, 'src') + path.sep)).length,
      ).toBeGreaterThan(0);
    }
  });

  test('finds a Glue client in every spelling boto3 and botocore accept', () => {
    const source = [
      'glue = boto3.client("glue")',
      "glue = session.client('glue', region_name='eu-west-1')",
      'glue = boto3.client(\n    service_name="glue",\n)',
      'glue = botocore.session.get_session().create_client("glue")',
      'from mypy_boto3_glue import GlueClient',
    ].join('\n');

    expect(findingsIn('sample.py', source).map((finding) => [finding.rule, finding.line])).toEqual([
      ['glue-client', 1],
      ['glue-client', 2],
      ['glue-client', 3],
      ['glue-client', 6],
      ['glue-client', 7],
    ]);
  });

  test('finds a partition call whatever the client is called, and a partition method named as a string', () => {
    const source = [
      'catalog.batch_create_partition(DatabaseName=db, TableName=t, PartitionInputList=inputs)',
      'self._client.update_partition(**request)',
      'pages = paginator("get_partitions")',
      'glue.create_partition (DatabaseName=db)',
    ].join('\n');

    expect(findingsIn('sample.py', source).map((finding) => [finding.rule, finding.line])).toEqual([
      ['partition-call', 1],
      ['partition-call', 2],
      ['partition-call', 3],
      ['partition-call', 4],
    ]);
  });

  test('does not mistake S3 clients, Spark partitioning or Iceberg SQL for Glue calls', () => {
    const source = [
      's3 = boto3.client("s3")',
      'df.writeTo("glue_catalog.db.sales").partitionedBy(days("processed_at")).create()',
      'spark.sql("ALTER TABLE glue_catalog.db.sales ADD PARTITION FIELD days(processed_at)")',
      'rows.repartition(8)',
      '_replace_partition(rows, path)',
      'spark.conf.set("spark.sql.catalog.glue_catalog.catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog")',
    ].join('\n');

    expect(findingsIn('sample.py', source)).toEqual([]);
  });
});

describe('job code and the catalog', () => {
  test("no job makes its own Glue client: Iceberg's GlueCatalog is the only caller of the Glue API", () => {
    expect(jobFindings('glue-client')).toEqual([]);
  });

  test('no job calls a Glue partition API: Iceberg tables keep their partitions in their own metadata', () => {
    expect(jobFindings('partition-call')).toEqual([]);
  });

  test('the catalog actions granted to the jobs hold no partition action and no DeleteTable', () => {
    expect(GLUE_CATALOG_ACTIONS.filter((action) => /Partition|DeleteTable/.test(action))).toEqual([]);
  });
});
