#!/usr/bin/env bash
# The "Training under market impact" table of docs/results.md: models/default.yaml trained on
# data/synthetic with an ohlcv.csv whose odd assets are liquid (mean daily dollar volume 1e10
# USD) and even assets illiquid (1e8 USD, 100x less), without and with `aum: 100000000`; each
# model backtested over the rows after its validation range (2021-06-30 .. 2022-02-08) and its
# annualised turnover per asset computed from the backtest's weights (Appendix A: |w_new -
# w_pre| per asset, the first allocation included, times P / n; the sum is checked against the
# file's turnover_annual). Needs python3 and regimen on PATH. About 6 minutes (debug build).
#   bash scripts/results/impact-training.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
command -v regimen >/dev/null || { echo "results: regimen is not on PATH" >&2; exit 1; }
# WORK=DIR reuses a folder of an earlier run (its models are not retrained).
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/regimen-results.XXXXXX")}"
mkdir -p "$WORK"
TODAY="$(date -u +%F)"
echo "results: working in $WORK" >&2

if [ ! -f "$WORK/data/ohlcv.csv" ]; then
  rm -rf "$WORK/data"
  cp -r data/synthetic "$WORK/data"
  python3 - "$WORK/data" <<'EOF'
import csv, math, sys
folder = sys.argv[1]
rows = list(csv.reader(open(f"{folder}/prices.csv")))
assets = rows[0][1:]
with open(f"{folder}/ohlcv.csv", "w") as out:
    out.write("date,asset,volume\n")
    for r, row in enumerate(rows[1:]):
        for a, (name, price) in enumerate(zip(assets, row[1:])):
            if price:
                adv = 1e10 if a % 2 == 0 else 1e8
                out.write(f"{row[0]},{name},{adv * (1 + 0.3 * math.sin(0.7 * r + a)):.2f}\n")
with open(f"{folder}/dataset.yaml", "a") as out:
    out.write("volume_unit: quote\n")
EOF
fi
cp models/default.yaml "$WORK/impact.yaml"
printf '\naum: 100000000\n' >> "$WORK/impact.yaml"
for name in plain impact; do
  config=models/default.yaml
  [ "$name" = impact ] && config="$WORK/impact.yaml"
  if [ ! -d "$WORK/models/$name/1" ]; then
    regimen train --data "$WORK/data" --config "$config" --models "$WORK/models" --name "$name" --quiet >/dev/null
  fi
  regimen backtest --data "$WORK/data" --models "$WORK/models" --strategy "$name:1" \
    --from 2021-06-30 --to 2022-02-08 --out "$WORK/backtest-$name.json" >/dev/null
done

echo "models/default.yaml trained on data/synthetic with a 100x liquidity spread, without and with \`aum: 100000000\`, then backtested after its validation range, 10 bps, daily decisions (\`regimen train --data DATA --config C --name N\` for C = models/default.yaml as plain and the same plus \`aum: 100000000\` as impact, then \`regimen backtest --data DATA --strategy N:1 --from 2021-06-30 --to 2022-02-08\`; \`scripts/results/impact-training.sh\`, $TODAY). Annualised turnover per asset (liquid: ADV 1e10 USD; illiquid: 1e8 USD), mean weight in brackets:"
echo
python3 - "$WORK/data/prices.csv" "$WORK/backtest-plain.json" "$WORK/backtest-impact.json" <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
assets = rows[0][1:]
dates = [row[0] for row in rows[1:]]
prices = {row[0]: [float(x) if x else None for x in row[1:]] for row in rows[1:]}
index = {d: i for i, d in enumerate(dates)}

def simple_return(date, a):
    now, before = prices[date][a], prices[dates[index[date] - 1]][a]
    return now / before - 1 if now is not None and before is not None else 0.0

results = {}
for path in sys.argv[2:]:
    file = json.load(open(path))
    traded, held, pre = [0.0] * len(assets), [0.0] * len(assets), [0.0] * len(assets)
    for period in file["series"]:
        w = [period["weights"].get(name, 0.0) for name in assets]
        for a in range(len(assets)):
            traded[a] += abs(w[a] - pre[a])
            held[a] += w[a]
        r = [simple_return(period["date"], a) for a in range(len(assets))]
        gross = 1 + sum(x * y for x, y in zip(w, r))
        pre = [x * (1 + y) / gross for x, y in zip(w, r)]
    n = len(file["series"])
    annual = [t * file["periods_per_year"] / n for t in traded]
    assert abs(sum(annual) - file["turnover_annual"]) < 1e-9 * max(1, file["turnover_annual"]), path
    results[file["strategy"]] = (annual, [h / n for h in held], file)

(plain, plain_w, plain_file), (impact, impact_w, impact_file) = results["plain:1"], results["impact:1"]
print("| asset | liquidity | turnover / yr, no aum | turnover / yr, aum 1e8 | change |")
print("|---|---|---:|---:|---:|")
for a, name in enumerate(assets):
    tier = "liquid" if a % 2 == 0 else "illiquid"
    print(f"| {name} | {tier} | {plain[a]:.2f} ({plain_w[a]:.3f}) | {impact[a]:.2f} ({impact_w[a]:.3f}) | {impact[a] / plain[a] - 1:+.0%} |")
for tier, start in (("liquid", 0), ("illiquid", 1)):
    p, i = sum(plain[start::2]), sum(impact[start::2])
    print(f"| all {tier} | | {p:.2f} | {i:.2f} | {i / p - 1:+.0%} |")
p, i = sum(plain), sum(impact)
print(f"| total | | {p:.2f} | {i:.2f} | {i / p - 1:+.0%} |")
print()
print(f"Fees only (the backtests charge no impact): Sharpe {plain_file['sharpe']:.3f} without aum, "
      f"{impact_file['sharpe']:.3f} with; costs paid {plain_file['costs_paid']:.1%} and {impact_file['costs_paid']:.1%}.")
EOF
