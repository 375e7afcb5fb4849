import { Duration } from 'aws-cdk-lib';
import { WorkerType } from 'aws-cdk-lib/aws-glue';

import { GlueJobDefinition } from './job-definition';

/**
 * Every Glue job of the platform. Adding a job is one folder `glue-jobs/<id>/` plus one entry here; the
 * registry is validated on every synth (see validate-job-registry.ts).
 */
export const JOB_REGISTRY: readonly GlueJobDefinition[] = [
  {
    id: 'file_processor',
    description:
      'Turns the CSV files of one trigger manifest into partitioned Parquet and a catalogued table',
    workerType: WorkerType.G_1X,
    maxWorkers: 10,
    timeout: Duration.hours(2),
    maxRetries: 0,
    // Runs of different datasets write different tables; more than this waits in Glue's queue.
    maxConcurrentRuns: 5,
    jobRunQueuing: true,
  },
];
