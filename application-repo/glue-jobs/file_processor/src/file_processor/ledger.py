"""The file ledger's terminal states: after its commit and report, the run records how each file of its manifest ended.

The item schema is `shared-constructs/src/contracts/ledger-item.ts` (its fixture `shared-constructs/fixtures/
ledger-items.json` is what the tests check these items against). One UpdateItem per file: it sets everything the
run knows, so an item the trigger never wrote (a manual run) is still a whole item, and keeps what only the trigger
knows when it is there (`receivedAt`, `manifestId`, `attempts`) through `if_not_exists`.

A ledger write never fails a run whose tables committed: throttling is retried with backoff, and a file whose write
still fails is logged at ERROR with the whole item (so it can be replayed by hand) and returned as a failure the
caller logs. Nothing is lost: the run report, written before the ledger, holds every file's terminal state, and the
item left at `started` is what reconciliation looks for (a file in no terminal state).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from file_processor.layout import source_key, source_version
from file_processor.manifest import Manifest, ManifestObject
from file_processor.run_report import FileResult, FileStatus, RunReport

LOG = logging.getLogger("file_processor.ledger")

LEDGER_ITEM_VERSION = 1
"""`LEDGER_ITEM_VERSION` of the contract."""
PARTITION_KEY = "objectKey"
SORT_KEY = "version"
TABLE_ARGUMENT = "ledger_table"
"""`LEDGER_TABLE_JOB_ARGUMENT` of the contract, without its leading dashes."""
RETENTION_ARGUMENT = "ledger_retention_days"
"""Days an item is kept after its terminal state (its `expiresAt`); required with the table."""
MAX_RETENTION_DAYS = 3650

THROTTLING_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "InternalServerError"}
)
"""Errors worth another try; any other error (a missing table, a denied call) would fail the same way again."""

# The rows of a file that was never read (failed, skipped) are unknown, not zero: null, as in the contract's fixture.
_READ_STATUSES = frozenset({FileStatus.SUCCEEDED, FileStatus.QUARANTINED})
_SERIALIZER = TypeSerializer()


class LedgerSettingsError(ValueError):
    """The ledger's job arguments are not usable; the message names the argument and what is expected."""


@dataclass(frozen=True)
class LedgerSettings:
    table: str
    retention_days: int
    max_attempts: int = 6
    """Tries per item, throttling included, before the item is logged as not written."""
    parallel_writes: int = 16
    """A run may end thousands of files; their UpdateItems go side by side."""


def ledger_settings(arguments: Mapping[str, str]) -> LedgerSettings | None:
    """From the job arguments; None without `--ledger_table` (local runs and the demo keep no ledger)."""
    table = arguments.get(TABLE_ARGUMENT)
    if not table:
        return None
    raw = arguments.get(RETENTION_ARGUMENT)
    try:
        days = int(raw or "")
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise LedgerSettingsError(
            f"--{RETENTION_ARGUMENT}: got {raw!r}; expected a whole number of days from 1 to {MAX_RETENTION_DAYS} "
            f"(required with --{TABLE_ARGUMENT})"
        )
    return LedgerSettings(table=table, retention_days=days)


def ledger_key(obj: ManifestObject) -> dict[str, str]:
    """The item's key: `bucket/key` and the version the job stamps on rows as `source_version`."""
    return {PARTITION_KEY: source_key(obj), SORT_KEY: source_version(obj)}


