#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Regimen and builds the release binaries.
# Idempotent: installs only what is missing, and `swift build` rebuilds only what changed.
#   bash scripts/setup.sh
# Needs: Swift 6.1 or later on PATH; root (or sudo) the first time, to install OpenBLAS.
set -euo pipefail
cd "$(dirname "$0")/.."

# libcurl: FoundationNetworking (the MLflow client) when linked statically, below.
if ! pkg-config --exists openblas libcurl 2>/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing libopenblas-dev (BLAS and LAPACK) and libcurl4-openssl-dev" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libopenblas-dev libcurl4-openssl-dev pkg-config
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.1+ from swift.org)" >&2; exit 1; }

echo "setup: building release binaries (regimen, regimen-infer, regimen-bench)" >&2
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
swift build -c release "${FLAGS[@]}"
echo "setup: done; binaries in $(swift build -c release "${FLAGS[@]}" --show-bin-path)" >&2
