#!/usr/bin/env bash
# Behaviour unchanged, by bytes: every preset exported as SVG and PNG (default options,
# plus the stack, channels and values variants of the seeds) must hash as recorded in
# tests/data/export_hashes.txt. A refactor that changes a single pixel fails here.
# A deliberate change of a figure regenerates the record, in the commit that makes it:
#   tests/e2e/exports_unchanged.sh build/convscope --update
set -euo pipefail
exe="$1"
record="$(cd "$(dirname "$0")/.." && pwd)/data/export_hashes.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset DISPLAY WAYLAND_DISPLAY

exports() {  # name, then the export arguments (without --format/--out)
  local name="$1"; shift
  for format in svg png; do
    "$exe" export "$@" --format "$format" --out "$work/$name.$format" >/dev/null
    echo "$(sha256sum <"$work/$name.$format" | cut -c1-64)  $name.$format"
  done
}

{
  for preset in $("$exe" presets | cut -f1); do
    case "$preset" in
      lab-*) exports "$preset" --preset "$preset" --train-steps 3 --lab-size 32 ;;
      *) exports "$preset" --preset "$preset" ;;
    esac
  done
  for preset in seed-dilated seed-upconv seed-combined; do
    exports "$preset-step5" --preset "$preset" --step 5
    exports "$preset-schematic" --preset "$preset" --style schematic --step 7
    exports "$preset-values" --preset "$preset" --style values --step 7
    exports "$preset-channels" --preset "$preset" --view channels --step 3
  done
  exports seed-combined-all-layers --preset seed-combined --all-layers --step 9
  exports seed-dilated-backward --preset seed-dilated --pass backward --step 4
  exports arith-t-strides-conv --preset arith-t-strides --transposed-view convolution --step 6
} >"$work/hashes.txt"

if [ "${2:-}" = --update ]; then
  cp "$work/hashes.txt" "$record"
  echo "recorded $(wc -l <"$record") hashes in $record"
  exit 0
fi
if ! diff -u "$record" "$work/hashes.txt"; then
  echo "exports differ from the record (lines above): a behaviour-unchanged change changed a figure"
  exit 1
fi
echo "$(wc -l <"$record") exports hash as recorded"
