#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Regimen and builds the release binaries.
# Idempotent: installs only what is missing, and `swift build` rebuilds only what changed.
#   bash scripts/setup.sh
# Needs: Swift 6.1 or later on PATH; root (or sudo) the first time, to install OpenBLAS.
# Prints one line per step; the apt and build output go to a log file, whose last lines are
# shown when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
LOG="$PWD/.build/setup.log"
: > "$LOG"

# step MESSAGE COMMAND...: prints `setup: MESSAGE`, runs COMMAND with its output in the log,
# and on failure shows the log's last 30 lines and exits with COMMAND's status.
step() {
  local message="$1" status=0
  shift
  echo "setup: $message" >&2
  "$@" >> "$LOG" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "setup: failed (exit $status): $message; the last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit "$status"
  fi
}

# libcurl: FoundationNetworking (the MLflow client) when linked statically, below.
if pkg-config --exists openblas libcurl 2>/dev/null; then
  echo "setup: OpenBLAS and libcurl are installed" >&2
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  step "updating the apt package lists" $SUDO apt-get update -q
  step "installing libopenblas-dev (BLAS and LAPACK), libcurl4-openssl-dev and pkg-config" \
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas-dev libcurl4-openssl-dev pkg-config
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.1+ from swift.org)" >&2; exit 1; }

# The Swift runtime and Foundation linked in statically: the daily job starts in about 6 ms
# instead of 14 (no dynamic symbol binding of the Swift libraries; issue 18).
FLAGS=(--static-swift-stdlib)
# On a CPU with AVX2 and FMA (Intel since 2013, AMD since 2015), Swift code is compiled for
# it: the element-wise kernels run 8 floats wide instead of 4 (GRU training +17%). The
# results are the same bytes (Swift never contracts a * b + c into an FMA on its own and
# never reorders a sum); the binaries then need such a CPU, hence the check.
if grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  FLAGS+=(-Xswiftc -target-cpu -Xswiftc haswell)
fi
step "building release binaries (regimen, regimen-infer, regimen-bench; minutes the first time)" \
  swift build -c release "${FLAGS[@]}"
echo "setup: done; binaries in $(swift build -c release "${FLAGS[@]}" --show-bin-path); log in $LOG" >&2
