#!/usr/bin/env bash
# Benchmark of the file_processor Glue job on local Spark (not a test). Generates its inputs into
# bench/out/file-processor/input/ (deterministic, kept between runs), then, in ONE run and one Spark session, times
# file_processor against floors measured in the same run and prints the ratios (the figures that matter on a noisy
# machine; see bench.py):
#  - burst: FILES CSVs of 50 rows in one manifest, vs bare Spark reading them all at once -> Parquet (target <= 2x)
#    and DuckDB read_csv(filename=true) -> Parquet; files per second; then table_maintenance compacts the table and
#    the day's data files are counted before and after;
#  - one large CSV of about MEGABYTES MB without quoted newlines (read split by line), vs bare Spark CSV -> Parquet
#    split by line (target <= 1.5x) and DuckDB; checks the report's read mode "line" and read = written + quarantined.
# Writes summary.json (every figure) and spark.log (Spark's and the job's log lines) under bench/out/file-processor/.
# Usage: bash bench/file-processor/run.sh [megabytes] [files]
#   megabytes  size of the large CSV in MB (10^6 bytes); default 1100 (the issue's "1 GB")
#   files      files in the burst; default 1000
# Each case runs in 2 rounds (DuckDB, bare Spark, file_processor) and each figure is the fastest of its runs.
# Smoke rule: megabytes < 100 is a smoke run (scripts/bench-smoke.sh runs `run.sh 2`): the burst defaults to 20 files,
# one round, no warm-up run, the JVM options of short local runs, so it stays well under 90 s including Spark start; its figures mean nothing.
# Environment: BENCH_OUT (default bench/out), DRIVER_MEMORY (default 6g: the large file's cache must fit).
set -euo pipefail
cd "$(dirname "$0")/../.."
megabytes="${1:-1100}"
if [ "$megabytes" -lt 100 ]; then
  default_files=20 options=(--rounds 1 --no-warm-up --short-lived-jvm)
else
  default_files=1000 options=(--rounds 2 --warm-up)
fi
files="${2:-$default_files}"
rows_per_file=50
driver_memory="${DRIVER_MEMORY:-6g}"
out="${BENCH_OUT:-bench/out}/file-processor"
mkdir -p "$out"

bash scripts/python-env.sh
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/file-processor/requirements.txt

export PYTHONPATH=application-repo/glue-jobs/file_processor/src:application-repo/glue-jobs/table_maintenance/src
large="$out/input/orders-${megabytes}MB.csv"
burst="$out/input/burst-${files}x${rows_per_file}"
.venv/bin/python bench/file-processor/generate_csv.py large "$large" --megabytes "$megabytes"
.venv/bin/python bench/file-processor/generate_csv.py burst "$burst" --files "$files" --rows "$rows_per_file"
echo "Spark and job log: $out/spark.log"
.venv/bin/python bench/file-processor/bench.py --csv "$large" --burst "$burst" --out "$out/results" \
  --driver-memory "$driver_memory" "${options[@]}" 2>"$out/spark.log"
