#!/usr/bin/env bash
# End to end: a first-time user presses ? and gets the help window; pastes the course's
# nn.Sequential into the code panel and applies it (the title stops claiming the preset,
# the kept session holds both layers); applies code the layer refuses (nothing changes);
# saves and opens sessions through the desktop's file chooser (a stand-in zenity on
# PATH that answers with a path, as the real one does on stdout); sets the text size
# for a projector and finds it again at the next launch.
exe="$1"
source "$(dirname "$0")/lib.sh"
cd "$work"
stand_in_file_chooser
start_app
title=$(window_title)
echo "title on a first launch: $title"
[ "$title" = "ConvScope: seed-dilated" ] || { echo "unexpected title"; exit 1; }

# 1. ? opens the help window over the middle of the screen; ? again closes it.
click 800 300
key space              # pause, so only the help window changes the screen
shot before_help
key shift+slash
shot with_help
convert "$work/before_help.png" -crop 600x400+340+150 "$work/h0.png"
convert "$work/with_help.png" -crop 600x400+340+150 "$work/h1.png"
expect_pixels h0 h1 -gt 50000 "pixels changed by the help window" "? did not open the help"
key shift+slash

# 2. The course's nn.Sequential, typed into the code panel and applied.
click 600 680
key ctrl+a
xdotool type --delay 15 "nn.Sequential(nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2))"
sleep 0.3
click 410 776          # Apply code
title=$(window_title)
echo "title after applying code: $title"
[ "$title" = "ConvScope: seed-dilated-edited" ] || { echo "the title still claims the preset"; exit 1; }

# 3. Code the layer refuses: the picture, the title and the stack stay.
click 600 680
key ctrl+a
xdotool type --delay 15 "nn.Conv2d(3, 1, 3, dilation=40)"
click 410 776
shot refused
[ "$(window_title)" = "ConvScope: seed-dilated-edited" ] || { echo "refused code changed the session"; exit 1; }
[ "$(convert "$work/refused.png" -format %k info:)" -gt 100 ] || { echo "refused code blanked the window"; exit 1; }

# 4. Save as through the chooser: the file is written where it answered.
echo "$work/lecture3.json" > answer
key ctrl+shift+s
for _ in $(seq 50); do [ -s lecture3.json ] && break; sleep 0.1; done
[ -s lecture3.json ] || { echo "save as through the chooser wrote nothing"; cat zenity-calls; exit 1; }
grep -q -- "--save" zenity-calls || { echo "the chooser was not asked for a file to write"; exit 1; }
layers=$(tr -d ' \n' < lecture3.json | grep -o '"op":"conv[a-z_0-9]*"' | tr '\n' ' ')
echo "layers saved: $layers"
[ "$layers" = '"op":"conv2d" "op":"conv_transpose2d" ' ] || { echo "the saved stack is not the applied code"; exit 1; }
grep -q '"preset": "seed-dilated-edited"' lecture3.json || { echo "the saved session claims the preset"; exit 1; }
title=$(window_title)
echo "title after saving: $title"
[ "$title" = "ConvScope: lecture3" ] || { echo "the title does not name the saved file"; exit 1; }

# 5. Open through the chooser: a saved seed-upconv session at frame 5, shown paused.
cat > upconv.json <<'JSON'
{"convscope_session": 1, "preset": "seed-upconv", "input_shape": [1, 16, 32, 32],
 "layers": [{"op": "conv_transpose2d", "in_channels": 16, "out_channels": 3, "kernel_size": [2, 2], "stride": [2, 2]}],
 "frame": 5}
JSON
echo "$work/upconv.json" > answer
key ctrl+o
for _ in $(seq 50); do [ "$(window_title)" = "ConvScope: upconv" ] && break; sleep 0.1; done
[ "$(window_title)" = "ConvScope: upconv" ] || { echo "opening through the chooser did not open the file"; exit 1; }
still=$(changes_within 1 opened)
echo "pixels changed in the second after opening: $still"
[ "$still" -eq 0 ] || { echo "the opened session plays instead of waiting on its saved frame"; exit 1; }

# 6. View > Text size > 200 %: kept in the settings for the next launch.
click 68 10
xdotool mousemove 100 58; sleep 0.5      # Text size: its submenu opens to the right
xdotool mousemove 340 58; sleep 0.3
click 340 117                            # 200 % (the View menu is ~300 px wide since View > Channels)
stop_app
grep -q '"frame": 5' "$XDG_CONFIG_HOME/convscope/last-session.json" || { echo "the opened session left its saved frame"; exit 1; }
grep -q '"text_size_percent": 200' "$XDG_CONFIG_HOME/convscope/settings.json" || { echo "the text size was not kept"; exit 1; }
start_app
shot big_text
[ "$(convert "$work/big_text.png" -format %k info:)" -gt 100 ] || { echo "nothing drawn at 200 %"; exit 1; }
stop_app
echo "1 passed, 0 failed"
