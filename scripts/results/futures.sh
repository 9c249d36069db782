#!/usr/bin/env bash
# The BTC + ETH equal-weight table of docs/results.md ("Holding through futures"): the same
# strategy on copies of the real data with only the BTC and ETH columns, held spot (no
# funding.csv), through the perps (with funding.csv), through CME futures (kind: future) and
# with instrument: auto. About 5 seconds.
#   bash scripts/results/futures.sh
source "$(dirname "$0")/lib.sh"

keep_columns() { # FILE: the date, BTC and ETH columns of a wide CSV
  awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "date" || $i == "BTC" || $i == "ETH") keep[++k] = i }
    { line = $keep[1]; for (j = 2; j <= k; j++) line = line OFS $keep[j]; print line }' "$1"
}
make_copy() { # NAME FUNDING(yes|no) FUTURES(yes|no) YAML
  local dir="$WORK/$1"
  mkdir -p "$dir"
  keep_columns "$REAL/prices.csv" > "$dir/prices.csv"
  cp "$REAL/features.csv" "$dir/features.csv"
  [ "$2" = yes ] && keep_columns "$REAL/funding.csv" > "$dir/funding.csv"
  [ "$3" = yes ] && awk -F, 'NR == 1 || $2 == "BTC" || $2 == "ETH"' "$REAL/futures.csv" > "$dir/futures.csv"
  printf '%b' "$4" > "$dir/dataset.yaml"
}
make_copy spot no no ''
make_copy perp yes no ''
make_copy future no yes 'kind:\n  BTC: future\n  ETH: future\n'
make_copy auto yes yes 'instrument: auto\nfee_bps: 10\n'

echo "BTC + ETH equal weight, 10 bps, daily rebalancing; \`regimen backtest --data COPY --strategy equal-weight --window 20 --from FROM --to TO --fee-bps 10\` on each copy (\`scripts/results/futures.sh\`, $TODAY):"
echo
echo "| BTC + ETH equal weight | final wealth | Sharpe | max drawdown | costs paid | funding paid | turnover / year |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for range in 2021-06-01..2022-12-30 2021-12-06..2022-12-30; do
  from="${range%..*}"; to="${range#*..}"
  first=1
  for copy in spot perp future auto; do
    regimen backtest --data "$WORK/$copy" --strategy equal-weight --window 20 --from "$from" --to "$to" \
      --fee-bps 10 --out "$WORK/$copy-$from.json" 2>/dev/null
    label="$copy"
    if [ "$first" = 1 ]; then label="$from .. $to: $copy"; first=0; fi
    jq -r --arg name "$label" "$JQ_DEFS"'
      "| \($name) | \(.final_wealth | fix(3)) | \(.sharpe | fix(2)) | \(.max_drawdown | pct) | \(.costs_paid | pct) | \(.funding_paid | pct) | \(.turnover_annual | fix(1)) |"' \
      "$WORK/$copy-$from.json"
  done
done
