#!/usr/bin/env bash
# Downloads Binance daily spot klines and USD-M perpetual funding rates from Binance's
# public data site (data.binance.vision) and imports them as a Regimen dataset.
#
# Usage:
#   scripts/fetch-binance.sh --symbols BTCUSDT,ETHUSDT --from 2021-01 --to 2024-12 \
#       --out data/binance [--regimen PATH] [--no-funding] [--no-import]
#
#   --symbols LIST   comma-separated Binance spot symbols (BTCUSDT,ETHUSDT,...)
#   --from YYYY-MM   first month, inclusive
#   --to YYYY-MM     last month, inclusive
#   --out DIR        the dataset directory to write (prices.csv, funding.csv); the
#                    downloads are kept under DIR/raw/
#   --regimen PATH   the regimen executable (default: `regimen` on PATH, else this
#                    repository's .build/release/regimen, else .build/debug/regimen)
#   --no-funding     spot klines only (no funding.csv: every asset is held spot)
#   --no-import      download and unzip only
#
# What it does, per symbol and month:
#   spot klines  https://data.binance.vision/data/spot/monthly/klines/SYM/1d/SYM-1d-YYYY-MM.zip
#   funding      https://data.binance.vision/data/futures/um/monthly/fundingRate/SYM/SYM-fundingRate-YYYY-MM.zip
# 1. Downloads each zip with curl (--fail, retries) into DIR/raw/zip/{klines,funding}/.
#    It skips zips that are already there, so a rerun only fetches what is missing. A
#    download goes to a .part file first and is renamed when complete.
# 2. A month that answers 404 is skipped with a note. This happens when the symbol was
#    not listed yet, has no perpetual, or was delisted, and for the current month, whose
#    monthly file appears only after the month ends.
# 3. Verifies each zip against its published .CHECKSUM (sha256sum -c) when there is one.
#    A cached zip that fails is fetched once more, and a fresh one that fails stops the
#    script.
# 4. Unzips exactly the requested symbols and months into DIR/raw/klines/ and
#    DIR/raw/funding/. These two folders are rebuilt on each run, so files from an
#    earlier run with other symbols are not imported.
# 5. Runs: regimen data import --format binance-klines --out DIR \
#              --funding DIR/raw/funding DIR/raw/klines
#    The import rules (asset BTCUSDT -> BTC, daily close, daily sum of funding
#    settlements, timestamps in ms before 2025 and in µs after) are in
#    Tests/MarketTests/Fixtures/import/README.md.
#
# A symbol listed after --from starts later than the others. That is fine: its cells are
# empty until its first price. A symbol delisted before --to leaves empty cells after its
# last price, which `regimen data validate` reports as a gap. Then choose a --to within
# its trading life, or leave it out.
# Needs: bash, curl, unzip, sha256sum (or shasum). Set BINANCE_DATA_URL to use a mirror.
# Exit status: 0 done; 64 usage; 1 download, checksum or unzip failure; otherwise the
# status of `regimen data import` (65 bad data).
set -euo pipefail

readonly BASE_URL="${BINANCE_DATA_URL:-https://data.binance.vision}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
readonly REPO

note() { echo "fetch-binance: $*" >&2; }
die() { note "$*"; exit 1; }
usage_error() { note "$*"; note "usage: scripts/fetch-binance.sh --symbols BTCUSDT,ETHUSDT --from 2021-01 --to 2024-12 --out data/binance [--regimen PATH] [--no-funding] [--no-import]"; exit 64; }
print_help() { sed -n '2,/^set -euo pipefail$/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# ---- options
SYMBOLS="" FROM="" TO="" OUT="" REGIMEN="" WITH_FUNDING=1 WITH_IMPORT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --symbols) [ $# -ge 2 ] || usage_error "--symbols needs a value"; SYMBOLS=$2; shift 2 ;;
    --from) [ $# -ge 2 ] || usage_error "--from needs a value"; FROM=$2; shift 2 ;;
    --to) [ $# -ge 2 ] || usage_error "--to needs a value"; TO=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage_error "--out needs a value"; OUT=$2; shift 2 ;;
    --regimen) [ $# -ge 2 ] || usage_error "--regimen needs a value"; REGIMEN=$2; shift 2 ;;
    --symbols=*) SYMBOLS=${1#*=}; shift ;;
    --from=*) FROM=${1#*=}; shift ;;
    --to=*) TO=${1#*=}; shift ;;
    --out=*) OUT=${1#*=}; shift ;;
    --regimen=*) REGIMEN=${1#*=}; shift ;;
    --no-funding) WITH_FUNDING=0; shift ;;
    --no-import) WITH_IMPORT=0; shift ;;
    -h|--help) print_help; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[ -n "$SYMBOLS" ] || usage_error "--symbols is required"
