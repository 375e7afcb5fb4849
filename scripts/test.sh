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

step() { printf '\n== %s\n' "$*"; }

step "type-check (tsc -b)"
npx tsc -b

step "type-check Python (mypy --strict)"
bash scripts/typecheck-python.sh

step "lint (eslint, ruff) and format (prettier, ruff format)"
npx eslint . --max-warnings 0
npx prettier --check . --log-level warn
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "jest"
jest_status=0
npx jest --ci --json --outputFile=.build/jest-results.json || jest_status=$?

step "pytest (local Spark)"
pytest_status=0
.venv/bin/python -m pytest application-repo/glue-jobs -q -p no:cacheprovider --junitxml=.build/pytest-results.xml ||
  pytest_status=$?

step "synthesize both apps and lint the templates (cfn-lint)"
synth_status=0
bash scripts/synth-and-lint.sh || synth_status=$?

step "benchmarks run (smallest size, figures not checked)"
bench_status=0
bash scripts/bench-smoke.sh || bench_status=$?

.venv/bin/python scripts/test_summary.py .build/jest-results.json .build/pytest-results.xml
[ "$jest_status" -eq 0 ] && [ "$pytest_status" -eq 0 ] && [ "$synth_status" -eq 0 ] && [ "$bench_status" -eq 0 ]
