/**
 * Every physical name of the platform, derived from project, stage, account and region. These functions are
 * the only place names are made: both apps, the trigger and the docs rely on them, and a change here renames
 * resources (and breaks exports in use), so treat every function as a public, stable contract.
 */

/** Where a stage lives and what it is called: the inputs of every name. */
export interface NameContext {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
}

/** The two CDK apps of the platform. */
export type PlatformApp = 'infrastructure' | 'application';

const prefix = (ctx: NameContext): string => `${ctx.project}-${ctx.stage}`;

/** S3 names are global: account and region make them unique without a random suffix. */
const bucketName = (ctx: NameContext, purpose: string): string =>
  `${prefix(ctx)}-${purpose}-${ctx.account}-${ctx.region}`;

/** Landing bucket: users drop CSV files under `incoming/<dataset>/`. */
export const inputBucketName = (ctx: NameContext): string => bucketName(ctx, 'input');
/** The Iceberg warehouse (`<database>.db/<table>/`) and whole unreadable files under `quarantine/<table>/`. */
export const outputBucketName = (ctx: NameContext): string => bucketName(ctx, 'output');
/** Glue scripts' temp dir, Spark UI logs, trigger manifests and run reports. */
export const assetsBucketName = (ctx: NameContext): string => bucketName(ctx, 'assets');
/** Server access logs of the three data buckets. */
export const accessLogsBucketName = (ctx: NameContext): string => bucketName(ctx, 'access-logs');

/** Alias of the stage's data key (buckets, queue, Glue logs and bookmarks). */
export const dataKeyAlias = (ctx: NameContext): string => `alias/${prefix(ctx)}-data`;

/** Glue and Athena want lowercase letters, digits and underscores in database names. */
export const glueDatabaseName = (ctx: NameContext): string => `${prefix(ctx)}`.replace(/-/g, '_');
export const glueSecurityConfigurationName = (ctx: NameContext): string => `${prefix(ctx)}-glue`;
/** `jobId` is the registry key of the job (snake_case, such as `file_processor`). */
export const glueJobName = (ctx: NameContext, jobId: string): string =>
  `${prefix(ctx)}-${jobId.replace(/_/g, '-')}`;

export const glueJobRoleName = (ctx: NameContext): string => `${prefix(ctx)}-glue-job`;
export const triggerFunctionRoleName = (ctx: NameContext): string => `${prefix(ctx)}-trigger`;
/** Assumed from the pipeline account by the application pipeline's smoke test. */
export const smokeTestRoleName = (ctx: NameContext): string => `${prefix(ctx)}-smoke-test`;

export const triggerFunctionName = (ctx: NameContext): string => `${prefix(ctx)}-trigger`;
export const triggerQueueName = (ctx: NameContext): string => `${prefix(ctx)}-trigger`;
export const triggerDeadLetterQueueName = (ctx: NameContext): string => `${prefix(ctx)}-trigger-dlq`;
export const alarmTopicName = (ctx: NameContext): string => `${prefix(ctx)}-alarms`;
/** The DynamoDB file ledger (contract: `contracts/ledger-item.ts`). */
export const fileLedgerTableName = (ctx: NameContext): string => `${prefix(ctx)}-file-ledger`;
/** The scheduled function that checks every upload reached an end in the file ledger, and its role. */
export const reconciliationFunctionName = (ctx: NameContext): string => `${prefix(ctx)}-reconciliation`;
export const reconciliationRoleName = (ctx: NameContext): string => `${prefix(ctx)}-reconciliation`;
/** The stage's CloudWatch dashboard (dashboard names are per account, so the stage is part of it). */
export const stageDashboardName = (ctx: NameContext): string => `${prefix(ctx)}-files`;

/** One CloudFormation stack per app and stage. */
export const stageStackName = (ctx: NameContext, app: PlatformApp): string => `${prefix(ctx)}-${app}`;
/** The stack, in the pipeline account, that holds an app's pipeline. */
export const pipelineStackName = (project: string, app: PlatformApp): string => `${project}-${app}-pipeline`;
export const pipelineName = (project: string, app: PlatformApp): string => `${project}-${app}`;

