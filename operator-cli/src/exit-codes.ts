/**
 * What the exit code tells a script. Documented in `docs/operations.md` (CLI); tests check each one.
 * 1 is reserved for answers an operator must act on, so a script can tell them from a broken invocation.
 */
export const EXIT = {
  /** The command did what it was asked and found nothing wrong. */
  ok: 0,
  /** Done, but something needs a person: a file failed or was quarantined, the DLQ holds messages (with
   * `--check`), a followed upload did not finish in time, no ledger entry matched, a re-process was refused. */
  attention: 1,
  /** The command line or the platform config is wrong; nothing was sent to AWS. */
  usage: 2,
  /** AWS could not be used: no credentials, the role could not be assumed, access denied, a resource of the
   * stage is missing, or the endpoint did not answer. */
  aws: 3,
  /** The ledger or a run report holds what the contract forbids: the message names every problem. */
  unreadable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
