"""Carrying out one file's plan with Spark: one pass over the input, rows to Parquet, bad rows to quarantine.

The parsed and validated rows are cached, so the row counts, the Parquet write and the quarantine write all read
the cache and Spark scans the input exactly once. Each file owns its partition folders (output_layout.py) and
overwrites them whole, which is what makes a re-run replace the object's rows instead of adding to them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from file_processor.column_types import STRING
from file_processor.file_plan import EMPTY, FAIL, READ, SKIP, UNREADABLE, FilePlan, still_current
from file_processor.object_store import ObjectStore
from file_processor.output_layout import OutputLayout
from file_processor.row_validation import (
    CORRUPT_RECORD,
    RAW_RECORD,
    REASON,
    add_validation,
    string_read_schema,
)
from file_processor.run_report import FAILED, QUARANTINED, SKIPPED, SUCCEEDED, FileResult, RunContext
from file_processor.table_schema import METADATA_COLUMNS, PROCESSED_AT, PROCESSING_JOB, SOURCE_FILE, Column

RAW_RECORD_COLUMN = "raw_record"
"""Quarantine rows: the record as read (for a malformed record, byte for byte; else its fields re-quoted as CSV)."""
REASON_COLUMN = "reason"
QUARANTINE_DATA_COLUMNS = (Column(RAW_RECORD_COLUMN, STRING), Column(REASON_COLUMN, STRING))
"""The quarantine table's own columns; the metadata columns follow, as in every table the job writes."""
_GLOB_CHARACTERS = "\\*?[]{}"
REPLACED_WHILE_READ = (
    "a newer version replaced the object (or it was deleted) while it was read; the rows written for it were "
    "removed, and the newer version's own event processes it"
)


@dataclass(frozen=True)
class FileTarget:
    """Where one file's rows go."""

    table: str
    layout: OutputLayout


def execute_plan(
    spark: SparkSession, plan: FilePlan, target: FileTarget, store: ObjectStore, context: RunContext
) -> FileResult:
    """Runs the plan; exceptions (storage or Spark failures) propagate and the caller records the file as failed."""
    started = time.monotonic()
    data_path = target.layout.data_partition(target.table, plan.ingest_date, plan.source_id)
    quarantine_path = target.layout.quarantine_partition(target.table, plan.ingest_date, plan.source_id)
    if plan.action == SKIP:
        return plan_result(plan, started, SKIPPED)
    if plan.action == FAIL:
        return plan_result(plan, started, FAILED)
    if plan.action == UNREADABLE:
        file_name = plan.obj.key.rsplit("/", 1)[-1]
        copy_path = target.layout.quarantined_file(target.table, plan.ingest_date, plan.source_id, file_name)
        store.copy(plan.uri, copy_path)
        return plan_result(plan, started, QUARANTINED, quarantine_path=copy_path)
    if plan.action == EMPTY:
        # Same object version, same (no) rows; clearing keeps "a re-run replaces the object's rows" literally true.
        store.delete_prefix(data_path)
        store.delete_prefix(quarantine_path)
        return plan_result(plan, started, SUCCEEDED)
    if plan.action != READ:
        raise ValueError(f"unknown plan action {plan.action!r}")

    cached = with_metadata(read_validated(spark, plan), plan.uri, context).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        by_outcome = cached.groupBy(F.col(REASON).isNull().alias("good")).count().collect()
        counts = {row["good"]: row["count"] for row in by_outcome}
        written, quarantined = counts.get(True, 0), counts.get(False, 0)
        good_rows = cached.filter(F.col(REASON).isNull()).select(*_output_columns(plan.columns))
        _replace_partition(good_rows, data_path, written, store)
        bad_rows = cached.filter(F.col(REASON).isNotNull()).select(
            F.col(RAW_RECORD).alias(RAW_RECORD_COLUMN),
            F.col(REASON).alias(REASON_COLUMN),
            *(column.name for column in METADATA_COLUMNS),
        )
        _replace_partition(bad_rows, quarantine_path, quarantined, store)
    finally:
        cached.unpersist()
    _check_single_writer(data_path, store)
    _check_single_writer(quarantine_path, store)
    # Spark reads the object's latest version. If that is no longer the planned one, the rows may be the newer
    # version's, which its own event writes to its own folder: keep neither copy here.
    if not still_current(plan.obj, plan.uri, store):
        store.delete_prefix(data_path)
        store.delete_prefix(quarantine_path)
        return plan_result(plan, started, SKIPPED, reason=REPLACED_WHILE_READ)
    return plan_result(
        plan,
        started,
        SUCCEEDED,
        rows_read=written + quarantined,
        rows_written=written,
        rows_quarantined=quarantined,
        read_mode="multi-line" if plan.multi_line else "line",
        output_path=data_path if written else None,
        quarantine_path=quarantine_path if quarantined else None,
    )


