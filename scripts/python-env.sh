#!/usr/bin/env bash
# Creates (or refreshes) the Python environment at .venv from requirements-dev.lock: every package, direct or not,
# pinned and checked against its sha256 (pip --require-hashes), here and in the pipeline's synth step alike.
# Idempotent: it only reinstalls when the lock or a requirements file changed since the last run.
#
# The lock is generated from requirements-dev.txt (which includes application-repo/glue-jobs/requirements.txt):
#   pip install pip-tools==7.6.2
#   pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
#     --output-file requirements-dev.lock requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "python-env: Python 3.11 is required (the Glue 5.1 runtime); found $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi

# Each pin of the requirements files must be the lock's: an edited pin without a new lock stops here.
stale=()
while read -r pin; do
  grep -qiE "^${pin//./\\.} " requirements-dev.lock || stale+=("$pin")
done < <(grep -hE '^[A-Za-z0-9._-]+(\[[^]]*\])?==[^ ]+' requirements-dev.txt application-repo/glue-jobs/requirements.txt |
  sed -E 's/[[:space:]]*(#.*)?$//; s/\[[^]]*\]//')
if [ "${#stale[@]}" -gt 0 ]; then
  echo "python-env: requirements-dev.lock does not pin ${stale[*]} as the requirements files do;" \
    "regenerate it with the pip-compile command at the top of scripts/python-env.sh" >&2
  exit 1
fi

stamp=.venv/.requirements.sha256
want=$(cat requirements-dev.lock requirements-dev.txt application-repo/glue-jobs/requirements.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
echo "$want" > "$stamp"
