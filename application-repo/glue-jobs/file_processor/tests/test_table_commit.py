"""The conditions that pick the rows a run replaces, for both policies and for keys with any character."""

from __future__ import annotations

from file_processor.dataset_settings import NewVersionPolicy
from file_processor.table_commit import SourceObject, replaced_rows
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
