"""Times file_processor's local run against floors measured in the same run, on the same warm inputs, and prints ratios.

Two cases, one Spark session (local[cores], Iceberg warehouse in a folder), after a small warm-up run of each path:
1. Burst: many small CSVs in ONE manifest (one Spark read over all of them, one commit). Floors: bare Spark reading
   all the files at once with a given schema and writing snappy Parquet; DuckDB `read_csv` over the files with
   `filename = true` to snappy Parquet. Then table_maintenance compacts the table; data files of the run's day are
   counted before and after from the Iceberg `files` metadata table.
2. One large CSV without quoted newlines, which the job splits by line. Floors: bare Spark CSV -> Parquet (split by
   line, given schema); DuckDB `read_csv` (sniffer, `store_rejects`: bad rows set aside like the job's quarantine).
The job's steps are timed by wrapping the functions job.py and table_commit.py call (nothing in the job changes), and
Hadoop's read counters give the bytes each step read from the local file system (input passes).
Ratios, not seconds, are the figures: the machines are noisy, and floor and job share the run's conditions. Each
case runs in rounds (DuckDB, bare Spark, the job; `--rounds`, default 2) and each figure is the fastest of its runs:
load from other work only slows a run down, and floor and job get the same number of tries.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import duckdb
from file_processor import job as job_module
from file_processor import table_commit
from file_processor.file_plan import PlannerSettings
from file_processor.job import JobSettings
from file_processor.local_run import LOCAL_DATABASE, run_local, warehouse_of
from file_processor.run_report import FileStatus, RunReport, RunStatus
from file_processor.spark_session import CATALOG, local_session
from pyspark.sql import SparkSession
from pyspark.sql import types as T
from table_maintenance.maintenance import run_maintenance
from table_maintenance.maintenance_report import MaintenanceStatus
from table_maintenance.maintenance_settings import MaintenanceSettings

R = TypeVar("R")

BURST_TARGET = 2.0
"""file_processor / bare Spark on the burst: at most this."""
LARGE_TARGET = 1.5
"""file_processor / bare Spark on the large file: at most this."""
WARM_UP_FILES = 40
"""More than Spark's parallel listing threshold (32 paths), so the warm-up takes the path the burst's reads take."""
SMALL_SPLIT_THRESHOLD = 1024 * 1024
"""Used instead of the job's default when the large file is below it (a smoke run), so the line path still runs."""
FLOOR_SCHEMA = T.StructType(
    [
        T.StructField("order_id", T.LongType()),
        T.StructField("customer_id", T.LongType()),
        T.StructField("amount", T.DecimalType(38, 2)),
        T.StructField("discount_rate", T.DoubleType()),
        T.StructField("is_gift", T.BooleanType()),
        T.StructField("order_date", T.DateType()),
        T.StructField("ordered_at", T.TimestampType()),
        T.StructField("customer_name", T.StringType()),
        T.StructField("country", T.StringType()),
    ]
)
"""The generated files' columns in the types the job infers for them: the floors write the same typed Parquet."""


# --- timing ---------------------------------------------------------------------------------------------------


def timed(label: str, action: Callable[[], R]) -> tuple[float, R]:
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<72} {seconds:8.2f} s", flush=True)
    return seconds, result


@dataclass
class Stage:
    label: str
    top_level: bool
    calls: int = 0
    seconds: float = 0.0
    bytes_read: int = 0


@dataclass(frozen=True)
class _Wrapped:
    module: ModuleType
    name: str
    label: str
    top_level: bool
    """Top-level steps do not overlap; their sum and the run's total give the time spent elsewhere."""
    count_bytes: bool = True


