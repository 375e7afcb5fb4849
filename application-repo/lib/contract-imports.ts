import { ExportKey, exportName, importValue, NameContext } from '@glue-platform/shared-constructs';
import { ISecurityConfiguration, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { IRole, Role } from 'aws-cdk-lib/aws-iam';
import { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The contract exports the application stack imports, and nothing else: the pipeline checks exactly these
 * before a stage deploys, and a test proves the templates import exactly these. The input bucket and the data
 * key are not here because no application resource uses them (the job reads the objects its manifest names,
 * and the security configuration carries the key). The alarm topic receives the quarantine-ratio alarms; the
 * file ledger's name is a job argument.
 */
export const APPLICATION_IMPORT_KEYS = [
  'OutputBucketName',
  'AssetsBucketName',
  'GlueJobRoleArn',
  'GlueDatabaseName',
  'GlueSecurityConfigurationName',
  'AlarmTopicArn',
  'FileLedgerTableName',
] as const satisfies readonly ExportKey[];

/** The CloudFormation export names the application stack of one stage imports. */
export const applicationImportNames = (ctx: NameContext): string[] =>
  APPLICATION_IMPORT_KEYS.map((key) => exportName(ctx, key));

export interface ContractImportsProps {
  /** The stage whose infrastructure exports are imported. */
  readonly context: NameContext;
}

/** The infrastructure of one stage, as seen through the export contract. */
export class ContractImports extends Construct {
  readonly outputBucket: IBucket;
  readonly assetsBucket: IBucket;
  /** Immutable: the infrastructure stack owns its policies, so grants made here change nothing. */
  readonly jobRole: IRole;
  readonly glueDatabaseName: string;
  readonly securityConfiguration: ISecurityConfiguration;
  /** The stage's alarm topic (e-mail and pipeline notifications subscribe to it in the infrastructure stack). */
  readonly alarmTopic: ITopic;
  /** The DynamoDB file ledger; the job writes there with the role's grants, so only the name is needed. */
  readonly fileLedgerTableName: string;

  constructor(scope: Construct, id: string, props: ContractImportsProps) {
    super(scope, id);
    const ctx = props.context;
    this.outputBucket = Bucket.fromBucketName(this, 'OutputBucket', importValue(ctx, 'OutputBucketName'));
    this.assetsBucket = Bucket.fromBucketName(this, 'AssetsBucket', importValue(ctx, 'AssetsBucketName'));
    this.jobRole = Role.fromRoleArn(this, 'GlueJobRole', importValue(ctx, 'GlueJobRoleArn'), {
      mutable: false,
    });
    this.glueDatabaseName = importValue(ctx, 'GlueDatabaseName');
    this.securityConfiguration = SecurityConfiguration.fromSecurityConfigurationName(
      this,
      'SecurityConfiguration',
      importValue(ctx, 'GlueSecurityConfigurationName'),
    );
    this.alarmTopic = Topic.fromTopicArn(this, 'AlarmTopic', importValue(ctx, 'AlarmTopicArn'));
    this.fileLedgerTableName = importValue(ctx, 'FileLedgerTableName');
  }
}
