"""One run of file_processor: every file of a manifest in one Spark read, one commit per table, then the report.

The same function runs in Glue (S3 store, Glue Data Catalog) and locally (local files, a Hadoop catalog); only the
pieces passed in and the session's catalog differ. Steps:
1. plan: inspect every file (version, text, header, types) side by side, then fix types against the table in order;
2. read: one lazy read over all files (grouped by column plan), validated, each row stamped with its source;
3. evolve the tables, then commit the good rows and the quarantined rows, each table in one step (table_commit).
   A run of few files is read by the data table's write itself, which observes the counts per file and the bad
   rows on the way (observed_read); a run of many files is cached and counted first, and written from the cache.
   Either way every file is checked to still be its version after the read and before the publish;
4. count per file what the snapshots hold, reconcile read = written + quarantined, write the report.
A file's problem is recorded and the others go on; the run's status says whether anything failed.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from file_processor.batch_read import (
    SOURCE_INDEX,
    BatchRead,
    RunStamp,
    cut_records,
    find_quoted_newlines,
    needs_scan,
    read_batch,
    read_settings,
)
from file_processor.column_types import STRING
from file_processor.dataset_settings import DatasetRegistry, DatasetSettings, NewVersionPolicy
from file_processor.file_outcome import settle
from file_processor.file_plan import (
    FilePlan,
    PlanAction,
    PlannerSettings,
    failed_plan,
    inspect_file,
    reconcile,
    still_current,
)
from file_processor.layout import OutputLayout, quarantine_table, source_key, source_version
from file_processor.manifest import Manifest, ManifestObject
from file_processor.object_store import ObjectStore
from file_processor.observed_read import CutRecordsFound, ObservedRead
from file_processor.row_validation import RAW_RECORD, REASON
from file_processor.run_report import FileResult, FileStatus, RunContext, RunReport
from file_processor.table_commit import (
    DEFAULT_MAX_ATTEMPTS,
    CheckStaged,
    CommitOutcome,
    CommitStatus,
    SourceObject,
    TableChange,
    commit_change,
    committed_counts,
    replaced,
    version_key,
)
from file_processor.table_schema import Column, merge_table_columns
from file_processor.tables import TableName, data_columns, ensure_table, table_columns

LOG = logging.getLogger("file_processor")

RAW_RECORD_COLUMN = "raw_record"
"""Quarantine rows: the record as read (for a malformed record, byte for byte; else its fields re-quoted as CSV)."""
REASON_COLUMN = "reason"
QUARANTINE_DATA_COLUMNS = (Column(RAW_RECORD_COLUMN, STRING), Column(REASON_COLUMN, STRING))
"""The quarantine table's own columns; the metadata columns follow, as in every table the job writes."""
REPLACED_WHILE_READ = (
    "a newer version replaced the object (or it was deleted) while the run read it; none of its rows were "
    "committed, and the newer version's own event processes it"
)
REPLACED_WHILE_READ_APPEND = (
    "a newer version replaced the object (or it was deleted) while the run read it, so the rows read may be the "
    "newer version's; none were committed"
)


@dataclass(frozen=True)
class JobSettings:
    planner: PlannerSettings = field(default_factory=PlannerSettings)
    datasets: DatasetRegistry = field(default_factory=DatasetRegistry)
    max_commit_attempts: int = DEFAULT_MAX_ATTEMPTS
    one_pass_max_files: int = 16
    """A run that reads at most this many files reads them once, in its write (observed_read); one that reads more
    caches its rows and writes both tables from the cache, counting rows per file with one group-by, where one
    pass would count every file with metrics of its own on every row."""


@dataclass(frozen=True)
class JobEnvironment:
    """Where the run reads and writes; `locate` turns a manifest object into the URI Spark and the store read."""

    store: ObjectStore
    layout: OutputLayout
    database: str
    locate: Callable[[ManifestObject], str]


