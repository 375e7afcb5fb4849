"""Test helpers for file_processor: a scratch input folder, manifests for its files, and runs of the real job.

Runs use the same code as Glue with the local object store and the session's local Iceberg catalog; each workspace
writes its tables to a database of its own, so tests never see each other's tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from file_processor.job import JobEnvironment, JobSettings, run_job
from file_processor.layout import OutputLayout, quarantine_table
from file_processor.manifest import Manifest, ManifestObject
from file_processor.object_store import LocalObjectStore, local_e_tag
from file_processor.run_report import RunContext, RunReport
from file_processor.tables import TableName, table_columns
from pyspark.sql import DataFrame, SparkSession

DEFAULT_EVENT_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PROCESSED_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TABLE = "orders"
JOB_NAME = "file-processor-test"


@dataclass
class Workspace:
    """An input folder standing in for the input bucket, an output folder for the other buckets, a database."""

    root: Path
    database: str

    @property
    def input(self) -> Path:
        return self.root / "input"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def layout(self) -> OutputLayout:
        return OutputLayout(output_root=str(self.output / "data"), assets_root=str(self.output / "assets"))

    def table(self, table: str = TABLE) -> TableName:
        return TableName(self.database, table)

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.input / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def object_for(
        self, name: str, event_time: datetime = DEFAULT_EVENT_TIME, version_id: str | None = None
    ) -> ManifestObject:
        path = self.input / name
        return ManifestObject(
            bucket="local",
            key=name,
            version_id=version_id,
            e_tag=local_e_tag(path) if path.exists() else "missing",
            size=path.stat().st_size if path.exists() else 0,
            event_time=event_time,
        )

    def manifest(self, *objects: ManifestObject | str, table: str = TABLE) -> Manifest:
        resolved = tuple(self.object_for(item) if isinstance(item, str) else item for item in objects)
        return Manifest(
            version=1,
            manifest_id="test-manifest",
            dataset=table,
            table=table,
            created_at=DEFAULT_EVENT_TIME,
            objects=resolved,
        )

    def environment(self) -> JobEnvironment:
        return JobEnvironment(
            store=LocalObjectStore(),
            layout=self.layout,
            database=self.database,
            locate=lambda obj: str(self.input / obj.key),
        )

    def run(
        self,
        spark: SparkSession,
        manifest: Manifest,
        run_id: str = "jr_1",
        settings: JobSettings | None = None,
        environment: JobEnvironment | None = None,
    ) -> RunReport:
        """A run of the job; `environment` replaces the workspace's own (a failing store, say)."""
        context = RunContext(job_name=JOB_NAME, run_id=run_id, processed_at=PROCESSED_AT)
        return run_job(spark, manifest, environment or self.environment(), context, settings)

    def run_files(self, spark: SparkSession, names: Sequence[str], **kwargs: object) -> RunReport:
        return self.run(spark, self.manifest(*names), **kwargs)  # type: ignore[arg-type]

    def table_rows(self, spark: SparkSession, table: str = TABLE) -> DataFrame:
        return spark.table(self.table(table).identifier)

    def quarantine_rows(self, spark: SparkSession, table: str = TABLE) -> DataFrame:
        return spark.table(self.table(quarantine_table(table)).identifier)

    def table_exists(self, spark: SparkSession, table: str = TABLE) -> bool:
        return table_columns(spark, self.table(table)) is not None


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path, database=re.sub(r"[^a-z0-9]+", "_", tmp_path.name.lower()).strip("_") or "test")
