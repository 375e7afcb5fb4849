import {
  DEFAULT_JOB_ID,
  exportValue,
  glueJobName,
  NameContext,
  PlatformConfig,
  StageConfig,
  stageContext,
  stageStackName,
} from '@glue-platform/shared-constructs';
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { AlarmTopic } from './alarm-topic';
import { DataBuckets } from './data-buckets';
import { DataKey } from './data-key';
import { FileLedger } from './file-ledger';
import { FileReconciliation } from './file-reconciliation';
import { GlueCatalog } from './glue-catalog';
import { GlueRunFailureRule } from './glue-run-failure-rule';
import { ExportCheckRole } from './roles/export-check-role';
import { GlueJobRole } from './roles/glue-job-role';
import { OperatorRole } from './roles/operator-role';
import { ReconciliationFunctionRole, reconciliationLogGroupName } from './roles/reconciliation-function-role';
import { SmokeTestRole } from './roles/smoke-test-role';
import { TriggerFunctionRole, triggerLogGroupName } from './roles/trigger-function-role';
import { StageAlarms } from './stage-alarms';
import { StageDashboard } from './stage-dashboard';
import { UploadTrigger } from './upload-trigger';

export interface DataPlatformStackProps extends StackProps {
  /** The whole platform config (the pipeline account is the smoke-test role's only trusted account). */
  readonly config: PlatformConfig;
  /** The stage this stack is deployed to. */
  readonly stage: StageConfig;
}

/**
 * One stage's data platform: key, buckets, Glue catalog and security configuration, roles, the upload trigger,
 * the file ledger and its reconciliation, the alarms and the dashboard, and the contract exports the application stack of the same stage imports.
 */
export class DataPlatformStack extends Stack {
  readonly ctx: NameContext;
  readonly dataKey: DataKey;
  readonly buckets: DataBuckets;
  readonly catalog: GlueCatalog;
  readonly glueJobRole: GlueJobRole;
  readonly triggerRole: TriggerFunctionRole;
  readonly exportCheckRole: ExportCheckRole;
  /** Only in stages with `smokeTest: true`. */
  readonly smokeTestRole?: SmokeTestRole;
  readonly alarmTopic: AlarmTopic;
  readonly trigger: UploadTrigger;
  readonly fileLedger: FileLedger;
  readonly reconciliationRole: ReconciliationFunctionRole;
  readonly reconciliation: FileReconciliation;
  readonly stageAlarms: StageAlarms;
  readonly dashboard: StageDashboard;
  /** What operators act through with the `glue-platform` CLI (docs/operations.md, CLI). */
  readonly operatorRole: OperatorRole;

  constructor(scope: Construct, id: string, props: DataPlatformStackProps) {
    const ctx = stageContext(props.config, props.stage.name);
    const { retainData } = props.stage;
    super(scope, id, {
      ...props,
      stackName: stageStackName(ctx, 'infrastructure'),
      description: `${ctx.project} data platform, stage ${ctx.stage}`,
      terminationProtection: retainData,
    });
    this.ctx = ctx;

    this.dataKey = new DataKey(this, 'DataKey', {
      ctx,
      extraLogGroupNames: [triggerLogGroupName(ctx), reconciliationLogGroupName(ctx)],
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const key = this.dataKey.key;
    this.buckets = new DataBuckets(this, 'Buckets', { ctx, key, retainData });
    this.catalog = new GlueCatalog(this, 'Catalog', { ctx, key, retainData });
    this.glueJobRole = new GlueJobRole(this, 'GlueJobRole', { ctx, key });
    this.triggerRole = new TriggerFunctionRole(this, 'TriggerRole', { ctx, key });
    const pipelineAccount = props.config.pipeline.account;
    this.exportCheckRole = new ExportCheckRole(this, 'ExportCheckRole', { ctx, pipelineAccount });
    if (props.stage.smokeTest) {
      this.smokeTestRole = new SmokeTestRole(this, 'SmokeTestRole', { ctx, key, pipelineAccount });
    }
    this.fileLedger = new FileLedger(this, 'FileLedger', { ctx, key, retainData });
    this.reconciliationRole = new ReconciliationFunctionRole(this, 'ReconciliationRole', { ctx, key });
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { ctx, key, email: props.config.notificationEmail });
    this.trigger = new UploadTrigger(this, 'UploadTrigger', {
      ctx,
      key,
      inputBucket: this.buckets.input,
      alarmTopic: this.alarmTopic.topic,
      role: this.triggerRole.role.withoutPolicyUpdates(),
      retainData,
      ledgerRetentionDays: props.config.fileLedger.retentionDays,
    });
    new GlueRunFailureRule(this, 'GlueRunFailures', { ctx, topic: this.alarmTopic });
    this.reconciliation = new FileReconciliation(this, 'Reconciliation', {
      ctx,
      key,
      role: this.reconciliationRole.role.withoutPolicyUpdates(),
      fileLedger: props.config.fileLedger,
      retainData,
    });
    this.stageAlarms = new StageAlarms(this, 'Alarms', {
      ctx,
      topic: this.alarmTopic.topic,
      trigger: this.trigger,
      reconciliation: this.reconciliation,
    });
    this.operatorRole = new OperatorRole(this, 'OperatorRole', {
      ctx,
      key,
      buckets: this.buckets,
      queue: this.trigger.queue,
      deadLetterQueue: this.trigger.deadLetterQueue,
      ledgerTable: this.fileLedger.table,
      jobName: glueJobName(ctx, DEFAULT_JOB_ID),
    });
    this.dashboard = new StageDashboard(this, 'Dashboard', {
      ctx,
      trigger: this.trigger,
      reconciliation: this.reconciliation,
      alarms: this.stageAlarms,
    });

    exportValue(this, ctx, 'InputBucketName', this.buckets.input.bucketName);
    exportValue(this, ctx, 'OutputBucketName', this.buckets.output.bucketName);
    exportValue(this, ctx, 'AssetsBucketName', this.buckets.assets.bucketName);
    exportValue(this, ctx, 'DataKeyArn', key.keyArn);
    exportValue(this, ctx, 'GlueJobRoleArn', this.glueJobRole.role.roleArn);
    exportValue(this, ctx, 'GlueDatabaseName', this.catalog.database.databaseName);
    exportValue(
      this,
      ctx,
      'GlueSecurityConfigurationName',
      this.catalog.securityConfiguration.securityConfigurationName,
    );
    exportValue(this, ctx, 'AlarmTopicArn', this.alarmTopic.topic.topicArn);
    exportValue(this, ctx, 'FileLedgerTableName', this.fileLedger.table.tableName);
  }
}
