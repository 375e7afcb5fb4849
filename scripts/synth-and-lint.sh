#!/usr/bin/env bash
# Synthesizes both apps with the CDK CLI on the embedded default config and on a three-stage config, then runs
# cfn-lint on every template and parliament on every IAM policy. Synth itself fails on any unacknowledged cdk-nag
# finding.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/synth
rm -rf "$out"
for config in platform.config.json scripts/fixtures/three-stages.config.json; do
  name=$(basename "$config" .json)
  for app in infrastructure-repo application-repo; do
    echo "synth: $app on $config"
    log="$out/$name-$app.log"
    mkdir -p "$out"
    if ! (cd "$app" && npx cdk synth --quiet -c config="../$config" -o "../$out/$name/$app") > "$log" 2>&1; then
      cat "$log" >&2
      echo "synth: $app failed on $config (log above)" >&2
      exit 1
    fi
  done
done
mapfile -t templates < <(find "$out" -name '*.template.json' | sort)
# The stage accounts' bootstrap template is deployed by hand (docs/bootstrap.md): lint it with the rest.
templates+=(bootstrap/stage-bootstrap.template.json)
echo "cfn-lint: ${#templates[@]} templates"
.venv/bin/cfn-lint --format parseable --ignore-checks W3005 -- "${templates[@]}"

# Every IAM policy (the stage bootstrap's and each identity policy of each template) through parliament: no finding
# unless scripts/policy-lint-acknowledgements.json acknowledges it with a reason.
.venv/bin/python -m pytest scripts/test_lint_policies.py -q -p no:cacheprovider
.venv/bin/python scripts/lint_policies.py "$out"
