#!/usr/bin/env bash
# Runs every benchmark once at its smallest size, so a benchmark that no longer runs fails the tests. The figures
# are not checked (timings belong to `npm run bench`, on a quiet machine); only that each benchmark completes.
set -euo pipefail
cd "$(dirname "$0")/.."
# Inside the repository: the trigger bundles keep the AWS SDK external and load it from node_modules.
export BENCH_OUT=.build/bench-smoke
rm -rf "$BENCH_OUT" && mkdir -p "$BENCH_OUT"

run() { # name, arguments...
  local name="$1"
  shift
  if ! bash "bench/$name/run.sh" "$@" >"$BENCH_OUT/$name.log" 2>&1; then
    echo "bench/$name failed:" >&2
    cat "$BENCH_OUT/$name.log" >&2
    return 1
  fi
  echo "bench/$name: ran ($(grep -vc 'npm warn' "$BENCH_OUT/$name.log") lines of figures)"
}

REPS=1 run synth
run trigger 1
run file-processor 2
