#!/usr/bin/env bash
# The main job on the embedded default config, offline: synthesize both apps for every stage (cdk-nag runs on
# each synth), print what each pipeline would deploy, then run the file_processor Glue job on the shipped sample
# CSVs with local Spark and print the resulting schema, row counts and quarantine counts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

out=.build/demo
rm -rf "$out"
for app in infrastructure-repo application-repo; do
  echo "demo: synthesizing $app (platform.config.json)"
  mkdir -p "$out"
  if ! (cd "$app" && npx cdk synth --quiet -o "../$out/$app") > "$out/$app.log" 2>&1; then
    cat "$out/$app.log" >&2
    exit 1
  fi
done
npx tsx scripts/summarize-assembly.ts "$out/infrastructure-repo" "$out/application-repo"

echo
echo "demo: running file_processor locally on application-repo/glue-jobs/file_processor/samples"
bash scripts/run-local-job.sh "$out/file-processor"
