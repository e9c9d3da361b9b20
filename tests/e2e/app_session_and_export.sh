#!/usr/bin/env bash
# End to end: a user opens a saved session, exports the frame on screen from the
# Export panel (Ctrl+E) and gets the same PNG bytes as `convscope export` of that
# session; drags the dilation slider and saves (Ctrl+S): the file has the new value;
# quits, relaunches with no argument and is back where they left off.
exe="$1"
source "$(dirname "$0")/lib.sh"
cd "$work"
cat > session.json <<'JSON'
{"convscope_session": 1, "preset": "seed-dilated", "input_shape": [1, 3, 64, 64],
 "layers": [{"op": "conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": [3, 3],
             "stride": [1, 1], "padding": [2, 2], "dilation": [2, 2]}],
 "seed": 7, "input": "random", "kernel": "sobel", "granularity": "row", "frame": 0, "theme": "light"}
JSON
start_app session.json

# An opened session starts paused on its saved frame (0 here): nothing moves.
click 600 580          # focus the window (a blank part of the canvas)
moved=$(changes_within 1 opened)
echo "pixels changed in the second after opening: $moved"
[ "$moved" -eq 0 ] || { echo "the opened session plays instead of waiting on its saved frame"; exit 1; }
# Export the frame on screen from the app: it proposes the session's folder and name.
key ctrl+e
click 434 498      # the Export button of the panel (PNG, the frame on screen)
for _ in $(seq 50); do [ -s session.png ] && break; sleep 0.1; done
[ -s session.png ] || { echo "the Export panel wrote nothing"; shot export; cp "$work/export.png" /tmp/convscope-e2e-export.png; exit 1; }
"$exe" export session.json --format png --step 0 --out cli.png >/dev/null
cmp session.png cli.png || { echo "the app's PNG differs from the command line's"; exit 1; }
echo "app export == cli export: $(stat -c %s cli.png) bytes"
key Escape
click 866 292      # close the Export panel

# Click an output cell (x 710..926, y 138..353): its receptive field opens in a column on the right.
shot before_click
click 880 300
xdotool mousemove 700 560; sleep 0.5   # away from the canvas: the clicked cell stays selected
shot after_click
convert "$work/before_click.png" -crop 300x200+970+100 "$work/b.png"
convert "$work/after_click.png" -crop 300x200+970+100 "$work/a.png"
rf_pixels=$(changed_pixels b a)
echo "pixels of the receptive-field column: $rf_pixels"
[ "$rf_pixels" -gt 4000 ] || { echo "clicking an output cell showed no receptive field"; cp "$work/after_click.png" /tmp/convscope-e2e-rf.png; exit 1; }
key r                # r toggles it off again

# Drag the dilation slider (Layer section, 2 to the right), save with Ctrl+S, read the file.
drag 48 349 200 349
key ctrl+s
dilation=$(tr -d ' \n' < session.json | sed -E 's/.*"dilation":\[([0-9]+),([0-9]+)\].*/\1/')
echo "dilation in the saved session: $dilation"
[ "$dilation" -gt 2 ] || { echo "the drag or the save did not reach the file"; exit 1; }

# Quit and relaunch with no argument: the same configuration comes back.
stop_app
start_app
shot relaunched
stop_app
grep -q "\"dilation\": \[\s*$dilation" "$XDG_CONFIG_HOME/convscope/last-session.json" || \
  tr -d ' \n' < "$XDG_CONFIG_HOME/convscope/last-session.json" | grep -q "\"dilation\":\[$dilation,$dilation\]" || \
  { echo "the relaunch did not keep the session"; exit 1; }
# A corrupt settings file (the kept session) is reported, and the app starts on the seed.
printf '{"convscope_session": 1, "layers": [' > "$XDG_CONFIG_HOME/convscope/last-session.json"
start_app
shot corrupt
[ "$(convert "$work/corrupt.png" -format %k info:)" -gt 100 ] || { echo "nothing drawn after a corrupt settings file"; exit 1; }
stop_app
grep -q '"preset": "seed-dilated"' "$XDG_CONFIG_HOME/convscope/last-session.json" || { echo "the app did not fall back to the seed"; exit 1; }
echo "1 passed, 0 failed"
