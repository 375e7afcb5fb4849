"""Where file_processor's read of one large CSV goes: the job's read built up step by step, each step timed.

Not run by run.sh (it takes several minutes on the default file); for when bench.py shows the large-file ratio
missed and the question is which part of "read + validate + cache + count" or of the commit costs what:

    export PYTHONPATH=application-repo/glue-jobs/file_processor/src:application-repo/glue-jobs/table_maintenance/src
    .venv/bin/python bench/file-processor/read_breakdown.py --csv bench/out/file-processor/input/orders-1100MB.csv \\
        --out bench/out/read-breakdown

Every step evaluates all columns of every row (a `noop` write, so nothing is pruned) in one session, after a
warm-up on the first 10,000 rows; `--repeat N` runs every step N times, interleaved, and reports the minimum of
the wall seconds and of the CPU seconds the Spark JVM used (on a shared machine the CPU seconds are the steadier).
The steps use the job's own functions (batch_read, row_validation, tables) with the plan the job makes for the
file, so they follow the job's code as it changes. The cache is filled twice, uncompressed and compressed
(`spark.sql.inMemoryColumnarStorage.compressed`); the label says which one the job's session uses, and the writes
read that one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from file_processor.batch_read import SOURCE_INDEX, RunStamp, find_quoted_newlines, read_batch
from file_processor.file_plan import FilePlan, PlannerSettings, inspect_file, reconcile
from file_processor.local_run import build_local_manifest
from file_processor.object_store import LocalObjectStore
from file_processor.row_validation import (
    REASON,
    add_validation,
    is_utc_session,
    string_read_schema,
    typed_value,
    value_is_valid,
)
from file_processor.spark_session import local_session
from file_processor.table_schema import Column
from file_processor.tables import TableName, ensure_table, table_columns
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from bench import FLOOR_SCHEMA, jvm_cpu_seconds  # type: ignore[import-not-found]


def plan_for(csv_path: Path) -> FilePlan:
    manifest = build_local_manifest([csv_path], csv_path.parent, "breakdown", datetime.now(UTC))
    (obj,) = manifest.objects
    settings = PlannerSettings(split_threshold_bytes=min(csv_path.stat().st_size // 2, 64 * 1024 * 1024))
    return reconcile(inspect_file(obj, str(csv_path), LocalObjectStore(), settings=settings), None)


def strings_read(spark: SparkSession, plan: FilePlan) -> DataFrame:
    """The job's CSV read (batch_read._read_group's options), before anything is added to it."""
    reader = spark.read.options(
        header=True,
        multiLine=plan.multi_line,
        encoding="UTF-8",
        quote='"',
        escape='"',
        mode="PERMISSIVE",
        columnNameOfCorruptRecord="_corrupt_record",
    )
    return reader.schema(string_read_schema([column.name for column in plan.columns])).csv(plan.uri)


def noop(frame: DataFrame) -> None:
    frame.write.format("noop").mode("overwrite").save()


Steps = dict[str, list[tuple[float, float | None]]]
"""Per step label: (wall seconds, CPU seconds of the Spark JVM or None) of each round."""


def _cpu_text(cpu: float | None) -> str:
    return "" if cpu is None else f"(JVM CPU {cpu:7.2f} s)"


def run_steps(spark: SparkSession, csv_path: Path, out: Path, times: Steps, label_width: int = 84) -> None:
    """One round of every step; each step's seconds are appended to `times` under its label."""
    plan = plan_for(csv_path)
    stamp = RunStamp(processed_at=datetime.now(UTC), processing_job="breakdown/run")

    def step(label: str, action: Callable[[], object]) -> None:
        cpu_before = jvm_cpu_seconds(spark)
        started = time.perf_counter()
        action()
        seconds = time.perf_counter() - started
        cpu_after = jvm_cpu_seconds(spark)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        times.setdefault(label, []).append((seconds, cpu))
        print(f"  {label:<{label_width}} {seconds:8.2f} s {_cpu_text(cpu)}", flush=True)

    def typed_read() -> DataFrame:
        return spark.read.schema(FLOOR_SCHEMA).options(header=True).csv(str(csv_path))

    step("bare Spark: typed read -> Parquet (bench.py's floor)", lambda: _parquet(typed_read(), out / "floor"))
    step("bare Spark: typed read -> noop (parse only)", lambda: noop(typed_read()))
    step("text read -> noop (one plain pass over the lines)", lambda: noop(spark.read.text(str(csv_path))))
    step("text scan for quoted newlines (find_quoted_newlines)", lambda: find_quoted_newlines(spark, [plan]))
    step("job's read as strings -> noop", lambda: noop(strings_read(spark, plan)))
    step("+ validation (add_validation) -> noop", lambda: noop(add_validation(strings_read(spark, plan), plan.columns)))
    for column in plan.columns:
        step(
            f"  one column's value and check: {column.name} ({column.type}) -> noop",
            partial(lambda column: noop(_one_column_checked(strings_read(spark, plan), column)), column),
        )
    step(
        "  the same with Spark's own timestamp cast (the zone parsed per value) -> noop",
        lambda: noop(_validation_with_spark_timestamp_cast(strings_read(spark, plan), plan)),
    )
    step("read_batch rows (validated, source index) -> noop", lambda: noop(read_batch(spark, [plan], stamp).rows))
    setting = "spark.sql.inMemoryColumnarStorage.compressed"
    session_value = spark.conf.get(setting, "true") or "true"
    other_value = "true" if session_value.lower() == "false" else "false"
    for compressed in (other_value, session_value):  # the session's kind last: the writes below read that cache
        spark.conf.set(setting, compressed)
        batch = read_batch(spark, [plan], stamp)
        cached = batch.rows.persist(StorageLevel.MEMORY_AND_DISK)
        kind = "uncompressed" if compressed.lower() == "false" else "compressed"
        mark = ", as the job's session" if compressed == session_value else ""
        step(f"read_batch -> persist + count per file ({kind} cache{mark})", partial(_count_per_file, cached))
        if compressed == other_value:
            cached.unpersist(blocking=True)
    good = batch.for_tables(cached.where(F.col(REASON).isNull()).drop(REASON, "_raw_record"))
    step(
        "cached good rows + source columns -> plain Parquet (Spark's writer)",
        lambda: _parquet(good, out / "from-cache"),
    )
    table = TableName("breakdown", "orders")
    spark.sql(f"DROP TABLE IF EXISTS {table.identifier} PURGE")
    ensure_table(spark, table, plan.columns)
    columns = [column.name for column in table_columns(spark, table) or []]
    step(
        "cached good rows + source columns -> Iceberg append (the job's writer)",
        lambda: good.select(*columns).writeTo(table.identifier).append(),
    )
    cached.unpersist(blocking=True)


