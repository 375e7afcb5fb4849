"""The Iceberg tables the job writes: their names, properties and schema, created or evolved before a run writes.

Every table is partitioned by the day of `processed_at` (hidden partitioning: Athena prunes by day from a filter on
`processed_at`, and no partition is registered anywhere). The properties keep writes cheap and Athena-readable:
format v2 with merge-on-read deletes (a replaced object's rows are marked deleted, not rewritten; table_maintenance
compacts), no shuffle before a write (a run writes one day), Snappy Parquet like the rest of the lake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession

from file_processor.column_types import BIGINT
from file_processor.spark_session import CATALOG
from file_processor.table_schema import (
    METADATA_COLUMNS,
    PROCESSED_AT,
    PROCESSING_JOB,
    SOURCE_KEY,
    SOURCE_VERSION,
    Column,
    data_columns_only,
    widens,
)

MANAGED_BY = "file_processor"
TABLE_PROPERTIES = {
    "format-version": "2",
    "write.delete.mode": "merge-on-read",
    "write.update.mode": "merge-on-read",
    "write.merge.mode": "merge-on-read",
    "write.distribution-mode": "none",
    "write.parquet.compression-codec": "snappy",
    # Whole (not cut) lower and upper bounds per data file for the columns that say where a row came from: a run
    # counts what it committed from them (table_commit.committed_counts) and a reader filtering one key or run
    # skips the other files. Iceberg cuts string bounds to 16 characters by default, shorter than most keys.
    **{f"write.metadata.metrics.column.{column}": "full" for column in (SOURCE_KEY, SOURCE_VERSION, PROCESSING_JOB)},
    "managed_by": MANAGED_BY,
}
_SCHEMA_ATTEMPTS = 3


class TableAction(StrEnum):
    CREATED = "created"
    EVOLVED = "evolved"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class TableName:
    """A table of the data lake's catalog, as every job names it in SQL (names are quoted, whatever they hold)."""

    database: str
    table: str

    @property
    def identifier(self) -> str:
        """For SQL and `writeTo`: the catalog, the database and the table, each quoted."""
        return f"{CATALOG}.{quote_identifier(self.database)}.{quote_identifier(self.table)}"

    def metadata_table(self, name: str) -> str:
        """One of Iceberg's metadata tables of this table (`refs`, `snapshots`, `files`, ...)."""
        return f"{self.identifier}.{quote_identifier(name)}"

    def branch(self, branch: str) -> str:
        return self.metadata_table(f"branch_{branch}")

    @property
    def procedure_argument(self) -> str:
        """The `table` argument of Iceberg's procedures: a string Spark parses again as a (quoted) name."""
        return string_literal(f"{quote_identifier(self.database)}.{quote_identifier(self.table)}")

    def __str__(self) -> str:
        return f"{self.database}.{self.table}"


def quote_identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def string_literal(text: str) -> str:
    """A Spark SQL string literal; text may hold any character, quotes and backslashes included."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def table_columns(spark: SparkSession, name: TableName) -> list[Column] | None:
    """All columns of the table in order, or None when there is no table."""
    try:
        schema = spark.table(name.identifier).schema
    except AnalysisException as error:
        if _is_missing(error):
            return None
        raise
    return [Column(field.name, field.dataType.simpleString()) for field in schema.fields]


def data_columns(spark: SparkSession, name: TableName) -> list[Column] | None:
    columns = table_columns(spark, name)
    return None if columns is None else data_columns_only(columns)


def ensure_table(spark: SparkSession, name: TableName, data: Sequence[Column]) -> TableAction:
    """Creates the table with `data` and the metadata columns, or evolves it: missing columns added after the last
    data column, int columns widened to bigint. Another run doing the same at once is tolerated: the schema is read
    again and the change retried."""
    for attempt in range(1, _SCHEMA_ATTEMPTS + 1):
        current = table_columns(spark, name)
        try:
            if current is None:
                _create(spark, name, data)
                return TableAction.CREATED
            return _evolve(spark, name, current, data)
        except AnalysisException:
            if attempt == _SCHEMA_ATTEMPTS:
                raise
    raise AssertionError("unreachable: the loop returns or raises")


def _create(spark: SparkSession, name: TableName, data: Sequence[Column]) -> None:
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {CATALOG}.`{name.database}`")
    columns = ", ".join(f"`{column.name}` {column.type}" for column in (*data, *METADATA_COLUMNS))
    properties = ", ".join(f"'{key}'='{value}'" for key, value in TABLE_PROPERTIES.items())
    spark.sql(
        f"CREATE TABLE {name.identifier} ({columns}) USING iceberg "
        f"PARTITIONED BY (days(`{PROCESSED_AT}`)) TBLPROPERTIES ({properties})"
    )


def _evolve(spark: SparkSession, name: TableName, current: Sequence[Column], data: Sequence[Column]) -> TableAction:
    types = {column.name: column.type for column in current}
    last_data = data_columns_only(current)
    previous = last_data[-1].name if last_data else None
    changed = False
    for column in data:
        existing = types.get(column.name)
        if existing is None:
            position = f"AFTER `{previous}`" if previous else "FIRST"
            spark.sql(f"ALTER TABLE {name.identifier} ADD COLUMN `{column.name}` {column.type} {position}")
            types[column.name] = column.type
            previous = column.name
            changed = True
        elif existing != column.type and widens(existing, column.type) and column.type == BIGINT:
            spark.sql(f"ALTER TABLE {name.identifier} ALTER COLUMN `{column.name}` TYPE {column.type}")
            changed = True
    return TableAction.EVOLVED if changed else TableAction.UNCHANGED


def _is_missing(error: AnalysisException) -> bool:
    text = str(error)
    return "TABLE_OR_VIEW_NOT_FOUND" in text or "NoSuchTable" in text or "not found" in text.lower()
