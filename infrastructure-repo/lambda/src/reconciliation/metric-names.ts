/**
 * The metrics reconciliation publishes once per run (namespace `<project>/<stage>/reconciliation`, dimension
 * `service`). Kept free of Powertools so the stack's alarms and dashboard name the same metrics.
 */
export const RECONCILIATION_METRICS = {
  /** Uploads older than the minimum age with no terminal state in the ledger (0 when all is well). */
  unreconciled: 'UnreconciledObjects',
  /** Object versions looked up in the ledger. */
  checked: 'VersionsChecked',
  /** 1 when the listing stopped before the end of `incoming/` (version or time limit), else 0. */
  incomplete: 'ReconciliationIncomplete',
} as const;

/** The Powertools service name: the `service` dimension of every metric. */
export const RECONCILIATION_SERVICE = 'file-reconciliation';
