# Shared by scripts/results/*.sh (sourced, not run). Each results script regenerates one
# table of docs/results.md from the JSON a command writes, and prints it as Markdown with
# the date and the command in its caption. Needs jq and the binaries on PATH
# (export PATH="$PWD/.build/release:$PATH"); run from anywhere.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
command -v jq >/dev/null || { echo "results: jq is needed" >&2; exit 1; }
command -v regimen >/dev/null || { echo "results: regimen is not on PATH" >&2; exit 1; }
REAL="${REAL:-../shared/data/crypto-daily}"
[ -d "$REAL" ] || { echo "results: the real data $REAL is absent (set REAL=DIR)" >&2; exit 1; }
# WORK=DIR reuses a folder of an earlier run (its reports are not recomputed).
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/regimen-results.XXXXXX")}"
mkdir -p "$WORK"
TODAY="$(date -u +%F)"
echo "results: working in $WORK" >&2

# jq helpers: fix(n) a number with n decimals (0.330, -1.05), pct a fraction as a percentage
# with one decimal (76.4%), sgn(n) with a sign (+0.19); null prints as n/a.
JQ_DEFS='def fix(n): if . == null then "n/a" else
    ((. * pow(10; n)) | round) as $i | ($i | fabs | tostring) as $d
    | ("0" * ((n + 1 - ($d | length)) | if . > 0 then . else 0 end) + $d) as $p
    | (if $i < 0 then "-" else "" end) + (if n == 0 then $p else $p[0:($p | length) - n] + "." + $p[($p | length) - n:] end)
  end;
def pct: if . == null then "n/a" else (. * 100 | fix(1)) + "%" end;
def sgn(n): if . == null then "n/a" elif (. * pow(10; n) | round) >= 0 then "+" + fix(n) else fix(n) end;'

# report_rows REPORT [NAME...]: one Markdown row per allocator of a report.json (all of them
# when no NAME is given): final wealth, CAGR, Sharpe, max drawdown, the Sharpe difference to
# the reference with its 95% interval and p-value, and the deflated Sharpe ratio.
report_rows() {
  local report="$1"; shift
  local names='[]'
  if [ $# -gt 0 ]; then names="$(printf '%s\n' "$@" | jq -R . | jq -s .)"; fi
  jq -r --argjson names "$names" "$JQ_DEFS"'
    .reference as $ref
    | [.allocators[] | select(($names | length) == 0 or (.name as $n | $names | index($n)))]
    | (if ($names | length) == 0 then . else sort_by(.name as $n | $names | index($n)) end)[]
    | .metrics as $m | .significance as $s
    | "| \(.name)\(if .kind == "recipe" then " (recipe\(if .folds then ", \(.folds | length) folds" else "" end))" elif .kind == "model" then ":\(.version)" else "" end) | \($m.final_wealth | fix(3)) | \($m.cagr | pct) | \($m.sharpe | fix(3)) | \($m.max_drawdown | pct) | \(if .name == $ref then "reference" else "\($s.sharpe_diff | sgn(2)) [\($s.ci_low | fix(2)), \($s.ci_high | fix(2))], p \($s.p_value | fix(2))" end) | \($s.dsr | fix(2)) |"' \
    "$report"
}
REPORT_HEADER='| allocator | final wealth | CAGR | Sharpe | max drawdown | Sharpe - reference [95% CI], p | DSR |
|---|---:|---:|---:|---:|---:|---:|'