STEPS = (
    _Wrapped(job_module, "_plan_all", "plan: inspect files, fix types", top_level=True),
    _Wrapped(job_module, "find_quoted_newlines", "scan one-column files for quoted newlines", top_level=True),
    _Wrapped(job_module, "read_batch", "build the read (lazy: sources, unions)", top_level=True),
    _Wrapped(job_module, "_count_read_rows", "many files: read + validate + cache + count", top_level=True),
    _Wrapped(job_module, "cut_records", "many files: look for records cut at a quoted newline", top_level=True),
    _Wrapped(job_module, "ensure_table", "create / evolve tables", top_level=True),
    _Wrapped(job_module, "commit_change", "commit (per table)", top_level=True),
    _Wrapped(table_commit, "_delete_replaced", "  delete replaced rows on the branch", top_level=False),
    _Wrapped(table_commit, "_append", "  append rows to the branch (few files: the read itself)", top_level=False),
    _Wrapped(table_commit, "_publish", "  fast-forward main", top_level=False),
    _Wrapped(job_module, "committed_counts", "count committed rows (read back)", top_level=True),
    _Wrapped(job_module, "still_current", "of which: check object versions", top_level=False, count_bytes=False),
    _Wrapped(job_module, "table_columns", "of which: look up table schemas", top_level=False),
    _Wrapped(job_module, "data_columns", "of which: look up table schemas", top_level=False),
)
"""The job's functions timed; each is looked up by name in the module that calls it. A renamed one is skipped."""


@dataclass
class StepTimes:
    stages: dict[str, Stage] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    cache_memory_bytes: int | None = None
    cache_disk_bytes: int | None = None
    spark_jobs: int = 0
    spark_tasks: int = 0


def _last_job_id(spark: SparkSession) -> int:
    """The highest Spark job id so far (jobs of no group: the job sets descriptions, not groups)."""
    return max(spark.sparkContext.statusTracker().getJobIdsForGroup(), default=-1)


def spark_work_since(spark: SparkSession, after: int) -> tuple[int, int]:
    """(Spark jobs, tasks of their stages) run since job id `after`."""
    tracker = spark.sparkContext.statusTracker()
    jobs = tasks = 0
    for job_id in tracker.getJobIdsForGroup():
        info = tracker.getJobInfo(job_id) if job_id > after else None
        if info is None:
            continue
        jobs += 1
        for stage_id in info.stageIds:
            stage = tracker.getStageInfo(stage_id)
            tasks += stage.numTasks if stage is not None else 0
    return jobs, tasks


def timed_spark(spark: SparkSession, label: str, action: Callable[[], R]) -> tuple[float, R, tuple[int, int]]:
    """`timed`, plus the Spark jobs and tasks the action ran."""
    first = _last_job_id(spark)
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    work = spark_work_since(spark, first)
    print(f"  {label:<72} {seconds:8.2f} s  ({work[0]} Spark jobs, {work[1]} tasks)", flush=True)
    return seconds, result, work


def jvm_cpu_seconds(spark: SparkSession) -> float | None:
    """CPU seconds the Spark JVM (driver and, in local mode, executors) has used so far: user and system time of
    its process, from /proc on Linux; None elsewhere. On a machine shared with other work, wall seconds stretch
    with the load while CPU seconds mostly do not, so they tell a change of the job from a busy neighbour."""
    try:
        pid = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())  # type: ignore[union-attr]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except Exception:  # a figure, never a reason to fail the benchmark
        return None


def bytes_read(spark: SparkSession) -> int | None:
    """Bytes read so far through Hadoop's local file system in this JVM (local mode: driver and executors share it):
    the job's input, and Iceberg metadata and data files it reads back. None when the JVM does not expose it."""
    try:
        statistics = spark.sparkContext._jvm.org.apache.hadoop.fs.FileSystem.getAllStatistics()  # type: ignore[union-attr]
        return sum(int(item.getBytesRead()) for item in statistics if item.getScheme() == "file")
    except Exception:  # a figure, never a reason to fail the benchmark
        return None


def _cache_usage(spark: SparkSession) -> tuple[int, int] | None:
    """Bytes of persisted RDDs in memory and on disk, as the storage page of the Spark UI shows them."""
    try:
        infos = spark.sparkContext._jsc.sc().getRDDStorageInfo()  # type: ignore[union-attr]
        return sum(int(info.memSize()) for info in infos), sum(int(info.diskSize()) for info in infos)
    except Exception:  # a figure, never a reason to fail the benchmark
        return None


