#!/usr/bin/env bash
# Benchmark of the trigger function (not a test). Prints:
#  - bundle size as NodejsFunction builds it by default (esbuild --bundle, --platform=node, --target=node24,
#    CommonJS, no minify, no source map; externals `@aws-sdk/*` and, with the feature flag
#    `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` that infrastructure-repo/cdk.json sets, `@smithy/*`,
#    for a pinned nodejs24.x runtime; none for Runtime.NODEJS_LATEST, whose SDK version may change under it),
#    minified variants, and the settings the infrastructure stack sets today (minify, source map, node24, SDK
#    external, loaded with NODE_OPTIONS=--enable-source-maps as the function is);
#  - the handler's module load time as a ratio to loading an empty module (fresh node processes, median);
#  - throughput in records per second in-process with mocked AWS clients, as a ratio to only JSON-parsing the
#    same message bodies;
#  - how many DynamoDB calls the file ledger costs per 1,000 uploads;
#  - how many Glue runs the 2,500-upload burst across 3 datasets starts, with small files (the object cap, 1000,
#    is not reached: one run per dataset) and with 100 MiB files (the byte cap, 20 GiB, splits each dataset).
# Usage: bash bench/trigger/run.sh [repetitions]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${1:-15}"
out="${BENCH_OUT:-bench/out}/trigger"
rm -rf "$out" && mkdir -p "$out"
entry=infrastructure-repo/lambda/src/handler.ts

bundle() { # name, extra esbuild args...
  local name="$1"
  shift
  npx --no-install esbuild --bundle "$entry" --target=node24 --platform=node --outfile="$out/$name/index.js" \
    --log-level=warning "$@"
}
bundle default --external:@aws-sdk/* --external:@smithy/*
bundle default-minified --external:@aws-sdk/* --external:@smithy/* --minify
bundle latest-runtime
bundle latest-runtime-minified --minify
bundle stack-settings --external:@aws-sdk/* --external:@smithy/* --minify --sourcemap

echo "bundle size (index.js and its source map if any; gzip -9 approximates the zipped asset)"
for name in default default-minified latest-runtime latest-runtime-minified stack-settings; do
  files=("$out/$name"/index.js*)
  printf '  %-26s %8.1f KiB   gzip %7.1f KiB\n' "$name" \
    "$(echo "scale=1; $(cat "${files[@]}" | wc -c) / 1024" | bc)" "$(echo "scale=1; $(cat "${files[@]}" | gzip -9c | wc -c) / 1024" | bc)"
done

export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export ASSETS_BUCKET_NAME=glue-platform-dev-assets-222222222222-eu-west-1
export GLUE_JOB_NAME=glue-platform-dev-file-processor
export POWERTOOLS_SERVICE_NAME=glue-trigger POWERTOOLS_METRICS_NAMESPACE=GluePlatform/Trigger
export LEDGER_TABLE_NAME=glue-platform-dev-file-ledger LEDGER_RETENTION_DAYS=400
export FILE_METRICS_NAMESPACE=glue-platform/dev/files
printf '' > "$out/empty.js"

# One fresh process per sample; only the require is timed, so node's own start-up is out of the figure.
load_ms() { # module path [node option]
  node ${2:-} -e '
    const start = process.hrtime.bigint();
    require(require("path").resolve(process.argv[1]));
    process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
  ' "$1" 2>/dev/null
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "module load time (median of $reps fresh processes, samples interleaved)"
declare -A samples
for _ in $(seq "$reps"); do
  for name in empty default latest-runtime stack-settings; do
    file="$out/$name/index.js"
    option=""
    [ "$name" = empty ] && file="$out/empty.js"
    [ "$name" = stack-settings ] && option=--enable-source-maps
    samples[$name]+="$(load_ms "$file" "$option")"$'\n'
  done
done
empty_ms=$(printf '%s' "${samples[empty]}" | median)
printf '  %-26s %8.3f ms   1x (baseline)\n' "empty module" "$empty_ms"
for name in default latest-runtime stack-settings; do
  ms=$(printf '%s' "${samples[$name]}" | median)
  printf '  %-26s %8.3f ms   %sx the empty module\n' "$name" "$ms" "$(echo "scale=0; $ms / $empty_ms" | bc)"
done

echo "throughput (in-process, mocked S3/Glue/SQS/DynamoDB, Powertools logging at INFO to /dev/null)"
BUNDLE="$out/default/index.js" RESULT_FILE="$out/throughput.txt" npx --no-install tsx bench/trigger/throughput.ts \
  >/dev/null 2>"$out/throughput.stderr" || { cat "$out/throughput.stderr" >&2; exit 1; }
cat "$out/throughput.txt"
