#!/usr/bin/env bash
# End to end: `convscope export` of every seed preset in every format on a machine with
# no display (DISPLAY unset), each file checked by an independent reader: ffprobe for
# PNG/GIF/MP4 (size, frame count), xmllint for SVG (well-formed, cells counted), the
# PDF's header and trailer. Prints how long each export took (README figures).
set -euo pipefail
exe="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset DISPLAY WAYLAND_DISPLAY

# cells drawn per preset: input grid + kernel + output (the last frame)
# (seed-combined: its last layer by default, drawn as the chain's slide: the whole input, features and output maps
# as locators, the feature cell, W's 4 weights, the 2x2 output block; seed-upconv as its right half, without the
# input; seed-dilated as its left half: the input's and output's maps and the output cell, the kernel in its taps)
declare -A cells=([seed-dilated]=$((64 * 64 + 1 + 64 * 64)) [seed-upconv]=$((32 * 32 + 1 + 4 + 4 + 64 * 64))
                  [seed-combined]=$((64 * 64 + 64 * 64 + 1 + 4 + 4 + 128 * 128)))
declare -A frames=([seed-dilated]=64 [seed-upconv]=32 [seed-combined]=64)  # auto: one frame per row

probe() {  # width,height,frames of a raster file
  ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=width,height,nb_read_frames -of csv=p=0 "$1"
}

for preset in seed-dilated seed-upconv seed-combined; do
  for format in png svg pdf gif mp4; do
    out="$work/$preset.$format"
    start=$(date +%s%N)
    line=$("$exe" export --preset "$preset" --format "$format" --out "$out")
    echo "$preset $format: $line in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    [ -s "$out" ] || { echo "no file written"; exit 1; }
    size=$(echo "$line" | sed -E 's/.* ([0-9]+x[0-9]+)\)$/\1/')
    w=${size%x*}; h=${size#*x}
    case $format in
      png)
        [ "$(probe "$out")" = "$w,$h,1" ] || { echo "png: ffprobe says $(probe "$out"), expected $w,$h,1"; exit 1; } ;;
      gif|mp4)
        [ "$(probe "$out")" = "$w,$h,${frames[$preset]}" ] || { echo "$format: ffprobe says $(probe "$out"), expected $w,$h,${frames[$preset]}"; exit 1; } ;;
      svg)
        xmllint --noout "$out"
        n=$(grep -c 'class="cell ' "$out")
        [ "$n" -eq "${cells[$preset]}" ] || { echo "svg: $n cells, expected ${cells[$preset]}"; exit 1; } ;;
      pdf)
        [ "$(head -c 5 "$out")" = "%PDF-" ] || { echo "pdf: no header"; exit 1; }
        tail -c 8 "$out" | grep -q '%%EOF' || { echo "pdf: no trailer (incomplete)"; exit 1; } ;;
    esac
  done
done

# Deterministic: the same export twice gives the same bytes.
for format in png svg; do
  "$exe" export --preset seed-dilated --format $format --step 10 --out "$work/again1.$format" >/dev/null
  "$exe" export --preset seed-dilated --format $format --step 10 --out "$work/again2.$format" >/dev/null
  cmp "$work/again1.$format" "$work/again2.$format"
done

# The options for stacks and slides (contract: "Export options for the whole stack and for slides").
n=$("$exe" export --preset seed-combined --layer 0 --format svg --out "$work/l0.svg" >/dev/null; grep -c 'class="cell output" data-layer="1"' "$work/l0.svg")
[ "$n" -eq $((64 * 64)) ] || { echo "--layer 0: $n output cells, expected 4096"; exit 1; }
"$exe" export --preset seed-combined --format png --out "$work/last.png" >/dev/null
"$exe" export --preset seed-dilated --format png --out "$work/dilated.png" >/dev/null
! cmp -s "$work/last.png" "$work/dilated.png" || { echo "seed-combined's default export is seed-dilated's"; exit 1; }
[ "$(probe "$work/last.png" | cut -d, -f3)" = 1 ]
"$exe" export --preset seed-combined --all-layers --format svg --out "$work/all.svg" >/dev/null
xmllint --noout "$work/all.svg"
for spec in "0 input $((64 * 64))" "1 output $((64 * 64))" "2 output $((128 * 128))"; do
  set -- $spec
  n=$(grep -c "class=\"cell $2\" data-layer=\"$1\"" "$work/all.svg")
  [ "$n" -eq "$3" ] || { echo "--all-layers: map $1 has $n cells, expected $3"; exit 1; }
done
"$exe" export --preset seed-combined --all-layers --format gif --steps 0:3 --out "$work/all.gif" >/dev/null
[ "$(probe "$work/all.gif" | cut -d, -f3)" = 4 ] || { echo "--all-layers gif: $(probe "$work/all.gif")"; exit 1; }
"$exe" export --preset arith-dilation --style values --format svg --out "$work/values.svg" >/dev/null
"$exe" export --preset arith-dilation --style schematic --format svg --out "$work/schematic.svg" >/dev/null
"$exe" export --preset arith-dilation --format svg --out "$work/default.svg" >/dev/null
cmp -s "$work/schematic.svg" "$work/default.svg" || { echo "the guide's preset does not open in the schematic style"; exit 1; }
grep -q 'output value' "$work/values.svg" && ! grep -q 'output value' "$work/schematic.svg" || { echo "--style values/schematic draw the same legend"; exit 1; }
# The guide's transposed figures as it draws them: zeros inserted, padded, the kernel flipped.
"$exe" export --preset arith-t-padding-strides --transposed-view convolution --format svg --out "$work/asconv.svg" >/dev/null
grep -q 'inserted zero' "$work/asconv.svg" && grep -q 'flipped, as the convolution uses it' "$work/asconv.svg" \
  || { echo "--transposed-view convolution does not draw the zero-inserted grid"; exit 1; }

