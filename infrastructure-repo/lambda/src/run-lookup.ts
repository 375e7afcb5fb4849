import { GetJobRunsCommand, type GlueClient } from '@aws-sdk/client-glue';
import { MANIFEST_JOB_ARGUMENT } from '@glue-platform/shared-constructs/contracts';

/** GetJobRuns' largest page. */
const PAGE_SIZE = 200;
/** Pages read before the answer counts as unknown: a thousand runs of one job in a lease is not this platform. */
const MAX_PAGES = 5;

export type RunLookup =
  | { readonly kind: 'found'; readonly jobRunId: string }
  | { readonly kind: 'not-found' }
  /** Too many runs to reach the start of the window: the caller must treat the start as still in doubt. */
  | { readonly kind: 'unknown' };

/**
 * Glue's StartJobRun takes no idempotency token, so the manifest is the run's identity: this finds the run started
 * on the manifest `manifestId` (its `--manifest` argument ends in `/<manifestId>.json`), reading the job's runs from
 * the newest until they are older than `notBefore`. Throws what GetJobRuns throws.
 */
export const findRunOfManifest = async (
  glue: GlueClient,
  jobName: string,
  manifestId: string,
  notBefore: Date,
  abortSignal?: AbortSignal,
): Promise<RunLookup> => {
  const suffix = `/${manifestId}.json`;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await glue.send(
      new GetJobRunsCommand({ JobName: jobName, MaxResults: PAGE_SIZE, NextToken: nextToken }),
      { abortSignal },
    );
    const runs = response?.JobRuns ?? [];
    const match = runs.find((run) => run.Arguments?.[MANIFEST_JOB_ARGUMENT]?.endsWith(suffix));
    if (match?.Id) return { kind: 'found', jobRunId: match.Id };
    nextToken = response?.NextToken;
    const reachedWindowStart = runs.some(
      (run) => run.StartedOn !== undefined && run.StartedOn.getTime() < notBefore.getTime(),
    );
    if (!nextToken || reachedWindowStart) return { kind: 'not-found' };
  }
  return { kind: 'unknown' };
};
