#!/usr/bin/env bash
# The regime classifier table of docs/results.md: test log-loss (accuracy) of the classifier
# and of the naive forecasts, for each data set, architecture and horizon. About 10 seconds.
#   bash scripts/results/regimes.sh
source "$(dirname "$0")/lib.sh"

echo "Test log-loss (accuracy) on the last 20% of rows (\`regimen regimes classify --data D --architecture A --horizon H --out metrics.json\`; \`scripts/results/regimes.sh\`, $TODAY):"
echo
echo "| data, model, h | classifier | persistence | HMM forecast | prior | base chosen |"
echo "|---|---:|---:|---:|---:|---|"
for run in "data/synthetic mlp 0" "data/synthetic mlp 1" "data/synthetic gru 1" "data/synthetic mlp 5" \
  "$REAL mlp 1" "$REAL gru 1" "$REAL mlp 5"; do
  set -- $run
  out="$WORK/regimes-$(basename "$1")-$2-$3.json"
  regimen regimes classify --data "$1" --architecture "$2" --horizon "$3" --out "$out" 2>/dev/null
  jq -r --arg data "$(basename "$1")" --arg arch "$2" --arg h "$3" "$JQ_DEFS"'
    def cell: "\(.log_loss | fix(3)) (\(.accuracy | pct))";
    "| \($data), \($arch | ascii_upcase), h = \($h) | \(.classifier | cell) | \(.persistence | cell) | \(.hmm_forecast | cell) | \(.prior | cell) | \(.base) |"' "$out"
done
