#!/usr/bin/env bash
# Runs every benchmark once at its smallest size, so a benchmark that no longer runs fails the tests. The figures
# are not checked (timings belong to `npm run bench`, on a quiet machine); only that each benchmark completes.
set -euo pipefail
cd "$(dirname "$0")/.."
# Inside the repository: the trigger bundles keep the AWS SDK external and load it from node_modules.
export BENCH_OUT=.build/bench-smoke
mkdir -p "$BENCH_OUT"

run() { # name, arguments...
  local name="$1"
  shift
  rm -rf "${BENCH_OUT:?}/$name" "$BENCH_OUT/$name.log"
  if ! bash "bench/$name/run.sh" "$@" >"$BENCH_OUT/$name.log" 2>&1; then
    echo "bench/$name failed:" >&2
    cat "$BENCH_OUT/$name.log" >&2
    return 1
  fi
  echo "bench/$name: ran ($(grep -vc 'npm warn' "$BENCH_OUT/$name.log") lines of figures)"
}

# The names given (default: all), so the test command can run the JVM one beside the Node ones.
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(synth trigger file-processor)
for name in "${names[@]}"; do
  case "$name" in
    synth) REPS=1 WARM_UP=0 run synth ;;
    trigger) run trigger 1 ;;
    file-processor) run file-processor 2 ;;
    *) echo "bench-smoke: unknown benchmark $name (expected synth, trigger or file-processor)" >&2 && exit 1 ;;
  esac
done