def _one_column_checked(frame: DataFrame, column: Column) -> DataFrame:
    """What add_validation computes for one column (its value and its check, as in the job's session), to see which
    type the cost of validation comes from; compare with the read as strings, which parses every column anyway."""
    utc_session = is_utc_session(frame.sparkSession)
    return frame.select(
        typed_value(column.name, column.type, utc_session).alias("value"),
        value_is_valid(column.name, column.type, utc_session).alias("valid"),
    )


def _validation_with_spark_timestamp_cast(frame: DataFrame, plan: FilePlan) -> DataFrame:
    """add_validation as in a session outside UTC, where timestamps take Spark's own cast: the expressions are
    chosen from the zone when built; they then run in the session's own zone (UTC) like the others."""
    session_zone = frame.sparkSession.conf.get("spark.sql.session.timeZone")
    frame.sparkSession.conf.set("spark.sql.session.timeZone", "Etc/GMT+1")
    try:
        return add_validation(frame, plan.columns)
    finally:
        frame.sparkSession.conf.set("spark.sql.session.timeZone", str(session_zone))


def _count_per_file(cached: DataFrame) -> None:
    """What job._count_read_rows computes; the first action on the persisted rows, so it fills the cache."""
    cached.groupBy(SOURCE_INDEX, F.col(REASON).isNull()).count().collect()


def _parquet(frame: DataFrame, target: Path) -> None:
    frame.write.mode("overwrite").option("compression", "snappy").parquet(str(target))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every step; the minimum is reported")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    warm = args.out / "warm-up" / "orders.csv"
    warm.parent.mkdir()
    with args.csv.open(encoding="utf-8") as source, warm.open("w", encoding="utf-8") as target:
        for _, line in zip(range(10_001), source, strict=False):
            target.write(line)

    spark = local_session(str(args.out / "warehouse"), cores=args.cores, driver_memory=args.driver_memory)
    print(f"warm-up on {warm}:")
    run_steps(spark, warm, args.out / "warm-up-results", {})
    times: Steps = {}
    for round_number in range(1, args.repeat + 1):
        print(f"\nround {round_number}: {args.csv} ({args.csv.stat().st_size / 1e9:.3f} GB), local[{args.cores}]")
        run_steps(spark, args.csv, args.out / "results", times)
    spark.stop()
    print(f"\nminimum of {args.repeat} round(s):")
    for label, runs in times.items():
        cpus = [cpu for _, cpu in runs if cpu is not None]
        print(f"  {label:<84} {min(wall for wall, _ in runs):8.2f} s {_cpu_text(min(cpus) if cpus else None)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
