#!/usr/bin/env bash
# Runs the file_processor Glue job with local Spark on the shipped sample CSVs (or on the files given after the
# output directory): Iceberg tables in OUTPUT_DIR/warehouse, whole quarantined files, manifest and report; it ends
# with Spark SQL over the tables. DATASETS may hold the job's --datasets argument (the demo passes the registry's).
#   bash scripts/run-local-job.sh OUTPUT_DIR [CSV_FILE_OR_DIR ...]   (DATASET=name sets the table; default orders)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: run-local-job.sh OUTPUT_DIR [CSV_FILE_OR_DIR ...]}
shift
inputs=("$@")
[ ${#inputs[@]} -gt 0 ] || inputs=(application-repo/glue-jobs/file_processor/samples)
rm -rf "$out"
mkdir -p "$out"
# Spark's start-up warnings go to a log beside the output; they are shown only if the run fails.
if ! PYTHONPATH=application-repo/glue-jobs/file_processor/src \
  .venv/bin/python -m file_processor.local_run --input "${inputs[@]}" --dataset "${DATASET:-orders}" --output "$out" \
  ${DATASETS:+--datasets "$DATASETS"} \
  2> "$out/spark.log"; then
  cat "$out/spark.log" >&2
  exit 1
fi
