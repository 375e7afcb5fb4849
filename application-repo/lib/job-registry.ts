import { Duration } from 'aws-cdk-lib';
import { WorkerType } from 'aws-cdk-lib/aws-glue';

import { GlueJobDefinition } from './job-definition';

/** Compacts and expires the Iceberg tables; started by its schedule from the config, never by the trigger. */
export const TABLE_MAINTENANCE_JOB_ID = 'table_maintenance';

/**
 * Every Glue job of the platform. Adding a job is one folder `glue-jobs/<id>/` plus one entry here; the
 * registry is validated on every synth (see validate-job-registry.ts).
 */
export const JOB_REGISTRY: readonly GlueJobDefinition[] = [
  {
    id: 'file_processor',
    description: "Turns the CSV files of one trigger manifest into rows of the dataset's Iceberg table",
    workerType: WorkerType.G_1X,
    maxWorkers: 10,
    timeout: Duration.hours(2),
    maxRetries: 0,
    // Runs of different datasets write different tables; more than this waits in Glue's queue.
    maxConcurrentRuns: 5,
    jobRunQueuing: true,
  },
  {
    id: TABLE_MAINTENANCE_JOB_ID,
    description: 'Compacts small data files and expires old snapshots of the Iceberg tables of the stage',
    workerType: WorkerType.G_1X,
    maxWorkers: 4,
    timeout: Duration.hours(1),
    maxRetries: 0,
    // One run rewrites every table; a second at once would only conflict with it on commit.
    maxConcurrentRuns: 1,
    jobRunQueuing: true,
    // The Iceberg catalog settings and table conventions are file_processor's; maintenance reuses them as-is.
    sharedPackages: ['file_processor'],
  },
];
