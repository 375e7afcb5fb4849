"""Shared pytest setup for every Glue job: each job's `src/` on sys.path, and one local SparkSession for the suite.

Starting Spark costs seconds, so the session is created once per test run (session scope) and shared; tests keep
their data small and write only under pytest's tmp_path.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

JOBS_DIRECTORY = Path(__file__).resolve().parent
REPOSITORY_ROOT = JOBS_DIRECTORY.parents[1]

# A new job folder needs no edit here: its `src/` is importable by its tests as soon as it exists. Each package is
# imported now because pytest's importlib mode names a test module after its path (`<job_id>.tests.test_x`) and
# would otherwise register the job *folder* under the package's name.
for source in sorted(JOBS_DIRECTORY.glob("*/src")):
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    for package in sorted(source.glob("*/__init__.py")):
        importlib.import_module(package.parent.name)

from pyspark.sql import SparkSession  # noqa: E402 - after the path setup on purpose


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """local[2], few shuffle partitions, UTC, no UI, quiet logs: the Glue job's settings on a laptop."""
    session = (
        SparkSession.builder.master("local[2]")
        .appName("glue-jobs-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.parquet.outputTimestampType", "INT96")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return REPOSITORY_ROOT
