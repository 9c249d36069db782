#!/usr/bin/env bash
# The options-overlay tables of docs/results.md: the default recipe with a protective-put
# overlay on BTC, retrained walk-forward on yearly folds beside the same fold models without
# it, 2021-06-01..2022-12-30, 10 bps, the example limits plus a vega budget; then the 2022
# fold model's decision on 2022-11-08 revalued under scenarios. About 3 minutes on 2 cores.
#   bash scripts/results/options.sh
source "$(dirname "$0")/lib.sh"

D="$WORK/options-data"
mkdir -p "$D" && cp "$REAL"/*.csv "$D/"
printf 'implied_vol:\n  BTC: BTC_DVOL\n' > "$D/dataset.yaml"
(cat models/default.yaml; printf 'overlay:\n  structure: protective_put\n  asset: BTC\n  moneyness: 0.9\n  hedge: portfolio\n') > "$WORK/hedged.yaml"
(cat scripts/schedule/limits.example.yaml; echo 'vega_budget: 0.002') > "$WORK/limits-options.yaml"
R="$WORK/report-options/report.json"
if [ ! -f "$R" ]; then
  began=$SECONDS
  regimen evaluate --data "$D" --configs "$WORK/hedged.yaml" --walk-forward 1461:365:expanding --models "$WORK/models-options" \
    --baselines equal-weight,min-variance,max-sharpe --from 2021-06-01 --to 2022-12-30 --fee-bps 10 \
    --limits "$WORK/limits-options.yaml" --jobs 2 --quiet --report "$WORK/report-options" 2>/dev/null
  echo "$((SECONDS - began))" > "$WORK/report-options/seconds"
fi

echo "The default recipe with a protective-put overlay on BTC, walk-forward, 2021-06-01..2022-12-30, 10 bps, the example limits plus \`vega_budget: 0.002\` (the commands of [options.md](options.md#on-the-real-data); \`scripts/results/options.sh\`, $TODAY, $(cat "$WORK/report-options/seconds") s):"
echo
echo "$REPORT_HEADER"
report_rows "$R"
echo

# The 2022 fold model's decision in the FTX week, and its risk under scenarios.
version="$(jq -r '[.allocators[] | select(.kind == "recipe" and .folds != null) | .name as $n | .folds[] | "\($n):\(.version)"] | last' "$R")"
regimen-infer --models "$WORK/models-options" --model "$version" --data "$D" --as-of 2022-11-08 \
  --limits "$WORK/limits-options.yaml" --out "$WORK/w.json" 2>/dev/null
regimen risk --data "$D" --weights "$WORK/w.json" --window 90 --scenario crash=-0.5:+60 --scenario ftx-week=-0.25:+30 \
  --scenario vol-crush=0:-20 --scenario rally=+0.3:-10 --out "$WORK/risk-options.json" 2>/dev/null
echo "The decision of \`$version\` on 2022-11-08 (\`regimen-infer --model $version --data options-data --as-of 2022-11-08 --limits limits-options.yaml --out w.json\`, then \`regimen risk --data options-data --weights w.json --window 90 --scenario crash=-0.5:+60 --scenario ftx-week=-0.25:+30 --scenario vol-crush=0:-20 --scenario rally=+0.3:-10 --out risk.json\`; $TODAY). The risk file's overlay section:"
echo
echo '```json'
jq '.overlay | del(.grid)' "$WORK/risk-options.json"
echo '```'