/** Key prefixes inside the buckets; the trigger, the jobs and the IAM policies all use these. */
export const S3_PREFIXES = {
  /** Input bucket: `incoming/<dataset>/<any path>.csv`. */
  incoming: 'incoming/',
  /** Assets bucket: manifests written by the trigger. */
  manifests: 'manifests/',
  /** Assets bucket: one JSON report per Glue run. */
  reports: 'reports/',
  /** Assets bucket: job scripts' temporary directory. */
  glueTemp: 'glue-temp/',
  /** Assets bucket: Spark UI event logs. */
  sparkUiLogs: 'spark-ui-logs/',
  /** Output bucket: rows and files that could not be processed. */
  quarantine: 'quarantine/',
} as const;

/** The dataset the application pipeline's smoke test uploads to after a stage deploys. */
export const SMOKE_TEST_DATASET = 'smoke_test';
/** The Glue job that the trigger starts for every dataset. */
export const DEFAULT_JOB_ID = 'file_processor';

/** Assumed by operators (the `glue-platform` CLI) to read the ledger, reports and quarantine and to re-process. */
export const operatorRoleName = (ctx: NameContext): string => `${prefix(ctx)}-operator`;
/** Assets bucket: where the operator's Athena queries write their results. */
export const OPERATOR_ATHENA_RESULTS_PREFIX = 'athena-results/';
/**
 * Assumed from the pipeline account by the application pipeline's export check before a stage deploys; it can
 * only list the stage's CloudFormation exports.
 */
export const exportCheckRoleName = (ctx: NameContext): string => `${prefix(ctx)}-export-check`;

/**
 * The CodeBuild role of one pipeline step that acts in a stage account (such as `export-check`, `smoke-test`,
 * `change-set-summary`). Fixed, so the stage role the step assumes can trust exactly this role by name
 * (`aws:PrincipalArn`). Lives in the pipeline account; at most 64 characters for a 16-character project, a
 * 12-character stage and an 18-character step.
 */
export const pipelineStepRoleName = (
  project: string,
  app: PlatformApp,
  step: string,
  stage: string,
): string => `${project}-${stage}-${app}-${step}`;

/**
 * The CodePipeline service role of an app's pipeline: it assumes the CDK deploy role of every stage account to
 * run the CloudFormation actions, so the stage bootstrap trusts it by name.
 */
export const pipelineRoleName = (project: string, app: PlatformApp): string =>
  `${project}-${app}-pipeline-role`;

/** The role of an app's asset-publishing CodeBuild project, trusted by name by every stage's file-publishing role. */
export const assetPublishingRoleName = (project: string, app: PlatformApp): string =>
  `${project}-${app}-asset-publishing`;

/**
 * The permissions boundary every role of the stage stacks carries, created by the stage bootstrap template
 * (`bootstrap/stage-bootstrap.yaml`) once per account and region. IAM names are account-wide, hence the region.
 */
export const stagePermissionsBoundaryName = (project: string, region: string): string =>
  `${project}-permissions-boundary-${region}`;

/** The application pipeline's steps that act in a stage account, as they appear in `pipelineStepRoleName`. */
export const PIPELINE_STEPS = {
  /** Before a stage deploys: the infrastructure exports the application imports exist. */
  exportCheck: 'export-check',
  /** After a stage with `smokeTest: true` deploys: a real file goes through the trigger and the job. */
  smokeTest: 'smoke-test',
} as const;

/**
 * The step of both pipelines that reads a stage's change sets (as the stage's CDK lookup role) before its approval;
 * its CodeBuild role is `pipelineStepRoleName(project, app, CHANGE_SET_SUMMARY_STEP, stage)`.
 */
export const CHANGE_SET_SUMMARY_STEP = 'change-set-summary';

/** The EventBridge rule that announces the stage's failed Glue runs on the alarm topic. */
export const glueRunFailureRuleName = (ctx: NameContext): string => `${prefix(ctx)}-glue-run-failures`;

/**
 * Every EventBridge rule of the stage starts with this; the data key lets EventBridge encrypt for these rules
 * only. The config refuses stage names whose prefixes nest, so it matches no other stage's rules.
 */
export const stageRuleNamePrefix = (ctx: NameContext): string => `${prefix(ctx)}-`;
