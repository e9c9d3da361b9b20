#!/usr/bin/env bash
# End to end: a teacher zooms into the 64x64 seed with the wheel and clicks Fit to get
# back the whole picture; opens the receptive field with `r` and it takes a column beside
# the canvas instead of covering it: the output grid can still be clicked, and the
# clicked cell's field is drawn on the input grid.
exe="$1"
source "$(dirname "$0")/lib.sh"
cd "$work"
cat > session.json <<'JSON'
{"convscope_session": 1, "preset": "seed-dilated", "input_shape": [1, 3, 64, 64],
 "layers": [{"op": "conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": [3, 3],
             "stride": [1, 1], "padding": [2, 2], "dilation": [2, 2]}],
 "seed": 7, "input": "random", "kernel": "sobel", "granularity": "row", "frame": 20, "theme": "light",
 "style": "values"}
JSON
start_app session.json   # opens paused on frame 20
click 640 760            # focus the window (the code panel's blank part)
away() { xdotool mousemove 640 765; sleep 0.5; }
# The canvas's picture, under its toolbar (the title bars' focus colours left out).
picture() { convert "$work/$1.png" -crop 900x440+365+80 "$work/$1_picture.png"; }

# 1. The wheel zooms the canvas about the mouse; Fit shows the whole picture again.
away; shot plain; picture plain
xdotool mousemove 460 215; sleep 0.2
for _ in 1 2 3 4 5; do xdotool click 4; sleep 0.1; done
away; shot zoomed; picture zoomed
zoom_changed=$(changed_pixels plain_picture zoomed_picture)
echo "pixels changed by zooming in: $zoom_changed"
[ "$zoom_changed" -gt 50000 ] || { echo "the wheel did not zoom the canvas"; cp "$work/zoomed.png" /tmp/convscope-e2e-zoom.png; exit 1; }
click 516 63             # Fit, on the canvas's toolbar (right of the style box)
away; shot fitted; picture fitted
left=$(changed_pixels plain_picture fitted_picture)
echo "pixels differing from the whole picture after Fit: $left"
[ "$left" -eq 0 ] || { echo "Fit did not return to the whole picture"; cp "$work/fitted.png" /tmp/convscope-e2e-fit.png; cp "$work/plain.png" /tmp/convscope-e2e-plain.png; exit 1; }

# 2. `r` opens the receptive field in a column beside the canvas; the output grid, now at
#    (about x 645..800, y 165..320 under a toolbar of two rows), is still there to click.
key r
away; shot rf_open
convert "$work/rf_open.png" -crop 300x200+970+200 "$work/column_before.png"
convert "$work/rf_open.png" -crop 200x200+400+150 "$work/input_before.png"
click 720 200
away; shot rf_cell
convert "$work/rf_cell.png" -crop 300x200+970+200 "$work/column_after.png"
convert "$work/rf_cell.png" -crop 200x200+400+150 "$work/input_after.png"
column=$(changed_pixels column_before column_after)
input=$(changed_pixels input_before input_after)
echo "pixels changed in the receptive-field column: $column; on the input grid (the field drawn on it): $input"
[ "$column" -gt 3000 ] || { echo "clicking the output grid beside the open column did not select a cell"; cp "$work/rf_cell.png" /tmp/convscope-e2e-rf-column.png; exit 1; }
[ "$input" -gt 5000 ] || { echo "the clicked cell's field is not drawn on the input grid"; cp "$work/rf_cell.png" /tmp/convscope-e2e-rf-input.png; exit 1; }
stop_app
echo "1 passed, 0 failed"
