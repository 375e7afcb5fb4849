"""The per-run JSON report: what maintenance did to every table of the database, with counts from Iceberg.

Written to `<assets>/reports/<job name>/<run id>.json` (report_writers.py), next to file_processor's reports. Keys
are camelCase like file_processor's, because the readers are TypeScript and people.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

REPORT_VERSION = 1


class MaintenanceStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    """A table: one of its steps raised, the later steps did not run. A run: some table failed, or listing did."""


class MaintenanceAction(StrEnum):
    """The steps of one table's maintenance, in order; a failed table names the step that raised."""

    READ_PROPERTIES = "read_properties"
    COUNT_FILES = "count_files"
    DROP_STALE_BRANCHES = "drop_stale_branches"
    REWRITE_DATA_FILES = "rewrite_data_files"
    REWRITE_POSITION_DELETE_FILES = "rewrite_position_delete_files"
    EXPIRE_SNAPSHOTS = "expire_snapshots"
    REMOVE_ORPHAN_FILES = "remove_orphan_files"


@dataclass
class TableReport:
    """One table's outcome, filled in step by step; a count stays None when its step did not run."""

    name: str
    status: MaintenanceStatus = MaintenanceStatus.SUCCEEDED
    data_files_before: int | None = None
    data_files_after: int | None = None
    delete_files_before: int | None = None
    delete_files_after: int | None = None
    data_files_rewritten: int | None = None
    data_files_added: int | None = None
    delete_files_rewritten: int | None = None
    delete_files_added: int | None = None
    snapshots_expired: int | None = None
    files_deleted_with_snapshots: int | None = None
    orphan_files_removed: int | None = None
    branches_dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed_action: MaintenanceAction | None = None
    error: str | None = None

    def fail(self, action: MaintenanceAction, error: str) -> None:
        self.status = MaintenanceStatus.FAILED
        self.failed_action = action
        self.error = error

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": str(self.status),
            "seconds": round(self.seconds, 3),
            "dataFilesBefore": self.data_files_before,
            "dataFilesAfter": self.data_files_after,
            "deleteFilesBefore": self.delete_files_before,
            "deleteFilesAfter": self.delete_files_after,
            "dataFilesRewritten": self.data_files_rewritten,
            "dataFilesAdded": self.data_files_added,
            "deleteFilesRewritten": self.delete_files_rewritten,
            "deleteFilesAdded": self.delete_files_added,
            "snapshotsExpired": self.snapshots_expired,
            "filesDeletedWithSnapshots": self.files_deleted_with_snapshots,
            "orphanFilesRemoved": self.orphan_files_removed,
            "branchesDropped": list(self.branches_dropped),
            "failedAction": None if self.failed_action is None else str(self.failed_action),
            "error": self.error,
        }


@dataclass(frozen=True)
class MaintenanceReport:
    job_name: str
    run_id: str
    database: str
    retention_days: int
    started_at: datetime
    """The run's `now` (from its clock); both cutoffs derive from it."""
    snapshot_cutoff: datetime
    orphan_file_cutoff: datetime
    seconds: float
    tables: tuple[TableReport, ...]
    """Tables with `managed_by` = `file_processor`, by name."""
    skipped_tables: tuple[str, ...] = ()
    """Iceberg tables of the database that file_processor does not manage: left untouched."""
    error: str | None = None
    """Why the run could not even list the database's tables."""

    @property
    def status(self) -> MaintenanceStatus:
        if self.error is not None or self.failed_tables:
            return MaintenanceStatus.FAILED
        return MaintenanceStatus.SUCCEEDED

    @property
    def failed_tables(self) -> list[TableReport]:
        return [table for table in self.tables if table.status is MaintenanceStatus.FAILED]

    def failures(self) -> list[str]:
        """One line per problem: `table (step): error`, or the run's own error."""
        lines: list[str] = [] if self.error is None else [self.error]
        lines += [f"{table.name} ({table.failed_action}): {table.error}" for table in self.failed_tables]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "reportVersion": REPORT_VERSION,
            "jobName": self.job_name,
            "runId": self.run_id,
            "database": self.database,
            "retentionDays": self.retention_days,
            "status": str(self.status),
            "startedAt": iso_utc(self.started_at),
            "snapshotsOlderThan": iso_utc(self.snapshot_cutoff),
            "orphanFilesOlderThan": iso_utc(self.orphan_file_cutoff),
            "seconds": round(self.seconds, 3),
            "tables": [table.to_json() for table in self.tables],
            "skippedTables": list(self.skipped_tables),
            "error": self.error,
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), indent=2).encode("utf-8")


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
