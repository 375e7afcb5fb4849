#!/usr/bin/env bash
# Installs what the README commands need on a fresh clone: npm packages (from package-lock.json) and the Python
# environment (.venv). Both steps are skipped when nothing changed since the last run.
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
