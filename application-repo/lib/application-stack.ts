import {
  acknowledge,
  DEFAULT_JOB_ID,
  fileMetricsNamespace,
  glueJobName,
  NameContext,
  StageConfig,
  FileLedgerConfig,
  TableMaintenanceConfig,
} from '@glue-platform/shared-constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { CfnJob, ExecutionClass } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

import { ContractImports } from './contract-imports';
import { DatasetDefinition } from './dataset-definition';
import { datasetsArgument } from './dataset-registry';
import { GlueJobSchedule } from './glue-job-schedule';
import {
  DATASETS_ARGUMENT,
  FILE_METRICS_NAMESPACE_ARGUMENT,
  LEDGER_RETENTION_ARGUMENT,
  LEDGER_TABLE_ARGUMENT,
  SNAPSHOT_RETENTION_ARGUMENT,
} from './job-arguments';
import { GlueJobDefinition } from './job-definition';
import { TABLE_MAINTENANCE_JOB_ID } from './job-registry';
import { PlatformGlueJob } from './platform-glue-job';
import { QuarantineRatioAlarms } from './quarantine-ratio-alarms';

export interface ApplicationStackProps extends StackProps {
  /** The stage this stack belongs to; its infrastructure exports are imported. */
  readonly context: NameContext;
  /** Settings of the stage from the platform config. */
  readonly stage: StageConfig;
  /** Validated registry entries: one Glue job each. */
  readonly jobs: readonly GlueJobDefinition[];
  /** The folder holding every job folder (`glue-jobs/`). */
  readonly jobsDirectory: string;
  /** Validated dataset registry, deployed as the `--datasets` argument of the job the trigger starts. */
  readonly datasets: readonly DatasetDefinition[];
  /** Schedule and snapshot retention of the `table_maintenance` job, from the config. */
  readonly tableMaintenance: TableMaintenanceConfig;
  /** The ledger's retention: the job's terminal writes expire when the trigger's items do. */
  readonly fileLedger: FileLedgerConfig;
}

/** The Glue jobs of one stage, wired to that stage's infrastructure through the export contract only. */
export class ApplicationStack extends Stack {
  /** Keyed by registry id. */
  readonly jobs: ReadonlyMap<string, PlatformGlueJob>;
  /** Starts `table_maintenance`; absent when the registry has no such job. */
  readonly maintenanceSchedule?: GlueJobSchedule;
  /** One alarm per registry dataset on the share of its rows quarantined, to the stage's alarm topic. */
  readonly quarantineRatioAlarms: QuarantineRatioAlarms;

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const imports = new ContractImports(this, 'Infrastructure', { context: props.context });
    const executionClass = ExecutionClass[props.stage.glueExecutionClass];
    this.jobs = new Map(
      props.jobs.map((definition) => {
        const job = new PlatformGlueJob(this, jobConstructId(definition.id), {
          definition,
          jobName: glueJobName(props.context, definition.id),
          jobsDirectory: props.jobsDirectory,
          role: imports.jobRole,
          securityConfiguration: imports.securityConfiguration,
          assetsBucket: imports.assetsBucket,
          outputBucket: imports.outputBucket,
          glueDatabaseName: imports.glueDatabaseName,
          executionClass,
          platformArguments: platformArgumentsOf(definition.id, props, imports),
        });
        acknowledgeImportedSecurityConfiguration(job);
        return [definition.id, job];
      }),
    );
    const maintenance = this.jobs.get(TABLE_MAINTENANCE_JOB_ID);
    if (maintenance) {
      const jobName = glueJobName(props.context, TABLE_MAINTENANCE_JOB_ID);
      this.maintenanceSchedule = new GlueJobSchedule(this, 'TableMaintenanceSchedule', {
        job: maintenance.job,
        schedule: props.tableMaintenance.schedule,
        triggerName: `${jobName}-schedule`,
        description: `Starts ${jobName} on tableMaintenance.schedule of the platform config`,
      });
    }
    this.quarantineRatioAlarms = new QuarantineRatioAlarms(this, 'QuarantineRatioAlarms', {
      context: props.context,
      datasets: props.datasets,
      topic: imports.alarmTopic,
    });
  }
}

/**
 * Arguments that one job alone gets, chosen by registry id. The ids already carry these roles (the trigger
 * starts DEFAULT_JOB_ID by name for every dataset; the schedule starts TABLE_MAINTENANCE_JOB_ID), so a registry
 * flag would restate them and could hand an argument to a script that never reads it.
 */
function platformArgumentsOf(
  id: string,
  props: ApplicationStackProps,
  imports: ContractImports,
): Record<string, string> {
  switch (id) {
    case DEFAULT_JOB_ID:
      return {
        [DATASETS_ARGUMENT]: datasetsArgument(props.datasets),
        [LEDGER_TABLE_ARGUMENT]: imports.fileLedgerTableName,
        [LEDGER_RETENTION_ARGUMENT]: String(props.fileLedger.retentionDays),
        [FILE_METRICS_NAMESPACE_ARGUMENT]: fileMetricsNamespace(props.context.project, props.context.stage),
      };
    case TABLE_MAINTENANCE_JOB_ID:
      return { [SNAPSHOT_RETENTION_ARGUMENT]: String(props.tableMaintenance.snapshotRetentionDays) };
    default:
      return {};
  }
}

/**
 * cdk-nag can only inspect a security configuration defined in the same stack; this one is imported through
 * the contract from the stage's infrastructure stack, which defines (and tests) the encryption.
 */
function acknowledgeImportedSecurityConfiguration(job: PlatformGlueJob): void {
  const cfnJob = job.job.node.defaultChild;
  if (!(cfnJob instanceof CfnJob)) {
    throw new Error(`Glue job ${job.node.path} has no CfnJob to acknowledge on`);
  }
  acknowledge(
    cfnJob,
    'AwsSolutions-GL1',
    'The job uses the security configuration imported from the infrastructure stack of the same stage ' +
      '(export GlueSecurityConfigurationName), which encrypts CloudWatch logs with the stage data key (SSE-KMS); ' +
      'cdk-nag cannot see a configuration defined in another stack.',
  );
  acknowledge(
    cfnJob,
    'AwsSolutions-GL3',
    'The job uses the security configuration imported from the infrastructure stack of the same stage ' +
      '(export GlueSecurityConfigurationName), which encrypts job bookmarks with the stage data key (CSE-KMS); ' +
      'bookmarks are also disabled on the job (the manifest decides what a run reads).',
  );
}

/** `file_processor` -> `FileProcessor`: logical ids stay readable and stable. */
const jobConstructId = (id: string): string =>
  id
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
