"""Test helpers for table_maintenance: Iceberg tables shaped like file_processor's, each test in its own database.

Tables live in the suite's shared `glue_catalog` (a Hadoop catalog in the session's warehouse folder), so a table is
the folder `<warehouse>/<database>/<table>/`. The helpers read Iceberg's metadata tables directly, not through the
code under test, so that a test can catch that code miscounting.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from file_processor.tables import TABLE_PROPERTIES
from pyspark.sql import SparkSession
from table_maintenance.iceberg_tables import IcebergTables
from table_maintenance.maintenance import Clock, run_maintenance, utc_now
from table_maintenance.maintenance_report import MaintenanceReport, TableReport
from table_maintenance.maintenance_settings import MaintenanceSettings

DAY = date(2026, 11, 20)
OTHER_DAY = date(2026, 11, 21)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MANAGED_BY_PROPERTY = "managed_by"
COLUMN_METRICS_PREFIX = "write.metadata.metrics.column."
FILE_PROCESSOR_PROPERTIES = {
    key: value
    for key, value in TABLE_PROPERTIES.items()
    if key != MANAGED_BY_PROPERTY and not key.startswith(COLUMN_METRICS_PREFIX)
}
"""What file_processor sets on its tables, without the property that marks them as its own, nor the bounds kept
for metadata columns the test tables do not have (Iceberg refuses a property naming a missing column)."""


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int
    committed_at: datetime


@dataclass
class Lake:
    spark: SparkSession
    warehouse: Path
    database: str

    def name(self, table: str) -> str:
        return f"glue_catalog.{self.database}.{table}"

    def create_table(self, table: str, managed_by: str | None = "file_processor") -> None:
        properties = {**FILE_PROCESSOR_PROPERTIES, **({} if managed_by is None else {"managed_by": managed_by})}
        listed = ", ".join(f"'{key}' = '{value}'" for key, value in properties.items())
        self.spark.sql(
            f"CREATE TABLE {self.name(table)} (order_id BIGINT, amount STRING, processed_at TIMESTAMP) USING iceberg "
            f"PARTITIONED BY (days(processed_at)) TBLPROPERTIES ({listed})"
        )

    def append(self, table: str, ids: Iterable[int], day: date = DAY, branch: str | None = None) -> None:
        """One commit (one snapshot) of the given order ids, on `main` or on `branch`."""
        target = self.name(table) if branch is None else f"{self.name(table)}.branch_{branch}"
        values = ", ".join(f"({i}, 'amount-{i}', TIMESTAMP '{day.isoformat()} 12:00:00')" for i in ids)
        # One task, so one data file per commit and day, however many cores the session has.
        self.spark.sql(f"INSERT INTO {target} SELECT /*+ COALESCE(1) */ * FROM VALUES {values}")

    def append_many(self, table: str, commits: int, day: date = DAY) -> None:
        """`commits` small appends of two rows each: one small data file per commit, like frequent runs make."""
        for commit in range(commits):
            self.append(table, [commit * 2, commit * 2 + 1], day)

    def delete(self, table: str, condition: str) -> None:
        self.spark.sql(f"DELETE FROM {self.name(table)} WHERE {condition}")

    def create_branch(self, table: str, branch: str) -> None:
        self.spark.sql(f"ALTER TABLE {self.name(table)} CREATE BRANCH `{branch}`")

    def rows(self, table: str) -> list[tuple[int, str, str]]:
        frame = self.spark.sql(
            f"SELECT order_id, amount, CAST(processed_at AS STRING) AS processed_at FROM {self.name(table)}"
        )
        return sorted((int(row[0]), str(row[1]), str(row[2])) for row in frame.collect())

    def data_files(self, table: str, day: date | None = None) -> int:
        where = "" if day is None else f" AND partition.processed_at_day = DATE '{day.isoformat()}'"
        return self._count(f"SELECT * FROM {self.name(table)}.files WHERE content = 0{where}")

    def delete_files(self, table: str) -> int:
        return self._count(f"SELECT * FROM {self.name(table)}.files WHERE content <> 0")

    def snapshots(self, table: str) -> list[Snapshot]:
        rows = self.spark.sql(
            f"SELECT snapshot_id, unix_millis(committed_at) FROM {self.name(table)}.snapshots ORDER BY committed_at"
        ).collect()
        return [Snapshot(int(row[0]), EPOCH + timedelta(milliseconds=int(row[1]))) for row in rows]

    def snapshot_ids(self, table: str) -> set[int]:
        return {snapshot.snapshot_id for snapshot in self.snapshots(table)}

    def branch_snapshot(self, table: str, branch: str) -> Snapshot:
        snapshot_id = self.branches(table)[branch]
        return next(snapshot for snapshot in self.snapshots(table) if snapshot.snapshot_id == snapshot_id)

    def branches(self, table: str) -> dict[str, int]:
        rows = self.spark.sql(f"SELECT name, snapshot_id FROM {self.name(table)}.refs WHERE type = 'BRANCH'").collect()
        return {str(row[0]): int(row[1]) for row in rows}

    def folder(self, table: str) -> Path:
        return self.warehouse / self.database / table

    def parquet_files_on_disk(self, table: str) -> int:
        return sum(1 for _ in (self.folder(table) / "data").rglob("*.parquet"))

    def maintain(
        self, retention_days: int = 7, clock: Clock = utc_now, tables: IcebergTables | None = None
    ) -> MaintenanceReport:
        settings = MaintenanceSettings(retention_days=retention_days)
        return run_maintenance(self.spark, self.database, settings, clock, run_id="test-run", tables=tables)

    def _count(self, query: str) -> int:
        return self.spark.sql(query).count()


class RecordingS3Client:
    """Stands in for boto3's S3 client: keeps what `put_object` was given."""

    def __init__(self) -> None:
        self.puts: list[dict[str, object]] = []

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> object:
        self.puts.append({"Bucket": Bucket, "Key": Key, "Body": Body, "ContentType": ContentType})
        return {}


def clock_at(moment: datetime) -> Clock:
    return lambda: moment


def midpoint(earlier: datetime, later: datetime) -> datetime:
    assert earlier < later, f"expected {earlier} before {later}"
    return earlier + (later - earlier) / 2


def table_report(report: MaintenanceReport, name: str) -> TableReport:
    return next(table for table in report.tables if table.name == name)


def write_broken_table(lake: Lake, table: str) -> None:
    """A table folder the Hadoop catalog lists but cannot load: its only metadata file is not JSON."""
    metadata = lake.folder(table) / "metadata"
    metadata.mkdir(parents=True)
    (metadata / "v1.metadata.json").write_text("{ this is not table metadata")
    (metadata / "version-hint.text").write_text("1")


@pytest.fixture
def lake(spark: SparkSession, warehouse: Path, request: pytest.FixtureRequest) -> Lake:
    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:40]
    return Lake(spark, warehouse, f"tm_{slug}_{uuid.uuid4().hex[:6]}")
