#!/usr/bin/env bash
# Every test of the project, as CI runs it: type-check (tsc, mypy --strict), lint and format (TypeScript and
# Python), jest (all workspaces), pytest on local Spark, synthesis of both apps on the default and a three-stage
# config, cfn-lint on every synthesized template, and one small run of the job's and the trigger's benchmarks (that
# they still run; figures not checked).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
mkdir -p .build

# Tests and CDK write scratch apps and assemblies under the temp directory; give this run its own and remove it
# at the end so repeated runs do not fill the machine's /tmp.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/platform-test.XXXXXX")
python_track=
kill_tree() { # pid: the process and its descendants (pytest, the JVM)
  local child
  for child in $(pgrep -P "$1"); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
# A failing Node step ends the script: the Python track must not run on without it.
trap '[ -z "$python_track" ] || kill_tree "$python_track"; rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

started=$SECONDS
step() { printf '\n== %s (at %ds)\n' "$*" "$((SECONDS - started))"; }

# Two tracks side by side, the second's output shown after the first's. The Python track (ruff, mypy --strict,
# pytest on local Spark, then the job's benchmark run) needs nothing the Node track (tsc, eslint, prettier, synth,
# cfn-lint, jest, the trigger's benchmark run) builds. pytest waits on py4j and on the Spark driver's single thread between jobs: alone it
# keeps about one core busy, and beside a Node track that fills both cores it took twice as long and finished last.
# So the Node track runs at a lower priority and takes what the Python track leaves. On a 2-core machine a fresh
# clone took 7 minutes with the tracks one after the other, about 5 side by side.
python_log=.build/python-track.log
(
  status=0
  step "lint and format Python (ruff, ruff format)"
  { .venv/bin/ruff check . && .venv/bin/ruff format --check .; } || status=1
  step "type-check Python (mypy --strict)"
  bash scripts/typecheck-python.sh || status=1
  step "pytest (local Spark)"
  .venv/bin/python -m pytest application-repo/glue-jobs -q -p no:cacheprovider --junitxml=.build/pytest-results.xml ||
    status=1
  step "benchmark run: file-processor (smallest size, figures not checked)"
  bash scripts/bench-smoke.sh file-processor || status=1
  exit "$status"
) > "$python_log" 2>&1 &
python_track=$!
low() { nice -n 10 "$@"; }

step "type-check (tsc -b)"
low npx tsc -b

step "lint and format TypeScript (eslint, prettier)"
low npx eslint . --max-warnings 0
low npx prettier --check . --log-level warn

step "synthesize both apps and lint the templates (cfn-lint, parliament)"
synth_status=0
low bash scripts/synth-and-lint.sh || synth_status=$?

# The contract test reads the assemblies just synthesized instead of synthesizing both apps twice more.
step "jest"
jest_status=0
PLATFORM_SYNTH_OUT=.build/synth low npx jest --ci --maxWorkers=2 --json --outputFile=.build/jest-results.json ||
  jest_status=$?

# The synth benchmark is left to `npm run bench`: what it times, both apps synthesized by tsx, ran above already.
step "benchmark run: trigger (smallest size, figures not checked)"
bench_status=0
low bash scripts/bench-smoke.sh trigger || bench_status=$?

python_status=0
wait "$python_track" || python_status=$?
python_track=
cat "$python_log"

.venv/bin/python scripts/test_summary.py .build/jest-results.json .build/pytest-results.xml
[ "$jest_status" -eq 0 ] && [ "$python_status" -eq 0 ] && [ "$synth_status" -eq 0 ] && [ "$bench_status" -eq 0 ]
