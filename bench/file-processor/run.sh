#!/usr/bin/env bash
# Benchmark of the file_processor Glue job on local Spark (not a test). Generates a CSV of about 1.1 GB into
# bench/out/file-processor/ (kept between runs), then times, in the same run and on the same warm file:
#  - pyarrow and DuckDB converting it to snappy Parquet (the baselines),
#  - file_processor's local run (inference from a 1 MiB sample, one Spark pass, validation, quarantine, Parquet),
# and prints the ratios and how many full passes over the input Spark made.
# Usage: bash bench/file-processor/run.sh [megabytes]   (default 1100)
set -euo pipefail
cd "$(dirname "$0")/../.."
megabytes="${1:-1100}"
out="${BENCH_OUT:-bench/out}/file-processor"
mkdir -p "$out"

bash scripts/python-env.sh
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/file-processor/requirements.txt

export PYTHONPATH=application-repo/glue-jobs/file_processor/src
.venv/bin/python bench/file-processor/generate_csv.py "$out/input/orders.csv" --megabytes "$megabytes"
.venv/bin/python bench/file-processor/bench.py --csv "$out/input/orders.csv" --out "$out/results" 2>"$out/spark.log"
