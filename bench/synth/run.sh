#!/usr/bin/env bash
# Synth wall time of the infrastructure app (pipeline stack, every stage stack, the trigger bundled by esbuild,
# cdk-nag) as a ratio to a bare one-bucket CDK app, both run by tsx the way `cdk synth` runs them (with CDK_OUTDIR
# only: the apps set their own feature flags), interleaved, REPS times each after one warm-up (WARM_UP=0: none);
# medians reported.
# Then the number of pipeline actions from the source to the last configured stage.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
reps=${REPS:-5}
warm_up=${WARM_UP:-1} # 0: no warm-up synth (the test command's smoke run: only that it runs counts)
tsx="$root/node_modules/.bin/tsx"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Milliseconds one synth takes; $1 working directory, $2 app file, $3 output directory.
synth_ms() {
  local start end
  rm -rf "$3"
  start=$(date +%s%N)
  (cd "$1" && CDK_OUTDIR="$3" "$tsx" "$2" >"$work/last.log" 2>&1) || {
    cat "$work/last.log" >&2
    exit 1
  }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bare=(bench/synth bare-app.ts "$work/bare.out")
infra=(infrastructure-repo bin/app.ts "$work/infra.out")
if [ "$warm_up" != 0 ]; then
  synth_ms "${bare[@]}" >/dev/null
  synth_ms "${infra[@]}" >/dev/null
fi
: >"$work/bare.ms"
: >"$work/infra.ms"
for _ in $(seq "$reps"); do
  synth_ms "${bare[@]}" >>"$work/bare.ms"
  synth_ms "${infra[@]}" >>"$work/infra.ms"
done
bare_ms=$(median <"$work/bare.ms")
infra_ms=$(median <"$work/infra.ms")
echo "synth wall time, median of $reps (ms): bare one-bucket app $bare_ms, infrastructure app $infra_ms"
echo "  runs, bare: $(tr '\n' ' ' <"$work/bare.ms")"
echo "  runs, infrastructure: $(tr '\n' ' ' <"$work/infra.ms")"
awk -v a="$infra_ms" -v b="$bare_ms" 'BEGIN { printf "ratio infrastructure / bare: %.2f\n", a / b }'

node - "$work/infra.out" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[2];
const file = fs.readdirSync(dir).find((f) => f.endsWith('-infrastructure-pipeline.template.json'));
if (!file) throw new Error(`no pipeline template in ${dir}`);
const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
const pipeline = Object.values(template.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline');
const stages = pipeline.Properties.Stages;
let total = 0;
for (const stage of stages) {
  total += stage.Actions.length;
  console.log(`  ${stage.Name}: ${stage.Actions.map((a) => a.Name).join(', ')}`);
}
console.log(`pipeline actions from source to ${stages[stages.length - 1].Name}: ${total}`);
JS
