import { S3_PREFIXES } from '@glue-platform/shared-constructs';
import {
  CfnJob,
  Code,
  ExecutionClass,
  GlueVersion,
  IJob,
  ISecurityConfiguration,
  PySparkEtlJob,
  PySparkFlexEtlJob,
  SparkJobProps,
  WorkerType,
} from 'aws-cdk-lib/aws-glue';
import { IRole } from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';

import { GLUE_SETTING_ARGUMENTS, ICEBERG_SPARK_CONF, JOB_ARGUMENTS } from './job-arguments';
import { GlueJobDefinition, jobPaths } from './job-definition';

/** The runtime the job scripts are written and tested for (Spark 3.5.6, Python 3.11). */
export const PLATFORM_GLUE_VERSION = GlueVersion.V5_1;

/** Glue runs Flex jobs only on these worker types. */
const FLEX_WORKER_TYPES: readonly WorkerType[] = [WorkerType.G_1X, WorkerType.G_2X];

/** Kept out of the module zip: byte code and test caches are machine-specific and change every run. */
const MODULE_ASSET_EXCLUDES = ['**/__pycache__', '**/*.pyc', '**/.pytest_cache'];

export interface PlatformGlueJobProps {
  /** The registry entry. */
  readonly definition: GlueJobDefinition;
  /** Physical name, from `glueJobName` (the trigger starts the job by this name). */
  readonly jobName: string;
  /** The folder holding every job folder (`glue-jobs/`). */
  readonly jobsDirectory: string;
  /** Role Glue assumes; its policies are managed by the infrastructure stack. */
  readonly role: IRole;
  /** Encrypts S3 writes, CloudWatch logs and bookmarks. */
  readonly securityConfiguration: ISecurityConfiguration;
  /** Temp dir, Spark UI event logs and run reports. */
  readonly assetsBucket: IBucket;
  /** Where the job writes Parquet and quarantined rows. */
  readonly outputBucket: IBucket;
  /** Glue database of the stage, where the job creates its tables. */
  readonly glueDatabaseName: string;
  /**
   * STANDARD starts at once and queues runs; FLEX uses spare capacity, costs less and cannot queue runs.
   * @default ExecutionClass.STANDARD
   */
  readonly executionClass?: ExecutionClass;
  /**
   * Default arguments the platform gives this job alone, beside those every job gets (such as `--datasets` for
   * `file_processor`); names from PLATFORM_OWNED_ARGUMENTS, so a registry entry cannot override them.
   * @default - none
   */
  readonly platformArguments?: Readonly<Record<string, string>>;
}

/**
 * A registry entry turned into a Glue 5.1 PySpark job: auto scaling, continuous logging, metrics and
 * observability metrics, Spark UI logs and temp dir in the assets bucket, the script and its package as assets,
 * and Iceberg (Glue's runtime and Spark's SQL extensions) for the tables it reads and writes.
 */
export class PlatformGlueJob extends Construct {
  readonly job: IJob;
  readonly jobName: string;
  /** Whether Glue queues runs beyond the concurrency limit (never on Flex). */
  readonly jobRunQueuingEnabled: boolean;

  constructor(scope: Construct, id: string, props: PlatformGlueJobProps) {
    super(scope, id);
    const { definition } = props;
    const flex = (props.executionClass ?? ExecutionClass.STANDARD) === ExecutionClass.FLEX;
    if (flex && !FLEX_WORKER_TYPES.includes(definition.workerType)) {
      throw new Error(
        `Glue job ${definition.id}: worker type ${definition.workerType} cannot run with the FLEX execution ` +
          `class (Glue allows ${FLEX_WORKER_TYPES.join(' or ')}); change the registry entry ` +
          `or set glueExecutionClass to STANDARD for this stage`,
      );
    }
    const paths = jobPaths(props.jobsDirectory, definition.id);
    const common: SparkJobProps = {
      jobName: props.jobName,
      description: definition.description,
      role: props.role,
      script: Code.fromAsset(paths.entrypoint),
      glueVersion: PLATFORM_GLUE_VERSION,
      workerConfiguration: { workerType: definition.workerType, numberOfWorkers: definition.maxWorkers },
      timeout: definition.timeout,
      maxRetries: definition.maxRetries ?? 0,
      maxConcurrentRuns: definition.maxConcurrentRuns ?? 1,
      securityConfiguration: props.securityConfiguration,
      continuousLogging: { enabled: true, quiet: true },
      enableMetrics: true,
      enableObservabilityMetrics: true,
      sparkUI: { bucket: props.assetsBucket, prefix: `/${S3_PREFIXES.sparkUiLogs}${props.jobName}` },
      defaultArguments: {
        [JOB_ARGUMENTS.outputBucket]: props.outputBucket.bucketName,
        [JOB_ARGUMENTS.assetsBucket]: props.assetsBucket.bucketName,
        [JOB_ARGUMENTS.glueDatabase]: props.glueDatabaseName,
        [GLUE_SETTING_ARGUMENTS.tempDir]: props.assetsBucket.s3UrlForObject(S3_PREFIXES.glueTemp),
        [GLUE_SETTING_ARGUMENTS.autoScaling]: 'true',
        // The manifest names exactly what a run reads, so Glue's own bookkeeping would only skip files.
        [GLUE_SETTING_ARGUMENTS.bookmarks]: 'job-bookmark-disable',
        [GLUE_SETTING_ARGUMENTS.datalakeFormats]: 'iceberg',
        [GLUE_SETTING_ARGUMENTS.sparkConf]: ICEBERG_SPARK_CONF,
        ...props.platformArguments,
        ...definition.arguments,
      },
    };
    // Glue's Code.fromAsset takes files only; a directory asset is zipped on publish with `<id>/` at its root.
    const modules = new Asset(this, 'Modules', { path: paths.modulesRoot, exclude: MODULE_ASSET_EXCLUDES });
    const shared = (definition.sharedPackages ?? []).map(
      (id) =>
        new Asset(this, `SharedModules-${id}`, {
          path: jobPaths(props.jobsDirectory, id).modulesRoot,
          exclude: MODULE_ASSET_EXCLUDES,
        }),
    );
    const extraPythonFiles = [modules, ...shared].map((asset) =>
      Code.fromBucket(asset.bucket, asset.s3ObjectKey),
    );

    this.jobRunQueuingEnabled = !flex && (definition.jobRunQueuing ?? true);
    this.job = flex
      ? new PySparkFlexEtlJob(this, 'Resource', { ...common, extraPythonFiles })
      : new PySparkEtlJob(this, 'Resource', {
          ...common,
          extraPythonFiles,
          jobRunQueuingEnabled: this.jobRunQueuingEnabled,
        });
    // PySparkEtlJob leaves the class unset (Glue's default is STANDARD); the template states it either way.
    const cfnJob = this.job.node.defaultChild;
    if (!(cfnJob instanceof CfnJob)) {
      throw new Error(`Glue job ${this.node.path} has no CfnJob to configure`);
    }
    cfnJob.executionClass = flex ? ExecutionClass.FLEX : ExecutionClass.STANDARD;
    this.jobName = this.job.jobName;
  }
}
