import * as path from 'node:path';

import { Duration } from 'aws-cdk-lib';
import { WorkerType } from 'aws-cdk-lib/aws-glue';

/**
 * One Glue job of the registry. The code lives in `glue-jobs/<id>/`: `glue_entrypoint.py` (the only file that
 * imports `awsglue`) and the plain-PySpark package `src/<id>/`.
 */
export interface GlueJobDefinition {
  /** snake_case, at most MAX_JOB_ID_LENGTH characters; the folder name and the suffix of the job name. */
  readonly id: string;
  /** Shown in the Glue console. */
  readonly description: string;
  /** Flex stages accept only G.1X and G.2X. */
  readonly workerType: WorkerType;
  /** Auto scaling adds workers up to this number (at least 2: a driver and one executor). */
  readonly maxWorkers: number;
  /** A run that takes longer is stopped with the TIMEOUT state (and the alarm fires). */
  readonly timeout: Duration;
  /**
   * Glue's own retries of a failed run. Glue requires 0 when job-run queuing is on.
   * @default 0
   */
  readonly maxRetries?: number;
  /**
   * Runs that may execute at once; the trigger starts one run per dataset manifest.
   * @default 1
   */
  readonly maxConcurrentRuns?: number;
  /**
   * Queue runs beyond `maxConcurrentRuns` (or beyond account quotas) instead of refusing them. Flex stages
   * turn it off because Glue does not queue Flex runs; the trigger's retries cover refusals there.
   * @default true
   */
  readonly jobRunQueuing?: boolean;
  /**
   * Extra default arguments (`--name`: value) for this job's script. Names the platform sets are refused.
   * @default - none
   */
  readonly arguments?: Readonly<Record<string, string>>;
  /**
   * Ids of other registry jobs whose package (`glue-jobs/<id>/src/<id>/`) this job's code imports; each ships
   * as a zip of its own beside this job's package, so shared code is written once and deployed as tested.
   * @default - none: the job imports only its own package
   */
  readonly sharedPackages?: readonly string[];
}

/** `glue-jobs/` of this app: one folder per job. */
export const GLUE_JOBS_DIRECTORY = path.resolve(__dirname, '..', 'glue-jobs');

/** The script Glue runs. */
export const ENTRYPOINT_FILE = 'glue_entrypoint.py';

/** Where a job's files are, given the folder that holds every job. */
export interface JobPaths {
  readonly folder: string;
  readonly entrypoint: string;
  /** Shipped as a zip whose root is `<id>/`, passed with `--extra-py-files`. */
  readonly modulesRoot: string;
  readonly packageInit: string;
}

export const jobPaths = (jobsDirectory: string, id: string): JobPaths => {
  const folder = path.join(jobsDirectory, id);
  return {
    folder,
    entrypoint: path.join(folder, ENTRYPOINT_FILE),
    modulesRoot: path.join(folder, 'src'),
    packageInit: path.join(folder, 'src', id, '__init__.py'),
  };
};
