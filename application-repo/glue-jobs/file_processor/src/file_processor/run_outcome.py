"""After the report: each file's terminal state to the ledger, the run's counts to CloudWatch. Both are optional
(their job arguments decide) and neither changes the run's status: the report, written first, is its record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from file_processor.file_metrics import publish_run_metrics
from file_processor.ledger import FileLedger, LedgerWrite
from file_processor.manifest import Manifest
from file_processor.run_report import RunReport

LOG = logging.getLogger("file_processor.run_outcome")


@dataclass(frozen=True)
class OutcomeSinks:
    """Where a run's outcome goes besides its report; each None when its job argument is not given."""

    ledger: FileLedger | None = None
    cloudwatch: Any = None
    metrics_namespace: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class OutcomeRecorded:
    ledger: LedgerWrite | None
    """None when the run keeps no ledger."""
    metrics_put: bool | None
    """None when the run puts no metrics."""


def record_outcome(sinks: OutcomeSinks, manifest: Manifest, report: RunReport, report_uri: str) -> OutcomeRecorded:
    ledger = None
    if sinks.ledger is not None:
        ledger = sinks.ledger.record(manifest, report, report_uri)
        if ledger.failures:
            LOG.error(
                "run %s: %d of %d ledger item(s) not written (see the errors above); the report %s holds every "
                "file's terminal state",
                report.context.run_id,
                len(ledger.failures),
                len(report.files),
                report_uri,
            )
        else:
            LOG.info("run %s: %d ledger item(s) written", report.context.run_id, ledger.written)
    metrics_put = None
    if sinks.cloudwatch is not None and sinks.metrics_namespace:
        metrics_put = publish_run_metrics(sinks.cloudwatch, sinks.metrics_namespace, report, sinks.clock())
    return OutcomeRecorded(ledger=ledger, metrics_put=metrics_put)
