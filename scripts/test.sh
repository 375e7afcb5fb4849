#!/usr/bin/env bash
# Every test of the project, as CI runs it: type-check (tsc, mypy --strict), lint and format (TypeScript and
# Python), jest (all workspaces), pytest on local Spark, synthesis of both apps on the default and a three-stage
# config, cfn-lint on every synthesized template, and one small run of each benchmark (that it still runs; figures
# not checked).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
mkdir -p .build

# Tests and CDK write scratch apps and assemblies under the temp directory; give this run its own and remove it
# at the end so repeated runs do not fill the machine's /tmp.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/platform-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

started=$SECONDS
step() { printf '\n== %s (at %ds)\n' "$*" "$((SECONDS - started))"; }

step "type-check (tsc -b)"
npx tsc -b

step "type-check Python (mypy --strict)"
bash scripts/typecheck-python.sh

step "lint (eslint, ruff) and format (prettier, ruff format)"
npx eslint . --max-warnings 0
npx prettier --check . --log-level warn
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# The Python track (pytest on local Spark, then the job's benchmark run) waits on the JVM and py4j far more than it
# computes, so it runs beside the Node track (jest, synth, cfn-lint) and its output is shown after; on this 2-core
# machine that takes the test command from about 7.5 to about 5 minutes.
python_log=.build/python-track.log
(
  status=0
  step "pytest (local Spark)"
  .venv/bin/python -m pytest application-repo/glue-jobs -q -p no:cacheprovider --junitxml=.build/pytest-results.xml ||
    status=1
  step "benchmark run: file-processor (smallest size, figures not checked)"
  bash scripts/bench-smoke.sh file-processor || status=1
  exit "$status"
) > "$python_log" 2>&1 &
python_track=$!

step "jest"
jest_status=0
npx jest --ci --json --outputFile=.build/jest-results.json || jest_status=$?

step "synthesize both apps and lint the templates (cfn-lint)"
synth_status=0
bash scripts/synth-and-lint.sh || synth_status=$?

step "benchmarks run: synth, trigger (smallest size, figures not checked)"
bench_status=0
bash scripts/bench-smoke.sh synth trigger || bench_status=$?

python_status=0
wait "$python_track" || python_status=$?
cat "$python_log"

.venv/bin/python scripts/test_summary.py .build/jest-results.json .build/pytest-results.xml
[ "$jest_status" -eq 0 ] && [ "$python_status" -eq 0 ] && [ "$synth_status" -eq 0 ] && [ "$bench_status" -eq 0 ]
