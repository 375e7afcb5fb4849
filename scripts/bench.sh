#!/usr/bin/env bash
# Runs every benchmark under bench/ (or the ones named: `npm run bench -- trigger synth`). Benchmarks are not
# tests: each prints its figures as ratios against a floor it measures in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
names=("$@")
[ ${#names[@]} -gt 0 ] || mapfile -t names < <(find bench -mindepth 2 -maxdepth 2 -name run.sh -printf '%h\n' | xargs -n1 basename | sort)
for name in "${names[@]}"; do
  printf '\n== bench/%s\n' "$name"
  bash "bench/$name/run.sh"
done
