#!/usr/bin/env bash
# Wall time and peak memory of `regimen monitor` over a year of the daily job's history.
#
#   bash scripts/bench/monitor-year.sh [BIN]      # BIN: release binaries (default .build/release)
#
# Makes, in a scratch folder: a synthetic market of 20 assets x 3,000 days (`data synth --seed
# 7`), a small model trained on it (the tiny config of the CLI tests), and 365 history files
# from `regimen-infer --history` on the last 365 dates (each day trading from the previous
# day's file). Then runs the monitor once under `/usr/bin/time -v` and prints its wall clock
# and maximum resident set size. The scratch folder is removed at the end.
set -euo pipefail
BIN="$(cd "${1:-.build/release}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$BIN/regimen" data synth --out synth --assets 20 --periods 3000 --seed 7 2>/dev/null
printf 'regime_states: 3\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 4\nepochs: 2\nsteps_per_epoch: 3\nensemble: 2\n' > tiny.yaml
"$BIN/regimen" train --data synth --config tiny.yaml --models models --quiet >/dev/null
"$BIN/regimen" models promote tiny 1 --models models >/dev/null 2>&1
for day in $(tail -n 365 synth/prices.csv | cut -d, -f1); do
  previous=()
  if [ -e latest.json ]; then previous=(--previous latest.json); fi
  "$BIN/regimen-infer" --models models --model tiny@champion --data synth --as-of "$day" "${previous[@]}" \
      --out latest.json --history history 2>/dev/null
done
echo "history files: $(ls history | wc -l)"
/usr/bin/time -v "$BIN/regimen" monitor --models models --model tiny@champion --data synth --history history \
    --window 90 --out monitor 2> time.log || true
grep -E "Elapsed \(wall clock\)|Maximum resident set size|Exit status" time.log
grep -E "^wrote" time.log || true
