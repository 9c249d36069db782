#!/usr/bin/env bash
# The walk-forward table of docs/results.md: models/default.yaml retrained every year
# (4 yearly folds 2019-2022, expanding windows), under the example limits, against every
# baseline. About 2 minutes on 2 cores.
#   bash scripts/results/walk-forward.sh
source "$(dirname "$0")/lib.sh"

R="$WORK/report-wf/report.json"
if [ ! -f "$R" ]; then
began=$SECONDS
regimen evaluate --data "$REAL" --configs models/default.yaml \
  --walk-forward 1461:365:expanding --models "$WORK/models-wf" --baselines all \
  --from 2019-01-01 --to 2022-12-30 --fee-bps 10 --limits scripts/schedule/limits.example.yaml \
  --jobs 2 --quiet --report "$WORK/report-wf" 2>/dev/null
echo "$((SECONDS - began))" > "$WORK/report-wf/seconds"
fi
seconds="$(cat "$WORK/report-wf/seconds" 2>/dev/null || echo '?')"

echo "The default recipe retrained walk-forward under the example limits, stitched 2019-2022, 10 bps, daily decisions (\`regimen evaluate --data ../shared/data/crypto-daily --configs models/default.yaml --walk-forward 1461:365:expanding --models models-wf --baselines all --from 2019-01-01 --to 2022-12-30 --fee-bps 10 --limits scripts/schedule/limits.example.yaml --jobs 2 --report report-wf/\`; \`scripts/results/walk-forward.sh\`, $TODAY, ${seconds} s):"
echo
echo "$REPORT_HEADER"
report_rows "$R"
echo
jq -r "$JQ_DEFS"'
  (.allocators[] | select(.kind == "recipe") | "Per fold of the recipe: " + ([.folds[] | "\(.test | if type == "array" then join("..") else tostring end): Sharpe \(.sharpe | fix(2)) (x\(.final_wealth | fix(2)))"] | join("; ")) + "."),
  "Probability of backtest overfitting across the \(.allocators | length) allocators: \(.pbo | fix(2))."' "$R"
