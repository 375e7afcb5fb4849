"""Spark's settings for a run's read (batch_read.read_settings): files read by line are cut into splits that share out
evenly over the cores, and many files are listed in a few tasks per core."""

from __future__ import annotations

from pathlib import Path

import pytest
from file_processor.batch_read import LISTING_TASKS_PER_CORE, even_split_bytes, read_settings
from pyspark.sql import SparkSession

MB = 1_000_000
MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes"


@pytest.mark.parametrize(
    ("total", "cores", "expected_splits"),
    [
        (1_100 * MB, 2, 10),  # Spark's 128 MB: 9 splits, the fifth round of tasks on one core only
        (1_100 * MB, 4, 12),
        (3_000 * MB, 8, 24),
        (257 * 2**20, 2, 4),
    ],
)
def test_a_large_input_is_cut_into_a_multiple_of_the_cores(total: int, cores: int, expected_splits: int) -> None:
    split = even_split_bytes(total, cores, 128 * 2**20)

    assert split is not None and split <= 128 * 2**20
    assert -(-total // split) == expected_splits


@pytest.mark.parametrize(("total", "cores"), [(200 * MB, 2), (1_100 * MB, 40), (0, 2)])
def test_an_input_of_at_most_one_split_per_core_is_left_to_spark(total: int, cores: int) -> None:
    assert even_split_bytes(total, cores, 128 * 2**20) is None


def test_within_the_block_a_file_is_read_in_splits_shared_evenly_and_the_setting_is_restored_after(
    spark: SparkSession, tmp_path: Path
) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"{index:09d}\n" for index in range(890)))  # 8,900 bytes
    size = lines.stat().st_size
    cores = spark.sparkContext.defaultParallelism
    spark.conf.set(MAX_PARTITION_BYTES, "1000")
    try:
        before = spark.read.text(str(lines)).rdd.getNumPartitions()
        with read_settings(spark, size):
            during = spark.read.text(str(lines)).rdd.getNumPartitions()
        after = spark.conf.get(MAX_PARTITION_BYTES)
    finally:
        spark.conf.unset(MAX_PARTITION_BYTES)

    assert before == 9
    assert during % cores == 0 and during == 10
    assert after == "1000"


def test_within_the_block_many_files_are_listed_in_a_few_tasks_per_core(spark: SparkSession, tmp_path: Path) -> None:
    cores = spark.sparkContext.defaultParallelism
    paths = []
    for index in range(LISTING_TASKS_PER_CORE * cores + 32):  # Spark lists more than 32 paths in a Spark job
        path = tmp_path / f"f{index}.csv"
        path.write_text("id\n1\n")
        paths.append(str(path))

    def listing_tasks(group: str) -> int:
        spark.sparkContext.setJobGroup(group, "listing")
        try:
            spark.read.schema("id INT").csv(paths)
        finally:
            spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]
        tracker = spark.sparkContext.statusTracker()
        jobs = [tracker.getJobInfo(job) for job in tracker.getJobIdsForGroup(group)]
        stages = [tracker.getStageInfo(stage) for job in jobs if job is not None for stage in job.stageIds]
        return sum(int(stage.numTasks) for stage in stages if stage is not None)

    assert listing_tasks(f"{tmp_path.name}-spark-s-own") == len(paths)
    with read_settings(spark, 0):
        assert listing_tasks(f"{tmp_path.name}-within") == LISTING_TASKS_PER_CORE * cores
    assert listing_tasks(f"{tmp_path.name}-after") == len(paths)