[ -n "$FROM" ] || usage_error "--from is required"
[ -n "$TO" ] || usage_error "--to is required"
[ -n "$OUT" ] || usage_error "--out is required"

# Month YYYY-MM -> months since year 0 (10# keeps 08 and 09 from being read as octal).
month_index() {
  local ym=$1 option=$2
  [[ "$ym" =~ ^([0-9]{4})-(0[1-9]|1[0-2])$ ]] || usage_error "$option must be YYYY-MM, got '$ym'"
  echo $(( 10#${BASH_REMATCH[1]} * 12 + 10#${BASH_REMATCH[2]} - 1 ))
}
FROM_INDEX=$(month_index "$FROM" --from)
TO_INDEX=$(month_index "$TO" --to)
[ "$FROM_INDEX" -le "$TO_INDEX" ] || usage_error "--from $FROM is after --to $TO"
MONTHS=()
for (( i = FROM_INDEX; i <= TO_INDEX; i++ )); do
  MONTHS+=("$(printf '%04d-%02d' $(( i / 12 )) $(( i % 12 + 1 )))")
done

SYMBOL_LIST=()
IFS=',' read -r -a raw_symbols <<< "$SYMBOLS"
for s in "${raw_symbols[@]}"; do
  s=$(printf '%s' "$s" | tr -d '[:space:]' | tr '[:lower:]' '[:upper:]')
  [ -n "$s" ] || continue
  [[ "$s" =~ ^[A-Z0-9]+$ ]] || usage_error "--symbols: '$s' is not a Binance symbol (letters and digits, e.g. BTCUSDT)"
  for seen in "${SYMBOL_LIST[@]+"${SYMBOL_LIST[@]}"}"; do
    [ "$seen" != "$s" ] || usage_error "--symbols lists $s twice"
  done
  SYMBOL_LIST+=("$s")
done
[ "${#SYMBOL_LIST[@]}" -gt 0 ] || usage_error "--symbols is empty"

# ---- tools
for tool in curl unzip; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
if command -v sha256sum >/dev/null; then
  SHA_CHECK=(sha256sum -c --status --)
elif command -v shasum >/dev/null; then
  SHA_CHECK=(shasum -a 256 -c --status --)
else
  die "neither sha256sum nor shasum is installed (needed to verify the .CHECKSUM files)"
fi

if [ "$WITH_IMPORT" -eq 1 ]; then
  if [ -n "$REGIMEN" ]; then
    [ -x "$REGIMEN" ] || command -v "$REGIMEN" >/dev/null || die "--regimen '$REGIMEN' is not an executable"
  elif command -v regimen >/dev/null; then
    REGIMEN=regimen
  elif [ -x "$REPO/.build/release/regimen" ]; then
    REGIMEN="$REPO/.build/release/regimen"
  elif [ -x "$REPO/.build/debug/regimen" ]; then
    REGIMEN="$REPO/.build/debug/regimen"
  else
    die "regimen not found: build it (bash scripts/setup.sh), pass --regimen PATH, or use --no-import"
  fi
fi

# ---- layout
RAW="$OUT/raw"
ZIP_KLINES="$RAW/zip/klines"
ZIP_FUNDING="$RAW/zip/funding"
mkdir -p "$ZIP_KLINES" "$ZIP_FUNDING"
STAGE_KLINES="$RAW/klines.new.$$"
STAGE_FUNDING="$RAW/funding.new.$$"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/fetch-binance.XXXXXX")"
cleanup() { rm -rf "$STAGE_KLINES" "$STAGE_FUNDING" "$SCRATCH"; }
trap cleanup EXIT
mkdir -p "$STAGE_KLINES" "$STAGE_FUNDING"

# fetch URL DEST: 0 downloaded, 2 not found (404), 1 any other failure (reported).
# curl retries transient failures itself (timeouts, 408, 429, 5xx), not a 404.
fetch() {
  local url=$1 dest=$2 part="$2.part" err="$SCRATCH/curl.err" code rc=0
  code=$(curl --fail --silent --show-error --location \
      --retry 5 --retry-delay 3 --retry-connrefused \
      --connect-timeout 20 --max-time 900 \
      --output "$part" --write-out '%{http_code}' "$url" 2>"$err") || rc=$?
  if [ "$rc" -eq 0 ]; then
    mv -f "$part" "$dest"
    return 0
  fi
  rm -f "$part"
  if [ "$code" = "404" ]; then
    return 2
  fi
  note "download failed (curl exit $rc, HTTP ${code:-none}): $url"
  sed 's/^/fetch-binance:   /' "$err" >&2 || true
  if [ "$code" = "403" ] || [ "$code" = "451" ]; then
    note "HTTP $code: data.binance.vision may be blocked from your network or region"
  fi
  return 1
}

# verify DIR NAME: 0 ok or no checksum published, 1 mismatch.
verify() {
  local dir=$1 name=$2
  [ -s "$dir/$name.CHECKSUM" ] || return 0
  ( cd "$dir" && "${SHA_CHECK[@]}" "$name.CHECKSUM" )
}

# get KIND SYMBOL MONTH: downloads, verifies and unzips one monthly file into the stage.
# 0 done, 2 not published (skipped).
DOWNLOADED=0 CACHED=0 SKIPPED=0
get() {
  local kind=$1 symbol=$2 month=$3 url name zipdir stage fresh=0 rc
  case "$kind" in
    klines)
      name="$symbol-1d-$month.zip"
      url="$BASE_URL/data/spot/monthly/klines/$symbol/1d/$name"
      zipdir=$ZIP_KLINES stage=$STAGE_KLINES ;;
    funding)
      name="$symbol-fundingRate-$month.zip"
      url="$BASE_URL/data/futures/um/monthly/fundingRate/$symbol/$name"
      zipdir=$ZIP_FUNDING stage=$STAGE_FUNDING ;;
  esac

  if [ -s "$zipdir/$name" ]; then
    CACHED=$(( CACHED + 1 ))
  else
    rc=0; fetch "$url" "$zipdir/$name" || rc=$?
    if [ "$rc" -eq 2 ]; then
      note "skip $kind $symbol $month: not published (404)"
      SKIPPED=$(( SKIPPED + 1 ))
      return 2
    fi
    [ "$rc" -eq 0 ] || exit 1
    fresh=1
    DOWNLOADED=$(( DOWNLOADED + 1 ))
  fi

  if [ ! -s "$zipdir/$name.CHECKSUM" ]; then
    rc=0; fetch "$url.CHECKSUM" "$zipdir/$name.CHECKSUM" || rc=$?
    if [ "$rc" -eq 2 ]; then
      note "note: no .CHECKSUM published for $name; not verified"
    elif [ "$rc" -ne 0 ]; then
      exit 1
    fi
  fi
  if ! verify "$zipdir" "$name"; then
    if [ "$fresh" -eq 1 ]; then
      die "checksum mismatch for freshly downloaded $zipdir/$name (left in place for inspection)"
    fi
    note "cached $name fails its checksum: downloading it again"
    rm -f "$zipdir/$name" "$zipdir/$name.CHECKSUM"
    rc=0; fetch "$url" "$zipdir/$name" || rc=$?
    [ "$rc" -eq 0 ] || die "could not download $url again (see above)"
    CACHED=$(( CACHED - 1 )) DOWNLOADED=$(( DOWNLOADED + 1 ))
    rc=0; fetch "$url.CHECKSUM" "$zipdir/$name.CHECKSUM" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || exit 1
    verify "$zipdir" "$name" || die "checksum mismatch for $zipdir/$name after a fresh download"
  fi

  # Unzip into a scratch folder first; only .csv members are kept.
  local unz="$SCRATCH/unzip"
  rm -rf "$unz"; mkdir -p "$unz"
  unzip -q -o "$zipdir/$name" -d "$unz" || die "cannot unzip $zipdir/$name (delete it to download it again)"
  local found=0 f
  while IFS= read -r -d '' f; do
    mv -f "$f" "$stage/"
    found=1
  done < <(find "$unz" -type f -name '*.csv' -print0)
  [ "$found" -eq 1 ] || die "$zipdir/$name holds no .csv file"
  return 0
}

