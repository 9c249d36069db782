#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Regimen and builds the release binaries.
# Idempotent: installs only what is missing, and `swift build` rebuilds only what changed.
#   bash scripts/setup.sh
# Needs: Swift 6.1 or later on PATH; root (or sudo) the first time, to install OpenBLAS.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists openblas 2>/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing libopenblas-dev (BLAS and LAPACK)" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libopenblas-dev pkg-config
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.1+ from swift.org)" >&2; exit 1; }

echo "setup: building release binaries (regimen, regimen-infer, regimen-bench)" >&2
swift build -c release
echo "setup: done; binaries in $(swift build -c release --show-bin-path)" >&2
