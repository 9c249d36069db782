#!/usr/bin/env bash
# Sweep throughput on the local executor and on Ray, side by side: the real-data spec of
# docs/performance.md (8 runs: 2 learning rates x 2 seeds x 2 yearly folds, one member of 8
# epochs each) and the same with 4 seeds (16 runs), run ROUNDS times alternating local, Ray,
# local, Ray..., each into a fresh folder.
#
#   bash scripts/bench/sweep-throughput.sh [BIN]     # BIN: release binaries (default .build/release)
#
# Environment: ROUNDS (default 3), JOBS (default 2: runs at once on both executors; the Ray
# node gets as many CPUs), DATA (default ../shared/data/crypto-daily), REGIMEN_PYTHON (a Python
# with the pinned ray; default ~/.cache/regimen-ci-venv/bin/python, which `.ci/run` makes).
# Prints one line per sweep (executor, wall seconds, runs), then per size the medians, runs per
# minute, and what Ray adds: in all, (Ray wall - local wall) x JOBS / runs per run, which counts
# the sweep's fixed start (the driver connecting to the cluster, the working_dir's upload once
# per content) spread over the runs; and per run alone, the slope between the two sizes:
# ((Ray - local at 16 runs) - (Ray - local at 8 runs)) x JOBS / 8 (submission, scheduling, the
# run's scratch folder, the result's hand-back). The runs.jsonl of the two executors are
# compared byte for byte. The Ray node is started here with
# `ray start --block` and stopped by killing that process only, so a cluster another program
# runs is left alone.
set -euo pipefail
BIN="$(cd "${1:-.build/release}" && pwd)"
ROUNDS="${ROUNDS:-3}"
JOBS="${JOBS:-2}"
DATA="$(cd "${DATA:-../shared/data/crypto-daily}" && pwd)"
PY="${REGIMEN_PYTHON:-$HOME/.cache/regimen-ci-venv/bin/python}"
RAY="$(dirname "$PY")/ray"
[ -x "$RAY" ] || { echo "no ray beside $PY: run .ci/run once, or set REGIMEN_PYTHON" >&2; exit 66; }
WORK="$(mktemp -d)"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$RAY" start --head --block --num-cpus "$JOBS" --node-ip-address 127.0.0.1 --port "$port" --include-dashboard=false \
  --disable-usage-stats --temp-dir "$WORK/ray" >"$WORK/ray.log" 2>&1 &
ray_pid=$!
trap 'kill "$ray_pid" 2>/dev/null || true; wait "$ray_pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for seeds in "1, 2" "1, 2, 3, 4"; do
  cat >"$WORK/spec-$(echo "$seeds" | tr -cd , | wc -c).yaml" <<SPEC
config: {ensemble: 1, epochs: 8}
grid: {learning_rate: [0.001, 0.003]}
seeds: [$seeds]
walk_forward: "1461:365:expanding"
from: 2021-01-01
to: 2022-12-30
data: $DATA
fee_bps: 10
SPEC
done
for _ in $(seq 60); do "$RAY" status --address "127.0.0.1:$port" >/dev/null 2>&1 && break; sleep 1; done
run() { # executor round spec-size (1: 2 seeds, 3: 4 seeds)
  local out="$WORK/out-$1-$2-$3" start end
  local extra=()
  [ "$1" = ray ] && extra=(--executor ray --address "127.0.0.1:$port" --python "$PY")
  start=$(date +%s.%N)
  "$BIN/regimen" sweep --spec "$WORK/spec-$3.yaml" --out "$out" --jobs "$JOBS" --quiet "${extra[@]}" >/dev/null
  end=$(date +%s.%N)
  local runs; runs=$(wc -l <"$out/runs.jsonl")
  echo "$1 $(python3 -c "print(round($end - $start, 3))") $runs" | tee -a "$WORK/times"
}
for round in $(seq "$ROUNDS"); do
  for size in 1 3; do run local "$round" "$size"; run ray "$round" "$size"; done
done
cmp "$WORK/out-local-1-3/runs.jsonl" "$WORK/out-ray-1-3/runs.jsonl" && echo "runs.jsonl: the same bytes on both executors"
python3 - "$WORK/times" "$JOBS" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
jobs = int(sys.argv[2])
sizes = sorted({int(n) for _, _, n in rows})
gap = {}
for n in sizes:
    wall = {e: [float(w) for x, w, m in rows if x == e and int(m) == n] for e in ("local", "ray")}
    for e, ws in wall.items():
        m = statistics.median(ws)
        print(f"{n} runs, {e}: median {m:.2f} s over {len(ws)} sweeps (range {min(ws):.2f}-{max(ws):.2f}), {60 * n / m:.1f} runs per minute")
    gap[n] = [r - l for l, r in zip(wall["local"], wall["ray"])]
    per = [g * jobs / n for g in gap[n]]
    print(f"{n} runs: Ray adds {statistics.median(per):.2f} s per run in all (range {min(per):.2f}-{max(per):.2f})")
small, large = sizes[0], sizes[-1]
slope = [(b - a) * jobs / (large - small) for a, b in zip(gap[small], gap[large])]
print(f"Ray overhead per run alone (slope {small} -> {large} runs): median {statistics.median(slope):.2f} s (range {min(slope):.2f}-{max(slope):.2f})")
PY
