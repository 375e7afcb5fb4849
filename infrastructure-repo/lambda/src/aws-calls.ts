import { StartJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_JOB_ARGUMENT, type Manifest } from '@glue-platform/shared-constructs/contracts';

/** Where a run's pointer lives: beside its manifest, so listing a day's manifests shows which ones ran. */
export const runPointerKey = (manifestKey: string): string => manifestKey.replace(/\.json$/, '.run.json');

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/** What an operator finds beside a manifest once its run has started. */
export interface RunPointer {
  readonly manifestKey: string;
  readonly jobName: string;
  readonly jobRunId: string;
  readonly startedAt: string;
  readonly dataset: string;
  readonly objectCount: number;
  readonly messageIds: readonly string[];
}

const putJson = async (
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  abortSignal?: AbortSignal,
): Promise<void> => {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(value),
      ContentType: 'application/json',
    }),
    { abortSignal },
  );
};

export const putManifest = (
  s3: S3Client,
  bucket: string,
  key: string,
  manifest: Manifest,
  abortSignal?: AbortSignal,
): Promise<void> => putJson(s3, bucket, key, manifest, abortSignal);

export const putRunPointer = (
  s3: S3Client,
  bucket: string,
  pointer: RunPointer,
  abortSignal?: AbortSignal,
): Promise<void> => putJson(s3, bucket, runPointerKey(pointer.manifestKey), pointer, abortSignal);

/** Starts one run of the job on a manifest and returns its run id. */
export const startJobRun = async (
  glue: GlueClient,
  jobName: string,
  manifestUri: string,
  abortSignal?: AbortSignal,
): Promise<string> => {
  const response = await glue.send(
    new StartJobRunCommand({ JobName: jobName, Arguments: { [MANIFEST_JOB_ARGUMENT]: manifestUri } }),
    { abortSignal },
  );
  if (!response.JobRunId) {
    throw new Error(`Glue StartJobRun for ${jobName} answered without a JobRunId`);
  }
  return response.JobRunId;
};
