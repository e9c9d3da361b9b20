#!/usr/bin/env bash
# End to end: the channels view. A user opens the seed, pauses, presses c and sees the
# whole tensor (3 input slabs, 16 filters, 16 output slabs); a drag turns the channel
# axis, a double-click brings the first picture back, c again returns to the channel
# pair. Then a script exports the channels view with no display and counts its cells.
# SHOTS_DIR (optional): where to keep copies of the screenshots.
exe="$1"
source "$(dirname "$0")/lib.sh"
keep() { [ -n "${SHOTS_DIR:-}" ] && cp "$work/$1.png" "$SHOTS_DIR/channels_$1.png" || true; }
away() { xdotool mousemove 5 790; sleep 0.4; }  # no tooltip in the picture
start_app --preset seed-dilated
click 800 400
# Pause; on a loaded machine a frame can outlast the key press: press again until still.
for _ in 1 2 3 4; do
  key space
  away
  [ "$(changes_within 1 still)" -eq 0 ] && break
done
[ "$(changes_within 1 still)" -eq 0 ] || { echo "space did not pause"; exit 1; }
shot pair
key c
away
shot channels
keep channels
colours=$(convert "$work/channels.png" -format %k info:)
echo "distinct colours in the channels view: $colours"
[ "$colours" -gt 100 ] || { echo "the channels view looks empty"; exit 1; }
expect_pixels pair channels -gt 20000 "pixels changed by c" "c did not switch to the channels view"

# A drag on the picture turns the channel axis.
drag 700 450 760 360
away
shot turned
keep turned
expect_pixels channels turned -gt 5000 "pixels changed by the drag" "dragging did not turn the view"

# The wheel zooms (the magnifier) and a double-click resets angle and zoom.
xdotool mousemove 700 450; sleep 0.1
for _ in 1 2 3; do xdotool click 4; sleep 0.1; done
away
shot zoomed
keep zoomed
expect_pixels turned zoomed -gt 5000 "pixels changed by the wheel" "the wheel did not zoom"
click 1002 63  # the toolbar's Reset
away
shot reset
back=$(changed_pixels channels reset)
echo "pixels differing from the first channels picture after Reset: $back"
[ "$back" -lt 200 ] || { echo "Reset did not bring the first view back"; exit 1; }
# A double-click on the background (below the stacks) resets as well.
drag 700 450 640 520
# (each press held over a frame: ImGui 1.86 samples the buttons once per frame)
xdotool mousemove 1200 580; sleep 0.1
xdotool mousedown 1; sleep 0.05; xdotool mouseup 1; sleep 0.05; xdotool mousedown 1; sleep 0.05; xdotool mouseup 1; sleep 0.5
away
shot reset2
expect_pixels channels reset2 -lt 200 "pixels differing from the first channels picture after a double-click" "double-click did not reset the view"

# c again: the channel pair.
key c
away
shot pair_again
expect_pixels pair pair_again -lt 200 "pixels differing from the channel pair after c twice" "c did not return to the channel pair"
stop_app

# Rough use of the channels view on the up-convolution (16 slabs in, 3 out): random
# clicks (they select output channels), drags (they turn it) and wheel turns; it keeps drawing.
RANDOM=20261201
start_app --preset seed-upconv
key c
for _ in $(seq 60); do
  x=$((380 + RANDOM % 900)) y=$((70 + RANDOM % 520))
  case $((RANDOM % 3)) in
    0) xdotool mousemove $x $y click 1 ;;
    1) xdotool mousemove $x $y mousedown 1 mousemove $((x + RANDOM % 200 - 100)) $((y + RANDOM % 200 - 100)) sleep 0.05 mouseup 1 ;;
    *) xdotool mousemove $x $y click $((4 + RANDOM % 2)) ;;
  esac
  sleep 0.05
done
kill -0 "$app" || { echo "the app died in the channels view:"; tail -20 "$work/app.log"; exit 1; }
away
shot rough
keep rough
[ "$(convert "$work/rough.png" -format %k info:)" -gt 100 ] || { echo "the channels view stopped drawing"; exit 1; }
stop_app

# The export, with no display: 432 kernel cells of 16 filters, 3 and 16 channels.
( unset DISPLAY; "$exe" export --preset seed-dilated --view channels --format svg --out "$work/channels.svg" >/dev/null )
kernel=$(grep -o 'class="cell kernel"' "$work/channels.svg" | wc -l)
filters=$(grep -o 'class="cell kernel"[^>]*data-filter="[0-9]*"' "$work/channels.svg" | sed 's/.*data-filter="//' | sort -u | wc -l)
inputs=$(grep -o 'class="cell input" data-layer="0" data-channel="[0-9]*"' "$work/channels.svg" | sort -u | wc -l)
outputs=$(grep -o 'class="cell output" data-layer="1" data-channel="[0-9]*"' "$work/channels.svg" | sort -u | wc -l)
echo "SVG: $kernel kernel cells, $filters filters, $inputs input channels, $outputs output channels"
[ "$kernel" -eq 432 ] && [ "$filters" -eq 16 ] && [ "$inputs" -eq 3 ] && [ "$outputs" -eq 16 ] || { echo "the SVG does not hold the whole tensor"; exit 1; }
( unset DISPLAY; "$exe" export --preset seed-dilated --view channels --format png --out "$work/channels.png" >/dev/null )
[ -n "${SHOTS_DIR:-}" ] && cp "$work/channels.png" "$SHOTS_DIR/export_seed_dilated_channels.png"
status=0; ( unset DISPLAY; "$exe" export --preset seed-dilated --view sideways --format png --out "$work/x.png" 2>"$work/err" ) || status=$?
[ "$status" -ne 0 ] && grep -q '^error: --view' "$work/err" && [ ! -e "$work/x.png" ] || { echo "an unknown --view was not refused"; exit 1; }
echo "1 passed, 0 failed"
