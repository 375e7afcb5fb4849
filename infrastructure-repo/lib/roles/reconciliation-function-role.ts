import {
  assetsBucketName,
  fileLedgerTableName,
  inputBucketName,
  NameContext,
  reconciliationFunctionName,
  reconciliationRoleName,
  S3_PREFIXES,
} from '@glue-platform/shared-constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { RECONCILIATION_REPORT_PREFIX } from '../../lambda/src/reconciliation/report-location';
import { dynamodbTableArn, s3BucketArn, s3ObjectsArn } from '../private/arns';

import { createFunctionRole, functionLogGroupName } from './function-role';

export interface ReconciliationFunctionRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The stage's data key (the ledger table and the reports are encrypted with it). */
  readonly key: kms.IKey;
}

/** The reconciliation function's log group: `/aws/lambda/<function name>`, created by the stack with a retention. */
export const reconciliationLogGroupName = (ctx: NameContext): string =>
  functionLogGroupName(reconciliationFunctionName(ctx));

/**
 * The reconciliation function's role: it lists the versions under `incoming/`, reads the ledger and writes its
 * report. It reads no uploaded file and writes nothing else. Handed to the function without policy updates.
 */
export class ReconciliationFunctionRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReconciliationFunctionRoleProps) {
    super(scope, id);
    const { ctx, key } = props;
    const reports = s3ObjectsArn(assetsBucketName(ctx), RECONCILIATION_REPORT_PREFIX);

    const statements = [
      new iam.PolicyStatement({
        sid: 'ListIncomingVersions',
        actions: ['s3:ListBucketVersions'],
        resources: [s3BucketArn(inputBucketName(ctx))],
        conditions: { StringLike: { 's3:prefix': [`${S3_PREFIXES.incoming}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadFileLedger',
        actions: ['dynamodb:BatchGetItem'],
        resources: [dynamodbTableArn(ctx, fileLedgerTableName(ctx))],
      }),
      new iam.PolicyStatement({
        sid: 'WriteReconciliationReports',
        actions: ['s3:PutObject'],
        resources: [reports],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        // Decrypt and DescribeKey read the ledger table; GenerateDataKey encrypts the report.
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    ];

    this.role = createFunctionRole(this, {
      ctx,
      roleName: reconciliationRoleName(ctx),
      description: `Reconciliation of ${ctx.project} stage ${ctx.stage}: uploads under incoming/ against the file ledger`,
      policyName: 'Reconciliation',
      statements,
      logGroupName: reconciliationLogGroupName(ctx),
      wildcards: [
        {
          resource: reports,
          reason:
            'Each run writes one report with a new timestamped key, only under reports/reconciliation/.',
        },
      ],
    });
  }
}
