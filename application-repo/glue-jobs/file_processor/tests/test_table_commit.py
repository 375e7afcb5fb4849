"""The conditions that pick the rows a run replaces (both policies, keys with any character), ref commits that meet
another run's commit, and counting what a run committed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce

import pytest
from file_processor.column_types import BIGINT
from file_processor.dataset_settings import NewVersionPolicy
from file_processor.table_commit import (
    SourceObject,
    TableRefs,
    committed_counts,
    counts_from_file_bounds,
    replaced_rows,
)
from file_processor.table_schema import Column
from file_processor.tables import TableName, ensure_table
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

ROWS = [
    ("b/it's here.csv", "v1"),
    ("b/it's here.csv", "v2"),
    ("b/back\\slash#?.csv", "v1"),
    ("b/other.csv", "v1"),
]


def _matching(spark: SparkSession, condition: str) -> list[tuple[str, str]]:
    frame = spark.createDataFrame(ROWS, "source_key string, source_version string")
    return sorted((row[0], row[1]) for row in frame.where(condition).collect())


def test_replace_picks_every_version_of_the_run_s_keys(spark: SparkSession) -> None:
    objects = [SourceObject("b/it's here.csv", "v2"), SourceObject("b/back\\slash#?.csv", "v9")]

    matched = _matching(spark, replaced_rows(objects, NewVersionPolicy.REPLACE))

    assert matched == sorted([ROWS[0], ROWS[1], ROWS[2]])


def test_append_picks_only_the_same_versions(spark: SparkSession) -> None:
    objects = [SourceObject("b/it's here.csv", "v2"), SourceObject("b/back\\slash#?.csv", "v1")]

    matched = _matching(spark, replaced_rows(objects, NewVersionPolicy.APPEND))

    assert matched == sorted([ROWS[1], ROWS[2]])


class _Refs:
    """What TableRefs' ref commits touch of Iceberg's Table: which refs exist, refresh, and manageSnapshots."""

    def __init__(self, conflicts: int) -> None:
        self.conflicts = conflicts
        self.refreshes = 0
        self.branches: set[str] = set()

    def refresh(self) -> None:
        self.refreshes += 1

    def refs(self) -> dict[str, object]:
        return dict.fromkeys(self.branches, object())

    def manageSnapshots(self) -> _Refs:
        return self

    def createBranch(self, name: str) -> _Refs:
        self._pending = name
        return self

    def commit(self) -> None:
        if self.conflicts > 0:
            self.conflicts -= 1
            raise RuntimeError(
                "org.apache.iceberg.exceptions.CommitFailedException: Table metadata refresh is required"
            )
        self.branches.add(self._pending)


def _table_refs(table: _Refs) -> TableRefs:
    refs = TableRefs.__new__(TableRefs)
    refs.name = TableName("db", "orders")
    refs._table = table
    return refs


def test_a_branch_commit_that_meets_another_run_s_commit_is_made_again_on_fresh_metadata() -> None:
    table = _Refs(conflicts=2)
    _table_refs(table).create_branch("run_1")
    assert table.branches == {"run_1"}
    assert table.refreshes == 2


def test_a_branch_commit_that_keeps_conflicting_gives_up_with_iceberg_s_error() -> None:
    table = _Refs(conflicts=99)
    with pytest.raises(RuntimeError, match="CommitFailedException"):
        _table_refs(table).create_branch("run_1")
    assert table.branches == set()


# --- counting what a run committed ------------------------------------------------------------------------------

RUN_AT = datetime(2026, 11, 30, 10, 15, 0, 123456, tzinfo=UTC)
JOB = "file_processor/jr_0123456789abcdef0123456789abcdef"
LONG_KEY = "input-bucket/incoming/sales/2026/11/a report with a long name #1.csv"


def _table(spark: SparkSession, name: str) -> TableName:
    table = TableName("committed_counts", name)
    spark.sql(f"DROP TABLE IF EXISTS {table.identifier}")
    ensure_table(spark, table, [Column("order_id", BIGINT)])
    return table


def _append_rows(spark: SparkSession, table: TableName, *versions: list[tuple[int, str, str, datetime, str]]) -> int:
    """One commit of the rows (order_id, key, version, processed_at, job), each list of rows in a data file of its
    own (as a large file's run writes them); returns the new snapshot's id."""
    frames = [_shaped(spark, rows).coalesce(1) for rows in versions]
    reduce(DataFrame.unionAll, frames).writeTo(table.identifier).append()
    return int(spark.sql(f"SELECT snapshot_id FROM {table.metadata_table('snapshots')}").collect()[-1][0])


def _shaped(spark: SparkSession, rows: list[tuple[int, str, str, datetime, str]]) -> DataFrame:
    frame = spark.createDataFrame(
        rows, "order_id bigint, source_key string, source_version string, processed_at timestamp, processing_job string"
    )
    return frame.select(
        "order_id",
        "processed_at",
        F.col("source_key").alias("source_file"),
        "source_key",
        "source_version",
        "processing_job",
    )


def _rows(
    key: str, version: str, count: int, at: datetime = RUN_AT, job: str = JOB
) -> list[tuple[int, str, str, datetime, str]]:
    return [(index, key, version, at, job) for index in range(count)]


def test_a_run_whose_files_each_hold_one_object_version_is_counted_from_the_file_bounds(spark: SparkSession) -> None:
    table = _table(spark, "one_version_per_file")
    earlier = RUN_AT - timedelta(hours=1)
    _append_rows(spark, table, _rows(LONG_KEY, "v1", 4, at=earlier, job="file_processor/jr_earlier"))
    snapshot = _append_rows(spark, table, _rows(LONG_KEY, "v2", 7), _rows("b/x.csv", "etag:9f", 3))

    from_bounds = counts_from_file_bounds(spark, table, snapshot, JOB, RUN_AT)

    expected = {f"{LONG_KEY}#v2": 7, "b/x.csv#etag:9f": 3}
    assert from_bounds == expected
    assert committed_counts(spark, table, snapshot, JOB, RUN_AT) == expected


def test_a_file_holding_several_object_versions_is_counted_by_reading_its_rows(spark: SparkSession) -> None:
    table = _table(spark, "several_versions_per_file")
    snapshot = _append_rows(spark, table, _rows(LONG_KEY, "v2", 5) + _rows("b/x.csv", "etag:9f", 2))

    assert counts_from_file_bounds(spark, table, snapshot, JOB, RUN_AT) is None
    assert committed_counts(spark, table, snapshot, JOB, RUN_AT) == {f"{LONG_KEY}#v2": 5, "b/x.csv#etag:9f": 2}


def test_without_whole_bounds_a_long_key_is_counted_by_reading_its_rows(spark: SparkSession) -> None:
    """A table made before the bounds were kept whole: Iceberg cuts string bounds to 16 characters."""
    table = _table(spark, "cut_bounds")
    for column in ("source_key", "source_version", "processing_job"):
        spark.sql(f"ALTER TABLE {table.identifier} UNSET TBLPROPERTIES ('write.metadata.metrics.column.{column}')")
    snapshot = _append_rows(spark, table, _rows(LONG_KEY, "v2", 6))

    assert counts_from_file_bounds(spark, table, snapshot, JOB, RUN_AT) is None
    assert committed_counts(spark, table, snapshot, JOB, RUN_AT) == {f"{LONG_KEY}#v2": 6}
