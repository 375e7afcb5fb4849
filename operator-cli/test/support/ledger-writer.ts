import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  LEDGER_ITEM_VERSION,
  ledgerObjectKey,
  ledgerVersion,
  parseLedgerItem,
  type LedgerItem,
  type LedgerStatus,
} from '@glue-platform/shared-constructs/contracts';

import type { Clients } from '../../src/clients';
import type { Stage } from '../../src/stage';

/** An object version as the trigger learns it: from the notification, with the version id supplied. */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly eTag: string;
  readonly size: number;
  readonly dataset: string;
}

/**
 * A contract-valid ledger item of `status`, with what the trigger and the job would have written by then.
 * `overrides` changes any field; the result is checked against the contract, so a test cannot seed an item
 * the real writers could not write.
 */
export function ledgerItem(
  stage: Stage,
  object: ObjectVersion,
  status: LedgerStatus,
  at: string,
  overrides: Partial<LedgerItem> = {},
): LedgerItem {
  const claimed = status !== 'received' && status !== 'skipped';
  const ran = claimed && status !== 'claimed';
  const ended = ran && status !== 'started';
  const runId = `jr_${object.key.length.toString(16).padStart(8, '0')}test`;
  const rows =
    status === 'succeeded'
      ? { rowsRead: 10, rowsWritten: 8, rowsQuarantined: 2 }
      : status === 'quarantined'
        ? { rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0 }
        : { rowsRead: null, rowsWritten: null, rowsQuarantined: null };
  return parseLedgerItem(
    {
      itemVersion: LEDGER_ITEM_VERSION,
      objectKey: ledgerObjectKey(object.bucket, object.key),
      version: ledgerVersion(object.versionId, object.eTag),
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      eTag: object.eTag,
      size: object.size,
      dataset: object.dataset,
      status,
      reason: ['quarantined', 'failed', 'skipped'].includes(status)
        ? `${status} on purpose by the test`
        : null,
      eventTime: at,
      receivedAt: at,
      updatedAt: at,
      manifestId: claimed ? 'test-manifest' : null,
      jobName: claimed ? stage.jobName : null,
      jobRunId: ran ? runId : null,
      ...(ended ? rows : { rowsRead: null, rowsWritten: null, rowsQuarantined: null }),
      snapshotId: status === 'succeeded' ? '7523944719288312671' : null,
      reportUri: ended ? `s3://${stage.assetsBucket}/reports/${stage.jobName}/${runId}.json` : null,
      attempts: claimed ? 1 : 0,
      expiresAt: 1803290099,
      ...overrides,
    },
    'seeded by a test',
  );
}

export async function putLedgerItem(clients: Clients, stage: Stage, item: LedgerItem): Promise<void> {
  await clients.dynamodb.send(new PutItemCommand({ TableName: stage.ledgerTable, Item: marshall(item) }));
}
