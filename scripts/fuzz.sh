#!/usr/bin/env bash
# Fuzzes one of Regimen's readers with libFuzzer (issue 12):
#   bash scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags, e.g. -runs=1000000]
# TARGET: prices funding futures dataset-yaml limits config feature-spec weights manifest aliases
#         regime safetensors normalisation
# Builds the harness (Fuzz/RegimenFuzz, release, -sanitize=fuzzer,address) in its own scratch
# path, makes a template dataset and model once, then runs from the committed seeds in
# Fuzz/corpus/TARGET. New inputs go to .build-fuzz/corpus/TARGET; a crash is written to
# Fuzz/crashes/TARGET-* (commit it as a regression case, see Fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))

template=.build/fuzz-template
if [ ! -f "$template/models/tiny/1/manifest.json" ]; then
  swift build --product regimen >&2
  bin=$(swift build --show-bin-path)
  rm -rf "$template" && mkdir -p "$template"
  "$bin/regimen" data synth --out "$template/data" --assets 3 --periods 300 --seed 5 >&2
  "$bin/regimen" train --data "$template/data" --config Tests/CLITests/Fixtures/pinned/tiny.yaml \
    --models "$template/models" --name tiny --quiet >/dev/null
fi

REGIMEN_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product RegimenFuzz \
  -Xswiftc -sanitize=fuzzer,address >&2

mkdir -p ".build-fuzz/corpus/$target" Fuzz/crashes
REGIMEN_FUZZ_TARGET=$target REGIMEN_FUZZ_DATA=$template/data REGIMEN_FUZZ_MODELS=$template/models \
  ASAN_OPTIONS=detect_leaks=0 \
  .build-fuzz/release/RegimenFuzz ".build-fuzz/corpus/$target" "Fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 "$@"
