"""One maintenance run over a database: every Iceberg table that file_processor manages, one after the other.

Per table, in this order:
1. drop `run_*` branches whose snapshot is older than the retention (crashed runs'); they would otherwise keep
   their snapshots, and every file those reference, alive through step 3;
2. compact small data files (bin-pack) with merge-on-read deletes applied, then drop the position delete files
   left pointing at rewritten files;
3. expire snapshots older than the retention, keeping at least the current one;
4. remove orphan files older than the retention, never younger than 3 days (a run in flight writes files before
   it commits them).
Compaction comes before expiry so that the small files it replaces are deleted in the same run once their
snapshots are old enough; orphans come last because expiry deletes every file it can account for, leaving only
what no snapshot ever referenced to the listing of the table's whole location.

A table that fails is recorded with the step and the error, and the run goes on with the next table; the run's
report then says `failed`, and the Glue job raises after writing it (glue_job.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from file_processor.tables import MANAGED_BY, TableName
from pyspark.sql import SparkSession

from table_maintenance.iceberg_tables import IcebergTables
from table_maintenance.maintenance_report import MaintenanceAction, MaintenanceReport, TableReport
from table_maintenance.maintenance_settings import MaintenanceSettings
from table_maintenance.run_branches import stale_run_branches

MANAGED_BY_PROPERTY = "managed_by"
MANAGED_BY_FILE_PROCESSOR = MANAGED_BY
"""The property's value on every table file_processor creates (file_processor.tables), data and quarantine alike."""
LOCAL_JOB_NAME = "table_maintenance-local"

Clock = Callable[[], datetime]
"""Returns the current instant, timezone-aware; tests pass a fixed one."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_maintenance(
    spark: SparkSession,
    database: str,
    settings: MaintenanceSettings,
    clock: Clock = utc_now,
    *,
    job_name: str = LOCAL_JOB_NAME,
    run_id: str | None = None,
    tables: IcebergTables | None = None,
) -> MaintenanceReport:
    """Maintains every managed table of `database` in the session's `glue_catalog`; never raises for a table.

    `tables` replaces the Iceberg access (tests inject failures with it). The clock is read once: both cutoffs
    of the run derive from that instant. Iceberg's `remove_orphan_files` refuses cutoffs less than 24 hours
    before the JVM's own clock, so a clock more than 2 days ahead of real time fails every table at that step.
    """
    started = time.monotonic()
    now = clock()
    if now.tzinfo is None:
        raise ValueError(f"the clock returned {now.isoformat()} without a time zone; expected an aware datetime")
    iceberg = tables or IcebergTables(spark)
    reports: list[TableReport] = []
    skipped: list[str] = []
    error: str | None = None
    try:
        names = iceberg.list_tables(database)
    except Exception as failure:
        names = []
        error = f"could not list the tables of database {database}: {describe_error(failure)}"
    for name in names:
        report = _maintain_table(iceberg, name, settings, now)
        if report is None:
            skipped.append(name.table)
        else:
            reports.append(report)
    return MaintenanceReport(
        job_name=job_name,
        run_id=run_id or f"local-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}",
        database=database,
        retention_days=settings.retention_days,
        started_at=now,
        snapshot_cutoff=settings.snapshot_cutoff(now),
        orphan_file_cutoff=settings.orphan_file_cutoff(now),
        seconds=time.monotonic() - started,
        tables=tuple(reports),
        skipped_tables=tuple(skipped),
        error=error,
    )


def _maintain_table(
    iceberg: IcebergTables, name: TableName, settings: MaintenanceSettings, now: datetime
) -> TableReport | None:
    """The table's report, or None when file_processor does not manage it (nothing was changed)."""
    started = time.monotonic()
    report = TableReport(name=name.table)
    action = MaintenanceAction.READ_PROPERTIES
    try:
        if iceberg.properties(name).get(MANAGED_BY_PROPERTY) != MANAGED_BY_FILE_PROCESSOR:
            return None

        action = MaintenanceAction.COUNT_FILES
        before = iceberg.file_counts(name)
        report.data_files_before, report.delete_files_before = before.data_files, before.delete_files

        action = MaintenanceAction.DROP_STALE_BRANCHES
        for branch in stale_run_branches(iceberg.branches(name), settings.snapshot_cutoff(now)):
            iceberg.drop_branch(name, branch.name)
            report.branches_dropped.append(branch.name)

        action = MaintenanceAction.REWRITE_DATA_FILES
        data = iceberg.rewrite_data_files(name, settings.data_rewrite_options())
        report.data_files_rewritten, report.data_files_added = data.rewritten_data_files, data.added_data_files

        action = MaintenanceAction.REWRITE_POSITION_DELETE_FILES
        deletes = iceberg.rewrite_position_delete_files(name, settings.position_delete_rewrite_options())
        report.delete_files_rewritten = data.removed_delete_files + deletes.rewritten_delete_files
        report.delete_files_added = deletes.added_delete_files

        action = MaintenanceAction.EXPIRE_SNAPSHOTS
        # Counted by id, not by difference of totals: a file_processor run may commit while this one expires.
        snapshots_before = iceberg.snapshot_ids(name)
        expiry = iceberg.expire_snapshots(name, settings.snapshot_cutoff(now), settings.retain_last)
        report.snapshots_expired = len(snapshots_before - iceberg.snapshot_ids(name))
        report.files_deleted_with_snapshots = expiry.deleted_files

        action = MaintenanceAction.REMOVE_ORPHAN_FILES
        report.orphan_files_removed = iceberg.remove_orphan_files(name, settings.orphan_file_cutoff(now))

        action = MaintenanceAction.COUNT_FILES
        after = iceberg.file_counts(name)
        report.data_files_after, report.delete_files_after = after.data_files, after.delete_files
    except Exception as failure:
        report.fail(action, describe_error(failure))
    finally:
        report.seconds = time.monotonic() - started
    return report


def describe_error(error: BaseException) -> str:
    """One line; for Spark errors the Java exception, not py4j's "An error occurred while calling"."""
    java_exception = getattr(error, "java_exception", None)
    text = str(java_exception) if java_exception is not None else f"{type(error).__name__}: {error}"
    lines = text.strip().splitlines()
    return lines[0][:1000] if lines else type(error).__name__
