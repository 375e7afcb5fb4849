"""run_maintenance on real Iceberg tables in the local catalog: compaction, branches, expiry, orphans, failures.

Snapshot times are the real commit times; to put a cutoff between two commits, a test reads their times from the
`snapshots` metadata table and sets the run's clock to `midpoint + retention`.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from file_processor.tables import TableName
from pyspark.sql import SparkSession
from table_maintenance.iceberg_tables import IcebergTables, SnapshotExpiry
from table_maintenance.maintenance import utc_now
from table_maintenance.maintenance_report import MaintenanceAction, MaintenanceStatus

from .conftest import DAY, OTHER_DAY, Lake, clock_at, midpoint, table_report, write_broken_table


def test_twelve_small_appends_to_one_day_are_compacted_into_one_file_with_the_same_rows(lake: Lake) -> None:
    lake.create_table("orders")
    lake.create_table("orders__quarantine")
    lake.append_many("orders", 12)
    lake.append("orders", [1000], day=OTHER_DAY)
    lake.append_many("orders__quarantine", 3)
    rows = lake.rows("orders")
    quarantined = lake.rows("orders__quarantine")
    assert lake.data_files("orders", DAY) == 12

    report = lake.maintain(retention_days=7)

    assert report.status is MaintenanceStatus.SUCCEEDED
    assert lake.data_files("orders", DAY) == 1
    assert lake.data_files("orders", OTHER_DAY) == 1
    assert lake.rows("orders") == rows
    assert len(rows) == 25
    assert lake.data_files("orders__quarantine", DAY) == 1
    assert lake.rows("orders__quarantine") == quarantined
    orders = table_report(report, "orders")
    assert (orders.data_files_before, orders.data_files_after) == (13, 2)
    assert (orders.data_files_rewritten, orders.data_files_added) == (12, 1)
    quarantine = table_report(report, "orders__quarantine")
    assert (quarantine.data_files_before, quarantine.data_files_after) == (3, 1)


def test_merge_on_read_deletes_are_applied_and_no_delete_file_is_left(lake: Lake) -> None:
    lake.create_table("orders")
    lake.append("orders", range(50))
    lake.delete("orders", "order_id IN (1, 2, 3)")
    lake.delete("orders", "order_id = 10")
    delete_files = lake.delete_files("orders")
    assert delete_files >= 1

    report = lake.maintain(retention_days=7)

    assert lake.delete_files("orders") == 0
    assert [row[0] for row in lake.rows("orders")] == [i for i in range(50) if i not in {1, 2, 3, 10}]
    orders = table_report(report, "orders")
    assert (orders.delete_files_before, orders.delete_files_after) == (delete_files, 0)
    assert orders.delete_files_rewritten == delete_files


def test_a_run_branch_older_than_the_retention_is_dropped_and_a_fresh_one_kept(lake: Lake) -> None:
    lake.create_table("orders")
    lake.append("orders", [1])
    lake.create_branch("orders", "run_jr_crashed")
    lake.append("orders", [2], branch="run_jr_crashed")
    lake.create_branch("orders", "backfill")
    lake.append("orders", [3], branch="backfill")
    old = lake.branch_snapshot("orders", "backfill").committed_at
    lake.create_branch("orders", "run_jr_in_flight")
    lake.append("orders", [4], branch="run_jr_in_flight")
    cutoff = midpoint(old, lake.branch_snapshot("orders", "run_jr_in_flight").committed_at)

    report = lake.maintain(retention_days=1, clock=clock_at(cutoff + timedelta(days=1)))

    assert set(lake.branches("orders")) == {"main", "backfill", "run_jr_in_flight"}
    assert table_report(report, "orders").branches_dropped == ["run_jr_crashed"]
    assert [row[0] for row in lake.rows("orders")] == [1]


def test_snapshots_older_than_the_retention_are_expired_and_newer_ones_kept(lake: Lake) -> None:
    lake.create_table("orders")
    for order_id in range(5):
        lake.append("orders", [order_id])
    snapshots = lake.snapshots("orders")
    cutoff = midpoint(snapshots[2].committed_at, snapshots[3].committed_at)

    report = lake.maintain(retention_days=2, clock=clock_at(cutoff + timedelta(days=2)))

    remaining = lake.snapshot_ids("orders")
    assert not remaining & {snapshot.snapshot_id for snapshot in snapshots[:3]}
    assert {snapshot.snapshot_id for snapshot in snapshots[3:]} <= remaining
    assert lake.branches("orders")["main"] in remaining
    assert table_report(report, "orders").snapshots_expired == 3
    assert [row[0] for row in lake.rows("orders")] == [0, 1, 2, 3, 4]


def test_when_every_snapshot_is_older_than_the_retention_only_the_current_one_stays(lake: Lake) -> None:
    lake.create_table("orders")
    lake.append_many("orders", 4)
    rows = lake.rows("orders")

    report = lake.maintain(retention_days=1, clock=clock_at(utc_now() + timedelta(hours=36)))

    assert lake.snapshot_ids("orders") == {lake.branches("orders")["main"]}
    assert lake.rows("orders") == rows
    # The four small files went with the snapshots that referenced them; only the compacted one is on disk.
    assert lake.parquet_files_on_disk("orders") == 1
    orders = table_report(report, "orders")
    assert orders.snapshots_expired == 4
    assert orders.files_deleted_with_snapshots is not None and orders.files_deleted_with_snapshots >= 4


def test_an_orphan_file_older_than_three_days_is_removed_and_a_younger_one_kept(lake: Lake) -> None:
    lake.create_table("orders")
    lake.append("orders", [1])
    now = utc_now()
    old = _orphan(lake, "orders", "old-orphan.parquet", now - timedelta(days=3, hours=1))
    young = _orphan(lake, "orders", "young-orphan.parquet", now - timedelta(days=2, hours=23))

    # A one-day retention would reach younger files; the three-day floor protects runs still in flight.
    report = lake.maintain(retention_days=1, clock=clock_at(now))

    assert not old.exists()
    assert young.exists()
    assert table_report(report, "orders").orphan_files_removed == 1
    assert [row[0] for row in lake.rows("orders")] == [1]


def test_a_table_without_managed_by_file_processor_is_left_untouched(lake: Lake) -> None:
    lake.create_table("external", managed_by=None)
    lake.create_table("someone_elses", managed_by="another_job")
    now = utc_now()
    before: dict[str, tuple[set[int], int, set[str]]] = {}
    for table in ("external", "someone_elses"):
        lake.append_many(table, 3)
        lake.create_branch(table, "run_jr_old")
        _orphan(lake, table, "old-orphan.parquet", now - timedelta(days=30))
        before[table] = (lake.snapshot_ids(table), lake.data_files(table), set(lake.branches(table)))

    report = lake.maintain(retention_days=1, clock=clock_at(now + timedelta(hours=36)))

    for table in ("external", "someone_elses"):
        assert (lake.snapshot_ids(table), lake.data_files(table), set(lake.branches(table))) == before[table]
        assert (lake.folder(table) / "data" / "old-orphan.parquet").exists()
    assert report.skipped_tables == ("external", "someone_elses")
    assert report.tables == ()
    assert report.status is MaintenanceStatus.SUCCEEDED


class _ExpiryFailsFor(IcebergTables):
    def __init__(self, spark: SparkSession, failing_table: str) -> None:
        super().__init__(spark)
        self._failing_table = failing_table

    def expire_snapshots(self, table: TableName, older_than: datetime, retain_last: int) -> SnapshotExpiry:
        if table.table == self._failing_table:
            raise RuntimeError("injected: the catalog refused the commit")
        return super().expire_snapshots(table, older_than, retain_last)


def test_a_table_that_fails_is_reported_with_its_step_and_the_others_are_still_maintained(lake: Lake) -> None:
    for table in ("a_orders", "b_orders"):
        lake.create_table(table)
        lake.append_many(table, 3)

    report = lake.maintain(retention_days=7, tables=_ExpiryFailsFor(lake.spark, "a_orders"))

    assert report.status is MaintenanceStatus.FAILED
    failed = table_report(report, "a_orders")
    assert failed.status is MaintenanceStatus.FAILED
    assert failed.failed_action is MaintenanceAction.EXPIRE_SNAPSHOTS
    assert failed.error == "RuntimeError: injected: the catalog refused the commit"
    assert (failed.data_files_before, failed.data_files_rewritten) == (3, 3)
    assert (failed.snapshots_expired, failed.orphan_files_removed, failed.data_files_after) == (None, None, None)
    other = table_report(report, "b_orders")
    assert other.status is MaintenanceStatus.SUCCEEDED
    assert lake.data_files("b_orders") == 1
    assert report.failures() == ["a_orders (expire_snapshots): RuntimeError: injected: the catalog refused the commit"]


def test_a_table_whose_metadata_cannot_be_read_is_reported_failed_and_the_others_still_maintained(lake: Lake) -> None:
    lake.create_table("orders")
    lake.append_many("orders", 3)
    write_broken_table(lake, "broken")

    report = lake.maintain(retention_days=7)

    assert report.status is MaintenanceStatus.FAILED
    broken = table_report(report, "broken")
    assert broken.failed_action is MaintenanceAction.READ_PROPERTIES
    assert broken.error is not None and "Failed to read file" in broken.error
    assert table_report(report, "orders").status is MaintenanceStatus.SUCCEEDED
    assert lake.data_files("orders") == 1


def test_a_database_that_cannot_be_listed_fails_the_run_with_the_reason(lake: Lake) -> None:
    report = lake.maintain(retention_days=7)

    assert report.status is MaintenanceStatus.FAILED
    assert report.tables == ()
    assert report.error is not None
    assert report.error.startswith(f"could not list the tables of database {lake.database}: ")
    assert "Namespace does not exist" in report.error


def test_a_clock_without_a_time_zone_is_refused(lake: Lake) -> None:
    with pytest.raises(ValueError, match="without a time zone; expected an aware datetime"):
        lake.maintain(clock=clock_at(datetime(2026, 11, 20, 3, 30)))


def _orphan(lake: Lake, table: str, name: str, modified: datetime) -> Path:
    path = lake.folder(table) / "data" / name
    path.write_bytes(b"not referenced by any snapshot")
    os.utime(path, (modified.timestamp(), modified.timestamp()))
    return path
