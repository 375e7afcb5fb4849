"""The per-run JSON report: what happened to every file of the manifest, what each table committed, and totals.

Written to `<assets>/reports/<job name>/<run id>.json` (layout.py). Its shape is one schema shared with the
TypeScript that reads it (`shared-constructs/src/contracts/run-report.ts`, used by the smoke test); the shared
fixture `shared-constructs/fixtures/run-report.json` is checked by both sides. Keys are camelCase like the
manifest's. Snapshot ids are 64-bit: they are written as text so JavaScript keeps every digit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from file_processor.table_commit import CommitOutcome, CommitStatus
from file_processor.table_schema import Column, TypeConflict

REPORT_VERSION = 2


class FileStatus(StrEnum):
    SUCCEEDED = "succeeded"
    """Read and committed, at least one row to the table (or it had none); some rows may be quarantined."""
    QUARANTINED = "quarantined"
    """Unreadable (the whole file was copied to quarantine), or every row failed validation (file_outcome.py)."""
    SKIPPED = "skipped"
    """Not processed on purpose: a newer version replaced it, and that version's own event processes it."""
    FAILED = "failed"
    """Its notified version is gone, or an unexpected error; the run fails after the others are done."""


class RunStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class RunContext:
    """Identity of the run, stamped on every row it writes."""

    job_name: str
    run_id: str
    processed_at: datetime
    """One UTC instant for the whole run (timezone-aware)."""

    @property
    def processing_job(self) -> str:
        return f"{self.job_name}/{self.run_id}"


@dataclass(frozen=True)
class FileResult:
    source_file: str
    source_key: str
    source_version: str | None
    status: FileStatus
    rows_read: int = 0
    rows_written: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    """From the start of the run until the file's rows were committed (or its outcome was known)."""
    reason: str | None = None
    read_mode: str | None = None
    """"multi-line" (one split, quoted newlines allowed) or "line" (split across cores)."""
    columns: tuple[Column, ...] = ()
    header: tuple[str, ...] = ()
    conflicts: tuple[TypeConflict, ...] = ()
    size: int = 0
    snapshot_id: int | None = None
    quarantined_file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "sourceFile": self.source_file,
            "sourceKey": self.source_key,
            "sourceVersion": self.source_version,
            "status": self.status.value,
            "rowsRead": self.rows_read,
            "rowsWritten": self.rows_written,
            "rowsQuarantined": self.rows_quarantined,
            "seconds": round(self.seconds, 3),
            "reason": self.reason,
            "readMode": self.read_mode,
            "bytes": self.size,
            "columns": [
                {"name": column.name, "type": column.type, **({"header": header} if header != column.name else {})}
                for column, header in zip(self.columns, self.header or [c.name for c in self.columns], strict=True)
            ],
            "typeConflicts": [
                {"column": c.column, "fileType": c.file_type, "tableType": c.table_type} for c in self.conflicts
            ],
            "snapshotId": None if self.snapshot_id is None else str(self.snapshot_id),
            "quarantinedFile": self.quarantined_file,
        }


@dataclass(frozen=True)
class RunReport:
    context: RunContext
    manifest_id: str
    dataset: str
    database: str
    table: str
    quarantine_table: str
    files: tuple[FileResult, ...]
    commits: tuple[CommitOutcome, ...]
    seconds: float
    quarantine_ratio_threshold: float

    @property
    def status(self) -> RunStatus:
        failed = self.commit_errors or any(result.status == FileStatus.FAILED for result in self.files)
        return RunStatus.FAILED if failed else RunStatus.SUCCEEDED

    @property
    def commit_errors(self) -> list[str]:
        """`table: error` for each table whose commit failed."""
        return [f"{commit.table}: {commit.error}" for commit in self.commits if commit.status == CommitStatus.FAILED]

    @property
    def quarantine_ratio(self) -> float | None:
        read = self.total("rows_read")
        return None if read == 0 else self.total("rows_quarantined") / read

    def total(self, attribute: str) -> int:
        return sum(int(getattr(result, attribute)) for result in self.files)

    def to_json(self) -> dict[str, Any]:
        statuses = [result.status for result in self.files]
        ratio = self.quarantine_ratio
        return {
            "reportVersion": REPORT_VERSION,
            "jobName": self.context.job_name,
            "runId": self.context.run_id,
            "manifestId": self.manifest_id,
            "dataset": self.dataset,
            "database": self.database,
            "table": self.table,
            "quarantineTable": self.quarantine_table,
            "status": self.status.value,
            "processedAt": self.context.processed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "seconds": round(self.seconds, 3),
            "totals": {
                "files": len(self.files),
                "filesSucceeded": statuses.count(FileStatus.SUCCEEDED),
                "filesQuarantined": statuses.count(FileStatus.QUARANTINED),
                "filesSkipped": statuses.count(FileStatus.SKIPPED),
                "filesFailed": statuses.count(FileStatus.FAILED),
                "rowsRead": self.total("rows_read"),
                "rowsWritten": self.total("rows_written"),
                "rowsQuarantined": self.total("rows_quarantined"),
            },
            "quarantineRatio": None if ratio is None else round(ratio, 6),
            "quarantineRatioThreshold": self.quarantine_ratio_threshold,
            "commits": [_commit_json(commit) for commit in self.commits],
            "files": [result.to_json() for result in self.files],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), indent=2).encode("utf-8")


def _commit_json(commit: CommitOutcome) -> dict[str, Any]:
    return {
        "table": commit.table,
        "role": commit.role,
        "status": commit.status.value,
        "snapshotId": None if commit.snapshot_id is None else str(commit.snapshot_id),
        "attempts": commit.attempts,
        "rowsAdded": commit.rows_added,
        "rowsRemoved": commit.rows_removed,
        "error": commit.error,
    }
