import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  parseRunReport,
  type RunReport,
  type RunReportFile,
} from '@glue-platform/shared-constructs/contracts';
import { datasetTableName } from '@glue-platform/shared-constructs/src/manifest';

import type { Clients } from '../../src/clients';
import { reportKey } from '../../src/reports';
import type { Stage } from '../../src/stage';

export type ReportFileSeed = Pick<
  RunReportFile,
  'sourceKey' | 'sourceVersion' | 'status' | 'rowsWritten' | 'rowsQuarantined' | 'reason' | 'quarantinedFile'
>;

/** A contract-valid report of one run, its totals and status derived from its files as the job derives them. */
export function runReport(
  stage: Stage,
  runId: string,
  dataset: string,
  seeds: readonly ReportFileSeed[],
): RunReport {
  const files = seeds.map((f) => ({
    ...f,
    sourceFile: `s3://${f.sourceKey}`,
    rowsRead: f.rowsWritten + f.rowsQuarantined,
    seconds: 1.5,
    readMode: f.status === 'quarantined' ? null : ('multi-line' as const),
    bytes: 100,
    columns: [],
    typeConflicts: [],
    snapshotId: f.rowsWritten > 0 ? '7523944719288312671' : null,
  }));
  const sum = (key: 'rowsRead' | 'rowsWritten' | 'rowsQuarantined') => files.reduce((n, f) => n + f[key], 0);
  const countOf = (status: string) => files.filter((f) => f.status === status).length;
  const table = datasetTableName(dataset);
  return parseRunReport({
    reportVersion: 2,
    jobName: stage.jobName,
    runId,
    manifestId: `manifest-of-${runId}`,
    dataset,
    database: stage.database,
    table,
    quarantineTable: `${table}__quarantine`,
    status: countOf('failed') > 0 ? 'failed' : 'succeeded',
    processedAt: '2026-11-23T10:16:02.418Z',
    seconds: 80,
    totals: {
      files: files.length,
      filesSucceeded: countOf('succeeded'),
      filesQuarantined: countOf('quarantined'),
      filesSkipped: countOf('skipped'),
      filesFailed: countOf('failed'),
      rowsRead: sum('rowsRead'),
      rowsWritten: sum('rowsWritten'),
      rowsQuarantined: sum('rowsQuarantined'),
    },
    quarantineRatio: sum('rowsRead') > 0 ? sum('rowsQuarantined') / sum('rowsRead') : null,
    quarantineRatioThreshold: 0.05,
    commits: [],
    files,
  });
}

/** Writes the report where the job writes it: `<assets>/reports/<job>/<run id>.json`. */
export async function putRunReport(clients: Clients, stage: Stage, report: RunReport): Promise<string> {
  const key = reportKey(stage.jobName, report.runId);
  await clients.s3.send(
    new PutObjectCommand({ Bucket: stage.assetsBucket, Key: key, Body: JSON.stringify(report) }),
  );
  return `s3://${stage.assetsBucket}/${key}`;
}