@contextmanager
def step_times(spark: SparkSession) -> Iterator[StepTimes]:
    """Wraps the job's steps for the duration of one run; the originals are put back afterwards."""
    times = StepTimes()
    restore: list[tuple[ModuleType, str, Any]] = []

    def wrap(step: _Wrapped, original: Callable[..., Any]) -> Callable[..., Any]:
        stage = times.stages.setdefault(step.label, Stage(step.label, step.top_level))

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before = bytes_read(spark) if step.count_bytes else None
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                stage.seconds += time.perf_counter() - started
                stage.calls += 1
                after = bytes_read(spark) if step.count_bytes else None
                if before is not None and after is not None:
                    stage.bytes_read += after - before
                if step.name == "_count_read_rows" and (usage := _cache_usage(spark)) is not None:
                    times.cache_memory_bytes, times.cache_disk_bytes = usage

        return wrapper

    for step in STEPS:
        original = getattr(step.module, step.name, None)
        if original is None:
            times.missing.append(f"{step.module.__name__}.{step.name}")
            continue
        restore.append((step.module, step.name, original))
        setattr(step.module, step.name, wrap(step, original))
    first = _last_job_id(spark)
    try:
        yield times
    finally:
        for module, name, original in restore:
            setattr(module, name, original)
        times.spark_jobs, times.spark_tasks = spark_work_since(spark, first)


def print_steps(times: StepTimes, total: float, input_bytes: int) -> None:
    print(
        f"  where file_processor's {total:.2f} s went ({times.spark_jobs} Spark jobs, {times.spark_tasks} tasks; "
        "bytes read from local files, input and Iceberg files alike):"
    )
    for stage in times.stages.values():
        if stage.calls == 0:
            continue
        read = (
            f"{stage.bytes_read / 1e6:9.1f} MB read = {stage.bytes_read / input_bytes:5.2f} x input"
            if stage.bytes_read
            else ""
        )
        print(f"    {stage.label:<42} {stage.seconds:8.2f} s {stage.calls:>5} calls {read}")
    other = total - sum(stage.seconds for stage in times.stages.values() if stage.top_level)
    print(f"    {'other (sources, unpersist, report, ...)':<42} {other:8.2f} s")
    if times.cache_memory_bytes is not None and times.cache_disk_bytes is not None:
        print(
            f"    cache after the count: {times.cache_memory_bytes / 1e6:.0f} MB in memory, "
            f"{times.cache_disk_bytes / 1e6:.0f} MB on disk"
        )
    if times.missing:
        print(f"    not timed (renamed in the job?): {', '.join(times.missing)}")


def steps_json(times: StepTimes, total: float) -> dict[str, Any]:
    top = sum(stage.seconds for stage in times.stages.values() if stage.top_level)
    return {
        "stages": [asdict(stage) for stage in times.stages.values() if stage.calls],
        "otherSeconds": total - top,
        "cacheMemoryBytes": times.cache_memory_bytes,
        "cacheDiskBytes": times.cache_disk_bytes,
        "sparkJobs": times.spark_jobs,
        "sparkTasks": times.spark_tasks,
        "notTimed": times.missing,
    }


# --- the floors -----------------------------------------------------------------------------------------------


def warm_page_cache(paths: Sequence[Path]) -> None:
    for path in paths:
        with path.open("rb") as file:
            while file.read(16 * 1024 * 1024):
                pass


def spark_csv_to_parquet(spark: SparkSession, paths: Sequence[Path], target: Path) -> None:
    """Bare Spark: one read of all the files (header, the given schema, split by line), snappy Parquet."""
    frame = spark.read.schema(FLOOR_SCHEMA).options(header=True).csv([str(path) for path in paths])
    frame.write.mode("overwrite").option("compression", "snappy").parquet(str(target))


def parquet_rows(spark: SparkSession, target: Path) -> int:
    return spark.read.parquet(str(target)).count()