def iso_instant(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds and `Z`, as the trigger writes its instants."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def terminal_attributes(
    obj: ManifestObject,
    result: FileResult,
    report: RunReport,
    report_uri: str,
    now: datetime,
    retention_days: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the run sets on the item, and what it sets only where the trigger has not (`if_not_exists`)."""
    ran = result.status in _READ_STATUSES
    sets: dict[str, Any] = {
        "itemVersion": LEDGER_ITEM_VERSION,
        "bucket": obj.bucket,
        "key": obj.key,
        "versionId": obj.version_id,
        "eTag": obj.e_tag.strip('"'),
        "size": obj.size,
        "dataset": report.dataset,
        "status": result.status.value,
        "reason": result.reason,
        "eventTime": iso_instant(obj.event_time),
        "updatedAt": iso_instant(now),
        "jobName": report.context.job_name,
        "jobRunId": report.context.run_id,
        "rowsRead": result.rows_read if ran else None,
        "rowsWritten": result.rows_written if ran else None,
        "rowsQuarantined": result.rows_quarantined if ran else None,
        "snapshotId": None if result.snapshot_id is None else str(result.snapshot_id),
        "reportUri": report_uri,
        "expiresAt": int(now.timestamp()) + retention_days * 86_400,
    }
    kept = {"receivedAt": iso_instant(now), "manifestId": report.manifest_id, "attempts": 1}
    return sets, kept


def update_request(
    table: str, key: Mapping[str, str], sets: Mapping[str, Any], kept: Mapping[str, Any]
) -> dict[str, Any]:
    """UpdateItem parameters; every attribute goes through a name placeholder (`key`, `size`, `status` are reserved)."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    clauses: list[str] = []
    for index, (name, value) in enumerate([*sets.items(), *kept.items()]):
        names[f"#a{index}"] = name
        values[f":v{index}"] = _SERIALIZER.serialize(value)
        clause = f"#a{index} = :v{index}"
        if name in kept:
            clause = f"#a{index} = if_not_exists(#a{index}, :v{index})"
        clauses.append(clause)
    return {
        "TableName": table,
        "Key": {name: _SERIALIZER.serialize(value) for name, value in key.items()},
        "UpdateExpression": "SET " + ", ".join(clauses),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


@dataclass(frozen=True)
class LedgerFailure:
    source_file: str
    error: str


@dataclass(frozen=True)
class LedgerWrite:
    """What the run recorded: items written, and the files whose item could not be written."""

    written: int
    failures: tuple[LedgerFailure, ...] = ()


@dataclass
class FileLedger:
    """Writes terminal states to one table through a boto3 DynamoDB client (tests pass moto's or a stubbed one)."""

    client: Any
    settings: LedgerSettings
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], None] = field(default=time.sleep)

    def record(self, manifest: Manifest, report: RunReport, report_uri: str) -> LedgerWrite:
        """One item per file of the manifest; never raises for a write that fails."""
        now = self.clock()
        requests = [
            (result.source_file, self._request(obj, result, report, report_uri, now))
            for obj, result in _pairs(manifest, report)
        ]
        workers = max(1, min(self.settings.parallel_writes, len(requests)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ledger") as pool:
            errors = list(pool.map(lambda request: self._write(*request), requests))
        failures = tuple(
            LedgerFailure(source_file, error)
            for (source_file, _), error in zip(requests, errors, strict=True)
            if error is not None
        )
        return LedgerWrite(written=len(requests) - len(failures), failures=failures)

    def _request(
        self, obj: ManifestObject, result: FileResult, report: RunReport, report_uri: str, now: datetime
    ) -> dict[str, Any]:
        sets, kept = terminal_attributes(obj, result, report, report_uri, now, self.settings.retention_days)
        return update_request(self.settings.table, ledger_key(obj), sets, kept)

    def _write(self, source_file: str, request: dict[str, Any]) -> str | None:
        """None once written; else the last error, after logging the item that was not written."""
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                self.client.update_item(**request)
                return None
            except ClientError as error:
                code = str(error.response.get("Error", {}).get("Code", ""))
                if code in THROTTLING_CODES and attempt < self.settings.max_attempts:
                    self.sleep(_backoff(attempt))
                    continue
                message = f"{code or type(error).__name__}: {error}"
            except Exception as error:  # a network error after botocore's own retries: same outcome
                message = f"{type(error).__name__}: {error}"
            LOG.error(
                "ledger write failed for %s after %d attempt(s): %s; the item to replay: %s",
                source_file,
                attempt,
                message,
                json.dumps(request, sort_keys=True),
            )
            return message
        raise AssertionError("unreachable: the last attempt returns")  # pragma: no cover


def _backoff(attempt: int) -> float:
    """Full jitter over 50 ms doubling each try, at most 5 s."""
    return random.uniform(0, min(5.0, 0.05 * 2**attempt))


def _pairs(manifest: Manifest, report: RunReport) -> Sequence[tuple[ManifestObject, FileResult]]:
    """The report lists one result per manifest object, in its order; anything else is a bug worth stopping on."""
    pairs = list(zip(manifest.objects, report.files, strict=True))
    for obj, result in pairs:
        if (source_key(obj), source_version(obj)) != (result.source_key, result.source_version):
            raise ValueError(
                f"the report's file {result.source_key}#{result.source_version} is not the manifest's "
                f"{source_key(obj)}#{source_version(obj)}"
            )
    return pairs
