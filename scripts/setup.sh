#!/usr/bin/env bash
# Installs what the README commands need on a fresh clone: npm packages (from package-lock.json), the Python
# environment (.venv) and the Iceberg runtime jar. Each step is skipped when nothing changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.platform-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "setup: checking the Python environment (.venv)"
bash scripts/python-env.sh

# The Iceberg runtime Glue 5.1 ships, for local Spark: fetched once from Maven Central into ~/.ivy2 by starting a
# session that asks for it (spark.jars.packages), so the first test or demo run does not pay for the download.
iceberg_jar="${HOME}/.ivy2/jars/org.apache.iceberg_iceberg-spark-runtime-3.5_2.12-1.10.0.jar"
if [ ! -s "$iceberg_jar" ]; then
  echo "setup: fetching the Iceberg Spark runtime (about 46 MB, once)"
  warehouse=$(mktemp -d)
  PYTHONPATH=application-repo/glue-jobs/file_processor/src .venv/bin/python -c \
    "import sys; from file_processor.spark_session import local_session; local_session(sys.argv[1]).stop()" \
    "$warehouse" > "$warehouse.log" 2>&1 || { cat "$warehouse.log" >&2; exit 1; }
  rm -rf "$warehouse" "$warehouse.log"
fi