@dataclass
class _Run:
    """What one run carries from step to step."""

    spark: SparkSession
    manifest: Manifest
    environment: JobEnvironment
    context: RunContext
    settings: JobSettings
    dataset: DatasetSettings
    data_table: TableName
    quarantine: TableName
    started: float = field(default_factory=time.monotonic)

    @property
    def branch(self) -> str:
        return "run_" + "".join(c if c.isalnum() else "_" for c in self.context.run_id)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def run_job(
    spark: SparkSession,
    manifest: Manifest,
    environment: JobEnvironment,
    context: RunContext,
    settings: JobSettings | None = None,
) -> RunReport:
    """Processes the manifest and writes the report; never raises for a bad file, only for a report it cannot write."""
    settings = settings or JobSettings()
    run = _Run(
        spark=spark,
        manifest=manifest,
        environment=environment,
        context=context,
        settings=settings,
        dataset=settings.datasets.settings_for(manifest.dataset),
        data_table=TableName(environment.database, manifest.table),
        quarantine=TableName(environment.database, quarantine_table(manifest.table)),
    )
    plans = _plan_all(run)
    results: dict[int, FileResult] = {}
    for index, plan in enumerate(plans):
        if plan.action in (PlanAction.FAIL, PlanAction.SKIP):
            status = FileStatus.FAILED if plan.action == PlanAction.FAIL else FileStatus.SKIPPED
            results[index] = _result(plan, status, run.elapsed())
        elif plan.action == PlanAction.UNREADABLE:
            results[index] = _quarantine_whole_file(run, plan)
    written = [index for index, plan in enumerate(plans) if plan.action in (PlanAction.READ, PlanAction.EMPTY)]
    commits: tuple[CommitOutcome, ...] = ()
    if written:
        commits, outcomes = _write(run, [plans[index] for index in written])
        results.update(zip(written, outcomes, strict=True))

    report = RunReport(
        context=context,
        manifest_id=manifest.manifest_id,
        dataset=manifest.dataset,
        database=environment.database,
        table=manifest.table,
        quarantine_table=run.quarantine.table,
        files=tuple(settle(results[index], run.quarantine.table) for index in range(len(plans))),
        commits=commits,
        seconds=run.elapsed(),
        quarantine_ratio_threshold=run.dataset.quarantine_ratio_threshold,
    )
    report_uri = environment.layout.report(context.job_name, context.run_id)
    environment.store.write_bytes(report_uri, report.to_bytes(), "application/json")
    LOG.info("run %s: %s, report at %s", context.run_id, report.status, report_uri)
    return report


