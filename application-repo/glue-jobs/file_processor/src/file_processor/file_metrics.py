"""The per-dataset file metrics of one run, put to CloudWatch once after the report: the Python side of
`shared-constructs/src/contracts/file-metrics.ts` (namespace `<project>/<stage>/files`, dimension `Dataset`).

They are counts of this run, so a Sum over a period adds up every run of the dataset in it; the quarantine-ratio
alarm divides RowsQuarantined by RowsRead. Every metric is put, zeros included, so a period with runs always has
data. Like the ledger, a failed put never fails a run whose tables committed: it is logged with the data it held.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from file_processor.run_report import FileStatus, RunReport

LOG = logging.getLogger("file_processor.file_metrics")

NAMESPACE_ARGUMENT = "file_metrics_namespace"
"""The job argument naming the namespace; without it the run puts no metrics (local runs, the demo)."""
DIMENSION = "Dataset"
"""`FILE_METRIC_DIMENSION` of the contract."""
JOB_FILE_METRICS = (
    "FilesSucceeded",
    "FilesQuarantined",
    "FilesFailed",
    "FilesSkipped",
    "RowsRead",
    "RowsWritten",
    "RowsQuarantined",
)
"""`JOB_FILE_METRICS` of the contract, in its order."""


def metrics_namespace(arguments: Mapping[str, str]) -> str | None:
    return arguments.get(NAMESPACE_ARGUMENT) or None


def run_metric_values(report: RunReport) -> dict[str, int]:
    statuses = [result.status for result in report.files]
    return {
        "FilesSucceeded": statuses.count(FileStatus.SUCCEEDED),
        "FilesQuarantined": statuses.count(FileStatus.QUARANTINED),
        "FilesFailed": statuses.count(FileStatus.FAILED),
        "FilesSkipped": statuses.count(FileStatus.SKIPPED),
        "RowsRead": report.total("rows_read"),
        "RowsWritten": report.total("rows_written"),
        "RowsQuarantined": report.total("rows_quarantined"),
    }


def metric_data(report: RunReport, timestamp: datetime) -> list[dict[str, Any]]:
    """PutMetricData's MetricData: one datum per metric of the contract, all on the run's dataset."""
    values = run_metric_values(report)
    dimensions = [{"Name": DIMENSION, "Value": report.dataset}]
    return [
        {"MetricName": name, "Dimensions": dimensions, "Timestamp": timestamp, "Value": values[name], "Unit": "Count"}
        for name in JOB_FILE_METRICS
    ]


def publish_run_metrics(client: Any, namespace: str, report: RunReport, timestamp: datetime) -> bool:
    """True once put; False (after logging what was not put) when CloudWatch refused or could not be reached."""
    data = metric_data(report, timestamp)
    try:
        client.put_metric_data(Namespace=namespace, MetricData=data)
    except Exception as error:  # botocore already retried throttling; a metric never fails a committed run
        values = {datum["MetricName"]: datum["Value"] for datum in data}
        LOG.error(
            "putting the file metrics of run %s to %s failed: %s: %s; the values: %s",
            report.context.run_id,
            namespace,
            type(error).__name__,
            error,
            json.dumps({"Dataset": report.dataset, **values}, sort_keys=True),
        )
        return False
    return True