def _sql_string(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def duckdb_burst(paths: Sequence[Path], target: Path, threads: int) -> int:
    """DuckDB over all files at once, each row with its file name (as the job stamps its source); rows written."""
    connection = duckdb.connect()
    try:
        connection.execute(f"SET threads = {threads}")
        files = "[" + ", ".join(_sql_string(path) for path in paths) + "]"
        connection.execute(
            f"COPY (SELECT * FROM read_csv({files}, header = true, filename = true)) "
            f"TO {_sql_string(target)} (FORMAT parquet, COMPRESSION snappy)"
        )
        row = connection.execute(f"SELECT count(*) FROM read_parquet({_sql_string(target)})").fetchone()
        return int(row[0]) if row else 0
    finally:
        connection.close()


def duckdb_large(csv_path: Path, target: Path, threads: int) -> tuple[int, int]:
    """DuckDB with its sniffer and `store_rejects` (bad rows set aside); (rows written, rows rejected)."""
    connection = duckdb.connect()
    try:
        connection.execute(f"SET threads = {threads}")
        connection.execute(
            f"COPY (SELECT * FROM read_csv({_sql_string(csv_path)}, header = true, store_rejects = true)) "
            f"TO {_sql_string(target)} (FORMAT parquet, COMPRESSION snappy)"
        )
        rows = connection.execute(f"SELECT count(*) FROM read_parquet({_sql_string(target)})").fetchone()
        rejects = connection.execute("SELECT count(*) FROM reject_errors").fetchone()
        return (int(rows[0]) if rows else 0), (int(rejects[0]) if rejects else 0)
    finally:
        connection.close()


@dataclass(frozen=True)
class JobRun:
    seconds: float
    report: RunReport
    times: StepTimes


@dataclass
class Rounds:
    """Each round runs DuckDB, the bare Spark floor and the job, in that order; each figure is the fastest of its
    runs. Other work on the machine only ever slows a run down, so the minimum is the better estimate, and the
    floor and the job get the same number of tries. The job writes a fresh table every round (same work each time)."""

    spark: SparkSession
    spark_action: Callable[[], None]
    spark_label: str
    duckdb_action: Callable[[], Any]
    duckdb_label: str
    job: Callable[[int], JobRun]
    """Runs the job for round N (1-based) into that round's own table."""
    input_bytes: int
    spark_runs: list[float] = field(default_factory=list)
    duckdb_runs: list[float] = field(default_factory=list)
    jobs: list[JobRun] = field(default_factory=list)
    spark_work: tuple[int, int] = (0, 0)
    duckdb_result: Any = None

    def run(self, rounds: int) -> None:
        for number in range(1, rounds + 1):
            when = round_label(number, rounds)
            seconds, self.duckdb_result = timed(f"{self.duckdb_label}{when}", self.duckdb_action)
            self.duckdb_runs.append(seconds)
            seconds, _, self.spark_work = timed_spark(self.spark, f"{self.spark_label}{when}", self.spark_action)
            self.spark_runs.append(seconds)
            run = self.job(number)
            print_steps(run.times, run.seconds, self.input_bytes)
            self.jobs.append(run)

    @property
    def spark_seconds(self) -> float:
        return min(self.spark_runs)

    @property
    def duckdb_seconds(self) -> float:
        return min(self.duckdb_runs)

    @property
    def best(self) -> JobRun:
        return min(self.jobs, key=lambda run: run.seconds)

    def to_json(self) -> dict[str, Any]:
        best = self.best
        return {
            "seconds": {"fileProcessor": best.seconds, "sparkFloor": self.spark_seconds, "duckdb": self.duckdb_seconds},
            "runs": {
                "fileProcessor": [run.seconds for run in self.jobs],
                "sparkFloor": self.spark_runs,
                "duckdb": self.duckdb_runs,
            },
            "sparkFloorWork": {"jobs": self.spark_work[0], "tasks": self.spark_work[1]},
            "ratioToSparkFloor": ratio(best.seconds, self.spark_seconds),
            "ratioToDuckdb": ratio(best.seconds, self.duckdb_seconds),
            "steps": steps_json(best.times, best.seconds),
        }


# --- checks and Iceberg figures -------------------------------------------------------------------------------


@dataclass
class Checks:
    results: dict[str, bool] = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.results[name] = ok
        print(f"  check {name}: {'ok' if ok else 'FAILED'} ({detail})", flush=True)

    @property
    def passed(self) -> bool:
        return all(self.results.values())


def data_files_of_day(spark: SparkSession, table: str, day: str) -> dict[str, int]:
    """Live files of the table's current snapshot in the partition of `day`, by content (data, deletes)."""
    rows = spark.sql(
        f"SELECT content, count(*) AS files FROM {CATALOG}.`{LOCAL_DATABASE}`.`{table}`.files "
        f"WHERE partition.processed_at_day = DATE '{day}' GROUP BY content"
    ).collect()
    by_content = {int(row["content"]): int(row["files"]) for row in rows}
    return {"data": by_content.pop(0, 0), "deletes": sum(by_content.values())}


def drop_tables(spark: SparkSession, report: RunReport) -> None:
    for table in (report.table, report.quarantine_table):
        spark.sql(f"DROP TABLE IF EXISTS {CATALOG}.`{LOCAL_DATABASE}`.`{table}` PURGE")


def column_plans(report: RunReport) -> int:
    """How many distinct column plans the files had: the job reads each plan's files as one group."""
    return len({result.columns for result in report.files})


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("inf")


def verdict(value: float, target: float) -> str:
    return f"target <= {target:.1f}x: {'met' if value <= target else 'MISSED'}"


# --- the two cases --------------------------------------------------------------------------------------------


def run_file_processor(
    spark: SparkSession, label: str, inputs: Sequence[Path], output: Path, dataset: str, settings: JobSettings
) -> JobRun:
    with step_times(spark) as times:
        seconds, report = timed(
            label, lambda: run_local(spark, [str(path) for path in inputs], output, dataset=dataset, settings=settings)
        )
    return JobRun(seconds, report, times)


def round_label(number: int, rounds: int) -> str:
    return f" (round {number} of {rounds})" if rounds > 1 else ""


def round_dataset(name: str, number: int) -> str:
    """Round 1 writes table `name`; later rounds their own (`name_2`, ...), dropped once measured."""
    return name if number == 1 else f"{name}-{number}"


def warm_up(spark: SparkSession, burst: Sequence[Path], out: Path) -> None:
    """One small run of the job and of the Spark floor, so neither measured run pays for the JVM's first use."""
    files = list(burst[:WARM_UP_FILES])
    _, report = timed(
        f"warm-up: file_processor on {len(files)} files",
        lambda: run_local(spark, [str(path) for path in files], out / "job", dataset="warmup", settings=JobSettings()),
    )
    timed("warm-up: bare Spark on the same files", lambda: spark_csv_to_parquet(spark, files, out / "warmup-spark"))
    drop_tables(spark, report)


def bench_burst(
    spark: SparkSession,
    burst: Sequence[Path],
    out: Path,
    cores: int,
    checks: Checks,
    retention_days: int,
    rounds: int,
) -> dict[str, Any]:
    size = sum(path.stat().st_size for path in burst)
    print(f"\n== burst: {len(burst)} files ({size / 1e6:.1f} MB) in one manifest")
    case = Rounds(
        spark,
        lambda: spark_csv_to_parquet(spark, burst, out / "burst-spark"),
        "bare Spark: one read of all files -> Parquet",
        lambda: duckdb_burst(burst, out / "burst-duckdb.parquet", cores),
        f"DuckDB read_csv(filename=true) -> Parquet, {cores} threads",
        lambda number: run_file_processor(
            spark,
            f"file_processor, one manifest{round_label(number, rounds)}",
            burst,
            out / "job",
            round_dataset("burst", number),
            JobSettings(),
        ),
        size,
    )
    case.run(rounds)
    floor_rows = parquet_rows(spark, out / "burst-spark")
    duck_rows = case.duckdb_result
    for number, run in enumerate(case.jobs, start=1):
        totals = run.report.to_json()["totals"]
        suffix = f" (round {number})" if len(case.jobs) > 1 else ""
        checks.check(f"burst status{suffix}", run.report.status == RunStatus.SUCCEEDED, f"run {run.report.status}")
        checks.check(
            f"burst files{suffix}",
            totals["filesSucceeded"] == len(burst),
            f"{totals['filesSucceeded']} of {len(burst)} files succeeded",
        )
        checks.check(
            f"burst rows{suffix}",
            totals["rowsRead"] == totals["rowsWritten"] + totals["rowsQuarantined"] == floor_rows,
            f"read {totals['rowsRead']} = written {totals['rowsWritten']} + quarantined {totals['rowsQuarantined']}; "
            f"bare Spark {floor_rows}, DuckDB {duck_rows}",
        )
    for run in case.jobs[1:]:
        drop_tables(spark, run.report)
    report = case.jobs[0].report
    totals = report.to_json()["totals"]
    modes = sorted({str(result.read_mode) for result in report.files})
    job_seconds, floor_seconds, duck_seconds = case.best.seconds, case.spark_seconds, case.duckdb_seconds

    day = report.context.processed_at.date().isoformat()
    before = data_files_of_day(spark, report.table, day)
    maintenance_seconds, maintenance = timed(
        f"table_maintenance (retention {retention_days} day)",
        lambda: run_maintenance(spark, LOCAL_DATABASE, MaintenanceSettings(retention_days=retention_days)),
    )
    after = data_files_of_day(spark, report.table, day)
    table_report = next((table for table in maintenance.tables if table.name == report.table), None)
    checks.check(
        "maintenance status",
        maintenance.status == MaintenanceStatus.SUCCEEDED and table_report is not None,
        f"run {maintenance.status}; tables {', '.join(table.name for table in maintenance.tables) or 'none'}",
    )
    checks.check(
        "maintenance compacted",
        after["data"] <= before["data"] and (before["data"] < 2 or after["data"] < before["data"]),
        f"data files of {day}: {before['data']} -> {after['data']}",
    )

    result = {
        "files": len(burst),
        "bytes": size,
        "columnPlans": column_plans(report),
        "readModes": modes,
        **case.to_json(),
        "target": BURST_TARGET,
        "filesPerSecond": ratio(len(burst), job_seconds),
        "rows": {
            "read": totals["rowsRead"],
            "written": totals["rowsWritten"],
            "quarantined": totals["rowsQuarantined"],
            "sparkFloor": floor_rows,
            "duckdb": duck_rows,
        },
        "maintenance": {
            "day": day,
            "seconds": maintenance_seconds,
            "status": str(maintenance.status),
            "dataFilesBefore": before["data"],
            "dataFilesAfter": after["data"],
            "deleteFilesBefore": before["deletes"],
            "deleteFilesAfter": after["deletes"],
            "report": None if table_report is None else asdict(table_report),
        },
    }
    print(
        f"  file_processor {job_seconds:.2f} s, bare Spark {floor_seconds:.2f} s, DuckDB {duck_seconds:.2f} s; "
        f"{result['filesPerSecond']:.1f} files/s; column plans {result['columnPlans']}; read mode {', '.join(modes)}"
    )
    print(
        f"  data files of {day} in {LOCAL_DATABASE}.{report.table}: {before['data']} before maintenance, "
        f"{after['data']} after (delete files {before['deletes']} -> {after['deletes']}); "
        f"maintenance {maintenance_seconds:.1f} s"
    )
    return result


def bench_large(
    spark: SparkSession, csv_path: Path, out: Path, cores: int, checks: Checks, rounds: int
) -> dict[str, Any]:
    size = csv_path.stat().st_size
    default_threshold = PlannerSettings().split_threshold_bytes
    threshold = default_threshold
    if default_threshold is not None and size <= default_threshold:
        threshold = min(default_threshold, SMALL_SPLIT_THRESHOLD)
    print(f"\n== one large CSV without quoted newlines: {csv_path.name} ({size / 1e9:.3f} GB)")
    if threshold != default_threshold:
        print(
            f"  (below the job's split threshold of {default_threshold} bytes: run with split_threshold_bytes="
            f"{threshold} so the line-split path is the one measured)"
        )
    warm_page_cache([csv_path])
    settings = JobSettings(planner=PlannerSettings(split_threshold_bytes=threshold))
    case = Rounds(
        spark,
        lambda: spark_csv_to_parquet(spark, [csv_path], out / "large-spark"),
        "bare Spark: CSV split by line -> Parquet",
        lambda: duckdb_large(csv_path, out / "large-duckdb.parquet", cores),
        f"DuckDB read_csv(store_rejects) -> Parquet, {cores} threads",
        lambda number: run_file_processor(
            spark,
            f"file_processor{round_label(number, rounds)}",
            [csv_path],
            out / "job",
            round_dataset("large", number),
            settings,
        ),
        size,
    )
    case.run(rounds)
    floor_rows = parquet_rows(spark, out / "large-spark")
    duck_rows, duck_rejects = case.duckdb_result
    for number, run in enumerate(case.jobs, start=1):
        (result,) = run.report.files
        suffix = f" (round {number})" if len(case.jobs) > 1 else ""
        checks.check(f"large status{suffix}", result.status == FileStatus.SUCCEEDED, f"file {result.status}")
        checks.check(f"large read mode{suffix}", result.read_mode == "line", f"read mode {result.read_mode!r}")
        checks.check(
            f"large rows{suffix}",
            result.rows_read == result.rows_written + result.rows_quarantined == floor_rows,
            f"read {result.rows_read} = written {result.rows_written} + quarantined {result.rows_quarantined}; "
            f"bare Spark {floor_rows}",
        )
    best = case.best
    (result,) = best.report.files
    times = best.times
    job_seconds, floor_seconds, duck_seconds = best.seconds, case.spark_seconds, case.duckdb_seconds
    passes = sum(stage.bytes_read for stage in times.stages.values() if stage.top_level) / size
    summary = {
        "file": str(csv_path),
        "bytes": size,
        "splitThresholdBytes": threshold,
        "readMode": result.read_mode,
        **case.to_json(),
        "target": LARGE_TARGET,
        "megabytesPerSecond": {
            "fileProcessor": size / 1e6 / job_seconds,
            "sparkFloor": size / 1e6 / floor_seconds,
            "duckdb": size / 1e6 / duck_seconds,
        },
        "rows": {
            "read": result.rows_read,
            "written": result.rows_written,
            "quarantined": result.rows_quarantined,
            "sparkFloor": floor_rows,
            "duckdb": duck_rows,
            "duckdbRejected": duck_rejects,
        },
        "bytesReadPerInputByte": passes,
        "columns": [f"{column.name} {column.type}" for column in result.columns],
    }
    print(
        f"  file_processor {job_seconds:.2f} s ({size / 1e6 / job_seconds:.0f} MB/s), bare Spark {floor_seconds:.2f} s "
        f"({size / 1e6 / floor_seconds:.0f} MB/s), DuckDB {duck_seconds:.2f} s ({size / 1e6 / duck_seconds:.0f} MB/s)"
    )
    print(
        f"  rows: file_processor read {result.rows_read} = written {result.rows_written} + quarantined "
        f"{result.rows_quarantined}; bare Spark {floor_rows}; DuckDB {duck_rows} (+{duck_rejects} rejected)"
    )
    print(f"  read mode: {result.read_mode}; bytes read by the job's steps / input size: {passes:.2f}")
    return summary


def _runs(summary: dict[str, Any], key: str) -> str:
    runs = summary["runs"][key]
    return f"{min(runs):.2f} s" + (f" (runs: {', '.join(f'{run:.2f}' for run in runs)})" if len(runs) > 1 else "")


def print_figures(b: dict[str, Any], g: dict[str, Any], warmed_up: bool) -> None:
    m = b["maintenance"]
    print("\n== figures (ratios against floors measured in this run; each figure the fastest of its rounds)")
    if not warmed_up:
        print("(no warm-up run: a smoke-sized run, where the JVM's first use dominates; these ratios mean nothing)")
    for title, case, target in (
        (
            f"burst, {b['files']} files x {b['rows']['read'] // max(1, b['files'])} rows, one manifest:",
            b,
            BURST_TARGET,
        ),
        (f"large CSV, {g['bytes'] / 1e9:.3f} GB, read mode {g['readMode']}:", g, LARGE_TARGET),
    ):
        print(title)
        print(f"  file_processor {_runs(case, 'fileProcessor')}")
        print(f"  bare Spark     {_runs(case, 'sparkFloor')}")
        print(f"  DuckDB         {_runs(case, 'duckdb')}")
        ratio_to_floor = case["ratioToSparkFloor"]
        print(f"  ratio file_processor / bare Spark: {ratio_to_floor:.2f}x ({verdict(ratio_to_floor, target)})")
        print(f"  ratio file_processor / DuckDB:     {case['ratioToDuckdb']:.2f}x")
        if case is b:
            print(f"  file_processor: {b['filesPerSecond']:.1f} files/s")
            print(
                f"  data files of {m['day']} before / after table_maintenance: "
                f"{m['dataFilesBefore']} / {m['dataFilesAfter']}"
            )
        else:
            rows = g["rows"]
            print(f"  rows read {rows['read']} = written {rows['written']} + quarantined {rows['quarantined']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, required=True, help="the large CSV")
    parser.add_argument("--burst", type=Path, required=True, help="the folder of small CSVs (one manifest)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--retention-days", type=int, default=1)
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs of each floor and of the job per case; the fastest counts"
    )
    parser.add_argument(
        "--warm-up",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a small run of each path first, so no measured run pays for the JVM's first use (default: on)",
    )
    parser.add_argument(
        "--short-lived-jvm",
        action="store_true",
        help="the driver JVM options of tests (spark_session.SHORT_RUN_JAVA_OPTIONS): for smoke runs, not figures",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("file_processor").setLevel(logging.INFO)  # the job's log lines go to stderr (spark.log)

    burst = sorted(args.burst.glob("*.csv"))
    if not burst:
        raise SystemExit(f"no CSV in {args.burst}")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    warm_page_cache([args.csv, *burst])
    checks = Checks()
    load_before = os.getloadavg()

    print(f"Spark local[{args.cores}], driver memory {args.driver_memory} (the job caches its rows MEMORY_AND_DISK)")
    start_seconds, spark = timed(
        "Spark session start",
        lambda: local_session(
            str(warehouse_of(args.out / "job")),
            cores=args.cores,
            driver_memory=args.driver_memory,
            short_lived=args.short_lived_jvm,
        ),
    )
    heap = int(spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory())  # type: ignore[union-attr]
    heap_gib = f"{heap / 2**30:.1f} GiB"
    print(f"  driver JVM max heap: {heap_gib}")
    if args.warm_up:
        warm_up(spark, burst, args.out)
    else:
        print("  no warm-up run: the first measured runs include the JVM's first use of each path")
    burst_summary = bench_burst(spark, burst, args.out, args.cores, checks, args.retention_days, args.rounds)
    large_summary = bench_large(spark, args.csv, args.out, args.cores, checks, args.rounds)
    spark.stop()

    print_figures(burst_summary, large_summary, args.warm_up)
    print(f"Spark start {start_seconds:.1f} s (in no figure); driver memory {args.driver_memory}, max heap {heap_gib}")
    load_after = os.getloadavg()
    print(
        f"load average (1/5/15 min) at start {' '.join(f'{v:.1f}' for v in load_before)}, at end "
        f"{' '.join(f'{v:.1f}' for v in load_after)} on {os.cpu_count()} CPUs (other work on the machine skews seconds)"
    )
    failed = [name for name, ok in checks.results.items() if not ok]
    print(f"checks: {'FAILED: ' + ', '.join(failed) if failed else 'all ok'}")

    summary = {
        "spark": {
            "master": f"local[{args.cores}]",
            "driverMemory": args.driver_memory,
            "driverMaxHeapBytes": heap,
            "startSeconds": start_seconds,
            "warmUp": args.warm_up,
            "rounds": args.rounds,
        },
        "cpus": os.cpu_count(),
        "loadAverage": {"start": load_before, "end": load_after},
        "burst": burst_summary,
        "large": large_summary,
        "checks": checks.results,
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"summary: {args.out / 'summary.json'}")
    return 0 if checks.passed else 1


if __name__ == "__main__":
    sys.exit(main())
