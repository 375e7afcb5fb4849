"""One run of file_processor: every file of a manifest, then the catalog, then the report.

The same function runs in Glue (S3 store, Glue catalog) and locally (local store, JSON catalog); only the pieces
passed in differ. Files are planned in manifest order, then executed a few at a time (Spark runs jobs from several
threads at once, so small files do not leave the cluster idle). A file's failure is recorded and the others go on;
the run's status says whether anything failed, and the caller turns that into the job's exit status.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pyspark.sql import SparkSession

from file_processor.catalog import Catalog
from file_processor.catalog_model import CatalogPublication, TableUpdate, WrittenPartition
from file_processor.file_execution import QUARANTINE_DATA_COLUMNS, FileTarget, execute_plan, plan_result
from file_processor.file_plan import READ, FilePlan, PlannerSettings, failed_plan, plan_file
from file_processor.input_metrics import bytes_read, passes, storage_scheme
from file_processor.manifest import Manifest, ManifestObject
from file_processor.object_store import ObjectStore
from file_processor.output_layout import OutputLayout, partition_values, quarantine_table
from file_processor.run_report import FAILED, SUCCEEDED, FileResult, RunContext, RunReport
from file_processor.table_schema import METADATA_COLUMNS, merge_table_columns

LOG = logging.getLogger("file_processor")
DEFAULT_MAX_CONCURRENT_FILES = 4


@dataclass(frozen=True)
class JobSettings:
    planner: PlannerSettings = field(default_factory=PlannerSettings)
    max_concurrent_files: int = DEFAULT_MAX_CONCURRENT_FILES


@dataclass(frozen=True)
class JobEnvironment:
    """Where the run reads and writes; `locate` turns a manifest object into the URI Spark and the store read."""

    store: ObjectStore
    catalog: Catalog
    layout: OutputLayout
    database: str
    locate: Callable[[ManifestObject], str]


def run_job(
    spark: SparkSession,
    manifest: Manifest,
    environment: JobEnvironment,
    context: RunContext,
    settings: JobSettings | None = None,
) -> RunReport:
    """Processes the manifest and writes the report; never raises for a bad file, only for a report it cannot write."""
    settings = settings or JobSettings()
    started = time.monotonic()
    target = FileTarget(table=manifest.table, layout=environment.layout)
    plans = _plan_all(manifest, environment, settings.planner)
    schemes = {storage_scheme(plan.uri) for plan in plans}
    before = bytes_read(spark, schemes)
    results = _execute_all(spark, plans, target, environment.store, context, settings.max_concurrent_files)
    input_passes = passes(before, bytes_read(spark, schemes), sum(p.size for p in plans if p.action == READ))

    catalog, quarantine_catalog = _publish(environment, manifest.table, plans, results)
    report = RunReport(
        context=context,
        manifest_id=manifest.manifest_id,
        table=manifest.table,
        database=environment.database,
        files=tuple(results),
        seconds=time.monotonic() - started,
        catalog=catalog,
        quarantine_catalog=quarantine_catalog,
        input_passes=input_passes,
    )
    report_uri = environment.layout.report(context.job_name, context.run_id)
    environment.store.write_bytes(report_uri, report.to_bytes(), "application/json")
    LOG.info("run %s: %s, report at %s", context.run_id, report.status, report_uri)
    return report


def _plan_all(manifest: Manifest, environment: JobEnvironment, settings: PlannerSettings) -> list[FilePlan]:
    """Plans in manifest order, each against the table as the files before it leave it."""
    table_columns = environment.catalog.data_columns(manifest.table)
    plans: list[FilePlan] = []
    for obj in manifest.objects:
        uri = environment.locate(obj)
        try:
            plan = plan_file(obj, uri, environment.store, table_columns, settings)
        except Exception as error:  # one file's storage error never fails the others
            LOG.error("planning %s failed: %s\n%s", uri, error, traceback.format_exc())
            plan = failed_plan(obj, uri, f"{type(error).__name__}: {_first_line(error)}")
        LOG.info("planned %s: %s%s", plan.uri, plan.action, f" ({plan.reason})" if plan.reason else "")
        if plan.action == READ:
            table_columns = merge_table_columns(table_columns, [plan.columns])
        plans.append(plan)
    return plans


def _execute_all(
    spark: SparkSession,
    plans: Sequence[FilePlan],
    target: FileTarget,
    store: ObjectStore,
    context: RunContext,
    max_concurrent_files: int,
) -> list[FileResult]:
    def execute(plan: FilePlan) -> FileResult:
        spark.sparkContext.setJobDescription(f"file_processor {plan.uri}")
        started = time.monotonic()
        try:
            result = execute_plan(spark, plan, target, store, context)
        except Exception as error:  # one bad file never fails the others
            LOG.error("file %s failed: %s\n%s", plan.uri, error, traceback.format_exc())
            return plan_result(plan, started, FAILED, reason=f"{type(error).__name__}: {_first_line(error)}")
        LOG.info(
            "file %s: %s, %d read, %d written, %d quarantined in %.1fs",
            plan.uri,
            result.status,
            result.rows_read,
            result.rows_written,
            result.rows_quarantined,
            result.seconds,
        )
        return result

    with ThreadPoolExecutor(max_workers=max(1, max_concurrent_files), thread_name_prefix="file") as pool:
        return list(pool.map(execute, plans))


def _publish(
    environment: JobEnvironment, table: str, plans: Sequence[FilePlan], results: Sequence[FileResult]
) -> tuple[CatalogPublication, CatalogPublication]:
    """Registers the partitions written for the table and for its quarantine rows (each file's own folders)."""
    layout = environment.layout
    written = [(plan, result) for plan, result in zip(plans, results, strict=True) if result.status == SUCCEEDED]
    data = tuple(
        WrittenPartition(
            partition_values(plan.ingest_date, plan.source_id),
            f"{result.output_path}/",
            (*plan.columns, *METADATA_COLUMNS),
        )
        for plan, result in written
        if result.output_path
    )
    quarantine = tuple(
        WrittenPartition(
            partition_values(plan.ingest_date, plan.source_id),
            f"{result.quarantine_path}/",
            (*QUARANTINE_DATA_COLUMNS, *METADATA_COLUMNS),
        )
        for plan, result in written
        if result.quarantine_path
    )
    return (
        _publish_table(environment.catalog, TableUpdate(table, layout.table_location(table), data)),
        _publish_table(
            environment.catalog,
            TableUpdate(quarantine_table(table), layout.quarantine_location(table), quarantine),
        ),
    )


def _publish_table(catalog: Catalog, update: TableUpdate) -> CatalogPublication:
    if not update.partitions:
        return CatalogPublication(update.table)
    try:
        return CatalogPublication(update.table, outcome=catalog.publish(update))
    except Exception as error:  # reported, then the run fails
        LOG.error("catalog update of %s failed: %s\n%s", update.table, error, traceback.format_exc())
        return CatalogPublication(update.table, error=f"{type(error).__name__}: {_first_line(error)}")


def _first_line(error: BaseException) -> str:
    """A one-line reason; for Spark errors the Java exception, not py4j's "An error occurred while calling"."""
    java_exception = getattr(error, "java_exception", None)
    text = (str(java_exception) if java_exception is not None else str(error)).strip()
    return text.splitlines()[0][:500] if text else "(no message)"