def _plan_all(run: _Run) -> list[FilePlan]:
    """Inspects the files side by side, then fixes their types in manifest order against the table."""
    environment = run.environment

    def inspect(obj: ManifestObject) -> FilePlan:
        uri = environment.locate(obj)
        try:
            return inspect_file(obj, uri, environment.store, run.dataset, run.settings.planner)
        except Exception as error:  # one file's storage error never fails the others
            LOG.error("planning %s failed: %s\n%s", uri, error, traceback.format_exc())
            return failed_plan(obj, uri, f"{type(error).__name__}: {_first_line(error)}")

    workers = max(1, min(run.settings.planner.max_parallel_inspections, len(run.manifest.objects)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inspect") as pool:
        inspected = list(pool.map(inspect, run.manifest.objects))
    columns = data_columns(run.spark, run.data_table)
    plans: list[FilePlan] = []
    for plan in inspected:
        plan = reconcile(plan, columns)
        if plan.action == PlanAction.READ:
            columns = merge_table_columns(columns, [plan.columns])
        LOG.info("planned %s: %s%s", plan.uri, plan.action, f" ({plan.reason})" if plan.reason else "")
        plans.append(plan)
    return plans


def _quarantine_whole_file(run: _Run, plan: FilePlan) -> FileResult:
    target = run.environment.layout.quarantined_file(run.manifest.table, plan.obj)
    try:
        run.environment.store.copy(plan.uri, target)
    except Exception as error:  # the file stays in the input bucket; the run alarms
        LOG.error("copying %s to quarantine failed: %s", plan.uri, error)
        return _result(plan, FileStatus.FAILED, run.elapsed(), reason=f"{plan.reason}; copying it failed: {error}")
    return _result(plan, FileStatus.QUARANTINED, run.elapsed(), quarantined_file=target)


def _write(run: _Run, plans: Sequence[FilePlan]) -> tuple[tuple[CommitOutcome, ...], list[FileResult]]:
    """Reads, commits and reconciles the files that have rows (or replace rows with none); one result per plan."""
    line_split_bytes = sum(plan.size for plan in plans if plan.action == PlanAction.READ and not plan.multi_line)
    with read_settings(run.spark, line_split_bytes):
        return _read_and_commit(run, plans)


def _read_and_commit(run: _Run, plans: Sequence[FilePlan]) -> tuple[tuple[CommitOutcome, ...], list[FileResult]]:
    spark = run.spark
    reads = [plan for plan in plans if plan.action == PlanAction.READ]
    reads = _as_multi_line(reads, find_quoted_newlines(spark, [plan for plan in reads if needs_scan(plan)]))
    stamp = RunStamp(processed_at=run.context.processed_at, processing_job=run.context.processing_job)
    if reads and len(reads) <= run.settings.one_pass_max_files:
        try:
            return _write_in_one_pass(run, plans, reads, stamp)
        except CutRecordsFound as cut:
            # Rare: a quoted newline the sample did not show. Nothing was published; those files are read again,
            # multi-line.
            LOG.info("%s: reading them multi-line", cut)
            reads = _as_multi_line(reads, cut.uris)
    return _write_from_cache(run, plans, reads, stamp)


def _write_in_one_pass(
    run: _Run, plans: Sequence[FilePlan], reads: Sequence[FilePlan], stamp: RunStamp
) -> tuple[tuple[CommitOutcome, ...], list[FileResult]]:
    """The data table's write is the run's only pass over the input; what the read showed (counts, bad rows, cut
    records, see observed_read) is checked after the rows are staged and before they are published."""
    spark = run.spark
    plans = _with_reads(plans, reads)
    observed: ObservedRead | None = None
    try:
        batch = read_batch(spark, reads, stamp)
        observed = ObservedRead(batch)
        read = observed  # the closures' own, never None
        ensure_table(spark, run.data_table, _merged_columns(run, reads))
        replaced_since_planned = _replaced_since_planned(run, plans)

        def check_staged(objects: Sequence[SourceObject]) -> set[SourceObject]:
            seen = read.result()
            if seen.unmatched:
                raise RuntimeError(f"{seen.unmatched} rows could not be matched to a file of the manifest")
            if seen.cut:
                raise CutRecordsFound(read.cut_uris())
            return replaced_since_planned(objects)

        def quarantined() -> DataFrame | None:
            if not read.observed:
                raise RuntimeError("the data table's commit failed before its write had read the rows")
            seen = read.result()
            if not any(bad for _, bad in seen.counts.values()):
                return None
            ensure_table(spark, run.quarantine, QUARANTINE_DATA_COLUMNS)
            if seen.bad_rows is None:  # more than a task hands over: read them again
                rows = batch.rows.where(F.col(REASON).isNotNull())
            else:
                rows = spark.createDataFrame(
                    [(row.raw_record, row.reason, row.source) for row in seen.bad_rows], _BAD_ROW_SCHEMA
                )
            return _quarantine_rows(run, batch, rows)

        good = _shaped(batch.for_tables(read.rows.where(F.col(REASON).isNull())), _columns_of(run, run.data_table))
        commits = _commit_tables(run, plans, good, quarantined, check_staged)
    except CutRecordsFound:
        raise
    except Exception as error:  # the whole write failed: no table moved
        return (), _all_failed(run, plans, error)
    read_counts = {}
    if observed is not None and observed.observed:
        read_counts = {
            version_key(_source_object(observed.batch.plan_of(index))): counts
            for index, counts in observed.result().counts.items()
        }
    return commits.outcomes, [_file_result(run, plan, read_counts, commits) for plan in plans]


def _write_from_cache(
    run: _Run, plans: Sequence[FilePlan], reads: Sequence[FilePlan], stamp: RunStamp
) -> tuple[tuple[CommitOutcome, ...], list[FileResult]]:
    """A run of many files: its rows are cached, counted per file from the cache, and both tables written from it."""
    spark = run.spark
    batch: BatchRead | None = None
    cached: DataFrame | None = None
    try:
        read_counts: dict[str, tuple[int, int]] = {}
        if reads:
            batch, cached = _read_cached(spark, reads, stamp)
            read_counts = _count_read_rows(cached, batch)
            cut = cut_records(cached, batch.plans) if any(bad for _, bad in read_counts.values()) else set()
            if cut:
                # Rare: a quoted newline the sample did not show. Those files are read again, multi-line.
                LOG.info("quoted newlines in %s: reading them multi-line", ", ".join(sorted(cut)))
                cached.unpersist()
                cached = None
                reads = _as_multi_line(reads, cut)
                batch, cached = _read_cached(spark, reads, stamp)
                read_counts = _count_read_rows(cached, batch)
            spark.sparkContext.setJobDescription(f"file_processor {run.context.run_id}: commit")
            ensure_table(spark, run.data_table, _merged_columns(run, reads))
            if any(bad for _, bad in read_counts.values()):
                ensure_table(spark, run.quarantine, QUARANTINE_DATA_COLUMNS)
        plans = _with_reads(plans, reads)
        good = bad = None
        if batch is not None and cached is not None:
            good = _shaped(batch.for_tables(cached.where(F.col(REASON).isNull())), _columns_of(run, run.data_table))
            if any(bad_rows for _, bad_rows in read_counts.values()):
                bad = _quarantine_rows(run, batch, cached.where(F.col(REASON).isNotNull()))
        commits = _commit_tables(run, plans, good, lambda: bad, _replaced_since_planned(run, plans))
    except Exception as error:  # the whole write failed: no table moved
        return (), _all_failed(run, plans, error)
    finally:
        if cached is not None:
            cached.unpersist()
    return commits.outcomes, [_file_result(run, plan, read_counts, commits) for plan in plans]


def _replaced_since_planned(run: _Run, plans: Sequence[FilePlan]) -> CheckStaged:
    """The data table's check after its append, before the publish: the objects a newer version replaced since they
    were planned (their rows, read after the planning, may be the newer version's), whatever the new-version policy."""
    plan_of = {_source_object(plan): plan for plan in plans}
    store = run.environment.store
    return lambda objects: replaced(objects, lambda obj: not still_current(plan_of[obj].obj, plan_of[obj].uri, store))


_BAD_ROW_SCHEMA = T.StructType(
    [
        T.StructField(RAW_RECORD, T.StringType()),
        T.StructField(REASON, T.StringType()),
        T.StructField(SOURCE_INDEX, T.IntegerType()),
    ]
)


def _quarantine_rows(run: _Run, batch: BatchRead, bad: DataFrame) -> DataFrame:
    """Bad rows of the batch (their raw record, reason and source index) as the quarantine table takes them."""
    rows = bad.select(F.col(RAW_RECORD).alias(RAW_RECORD_COLUMN), F.col(REASON).alias(REASON_COLUMN), SOURCE_INDEX)
    return _shaped(batch.for_tables(rows), _columns_of(run, run.quarantine))


def _columns_of(run: _Run, table: TableName) -> list[Column]:
    return list(table_columns(run.spark, table) or [])


def _merged_columns(run: _Run, reads: Sequence[FilePlan]) -> list[Column]:
    return merge_table_columns(data_columns(run.spark, run.data_table), [plan.columns for plan in reads])


def _with_reads(plans: Sequence[FilePlan], reads: Sequence[FilePlan]) -> list[FilePlan]:
    """The plans, with each file read as `reads` says (multi-line or by line)."""
    by_uri = {plan.uri: plan for plan in reads}
    return [by_uri.get(plan.uri, plan) for plan in plans]


def _all_failed(run: _Run, plans: Sequence[FilePlan], error: Exception) -> list[FileResult]:
    LOG.error("run %s: writing failed: %s\n%s", run.context.run_id, error, traceback.format_exc())
    reason = f"the run's write failed before its commit: {type(error).__name__}: {_first_line(error)}"
    return [_result(plan, FileStatus.FAILED, run.elapsed(), reason=reason) for plan in plans]


def _read_cached(spark: SparkSession, reads: Sequence[FilePlan], stamp: RunStamp) -> tuple[BatchRead, DataFrame]:
    """The run's lazy read and its rows marked for caching (filled by the first action on them)."""
    batch = read_batch(spark, reads, stamp)
    return batch, batch.rows.persist(StorageLevel.MEMORY_AND_DISK)


def _as_multi_line(reads: Sequence[FilePlan], uris: Collection[str]) -> list[FilePlan]:
    return [replace(plan, multi_line=True) if plan.uri in uris else plan for plan in reads]


def _count_read_rows(cached: DataFrame, batch: BatchRead) -> dict[str, tuple[int, int]]:
    """Good and bad rows per object version; computing it fills the cache, the run's one pass over the input."""
    rows = cached.groupBy(SOURCE_INDEX, F.col(REASON).isNull().alias("good")).count().collect()
    counts: dict[str, tuple[int, int]] = {}
    for row in rows:
        if row[SOURCE_INDEX] is None:
            raise RuntimeError(f"{row['count']} rows could not be matched to a file of the manifest")
        key = version_key(_source_object(batch.plan_of(row[SOURCE_INDEX])))
        good, bad = counts.get(key, (0, 0))
        counts[key] = (good + row["count"], bad) if row["good"] else (good, bad + row["count"])
    return counts


@dataclass(frozen=True)
class _Commits:
    data: CommitOutcome
    quarantine: CommitOutcome
    written: dict[str, int]
    quarantined: dict[str, int]
    committed_at: float

    @property
    def outcomes(self) -> tuple[CommitOutcome, ...]:
        return (self.data, self.quarantine)


def _commit_tables(
    run: _Run,
    plans: Sequence[FilePlan],
    good: DataFrame | None,
    quarantined: Callable[[], DataFrame | None],
    check_staged: CheckStaged,
) -> _Commits:
    """Commits the data table, then the quarantine; `quarantined` gives the quarantine's rows once the data table's
    commit is done (in one pass, that commit's write is the read that finds them)."""
    spark = run.spark
    objects = [_source_object(plan) for plan in plans]
    by_object = {version_key(obj): plan for obj, plan in zip(objects, plans, strict=True)}

    def still(obj: SourceObject) -> bool:
        if run.dataset.new_version == NewVersionPolicy.APPEND:
            return True
        plan = by_object[version_key(obj)]
        return still_current(plan.obj, plan.uri, run.environment.store)

    def commit(
        table: TableName,
        role: str,
        rows: Callable[[], DataFrame | None],
        left_out: frozenset[SourceObject] = frozenset(),
        check: CheckStaged | None = None,
    ) -> CommitOutcome:
        try:
            exists = table_columns(spark, table) is not None
            change = TableChange(table, role, rows(), objects, exists, left_out=left_out, check_staged=check)
            return commit_change(
                spark, change, run.branch, run.dataset.new_version, still, run.settings.max_commit_attempts
            )
        except CutRecordsFound:
            raise  # nothing is published: the run reads those files again
        except Exception as error:  # reported; the table stays at its previous snapshot
            LOG.error("commit to %s failed: %s\n%s", table, error, traceback.format_exc())
            return CommitOutcome(
                table.table, role, CommitStatus.FAILED, error=f"{type(error).__name__}: {_first_line(error)}"
            )

    data = commit(run.data_table, "data", lambda: good, check=check_staged)
    if set(objects) - data.left_out:
        # Objects the data table's commit left out are left out of the quarantine's too: rows and all.
        quarantine = commit(run.quarantine, "quarantine", quarantined, left_out=data.left_out)
    else:  # every object was left out: nothing of theirs goes anywhere
        quarantine = CommitOutcome(run.quarantine.table, "quarantine", CommitStatus.UNCHANGED)
    counts = [
        {}
        if outcome.snapshot_id is None
        else committed_counts(spark, table, outcome.snapshot_id, run.context.processing_job, run.context.processed_at)
        for table, outcome in ((run.data_table, data), (run.quarantine, quarantine))
    ]
    return _Commits(data, quarantine, counts[0], counts[1], run.elapsed())


def _shaped(rows: DataFrame, columns: Sequence[Column]) -> DataFrame:
    """The rows with exactly the table's columns, in its order and types (a column a file lacks is null)."""
    present = set(rows.columns)
    return rows.select(
        *[
            (F.col(f"`{column.name}`") if column.name in present else F.lit(None)).cast(column.type).alias(column.name)
            for column in columns
        ]
    )


def _file_result(run: _Run, plan: FilePlan, read_counts: dict[str, tuple[int, int]], commits: _Commits) -> FileResult:
    obj = _source_object(plan)
    key = version_key(obj)
    elapsed = commits.committed_at
    if any(obj in commit.left_out for commit in commits.outcomes):
        replace_policy = run.dataset.new_version == NewVersionPolicy.REPLACE
        status = FileStatus.SKIPPED if replace_policy else FileStatus.FAILED
        return _result(
            plan, status, elapsed, reason=REPLACED_WHILE_READ if replace_policy else REPLACED_WHILE_READ_APPEND
        )
    failed = [commit for commit in commits.outcomes if commit.status == CommitStatus.FAILED]
    if failed:
        reason = "; ".join(f"commit to {commit.table} failed: {commit.error}" for commit in failed)
        return _result(plan, FileStatus.FAILED, elapsed, reason=reason)
    good, bad = read_counts.get(key, (0, 0))
    written, quarantined = commits.written.get(key, 0), commits.quarantined.get(key, 0)
    if good + bad != written + quarantined:
        reason = (
            f"counts do not reconcile: {good + bad} rows read, {written} committed to the table and {quarantined} "
            "to the quarantine"
        )
        return _result(plan, FileStatus.FAILED, elapsed, reason=reason)
    return _result(
        plan,
        FileStatus.SUCCEEDED,
        elapsed,
        reason=plan.reason,
        rows_read=good + bad,
        rows_written=written,
        rows_quarantined=quarantined,
        read_mode=("multi-line" if plan.multi_line else "line") if plan.action == PlanAction.READ else None,
        snapshot_id=commits.data.snapshot_id,
    )


def _source_object(plan: FilePlan) -> SourceObject:
    return SourceObject(source_key(plan.obj), source_version(plan.obj))


def _result(plan: FilePlan, status: FileStatus, seconds: float, **outcome: object) -> FileResult:
    fields: dict[str, object] = {"reason": plan.reason, **outcome}
    return FileResult(
        source_file=plan.obj.s3_uri,
        source_key=source_key(plan.obj),
        source_version=source_version(plan.obj),
        status=status,
        size=plan.size,
        columns=plan.columns,
        header=plan.header,
        conflicts=plan.conflicts,
        seconds=seconds,
        **fields,  # type: ignore[arg-type]
    )


def _first_line(error: BaseException) -> str:
    """A one-line reason; for Spark errors the Java exception, not py4j's "An error occurred while calling"."""
    java_exception = getattr(error, "java_exception", None)
    text = (str(java_exception) if java_exception is not None else str(error)).strip()
    return text.splitlines()[0][:500] if text else "(no message)"
