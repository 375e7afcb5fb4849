"""Times file_processor's local run on a >1 GB CSV against pyarrow and DuckDB converting the same file to Parquet.

Baselines, measured in the same run on the same file (page cache warmed first):
- DuckDB: `read_csv` with its sniffer and `store_rejects` (bad rows set aside, the closest to the job's quarantine),
  written as snappy Parquet, 2 threads like local[2].
- pyarrow: streaming CSV reader and ParquetWriter (snappy); malformed rows skipped, and the column holding a
  mistyped value read as text, since pyarrow has no per-value error handling: it does less work than the job.
Spark's passes over the input come from the job's own report (Hadoop bytes read / file size).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
import pyarrow.csv as pv
import pyarrow.parquet as pq
from file_processor.job import JobSettings
from file_processor.local_run import run_local
from file_processor.spark_session import local_session

T = TypeVar("T")


def warm_page_cache(path: Path) -> None:
    with path.open("rb") as file:
        while file.read(16 * 1024 * 1024):
            pass


def convert_with_pyarrow(csv_path: Path, parquet_path: Path) -> int:
    reader = pv.open_csv(
        csv_path,
        read_options=pv.ReadOptions(block_size=64 * 1024 * 1024),
        parse_options=pv.ParseOptions(invalid_row_handler=lambda row: "skip"),
        convert_options=pv.ConvertOptions(column_types={"amount": pa.string()}),
    )
    rows = 0
    with pq.ParquetWriter(parquet_path, reader.schema, compression="snappy") as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def convert_with_duckdb(csv_path: Path, parquet_path: Path, threads: int) -> tuple[int, int]:
    connection = duckdb.connect()
    connection.execute(f"SET threads = {threads}")
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, store_rejects = true)) "
        f"TO '{parquet_path}' (FORMAT parquet, COMPRESSION snappy)"
    )
    rows = connection.execute(f"SELECT count(*) FROM read_parquet('{parquet_path}')").fetchone()
    rejects = connection.execute("SELECT count(*) FROM reject_errors").fetchone()
    connection.close()
    return int(rows[0]) if rows else 0, int(rejects[0]) if rejects else 0


def timed(label: str, action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:8.1f} s", flush=True)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--driver-memory", default="6g")
    args = parser.parse_args()
    size = args.csv.stat().st_size
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    print(f"input: {args.csv} ({size / 1e9:.2f} GB); {args.cores} cores", flush=True)
    warm_page_cache(args.csv)

    arrow_seconds, arrow_rows = timed(
        "pyarrow CSV -> Parquet", lambda: convert_with_pyarrow(args.csv, args.out / "pyarrow.parquet")
    )
    duck_seconds, (duck_rows, duck_rejects) = timed(
        "DuckDB CSV -> Parquet (rejects kept)",
        lambda: convert_with_duckdb(args.csv, args.out / "duckdb.parquet", args.cores),
    )
    start_seconds, spark = timed(
        "Spark session start (local)", lambda: local_session(cores=args.cores, driver_memory=args.driver_memory)
    )
    job_seconds, report = timed(
        "file_processor local run",
        lambda: run_local(spark, [str(args.csv)], args.out / "file-processor", dataset="bench", settings=JobSettings()),
    )
    spark.stop()

    (result,) = report.files
    totals = report.to_json()["totals"]
    print(
        f"\nrows: pyarrow {arrow_rows}, DuckDB {duck_rows} (+{duck_rejects} rejected), file_processor "
        f"{result.rows_written} (+{result.rows_quarantined} quarantined) of {result.rows_read} read"
    )
    print(
        f"file_processor read mode: {result.read_mode}; columns: "
        + ", ".join(f"{c.name} {c.type}" for c in result.columns)
    )
    print(f"Spark full passes over the input: {totals['inputPasses']}")
    print(
        f"throughput: file_processor {size / 1e6 / job_seconds:.0f} MB/s, DuckDB {size / 1e6 / duck_seconds:.0f} MB/s, "
        f"pyarrow {size / 1e6 / arrow_seconds:.0f} MB/s"
    )
    print(
        f"ratio file_processor / DuckDB:  {job_seconds / duck_seconds:.2f}x "
        f"({(job_seconds + start_seconds) / duck_seconds:.2f}x with Spark start-up)"
    )
    print(
        f"ratio file_processor / pyarrow: {job_seconds / arrow_seconds:.2f}x "
        f"({(job_seconds + start_seconds) / arrow_seconds:.2f}x with Spark start-up)"
    )
    summary = {
        "inputBytes": size,
        "seconds": {
            "pyarrow": arrow_seconds,
            "duckdb": duck_seconds,
            "sparkStart": start_seconds,
            "fileProcessor": job_seconds,
        },
        "ratioToDuckdb": job_seconds / duck_seconds,
        "ratioToPyarrow": job_seconds / arrow_seconds,
        "inputPasses": totals["inputPasses"],
        "rows": {"read": result.rows_read, "written": result.rows_written, "quarantined": result.rows_quarantined},
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return 0 if report.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
