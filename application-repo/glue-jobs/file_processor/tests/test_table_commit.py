"""The conditions that pick the rows a run replaces (both policies, keys with any character), and ref commits that meet
another run's commit."""

from __future__ import annotations

import pytest
from file_processor.dataset_settings import NewVersionPolicy
from file_processor.table_commit import SourceObject, TableRefs, replaced_rows
from file_processor.tables import TableName
from pyspark.sql import SparkSession

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