# ---- download
KLINE_FILES=0 FUNDING_FILES=0
for symbol in "${SYMBOL_LIST[@]}"; do
  months_found=0 first="" last=""
  for month in "${MONTHS[@]}"; do
    rc=0; get klines "$symbol" "$month" || rc=$?
    if [ "$rc" -eq 0 ]; then
      months_found=$(( months_found + 1 ))
      [ -n "$first" ] || first=$month
      last=$month
    fi
  done
  KLINE_FILES=$(( KLINE_FILES + months_found ))
  if [ "$months_found" -eq 0 ]; then
    note "warning: no spot klines for $symbol between $FROM and $TO (wrong symbol, or not listed then)"
  else
    note "$symbol: klines for $months_found month(s), $first to $last"
    if [ "$last" != "${MONTHS[${#MONTHS[@]}-1]}" ]; then
      note "warning: $symbol has no klines after $last; if it was delisted, its empty cells after that will fail validation"
    fi
  fi

  if [ "$WITH_FUNDING" -eq 1 ] && [ "$months_found" -gt 0 ]; then
    funding_found=0
    for month in "${MONTHS[@]}"; do
      rc=0; get funding "$symbol" "$month" || rc=$?
      [ "$rc" -ne 0 ] || funding_found=$(( funding_found + 1 ))
    done
    FUNDING_FILES=$(( FUNDING_FILES + funding_found ))
    if [ "$funding_found" -eq 0 ]; then
      note "$symbol: no USD-M funding files in range: held spot"
    else
      note "$symbol: funding for $funding_found month(s)"
    fi
  fi