# Figures a teacher puts on a slide (contract: "Figures a teacher puts on a slide").
# The dilated footprint whole from an output cell's first tap: 1 current, 8 pending.
"$exe" export --preset arith-dilation --granularity tap --step 0 --format svg --out "$work/tap0.svg" >/dev/null
[ "$(grep -c 'class="tap" data-state="pending"' "$work/tap0.svg")" -eq 8 ] && [ "$(grep -c 'class="tap" data-state="current"' "$work/tap0.svg")" -eq 1 ] \
  || { echo "arith-dilation tap 0: the footprint is not drawn whole"; exit 1; }
# The scatter view: after the first stamp of 2x2 -> 5x5, 4 cells done, 5 partial, 16 empty; one stamp a frame.
"$exe" export --preset arith-t-strides --step 0 --format svg --out "$work/t0.svg" >/dev/null
for spec in "done 4" "partial 5" "empty 16"; do
  set -- $spec
  n=$(grep -c "class=\"cell output\"[^>]*data-state=\"$1\"" "$work/t0.svg")
  [ "$n" -eq "$2" ] || { echo "arith-t-strides step 0: $n $1 output cells, expected $2"; exit 1; }
done
"$exe" export --preset arith-t-strides --format gif --out "$work/t.gif" >/dev/null
[ "$(probe "$work/t.gif" | cut -d, -f3)" = 4 ] || { echo "arith-t-strides: $(probe "$work/t.gif"), expected one frame per input cell (4)"; exit 1; }
# The ring a transposed layer's padding crops: 7x7 - 5x5 cells.
"$exe" export --preset arith-t-padding-strides --format svg --out "$work/crop.svg" >/dev/null
[ "$(grep -c 'class="cell cropped"' "$work/crop.svg")" -eq 24 ] || { echo "arith-t-padding-strides: the cropped ring is not drawn"; exit 1; }
# A figure to work out by hand.
"$exe" export --preset arith-no-padding --hide output --format svg --out "$work/hidden.svg" >/dev/null
[ "$(grep -c 'class="cell output"[^>]*data-state="empty"' "$work/hidden.svg")" -eq 4 ] || { echo "--hide output drew output values"; exit 1; }
"$exe" export --preset arith-no-padding --hide output,shape --format svg --out "$work/noshape.svg" >/dev/null
! grep -q 'class="cell output"' "$work/noshape.svg" && ! grep -q '4x4 -&gt; 2x2' "$work/noshape.svg" || { echo "--hide shape drew the output's size"; exit 1; }

# Refusals: an error line, a non-zero status below 128, and no file.
refuse() {
  local expect="$1"; shift
  set +e; err=$("$exe" export "$@" 2>&1 >/dev/null); status=$?; set -e
  if [ $status -lt 1 ] || [ $status -gt 127 ] || [[ "$err" != error:*"$expect"* ]]; then
    echo "expected a refusal with '$expect', got status $status: $err"; exit 1
  fi
}
refuse "is a directory" --preset seed-dilated --format png --out "$work"
refuse "does not exist" --preset seed-dilated --format png --out "$work/missing/x.png"
refuse "format 'jpeg' is unknown" --preset seed-dilated --format jpeg --out "$work/x.jpg"
refuse "preset 'nope' does not exist" --preset nope --format png --out "$work/x.png"
refuse "cannot open" "$work/no-session.json" --format png --out "$work/x.png"
refuse "above the limit of 10000" --preset seed-dilated --format gif --granularity tap --out "$work/x.gif"
refuse "has the extension .png but --format is gif" --preset seed-dilated --format gif --out "$work/x.png"
refuse "--transposed-view 'sideways' is unknown" --preset arith-t-strides --transposed-view sideways --format png --out "$work/x.png"
refuse "--layer 5 is outside the stack's 2 layers" --preset seed-combined --layer 5 --format png --out "$work/x.png"
refuse "--hide 'kernel' is unknown" --preset arith-no-padding --hide kernel --format png --out "$work/x.png"
refuse "--style 'fancy' is unknown: expected schematic, values or perspective" --preset seed-dilated --style fancy --format png --out "$work/x.png"
# No FFmpeg on the machine: the error names the package (png/svg/pdf need no encoder).
exe_abs=$(readlink -f "$exe")
set +e; err=$(env -u CONVSCOPE_FFMPEG PATH=/nonexistent "$exe_abs" export --preset seed-upconv --format mp4 --out "$work/x.mp4" 2>&1); status=$?; set -e
[ $status -ge 1 ] && [ $status -le 127 ] && [[ "$err" == "error: exporting an MP4 needs FFmpeg, which is not installed: apt-get install ffmpeg" ]] || \
  { echo "missing ffmpeg: status $status, '$err'"; exit 1; }
[ ! -e "$work/x.png" ] && [ ! -e "$work/x.gif" ] && [ ! -e "$work/x.mp4" ] && [ -z "$(ls -A "$work" | grep '^\.' || true)" ] || { echo "a refused export left a file"; ls -la "$work"; exit 1; }
echo "all exports checked"
