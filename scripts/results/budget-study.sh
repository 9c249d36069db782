#!/usr/bin/env bash
# The risk-budget study of docs/results.md: the frozen recipes of recipes/budget*.yaml and
# models/default.yaml retrained every year (4 yearly folds 2019-2022, expanding windows),
# under the example limits, against every baseline and the estimator-suffixed min-variance
# and risk-parity, at 10 and 20 bps; each recipe's verdict (contract section 10), its folds,
# and the design the nested loop chose per fold. The deflated Sharpe ratio counts 37 trials:
# the 29 of the earlier study on the same dates (recipes/tried/, the default and the 14 plain
# baselines) and the 8 new here (3 budget recipes, 5 suffixed baselines). About 3 minutes per fee.
#   bash scripts/results/budget-study.sh
source "$(dirname "$0")/lib.sh"

RECIPES="recipes/budget.yaml,recipes/budget-core.yaml,recipes/budget-core-plain.yaml,models/default.yaml"
BASELINES="all,min-variance:ewma,min-variance:ledoit-wolf,risk-parity:ewma,risk-parity:ledoit-wolf"
for fee in 10 20; do
  if [ ! -f "$WORK/report-$fee/report.json" ]; then
    began=$SECONDS
    regimen evaluate --data "$REAL" --configs "$RECIPES" --walk-forward 1461:365:expanding \
      --models "$WORK/models-$fee" --baselines "$BASELINES" --from 2019-01-01 --to 2022-12-30 \
      --fee-bps "$fee" --limits scripts/schedule/limits.example.yaml --jobs 2 --quiet --trials 37 \
      --report "$WORK/report-$fee" 2>/dev/null
    echo "$((SECONDS - began))" > "$WORK/report-$fee/seconds"
  fi
done

for fee in 10 20; do
  R="$WORK/report-$fee/report.json"
  echo "The frozen recipes retrained walk-forward under the example limits, stitched 2019-2022, $fee bps, daily decisions (\`regimen evaluate --data ../shared/data/crypto-daily --configs $RECIPES --walk-forward 1461:365:expanding --models models-$fee --baselines $BASELINES --from 2019-01-01 --to 2022-12-30 --fee-bps $fee --limits scripts/schedule/limits.example.yaml --jobs 2 --trials 37 --report report-$fee/\`; \`scripts/results/budget-study.sh\`, $TODAY, $(cat "$WORK/report-$fee/seconds" 2>/dev/null || echo '?') s):"
  echo
  echo '| allocator | Sharpe | max drawdown | Calmar | turnover / yr | costs paid | DSR | verdict: earns place (Sharpe track, risk track, p_better, folds won, fees doubled) |'
  echo '|---|---:|---:|---:|---:|---:|---:|---|'
  jq -r "$JQ_DEFS"'
    .allocators[] | select(.name != "bcrp") | .metrics as $m
    | "| \(.name)\(if .kind == "recipe" then " (recipe)" else "" end) | \($m.sharpe | fix(3)) | \($m.max_drawdown | pct) | \($m.calmar | fix(2)) | \($m.turnover_annual | fix(1)) | \($m.costs_paid | pct) | \(.significance.dsr | fix(2)) | \(if .verdict then (.verdict as $v | "**\(if $v.earns_place then "yes" else "no" end)** (\($v.sharpe_track), \($v.risk_track), \($v.p_better | fix(3)), \($v.folds_won)/\($v.folds), \($v.fees_doubled)) vs \($v.benchmark)") else "" end) |"' "$R"
  echo
  jq -r "$JQ_DEFS"'
    "Probability of backtest overfitting across the \(.allocators | length) allocators: \(.pbo | fix(2)). bcrp (hindsight) is left out of the table and never a benchmark.",
    (.allocators[] | select(.kind == "recipe") | "Per fold of \(.name): " + ([.folds[] | "\(.test | join("..")): Sharpe \(.sharpe | fix(2))"] | join("; ")) + ".")' "$R"
  echo
  for recipe in budget budget-core budget-core-plain; do
    chosen=""
    for manifest in "$WORK/models-$fee/$recipe"/*/manifest.json; do
      chosen="$chosen$(jq -r '"v\(.version) (train to \(.train.to)): tau \(.config.budget.tau), band \(.config.budget.band)"' "$manifest"); "
    done
    echo "Chosen by the nested loop, $recipe: ${chosen%; }."
  done
  echo
done
