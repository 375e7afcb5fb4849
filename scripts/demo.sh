#!/usr/bin/env bash
# The main job on the embedded default config, offline: synthesize both apps for every stage (cdk-nag runs on
# each synth), print what each pipeline would deploy, then run the file_processor Glue job on the shipped sample
# CSVs with local Spark into a local Iceberg catalog and query the tables it wrote, as an analyst would in Athena;
# last, the platform's path on a local AWS emulator (moto on 127.0.0.1): `glue-platform upload --follow`, the
# trigger Lambda's handler on the queue's messages, the Glue run by the job on local Spark, `glue-platform status`
# and a query of the table (scripts/local-platform, docs/decisions.md).
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
echo "demo: with the dataset registry's settings (application-repo/lib/dataset-registry.ts), as CDK deploys them"
DATASETS=$(npx tsx application-repo/bin/datasets-argument.ts) bash scripts/run-local-job.sh "$out/file-processor"

echo
echo "demo: the platform's path on a local AWS emulator (moto on 127.0.0.1; no AWS account, nothing deployed)"
npx tsx scripts/local-platform/demo.ts
