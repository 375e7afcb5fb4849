import { RUN_REPORT_VERSION, RunReport } from '@glue-platform/shared-constructs/contracts';

/** An Iceberg snapshot id beyond 2^53, as the job reports it. */
export const SMOKE_SNAPSHOT_ID = '5179352807405210113';

/**
 * The report of a run that processed only the smoke-test file and wrote its three rows: valid under the shared
 * run report schema, for a test to change into the case it needs.
 */
export function smokeRunReport(sourceFile: string, runId = 'jr_smoke'): RunReport {
  return {
    reportVersion: RUN_REPORT_VERSION,
    jobName: 'glue-etl-dev-file-processor',
    runId,
    manifestId: '20261102T100100Z-smoke_test-5e2a9c01',
    dataset: 'smoke_test',
    database: 'glue_etl_dev',
    table: 'smoke_test',
    quarantineTable: 'smoke_test__quarantine',
    status: 'succeeded',
    processedAt: '2026-11-02T10:02:30.000Z',
    seconds: 48.25,
    totals: {
      files: 1,
      filesSucceeded: 1,
      filesQuarantined: 0,
      filesSkipped: 0,
      filesFailed: 0,
      rowsRead: 3,
      rowsWritten: 3,
      rowsQuarantined: 0,
    },
    quarantineRatio: 0,
    quarantineRatioThreshold: 0.05,
    commits: [
      {
        table: 'smoke_test',
        role: 'data',
        status: 'committed',
        snapshotId: SMOKE_SNAPSHOT_ID,
        attempts: 1,
        rowsAdded: 3,
        rowsRemoved: 0,
        error: null,
      },
      {
        table: 'smoke_test__quarantine',
        role: 'quarantine',
        status: 'unchanged',
        snapshotId: null,
        attempts: 0,
        rowsAdded: 0,
        rowsRemoved: 0,
        error: null,
      },
    ],
    files: [
      {
        sourceFile,
        sourceKey: sourceFile.replace(/^s3:\/\//, ''),
        sourceVersion: 'Hx3kq9v0bJ2d1yT5WmZ.Lr7pNa8sEc4u',
        status: 'succeeded',
        rowsRead: 3,
        rowsWritten: 3,
        rowsQuarantined: 0,
        seconds: 6.031,
        reason: null,
        readMode: 'multi-line',
        bytes: 160,
        columns: [
          { name: 'id', type: 'int' },
          { name: 'name', type: 'string' },
          { name: 'amount', type: 'decimal(38,2)' },
          { name: 'active', type: 'boolean' },
          { name: 'created_on', type: 'date' },
        ],
        typeConflicts: [],
        snapshotId: SMOKE_SNAPSHOT_ID,
        quarantinedFile: null,
      },
    ],
  };
}

/** The smoke report of a run whose data commit failed: a valid report of a failed run. */
export function failedCommitReport(sourceFile: string, runId = 'jr_smoke'): RunReport {
  const report = smokeRunReport(sourceFile, runId);
  report.status = 'failed';
  report.commits[0] = {
    ...report.commits[0],
    status: 'failed',
    snapshotId: null,
    attempts: 4,
    rowsAdded: 0,
    error: 'CommitFailedException: base metadata location changed',
  };
  report.files[0] = { ...report.files[0], snapshotId: null };
  return report;
}
