import { LedgerItemError, RunReportError } from '@glue-platform/shared-constructs/contracts';

import { dlqCommand } from './commands/dlq';
import { quarantineCommand } from './commands/quarantine';
import { reprocessCommand } from './commands/reprocess';
import { runsCommand } from './commands/runs';
import { statusCommand } from './commands/status';
import { uploadCommand } from './commands/upload';
import { exitCodeOf, UsageError } from './errors';
import { EXIT, type ExitCode } from './exit-codes';
import type { CliIo } from './io';

type Command = (argv: readonly string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Readonly<Record<string, Command>> = {
  upload: uploadCommand,
  status: statusCommand,
  quarantine: quarantineCommand,
  runs: runsCommand,
  dlq: dlqCommand,
  reprocess: reprocessCommand,
};

export const USAGE = `Usage: glue-platform COMMAND [options] --stage S
  upload FILE... --dataset D [--follow]   upload CSV files; with --follow, wait for their rows
  status s3://BUCKET/KEY                  every version of a file in the ledger, with its run and report
  status --dataset D [--since 24h]        a dataset's files that changed since
  quarantine --dataset D [--file KEY]     quarantined rows with their reasons, and files quarantined whole
  runs [--dataset D]                      the newest runs of file_processor with their reports
  dlq list | dlq redrive                  the trigger's dead-letter queue: look, or move back to the queue
  reprocess s3://BUCKET/KEY               run a file's current version again (never duplicates rows)
'glue-platform COMMAND --help' tells more. Exit codes: 0 ok; 1 something needs a person (a file failed or was
quarantined, the DLQ holds messages with --check, a wait timed out); 2 usage or config error; 3 AWS access error
(credentials, role, a missing resource, the endpoint); 4 an answer the CLI cannot read (invalid ledger item or report).`;

/** Runs one command line and returns its exit code; every message goes through `io`. */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  try {
    if (!command)
      throw new UsageError(
        `Unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}`,
      );
    return await command(rest, io);
  } catch (error) {
    const code = exitCodeOf(error);
    if (code !== undefined) {
      io.stderr(`glue-platform ${name}: ${(error as Error).message}\n`);
      return code;
    }
    if (error instanceof LedgerItemError || error instanceof RunReportError) {
      io.stderr(`glue-platform ${name}: ${error.message}\n`);
      return EXIT.unreadable;
    }
    throw error;
  }
}
