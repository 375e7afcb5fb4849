#!/usr/bin/env bash
# Creates (or refreshes) the Python environment at .venv from the pinned requirements. Idempotent: it only
# reinstalls when a requirements file changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "python-env: Python 3.11 is required (the Glue 5.1 runtime); found $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements-dev.txt application-repo/glue-jobs/requirements.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
echo "$want" > "$stamp"
