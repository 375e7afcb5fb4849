"""Every Iceberg statement maintenance runs: metadata-table queries and Spark procedures, one method each.

The SQL is Iceberg 1.10's (Glue 5.1) and is the same text in Glue (GlueCatalog on S3) and locally (a Hadoop
catalog in a folder): procedures are `CALL glue_catalog.system.<name>(table => 'db.table', ...)`, metadata tables
are `glue_catalog.db.table.<name>`. Results come back as small typed values; maintenance.py decides what to call.
Tests subclass IcebergTables to make one call fail for one table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from file_processor.spark_session import CATALOG
from file_processor.tables import TableName, quote_identifier, string_literal
from pyspark.sql import Row, SparkSession

from table_maintenance.run_branches import Branch

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DATA_CONTENT = 0
"""`content` of a data file in the `files` metadata table; 1 is position deletes, 2 equality deletes."""


@dataclass(frozen=True)
class FileCounts:
    """Live files of the table's current snapshot (`main`), from the `files` metadata table."""

    data_files: int
    delete_files: int


@dataclass(frozen=True)
class DataFilesRewrite:
    rewritten_data_files: int
    added_data_files: int
    removed_delete_files: int


@dataclass(frozen=True)
class DeleteFilesRewrite:
    rewritten_delete_files: int
    added_delete_files: int


@dataclass(frozen=True)
class SnapshotExpiry:
    deleted_files: int
    """Data, delete, manifest, manifest-list and statistics files that only the expired snapshots referenced."""


class IcebergTables:
    """Iceberg tables of the `glue_catalog` catalog, through one SparkSession with Iceberg's SQL extensions."""

    def __init__(self, spark: SparkSession) -> None:
        self._spark = spark

    def list_tables(self, database: str) -> list[TableName]:
        rows = self._rows(f"SHOW TABLES IN {CATALOG}.{quote_identifier(database)}")
        return sorted(
            (TableName(database, str(row["tableName"])) for row in rows if not row["isTemporary"]),
            key=lambda name: name.table,
        )

    def properties(self, table: TableName) -> dict[str, str]:
        return {str(row["key"]): str(row["value"]) for row in self._rows(f"SHOW TBLPROPERTIES {table.identifier}")}

    def file_counts(self, table: TableName) -> FileCounts:
        rows = self._rows(f"SELECT content, count(*) AS files FROM {table.metadata_table('files')} GROUP BY content")
        by_content = {int(row["content"]): int(row["files"]) for row in rows}
        data = by_content.pop(DATA_CONTENT, 0)
        return FileCounts(data_files=data, delete_files=sum(by_content.values()))

    def branches(self, table: TableName) -> list[Branch]:
        # unix_millis, not the timestamp: PySpark turns timestamps into naive datetimes in the driver's local zone.
        rows = self._rows(
            "SELECT r.name, r.snapshot_id, unix_millis(s.committed_at) AS committed_ms "
            f"FROM {table.metadata_table('refs')} r LEFT JOIN {table.metadata_table('snapshots')} s "
            "ON r.snapshot_id = s.snapshot_id WHERE r.type = 'BRANCH'"
        )
        return [
            Branch(
                name=str(row["name"]),
                snapshot_id=int(row["snapshot_id"]),
                committed_at=None if row["committed_ms"] is None else _from_millis(int(row["committed_ms"])),
            )
            for row in rows
        ]

    def snapshot_ids(self, table: TableName) -> frozenset[int]:
        return frozenset(
            int(row["snapshot_id"])
            for row in self._rows(f"SELECT snapshot_id FROM {table.metadata_table('snapshots')}")
        )

    def drop_branch(self, table: TableName, branch: str) -> None:
        self._rows(f"ALTER TABLE {table.identifier} DROP BRANCH IF EXISTS {quote_identifier(branch)}")

    def rewrite_data_files(self, table: TableName, options: Mapping[str, str]) -> DataFilesRewrite:
        row = self._call(
            "rewrite_data_files",
            f"table => {table.procedure_argument}, strategy => 'binpack', options => {map_literal(options)}",
        )
        return DataFilesRewrite(
            rewritten_data_files=int(row["rewritten_data_files_count"]),
            added_data_files=int(row["added_data_files_count"]),
            removed_delete_files=int(row["removed_delete_files_count"]),
        )

    def rewrite_position_delete_files(self, table: TableName, options: Mapping[str, str]) -> DeleteFilesRewrite:
        row = self._call(
            "rewrite_position_delete_files", f"table => {table.procedure_argument}, options => {map_literal(options)}"
        )
        return DeleteFilesRewrite(
            rewritten_delete_files=int(row["rewritten_delete_files_count"]),
            added_delete_files=int(row["added_delete_files_count"]),
        )

    def expire_snapshots(self, table: TableName, older_than: datetime, retain_last: int) -> SnapshotExpiry:
        row = self._call(
            "expire_snapshots",
            f"table => {table.procedure_argument}, older_than => {timestamp_literal(older_than)}, "
            f"retain_last => {int(retain_last)}",
        )
        return SnapshotExpiry(deleted_files=sum(int(value or 0) for value in row.asDict().values()))

    def remove_orphan_files(self, table: TableName, older_than: datetime) -> int:
        """Deletes files under the table's location that no snapshot of any branch or tag references."""
        rows = self._rows(
            f"CALL {CATALOG}.system.remove_orphan_files("
            f"table => {table.procedure_argument}, older_than => {timestamp_literal(older_than)})"
        )
        return len(rows)

    def _call(self, procedure: str, arguments: str) -> Row:
        rows = self._rows(f"CALL {CATALOG}.system.{procedure}({arguments})")
        if len(rows) != 1:
            raise RuntimeError(f"{procedure} returned {len(rows)} rows; expected one row of counts")
        return rows[0]

    def _rows(self, statement: str) -> list[Row]:
        return self._spark.sql(statement).collect()


def map_literal(options: Mapping[str, str]) -> str:
    return "map(" + ", ".join(f"{string_literal(key)}, {string_literal(value)}" for key, value in options.items()) + ")"


def timestamp_literal(moment: datetime) -> str:
    """A UTC instant with an explicit `Z`, so the session's time zone cannot shift it."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; expected an aware datetime")
    return f"TIMESTAMP '{moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%f')}Z'"


def _from_millis(millis: int) -> datetime:
    return EPOCH + timedelta(milliseconds=millis)
