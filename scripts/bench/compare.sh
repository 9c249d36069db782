#!/usr/bin/env bash
# Runs each benchmark workload on Regimen (regimen-bench) and on PyTorch (torch_bench.py; for
# policy-train the twin policy_torch.py, fed what `regimen-bench policy-train --dump` writes from
# the same flags, once per run) with the same parameters and prints a table: workload, params,
# regimen per_second, pytorch per_second, ratio regimen/pytorch (> 1 means Regimen is faster) and
# the range of the per-round ratios.
#
#   bash scripts/setup.sh                              # once, from the repository root (release build)
#   bash scripts/bench/compare.sh                      # from anywhere
#
# Environment:
#   PEER_VENV      PyTorch venv (default ~/.cache/regimen-pytorch-peer, built by the peer setup.sh)
#   REGIMEN_BENCH  Regimen's binary (default .build/release/regimen-bench in the repository root)
#   THREADS        threads for both sides (default 2; passed as --threads to both)
#   ONLY           run only workloads whose name matches this extended regex (e.g. ONLY=gemm)
#   RAW            also keep every JSON line in this file (default: a temp file, removed)
#   ROUNDS         rounds over all workloads (default 3); each round runs Regimen then PyTorch
#                  back to back, and the table reports medians over rounds (shared machines are
#                  noisy: the ratio is the median of the per-round ratios)
# A side that is missing or fails shows "-" in the table; the other side still runs.
# OPENBLAS_CORETYPE and other environment variables are passed through unchanged.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEER_VENV="${PEER_VENV:-${HOME:-/tmp}/.cache/regimen-pytorch-peer}"
PY="$PEER_VENV/bin/python"
REGIMEN_BENCH="${REGIMEN_BENCH:-$ROOT/.build/release/regimen-bench}"
THREADS="${THREADS:-2}"
ONLY="${ONLY:-.}"
ROUNDS="${ROUNDS:-3}"

if [ ! -x "$PY" ]; then
  echo "no python at $PY: build the peer venv (see scripts/bench/README.md) or set PEER_VENV" >&2
  exit 1
fi
if [ ! -x "$REGIMEN_BENCH" ]; then
  echo "warning: $REGIMEN_BENCH not found; only the PyTorch side will run" >&2
fi

OUT="${RAW:-$(mktemp)}"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"; [ -n "${RAW:-}" ] || rm -f "$OUT"' EXIT
: > "$OUT"

# One line per run: workload, then the flags both sides take.
RUNS=(
  "mlp --batch 32 --inputs 64 --hidden 128,128 --classes 8 --steps 200"
  "mlp --batch 256 --inputs 64 --hidden 128,128 --classes 8 --steps 100"
  "mlp --batch 4096 --inputs 64 --hidden 128,128 --classes 8 --steps 20"
  "gru --batch 128 --length 32 --inputs 16 --hidden 64 --classes 4 --steps 20"
  "gemm --n 256 --dtype f32"
  "gemm --n 512 --dtype f32"
  "gemm --n 1024 --dtype f32"
  "gemm --n 256 --dtype f64"
  "gemm --n 512 --dtype f64"
  "gemm --n 1024 --dtype f64"
  "policy-train --data $ROOT/data/synthetic"
  "policy-train --data $ROOT/data/synthetic --config $ROOT/recipes/budget.yaml"
)

# Keeps the last stdout line of "$@" that is a JSON object, tagged with the run and the side.
record() {
  local id="$1" side="$2"; shift 2
  local line
  line="$("$@" | grep '^{' | tail -n 1)"
  if [ -n "$line" ]; then
    printf '%s\t%s\t%s\n' "$id" "$side" "$line" >> "$OUT"
  else
    echo "[$side] no result for: $*" >&2
  fi
}

# The twin's command for a run: policy_torch.py on the dump of what Regimen's epoch reads (written
# once per spec; nothing when regimen-bench is missing), torch_bench.py for everything else.
peer_command() {
  local workload="$1"; shift
  if [ "$workload" != policy-train ]; then
    echo "$HERE/torch_bench.py $workload $*"
    return
  fi
  local dump="$SCRATCH/policy-inputs-$(echo "$*" | cksum | cut -d' ' -f1).json"
  if [ ! -s "$dump" ] && ! "$REGIMEN_BENCH" policy-train "$@" --dump "$dump" >&2; then
    echo "[pytorch] no dump of regimen-bench policy-train $*" >&2
    return 1
  fi
  echo "$HERE/policy_torch.py policy-train --inputs $dump"
}

for round in $(seq "$ROUNDS"); do
i=0
for run in "${RUNS[@]}"; do
  i=$((i + 1))
  set -- $run
  workload="$1"; shift
  [[ "$workload" =~ $ONLY ]] || continue
  echo "== round $round: $workload $*" >&2
  printf '%s\t%s\t%s\n' "$i" "spec" "$workload $*" >> "$OUT"
  if [ -x "$REGIMEN_BENCH" ]; then
    record "$i" regimen "$REGIMEN_BENCH" "$workload" "$@" --threads "$THREADS"
  fi
  if peer="$(peer_command "$workload" "$@")"; then
    record "$i" pytorch "$PY" $peer --threads "$THREADS"
  fi
done
done

python3 - "$OUT" "$ROOT" <<'PYEOF'
import json, statistics, sys

runs = {}
for raw in open(sys.argv[1]):
    rid, side, text = raw.rstrip("\n").split("\t", 2)
    r = runs.setdefault(int(rid), {"regimen": [], "pytorch": []})
    if side == "spec":
        r["spec"] = text
    else:
        try:
            r[side].append(json.loads(text)["per_second"])
        except (json.JSONDecodeError, KeyError):
            pass

def params(spec):
    # "mlp --batch 32 --hidden 128,128" -> ("mlp", "batch=32 hidden=128,128"); paths shown
    # relative to the repository root
    words = spec.replace(sys.argv[2] + "/", "").split()
    pairs = [f"{k[2:]}={v}" for k, v in zip(words[1::2], words[2::2])]
    return words[0], " ".join(pairs)

def fmt(x):
    return "-" if x is None else f"{x:,.1f}" if x >= 100 else f"{x:,.3f}"

rows = [("workload", "params", "regimen/s", "pytorch/s", "regimen/pytorch", "range", "rounds")]
for rid in sorted(runs):
    r = runs[rid]
    workload, p = params(r["spec"])
    a = statistics.median(r["regimen"]) if r["regimen"] else None
    b = statistics.median(r["pytorch"]) if r["pytorch"] else None
    ratios = [x / y for x, y in zip(r["regimen"], r["pytorch"]) if y]
    ratio = f"{statistics.median(ratios):.2f}" if ratios else "-"
    spread = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"
    rows.append((workload, p, fmt(a), fmt(b), ratio, spread, str(len(ratios))))

widths = [max(len(row[c]) for row in rows) for c in range(7)]
for n, row in enumerate(rows):
    print("  ".join(cell.ljust(w) if c < 2 else cell.rjust(w)
                    for c, (cell, w) in enumerate(zip(row, widths))))
    if n == 0:
        print("  ".join("-" * w for w in widths))
PYEOF
