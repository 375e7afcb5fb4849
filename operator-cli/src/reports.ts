import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parseRunReport, type RunReport } from '@glue-platform/shared-constructs/contracts';
import { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';

import type { Clients } from './clients';
import { aws } from './errors';
import { parseS3Uri } from './parse-values';
import type { Stage } from './stage';

/** `<assets bucket>/reports/<job name>/<run id>.json`, the key the job writes its report under. */
export const reportKey = (jobName: string, runId: string): string =>
  `${S3_PREFIXES.reports}${jobName}/${runId}.json`;

/** A run report by its `s3://` URI; undefined when the run has not written it (yet). */
export async function readReport(clients: Clients, uri: string): Promise<RunReport | undefined> {
  const { bucket, key } = parseS3Uri(uri, 'run report');
  const body = await aws(`reading the run report ${uri}`, async () => {
    try {
      const answer = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await answer.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  });
  if (body === undefined) return undefined;
  return parseRunReport(JSON.parse(body) as unknown, uri);
}

export const reportUriOf = (stage: Stage, runId: string): string =>
  `s3://${stage.assetsBucket}/${reportKey(stage.jobName, runId)}`;

/** Reads each report once however many files name it. */
export class ReportCache {
  private readonly reports = new Map<string, Promise<RunReport | undefined>>();

  constructor(private readonly clients: Clients) {}

  get(uri: string): Promise<RunReport | undefined> {
    let report = this.reports.get(uri);
    if (!report) {
      report = readReport(this.clients, uri);
      this.reports.set(uri, report);
    }
    return report;
  }
}
