#!/usr/bin/env bash
# Installs Regimen under a prefix: the binaries, their shell completions, the daily job's
# systemd unit and timer and its crontab line (rendered to point at the installed binaries),
# and the folders the job writes to. Idempotent: a file already in place with the same bytes
# is left alone, and every step prints one line (`install: WHAT (installed|unchanged|...)`).
#
#   bash scripts/install.sh --prefix DIR [--workdir DIR] [--bin DIR]
#
#   --prefix DIR   where to install: DIR/bin, DIR/share/..., DIR/lib/systemd/system
#   --workdir DIR  the daily job's working folder (models/, data/live, limits.yaml, weights/,
#                  logs/); default: the prefix
#   --bin DIR      take regimen, regimen-infer and regimen-bench from DIR (an existing build)
#                  instead of building; also $REGIMEN_BIN. Without either: scripts/setup.sh
#                  builds the release binaries (only what changed) and they come from
#                  .build/release.
# Exit status: 0 installed; 64 bad usage; 66 a binary is missing; other: a failed step.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX=""
WORKDIR=""
BIN="${REGIMEN_BIN:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --workdir) WORKDIR="${2:?--workdir needs a folder}"; shift 2 ;;
    --bin) BIN="${2:?--bin needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
[ -n "$PREFIX" ] || { echo "install: give --prefix DIR (see --help)" >&2; exit 64; }
WORKDIR="${WORKDIR:-$PREFIX}"

# absolute PATH: PATH made absolute (nothing is created yet), refused unless it is safe to
# write into a systemd unit and a crontab line unquoted.
absolute() {
  local path="$1"
  case "$path" in /*) ;; *) path="$PWD/$path" ;; esac
  path="${path%/}"
  if ! [[ "$path" =~ ^/[A-Za-z0-9._/+-]+$ ]]; then
    echo "install: $path must be made of A-Z a-z 0-9 . _ / + - only (it goes into a systemd unit and a crontab)" >&2
    exit 64
  fi
  echo "$path"
}
PREFIX="$(absolute "$PREFIX")"
WORKDIR="$(absolute "$WORKDIR")"

# put SOURCE DEST MODE: copies SOURCE to DEST (through a temporary file and a rename, so a
# running binary is never half-overwritten) unless DEST already has the same bytes.
put() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then echo "install: $2 (unchanged)"; return; fi
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2.tmp.$$"
  chmod "$3" "$2.tmp.$$"
  mv -f "$2.tmp.$$" "$2"
  echo "install: $2 (installed)"
}

# render TEMPLATE DEST: the template with @BIN@ and @WORKDIR@ replaced, installed by put.
render() {
  local text
  text="$(cat "$1")"
  text="${text//@BIN@/"$PREFIX/bin"}"
  text="${text//@WORKDIR@/"$WORKDIR"}"
  printf '%s\n' "$text" > "$SCRATCH/rendered"
  put "$SCRATCH/rendered" "$2" 0644
}

# folder DIR: creates DIR (and its parents) when missing.
folder() {
  if [ -d "$1" ]; then echo "install: $1/ (exists)"; else mkdir -p "$1" && echo "install: $1/ (created)"; fi
}

if [ -z "$BIN" ]; then
  echo "install: building the release binaries (scripts/setup.sh)"
  bash "$REPO/scripts/setup.sh"
  BIN="$REPO/.build/release"
else
  echo "install: using the binaries in $BIN (no build)"
fi
TOOLS=(regimen regimen-infer regimen-bench)
for tool in "${TOOLS[@]}"; do
  [ -x "$BIN/$tool" ] || { echo "install: $BIN/$tool is missing (build first, or fix --bin)" >&2; exit 66; }
done

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/regimen-install.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

for tool in "${TOOLS[@]}"; do put "$BIN/$tool" "$PREFIX/bin/$tool" 0755; done

# Shell completions where bash-completion, zsh and fish look under a prefix.
for tool in "${TOOLS[@]}"; do
  for shell in bash zsh fish; do
    case "$shell" in
      bash) dest="$PREFIX/share/bash-completion/completions/$tool" ;;
      zsh) dest="$PREFIX/share/zsh/site-functions/_$tool" ;;
      fish) dest="$PREFIX/share/fish/vendor_completions.d/$tool.fish" ;;
    esac
    "$PREFIX/bin/$tool" --generate-completion-script "$shell" > "$SCRATCH/completion"
    put "$SCRATCH/completion" "$dest" 0644
  done
done

SCHEDULE="$REPO/scripts/schedule"
render "$SCHEDULE/regimen-infer.service.in" "$PREFIX/lib/systemd/system/regimen-infer.service"
put "$SCHEDULE/regimen-infer.timer" "$PREFIX/lib/systemd/system/regimen-infer.timer" 0644
render "$SCHEDULE/regimen-monitor.service.in" "$PREFIX/lib/systemd/system/regimen-monitor.service"
put "$SCHEDULE/regimen-monitor.timer" "$PREFIX/lib/systemd/system/regimen-monitor.timer" 0644
render "$SCHEDULE/crontab.in" "$PREFIX/share/regimen/crontab"
put "$SCHEDULE/limits.example.yaml" "$PREFIX/share/regimen/limits.example.yaml" 0644

for dir in models data weights weights/history logs; do folder "$WORKDIR/$dir"; done

echo "install: done; to run the daily job, put limits.yaml in $WORKDIR, the data in $WORKDIR/data/live and a champion in $WORKDIR/models"
