#!/usr/bin/env bash
# mypy --strict over the Glue jobs' Python (application-repo/glue-jobs/mypy.ini): every job's package, then each
# job's entrypoint and tests on their own (every job has a `glue_entrypoint.py` and a `tests/conftest.py`, so they
# cannot share one mypy run). table_maintenance imports file_processor's package, as it does in Glue.
set -euo pipefail
cd "$(dirname "$0")/../application-repo/glue-jobs"
mypy=../../.venv/bin/mypy
"$mypy" --config-file mypy.ini
for job in */; do
  job=${job%/}
  [ -f "$job/glue_entrypoint.py" ] || continue
  (cd "$job" && MYPYPATH=src:../file_processor/src "../$mypy" --config-file ../mypy.ini --explicit-package-bases \
    glue_entrypoint.py tests)
done
