#!/usr/bin/env bash
# Runs every shell example of the documentation, so that a documented command is one that works.
#
#   bash scripts/check-docs.sh [--bin DIR] [--long] [--build] [--keep] [FILE.md ...]
#
# Which blocks run. Only fenced blocks whose opening line is exactly one of these:
#   ```sh          run always (the fast set: a few minutes with release binaries)
#   ```sh long     run only with --long (real-data studies, minutes to an hour each)
#   ```sh build    run only with --build, in the repository itself, not in a scratch copy
#                  (they compile: `swift test`, `bash scripts/setup.sh`)
# Every other block (```text, ```yaml, ```swift, plain ```) is never run: usage lines with
# [optional] parts, a|b choices, FILE... or placeholders such as DIR belong in ```text blocks.
#
# Where they run. The files are README.md, docs/*.md and data/README.md (or the FILEs given).
# Each file gets its own fresh scratch folder (mktemp -d) holding a copy of the repository's
# data/, models/, scripts/ and recipes/ folders; the file's blocks run there in order, so a
# block may use what an earlier block of the same file made (a trained model, a weights file).
# Each block runs as `bash -euo pipefail -c BLOCK`, with the bin folder first on PATH.
#
# The bin folder: --bin DIR, else the output of `swift build --show-bin-path` (a debug build,
# which must exist). In a block, `.build/release/` is rewritten to the bin folder and a leading
# `bash scripts/setup.sh && ` is dropped, so the quick start is checked against the given
# binaries (the scratch copy has no sources to build; setup.sh itself is what `--build` checks
# through the ```sh build blocks).
#
# Real data. A block whose text names ../shared/data needs the real data, which the project
# cannot ship: when the repository's ../shared/data is absent such a block is skipped with a
# message; when present, the scratch folder gets a ../shared/data link to it.
#
# Output: one line per block, `ok FILE:LINE (seconds)`, `FAIL FILE:LINE (seconds)` followed by
# the last lines of the block's stderr, or `skip FILE:LINE: reason`; then the count of skipped
# blocks and, last, `N passed, N failed`. Exit status 1 when a block failed, 64 on bad usage.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BIN=""
LONG=0
BUILD=0
KEEP=0
FILES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="${2:?--bin needs a folder}"; shift 2 ;;
    --long) LONG=1; shift ;;
    --build) BUILD=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-docs: unknown option $1 (see --help)" >&2; exit 64 ;;
    *) FILES+=("$1"); shift ;;
  esac
done

if [ -z "$BIN" ]; then
  BIN="$(cd "$REPO" && swift build --show-bin-path)"
fi
BIN="$(cd "$BIN" 2>/dev/null && pwd)" || { echo "check-docs: no bin folder $BIN" >&2; exit 64; }
for tool in regimen regimen-infer regimen-bench; do
  [ -x "$BIN/$tool" ] || { echo "check-docs: $BIN/$tool is missing (build first, or pass --bin)" >&2; exit 64; }
done

cd "$REPO"
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=(README.md)
  for f in docs/*.md; do FILES+=("$f"); done
  [ -f data/README.md ] && FILES+=(data/README.md)
fi

SHARED_DATA=""
if [ -d "$REPO/../shared/data" ]; then SHARED_DATA="$(cd "$REPO/../shared/data" && pwd)"; fi

ROOT="$(mktemp -d "${TMPDIR:-/tmp}/check-docs.XXXXXX")"
if [ "$KEEP" -eq 0 ]; then trap 'rm -rf "$ROOT"' EXIT; else echo "check-docs: scratch folders kept in $ROOT" >&2; fi

PASSED=0
FAILED=0
SKIPPED=0
START_ALL=$SECONDS

# Splits FILE into blocks: writes ROOT/blocks/N.sh and prints "N LINE KIND" per runnable block.
extract() {
  local file="$1" out="$2"
  mkdir -p "$out"
  awk -v out="$out" '
    BEGIN { n = 0; inblock = 0 }
    inblock == 0 && /^```sh( (long|build))?[ \t]*$/ {
      n++; inblock = 1; kind = "fast"
      if ($0 ~ /long/) kind = "long"; else if ($0 ~ /build/) kind = "build"
      path = out "/" n ".sh"; printf "" > path
      print n, NR, kind
      next
    }
    inblock == 0 && /^```/ { inblock = 2; next }
    inblock == 1 && /^```[ \t]*$/ { inblock = 0; close(path); next }
    inblock == 2 && /^```[ \t]*$/ { inblock = 0; next }
    inblock == 1 { print >> path }
  ' "$file"
}

for file in "${FILES[@]}"; do
  [ -f "$file" ] || { echo "FAIL $file:0 (no such file)"; FAILED=$((FAILED + 1)); continue; }
  slug="$(echo "$file" | tr '/.' '__')"
  work="$ROOT/$slug"
  mkdir -p "$work/repo"
  for folder in data models scripts recipes; do
    [ -d "$folder" ] && cp -R "$folder" "$work/repo/"
  done
  # A scratch copy starts without model versions, whatever the checkout holds.
  find "$work/repo/models" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} + 2>/dev/null || true
  if [ -n "$SHARED_DATA" ]; then
    mkdir -p "$work/shared"
    ln -s "$SHARED_DATA" "$work/shared/data"
  fi
  extract "$file" "$work/blocks" > "$work/blocks.list"
  while read -r n line kind; do
    block="$work/blocks/$n.sh"
    where="$file:$line"
    if [ "$kind" = long ] && [ "$LONG" -eq 0 ]; then
      echo "skip $where: long (run with --long)"; SKIPPED=$((SKIPPED + 1)); continue
    fi
    if [ "$kind" = build ] && [ "$BUILD" -eq 0 ]; then
      echo "skip $where: builds the package (run with --build)"; SKIPPED=$((SKIPPED + 1)); continue
    fi
    if grep -q '\.\./shared/data' "$block" && [ -z "$SHARED_DATA" ]; then
      echo "skip $where: needs the real data in ../shared/data, which is absent"; SKIPPED=$((SKIPPED + 1)); continue
    fi
    script="$work/blocks/$n.run.sh"
    if [ "$kind" = build ]; then
      cp "$block" "$script"
      dir="$REPO"
    else
      sed -e 's#^\([[:space:]]*\)bash scripts/setup\.sh && #\1#' -e "s#\\.build/release/#$BIN/#g" "$block" > "$script"
      dir="$work/repo"
    fi
    began=$SECONDS
    if (cd "$dir" && PATH="$BIN:$PATH" bash -euo pipefail "$script" < /dev/null > "$work/blocks/$n.out" 2> "$work/blocks/$n.err"); then
      echo "ok $where ($((SECONDS - began)) s)"; PASSED=$((PASSED + 1))
    else
      status=$?
      echo "FAIL $where ($((SECONDS - began)) s, exit $status)"
      tail -n 8 "$work/blocks/$n.err" | sed 's/^/    /'
      FAILED=$((FAILED + 1))
    fi
  done < "$work/blocks.list"
done

echo "$SKIPPED skipped; $((SECONDS - START_ALL)) s in all"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