done
note "downloaded $DOWNLOADED file(s), reused $CACHED, skipped $SKIPPED not published"
[ "$KLINE_FILES" -gt 0 ] || die "no klines downloaded for any symbol: nothing to import"

# ---- replace the unzipped folders with exactly this run's files
rm -rf "$RAW/klines" "$RAW/funding"
mv "$STAGE_KLINES" "$RAW/klines"
mv "$STAGE_FUNDING" "$RAW/funding"
note "unzipped $KLINE_FILES kline file(s) into $RAW/klines and $FUNDING_FILES funding file(s) into $RAW/funding"

# ---- import
if [ "$WITH_IMPORT" -eq 0 ]; then
  note "--no-import: done"
  exit 0
fi
IMPORT=("$REGIMEN" data import --format binance-klines --out "$OUT")
if [ "$FUNDING_FILES" -gt 0 ]; then
  IMPORT+=(--funding "$RAW/funding")
fi
IMPORT+=("$RAW/klines")
note "running: ${IMPORT[*]}"
rc=0; "${IMPORT[@]}" || rc=$?
if [ "$rc" -ne 0 ]; then
  note "regimen data import failed (exit $rc); the downloads stay in $RAW for a rerun"
  exit "$rc"
fi
note "dataset written to $OUT; check it with: $(printf '%q ' "$REGIMEN" data validate --data "$OUT")"
