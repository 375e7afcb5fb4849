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

from file_processor.spark_session import local_session  # noqa: E402 - after the path setup on purpose
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Iceberg warehouse of the test session's catalog; each test keeps its tables apart by database."""
    return tmp_path_factory.mktemp("warehouse")


@pytest.fixture(scope="session")
def spark(warehouse: Path) -> Iterator[SparkSession]:
    """local[2], few shuffle partitions, UTC, no UI, quiet logs, Iceberg catalog `glue_catalog` in a folder, and a
    JVM tuned for many small queries (spark_session.SHORT_RUN_JAVA_OPTIONS)."""
    session = local_session(
        str(warehouse),
        app_name="glue-jobs-tests",
        shuffle_partitions=2,
        driver_memory="1g",
        extra={"spark.default.parallelism": "2"},
        short_lived=True,
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return REPOSITORY_ROOT
