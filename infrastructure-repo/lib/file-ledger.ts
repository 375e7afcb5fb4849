import {
  fileLedgerTableName,
  LEDGER_DATASET_INDEX,
  LEDGER_KEY,
  LEDGER_TTL_ATTRIBUTE,
  NameContext,
} from '@glue-platform/shared-constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface FileLedgerProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The stage's data key: the ledger names every uploaded file, so it is encrypted like the files. */
  readonly key: kms.IKey;
  /** Keep the table after the stack is deleted, and refuse its deletion. */
  readonly retainData: boolean;
}

/**
 * The stage's file ledger: one item per uploaded object version (contract `contracts/ledger-item.ts`), written
 * by the trigger and the job, read by reconciliation and operators. On demand, because writes follow uploads in
 * bursts; point-in-time recovery on, because the ledger is the record of what happened to every file; items
 * expire through TTL after the retention the config sets (the writers compute `expiresAt`).
 */
export class FileLedger extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: FileLedgerProps) {
    super(scope, id);
    const text = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Resource', {
      tableName: fileLedgerTableName(props.ctx),
      partitionKey: text(LEDGER_KEY.partition),
      sortKey: text(LEDGER_KEY.sort),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      globalSecondaryIndexes: [
        {
          indexName: LEDGER_DATASET_INDEX.name,
          partitionKey: text(LEDGER_DATASET_INDEX.partition),
          sortKey: text(LEDGER_DATASET_INDEX.sort),
          // Listing a dataset's files needs the whole item (status, reason, run, report) without a second read.
          projectionType: dynamodb.ProjectionType.ALL,
        },
      ],
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
