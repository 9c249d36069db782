#!/usr/bin/env bash
# The capacity tables of docs/results.md ("Capacity on the real data"): every baseline, then
# the budget-core and default recipes retrained walk-forward under the example limits, at
# 1e5, 1e6, 1e7 and 1e8 USD under management (square-root market impact, contract section
# 11), 2019-2022, 10 bps. The real data's ohlcv.csv counts volume in USD and the data have no
# dataset.yaml, so the runs read a copy with `volume_unit: quote`. About 3 minutes.
#   bash scripts/results/capacity.sh
source "$(dirname "$0")/lib.sh"

COPY="$WORK/real-aum"
if [ ! -d "$COPY" ]; then
  mkdir -p "$COPY"
  cp "$REAL"/*.csv "$COPY"/
  chmod u+w "$COPY"/*.csv
  printf 'volume_unit: quote\n' > "$COPY/dataset.yaml"
fi
AUM="1e5,1e6,1e7,1e8"
RECIPES="recipes/budget-core.yaml,models/default.yaml"
run() { # NAME OPTIONS...: one evaluation into $WORK/NAME, timed
  local name="$1"; shift
  if [ ! -f "$WORK/$name/report.json" ]; then
    local began=$SECONDS
    regimen evaluate --data "$COPY" --baselines all --from 2019-01-01 --to 2022-12-30 --fee-bps 10 \
      --aum "$AUM" --quiet --report "$WORK/$name" "$@" 2>/dev/null
    echo "$((SECONDS - began))" > "$WORK/$name/seconds"
  fi
}
run cap-report
run cap-report-policy --configs "$RECIPES" --walk-forward 1461:365:expanding --models "$WORK/cap-models" \
  --limits scripts/schedule/limits.example.yaml --jobs 2

# table REPORT: one row per allocator (bcrp left out): Sharpe at each capital, then the
# costs paid at the first and the last.
table() {
  echo '| allocator | Sharpe at $100k | $1M | $10M | $100M | costs paid at $100k | at $100M |'
  echo '|---|---:|---:|---:|---:|---:|---:|'
  jq -r "$JQ_DEFS"'
    .allocators as $all | [.capacity[] | select(.allocator != "bcrp")] | group_by(.allocator)
    | sort_by(.[0].allocator as $n | $all | map(.name) | index($n))[]
    | "| \(.[0].allocator)\(.[0].allocator as $n | if ($all[] | select(.name == $n) | .kind) == "recipe" then " (recipe)" else "" end) | \([.[].sharpe | fix(3)] | join(" | ")) | \(.[0].costs_paid | pct) | \(.[-1].costs_paid | pct) |"' "$1"
}

echo "Every baseline, 2019-2022, 10 bps, daily decisions, no limits (\`regimen evaluate --data COPY --baselines all --from 2019-01-01 --to 2022-12-30 --fee-bps 10 --aum $AUM --report cap-report/\`, COPY the real data with a \`dataset.yaml\` of \`volume_unit: quote\`; \`scripts/results/capacity.sh\`, $TODAY, $(cat "$WORK/cap-report/seconds") s):"
echo
table "$WORK/cap-report/report.json"
echo
echo "The recipes retrained walk-forward beside every baseline, all under the example limits (\`regimen evaluate --data COPY --configs $RECIPES --walk-forward 1461:365:expanding --models cap-models --baselines all --from 2019-01-01 --to 2022-12-30 --fee-bps 10 --limits scripts/schedule/limits.example.yaml --jobs 2 --aum $AUM --report cap-report-policy/\`; \`scripts/results/capacity.sh\`, $TODAY, $(cat "$WORK/cap-report-policy/seconds") s):"
echo
table "$WORK/cap-report-policy/report.json"
echo
jq -r "$JQ_DEFS"'
  (.allocators[] | select(.kind == "recipe") | "Verdict of \(.name) at $100k: \(if .verdict.earns_place then "earns its place" else "does not earn its place" end) (vs \(.verdict.benchmark), p_better \(.verdict.p_better | fix(3)))."),
  "Probability of backtest overfitting across the \(.allocators | length) allocators at $100k: \(.pbo | fix(2))."' \
  "$WORK/cap-report-policy/report.json"
