import {
  acknowledgeWildcardResource,
  glueDatabaseName,
  LEDGER_DATASET_INDEX,
  NameContext,
  OPERATOR_ATHENA_RESULTS_PREFIX,
  operatorRoleName,
  S3_PREFIXES,
} from '@glue-platform/shared-constructs';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { glueArn } from '../private/arns';

export interface OperatorRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  readonly buckets: { readonly input: s3.IBucket; readonly assets: s3.IBucket; readonly output: s3.IBucket };
  /** The trigger's queue: a DLQ redrive sends messages back to it. */
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The file ledger (a `Table` or `TableV2`). */
  readonly ledgerTable: { readonly tableArn: string };
  /** The stage's data key (buckets, queues). */
  readonly key: kms.IKey;
  /** The Glue job a re-process starts: `file_processor`'s physical name. */
  readonly jobName: string;
  /**
   * Who may assume the role: IAM ARN patterns (`*` allowed) of the stage's account, such as the role an identity
   * centre permission set makes (`arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataOps_*`).
   * @default every role of the stage's account (`arn:aws:iam::<account>:role/*`), none of its IAM users
   */
  readonly trustedPrincipalArns?: readonly string[];
  /** The Athena workgroup `glue-platform quarantine` queries in. @default 'primary' */
  readonly athenaWorkgroup?: string;
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/.+$/;

/**
 * The role operators act through with the `glue-platform` CLI: read the ledger, the run reports and the
 * quarantine (its tables through Athena, its whole files), upload to `incoming/`, redrive the trigger's DLQ and
 * start a re-process (a manifest, a ledger claim, a run). Nothing else of the stage: it cannot delete data,
 * change a table or read the data tables.
 *
 * Trust: the stage's own account, and only principals matching `trustedPrincipalArns` (by default any role of
 * the account, no IAM user). An account principal delegates to IAM: a principal also needs `sts:AssumeRole` on
 * this role in its own policies, so the account's administrators decide who operates.
 */
export class OperatorRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OperatorRoleProps) {
    super(scope, id);
    const { ctx, buckets, key } = props;
    const trusted = props.trustedPrincipalArns ?? [`arn:${Aws.PARTITION}:iam::${ctx.account}:role/*`];
    if (trusted.length === 0) {
      throw new Error(
        `OperatorRole of stage ${ctx.stage}: trustedPrincipalArns is empty; name at least one principal`,
      );
    }
    for (const arn of props.trustedPrincipalArns ?? []) {
      const match = PRINCIPAL_ARN.exec(arn);
      if (!match || match[1] !== ctx.account) {
        throw new Error(
          `OperatorRole of stage ${ctx.stage}: trustedPrincipalArns has "${arn}"; expected an IAM role or user ARN ` +
            `(pattern) of the stage's account ${ctx.account}, such as arn:aws:iam::${ctx.account}:role/DataOps`,
        );
      }
    }
    const database = glueDatabaseName(ctx);
    const workgroup = props.athenaWorkgroup ?? 'primary';

    const uploads = buckets.input.arnForObjects(`${S3_PREFIXES.incoming}*`);
    const reports = buckets.assets.arnForObjects(`${S3_PREFIXES.reports}*`);
    const manifests = buckets.assets.arnForObjects(`${S3_PREFIXES.manifests}*`);
    const athenaResults = buckets.assets.arnForObjects(`${OPERATOR_ATHENA_RESULTS_PREFIX}*`);
    const quarantineTables = buckets.output.arnForObjects(`${database}.db/*__quarantine/*`);
    const quarantinedFiles = buckets.output.arnForObjects(`${S3_PREFIXES.quarantine}*`);
    const ledgerIndex = `${props.ledgerTable.tableArn}/index/${LEDGER_DATASET_INDEX.name}`;
    const quarantineCatalog = glueArn(ctx, `table/${database}/*__quarantine`);

    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadLedger',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [props.ledgerTable.tableArn, ledgerIndex],
      }),
      new iam.PolicyStatement({
        // A re-process records its claim, and gives it back when the run cannot start.
        sid: 'ClaimInputObjects',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [props.ledgerTable.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${buckets.input.bucketName}/${S3_PREFIXES.incoming}*`],
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'UploadAndReadIncoming',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [uploads],
      }),
      new iam.PolicyStatement({ sid: 'ReadRunReports', actions: ['s3:GetObject'], resources: [reports] }),
      new iam.PolicyStatement({ sid: 'WriteManifests', actions: ['s3:PutObject'], resources: [manifests] }),
      new iam.PolicyStatement({
        sid: 'ReadQuarantine',
        actions: ['s3:GetObject'],
        resources: [quarantineTables, quarantinedFiles],
      }),
      new iam.PolicyStatement({
        sid: 'WriteAthenaResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [athenaResults],
      }),
      // GetBucketLocation carries no s3:prefix, so under the prefix condition it would never be allowed.
      new iam.PolicyStatement({
        sid: 'LocateAthenaResults',
        actions: ['s3:GetBucketLocation'],
        resources: [buckets.assets.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ListAthenaResults',
        actions: ['s3:ListBucket'],
        resources: [buckets.assets.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${OPERATOR_ATHENA_RESULTS_PREFIX}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'QueryQuarantineTables',
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [`arn:${Aws.PARTITION}:athena:${ctx.region}:${ctx.account}:workgroup/${workgroup}`],
      }),
      new iam.PolicyStatement({
        sid: 'ReadQuarantineCatalog',
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [glueArn(ctx, 'catalog'), glueArn(ctx, `database/${database}`), quarantineCatalog],
      }),
      new iam.PolicyStatement({
        sid: 'FollowAndStartRuns',
        actions: ['glue:GetJobRuns', 'glue:GetJobRun', 'glue:StartJobRun'],
        resources: [glueArn(ctx, `job/${props.jobName}`)],
      }),
      new iam.PolicyStatement({
        sid: 'ReadAndEmptyDeadLetterQueue',
        actions: [
          'sqs:GetQueueUrl',
          'sqs:GetQueueAttributes',
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
        ],
        resources: [props.deadLetterQueue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'RedriveToTriggerQueue',
        actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    ];

    this.role = new iam.Role(this, 'Resource', {
      roleName: operatorRoleName(ctx),
      assumedBy: new iam.PrincipalWithConditions(new iam.AccountPrincipal(ctx.account), {
        ArnLike: { 'aws:PrincipalArn': [...trusted] },
      }),
      description: `Operators of ${ctx.project} stage ${ctx.stage}: the glue-platform CLI`,
      inlinePolicies: { Operator: new iam.PolicyDocument({ statements }) },
    });

    const ack = (arn: string, reason: string) => acknowledgeWildcardResource(this.role, arn, reason);
    ack(
      uploads,
      'Operators upload files with keys of their choosing, only under incoming/ (one folder per dataset).',
    );
    ack(reports, 'Operators read the report of any run; each key carries a run id, unknown in advance.');
    ack(
      manifests,
      'A re-process writes one manifest with a new key, only under manifests/, as the trigger does.',
    );
    ack(
      athenaResults,
      'Athena writes each query result under a new key, only under the athena-results/ prefix.',
    );
    ack(
      quarantineTables,
      'Athena reads the quarantine tables with the caller credentials; their data files have generated names.',
    );
    ack(
      quarantinedFiles,
      'Operators read files the job copied whole to quarantine/, one folder per table and source.',
    );
    ack(
      quarantineCatalog,
      'Athena reads the catalog entry of every <table>__quarantine table of the stage database.',
    );
  }
}
