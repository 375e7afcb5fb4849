import { parseArgs } from 'node:util';

import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from '@aws-sdk/client-sqs';

import type { Clients } from '../clients';
import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { aws, UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { printJson, renderTable } from '../output';
import { parseCount } from '../parse-values';

export const DLQ_USAGE = `Usage: glue-platform dlq list [--max 100] [--check] --stage S
       glue-platform dlq redrive [--max N] --stage S
list: the messages of the trigger's dead-letter queue and the objects they name (they stay in the queue).
redrive: moves them back to the trigger's queue, where the trigger reads them again; the ledger's claims keep
an object version from being processed twice.
  --max N            list or move at most N messages (list default 100; redrive default all)
  --check            (list) exit 1 when the DLQ holds any message
Exit: 0 done; 1 --check found messages, or a message could not be moved.
${COMMON_USAGE}`;

/** How long a listed message stays hidden while the rest are read; they are made visible again at the end. */
const PEEK_VISIBILITY_SECONDS = 30;
/** A moved message is hidden this long; if the move fails it comes back to the DLQ for the next redrive. */
const MOVE_VISIBILITY_SECONDS = 120;

async function queueUrl(clients: Clients, name: string): Promise<string> {
  const answer = await aws(`finding the queue ${name}`, () =>
    clients.sqs.send(new GetQueueUrlCommand({ QueueName: name })),
  );
  if (!answer.QueueUrl) throw new Error(`SQS GetQueueUrl of ${name} answered without a URL`);
  return answer.QueueUrl;
}

/** The objects an S3 notification names (keys URL-decoded as S3 encodes them: `+` for a space). */
export function objectsOfMessage(body: string | undefined): string[] | undefined {
  try {
    const parsed = JSON.parse(body ?? '') as {
      Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string; versionId?: string } } }[];
      Event?: string;
    };
    if (parsed.Event === 's3:TestEvent') return [];
    if (!Array.isArray(parsed.Records)) return undefined;
    return parsed.Records.map((r) => {
      const key = decodeURIComponent((r.s3?.object?.key ?? '').replace(/\+/g, ' '));
      const version = r.s3?.object?.versionId;
      return `s3://${r.s3?.bucket?.name ?? '?'}/${key}${version ? ` (version ${version})` : ''}`;
    });
  } catch {
    return undefined;
  }
}

async function receive(clients: Clients, url: string, max: number, visibility: number): Promise<Message[]> {
  const answer = await aws('reading the dead-letter queue', () =>
    clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max),
        VisibilityTimeout: visibility,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    ),
  );
  return answer.Messages ?? [];
}

async function list(
  io: CliIo,
  clients: Clients,
  url: string,
  max: number,
  json: boolean,
  check: boolean,
): Promise<ExitCode> {
  const attributes = await aws('reading the dead-letter queue', () =>
    clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    ),
  );
  const approximate = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
  const seen = new Map<string, Message>();
  for (;;) {
    const batch = await receive(clients, url, max - seen.size, PEEK_VISIBILITY_SECONDS);
    const fresh = batch.filter((m) => m.MessageId && !seen.has(m.MessageId));
    for (const message of fresh) seen.set(message.MessageId ?? '', message);
    if (fresh.length === 0 || seen.size >= max) break;
  }
  const messages = [...seen.values()];
  // Listing must not hide the messages from a redrive that follows at once.
  for (let i = 0; i < messages.length; i += 10) {
    const entries = messages
      .slice(i, i + 10)
      .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 }));
    await aws('making the listed messages visible again', () =>
      clients.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: entries })),
    );
  }
  const rows = messages.map((m) => ({
    messageId: m.MessageId ?? '',
    sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : null,
    receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    objects: objectsOfMessage(m.Body) ?? null,
    body: objectsOfMessage(m.Body) ? null : (m.Body ?? '').slice(0, 200),
  }));
  if (json) {
    printJson(io, { approximateCount: approximate, messages: rows });
  } else if (rows.length === 0) {
    io.stdout('The dead-letter queue is empty.\n');
  } else {
    io.stdout(`${rows.length} message(s) in the dead-letter queue (about ${approximate} in all):\n`);
    io.stdout(
      renderTable(
        [
          { header: 'MESSAGE', value: (r) => r.messageId },
          { header: 'SENT', value: (r) => r.sentAt },
          { header: 'RECEIVES', value: (r) => r.receives },
          {
            header: 'OBJECTS',
            value: (r) => (r.objects ? r.objects.join(', ') : `not an S3 notification: ${r.body ?? ''}`),
          },
        ],
        rows,
      ),
    );
  }
  return check && (rows.length > 0 || approximate > 0) ? EXIT.attention : EXIT.ok;
}

async function redrive(
  io: CliIo,
  clients: Clients,
  dlqUrl: string,
  targetUrl: string,
  max: number,
  json: boolean,
): Promise<ExitCode> {
  let moved = 0;
  const failed: { messageId: string; error: string }[] = [];
  while (moved + failed.length < max) {
    const batch = await receive(clients, dlqUrl, max - moved - failed.length, MOVE_VISIBILITY_SECONDS);
    if (batch.length === 0) break;
    const sent = await aws('sending messages back to the trigger queue', () =>
      clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: targetUrl,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body ?? '',
            MessageAttributes: m.MessageAttributes,
          })),
        }),
      ),
    );
    for (const f of sent.Failed ?? []) {
      failed.push({
        messageId: batch[Number(f.Id)]?.MessageId ?? '?',
        error: `${f.Code ?? ''} ${f.Message ?? ''}`.trim(),
      });
    }
    const done = (sent.Successful ?? [])
      .map((s) => batch[Number(s.Id)])
      .filter((m): m is Message => m !== undefined);
    if (done.length > 0) {
      // Deleted only once sent: a failure between the two leaves a copy in both queues, never in neither.
      await aws('deleting moved messages from the dead-letter queue', () =>
        clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: dlqUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        ),
      );
    }
    moved += done.length;
    if (!json) io.stdout(`moved ${moved} message(s)\n`);
  }
  if (json) printJson(io, { moved, failed });
  else {
    io.stdout(
      moved === 0 && failed.length === 0
        ? 'The dead-letter queue is empty; nothing to move.\n'
        : `Moved ${moved} message(s) back to the trigger queue.\n`,
    );
    for (const f of failed) io.stderr(`not moved: ${f.messageId}: ${f.error}\n`);
  }
  return failed.length > 0 ? EXIT.attention : EXIT.ok;
}

export async function dlqCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOrExplain(DLQ_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, max: { type: 'string' }, check: { type: 'boolean' } },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout(`${DLQ_USAGE}\n`);
    return EXIT.ok;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'list' && action !== 'redrive')) {
    throw new UsageError(
      `dlq: got ${positionals.length ? `"${positionals.join(' ')}"` : 'nothing'}; expected list or redrive\n\n${DLQ_USAGE}`,
    );
  }
  if (values.check && action !== 'list') throw new UsageError('--check goes with dlq list');
  const max = values.max
    ? parseCount(values.max, '--max')
    : action === 'list'
      ? 100
      : Number.POSITIVE_INFINITY;
  const stage = stageOf(values, io);
  const clients = await clientsFor(stage, values, io);
  const dlqUrl = await queueUrl(clients, stage.deadLetterQueue);
  if (action === 'list') return list(io, clients, dlqUrl, max, values.json ?? false, values.check ?? false);
  return redrive(io, clients, dlqUrl, await queueUrl(clients, stage.queue), max, values.json ?? false);
}