def read_validated(spark: SparkSession, plan: FilePlan) -> DataFrame:
    """The whole file with the plan's columns: typed values, `_reason` and `_raw_record`, lazily."""
    reader = spark.read.options(
        header=True,
        multiLine=plan.multi_line,
        encoding="UTF-8",
        quote='"',
        escape='"',
        mode="PERMISSIVE",
        columnNameOfCorruptRecord=CORRUPT_RECORD,
    )
    raw = reader.schema(string_read_schema([column.name for column in plan.columns])).csv(escape_glob(plan.uri))
    return add_validation(raw, plan.columns)


def with_metadata(frame: DataFrame, source_file: str, context: RunContext) -> DataFrame:
    return frame.select(
        "*",
        F.lit(context.processed_at).alias(PROCESSED_AT),
        F.lit(source_file).alias(SOURCE_FILE),
        F.lit(context.processing_job).alias(PROCESSING_JOB),
    )


def escape_glob(uri: str) -> str:
    """Spark treats a read path as a glob pattern; object keys may hold `[`, `{` or `*` and must match literally."""
    return "".join(f"\\{character}" if character in _GLOB_CHARACTERS else character for character in uri)


def _output_columns(columns: Sequence[Column]) -> list[str]:
    return [column.name for column in columns] + [column.name for column in METADATA_COLUMNS]


def plan_result(plan: FilePlan, started: float, status: str, **outcome: Any) -> FileResult:
    """The result of a file as planned; `outcome` adds counts and paths, or replaces the plan's reason."""
    outcome.setdefault("reason", plan.reason)
    return FileResult(
        source_file=plan.uri,
        source_id=plan.source_id,
        ingest_date=plan.ingest_date,
        status=status,
        size=plan.size,
        columns=plan.columns,
        header=plan.header,
        conflicts=plan.conflicts,
        seconds=time.monotonic() - started,
        **outcome,
    )


class ConcurrentWriteError(RuntimeError):
    """Another run wrote the same object's folder at the same time; both runs' rows are there."""


_PART_FILE_WRITE_ID = re.compile(r"^part-\d+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _check_single_writer(folder: str, store: ObjectStore) -> None:
    """Each Spark write names its part files with its own id. Two ids in one object's folder mean two runs
    replaced it at once (a duplicate event in another batch) and neither removed the other's rows: the file
    fails, so the run fails and alarms, and processing the object again leaves one copy."""
    writes = {match.group(1) for name in store.list_names(folder) if (match := _PART_FILE_WRITE_ID.match(name))}
    if len(writes) > 1:
        raise ConcurrentWriteError(
            f"{len(writes)} runs wrote {folder} at the same time; its rows are there more than once until the "
            "object is processed again"
        )


def _replace_partition(rows: DataFrame, path: str, count: int, store: ObjectStore) -> None:
    """Overwrite the object's folder; with no rows, remove it (an empty Parquet file would be a stale partition)."""
    if count == 0:
        store.delete_prefix(path)
        return
    rows.write.mode("overwrite").option("compression", "snappy").parquet(path)
