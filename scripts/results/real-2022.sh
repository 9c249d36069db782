#!/usr/bin/env bash
# The "trained once, tested on 2022" table of docs/results.md: the default config trained on
# the real data 2017-12-01..2020-12-31 and validated on 2021, once as a single network
# (model real1: ensemble 1) and once as the default 5-seed ensemble (model real5), then
# evaluated on 2022 against every baseline. About a minute.
#   bash scripts/results/real-2022.sh
source "$(dirname "$0")/lib.sh"

sed 's/^ensemble: 5 /ensemble: 1 /' models/default.yaml > "$WORK/real1.yaml"
grep -q '^ensemble: 1 ' "$WORK/real1.yaml" || { echo "results: models/default.yaml has no 'ensemble: 5' line" >&2; exit 1; }
cp models/default.yaml "$WORK/real5.yaml"
for name in real1 real5; do
  regimen train --data "$REAL" --config "$WORK/$name.yaml" --models "$WORK/models" \
    --train 2017-12-01..2020-12-31 --validate 2021-01-01..2021-12-31 --quiet > /dev/null
done
regimen evaluate --data "$REAL" --models "$WORK/models" --versions real1:1,real5:1 --baselines all \
  --from 2022-01-01 --to 2022-12-31 --fee-bps 10 --rebalance every:1 --quiet --report "$WORK/report-2022" 2>/dev/null

echo "Trained on the real data 2017-12-01..2020-12-31, validated on 2021, tested on 2022, 10 bps, daily decisions (\`regimen train --data ../shared/data/crypto-daily --config C --train 2017-12-01..2020-12-31 --validate 2021-01-01..2021-12-31\` for C = models/default.yaml as real5 and the same with \`ensemble: 1\` as real1, then \`regimen evaluate --versions real1:1,real5:1 --baselines all --from 2022-01-01 --to 2022-12-31 --fee-bps 10 --rebalance every:1\`; \`scripts/results/real-2022.sh\`, $TODAY):"
echo
echo "$REPORT_HEADER"
report_rows "$WORK/report-2022/report.json" real5 real1 equal-weight min-variance max-sharpe hrp bcrp
echo
jq -r "$JQ_DEFS"'"Probability of backtest overfitting across the \(.allocators | length) allocators: \(.pbo | fix(2)). bcrp chooses its weights with hindsight and is not a strategy one could have run."' \
  "$WORK/report-2022/report.json"
