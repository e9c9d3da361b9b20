#!/usr/bin/env bash
# End to end: a user launches `convscope` on a display (Xvfb), sees the seed preset
# animating, presses space to pause, and closes it. Asserts on screenshots.
set -euo pipefail
exe="$1"
work=$(mktemp -d)
display=":$(( 90 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "$app" 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || sleep 1
"$exe" >"$work/app.log" 2>&1 &
app=$!
sleep 4
kill -0 "$app" || { echo "the app exited early:"; cat "$work/app.log"; exit 1; }

# 1. Something is drawn: the screenshot has many distinct colours (the viridis grids).
import -window root "$work/a.png"
colours=$(convert "$work/a.png" -format %k info:)
echo "distinct colours on screen: $colours"
[ "$colours" -gt 100 ] || { echo "the window looks empty"; exit 1; }

# 2. It animates: two screenshots a second apart differ.
sleep 1
import -window root "$work/b.png"
diff_pixels=$(compare -metric AE "$work/a.png" "$work/b.png" /dev/null 2>&1 || true)
echo "pixels changed while playing: $diff_pixels"
[ "${diff_pixels%%.*}" -gt 0 ] || { echo "nothing moved while playing"; exit 1; }

# 3. Space pauses: after it, two screenshots are identical.
xdotool mousemove 800 300 click 1
sleep 0.5
# A human holds a key for a few frames; ImGui 1.86 samples key state once per frame.
xdotool keydown space; sleep 0.15; xdotool keyup space
sleep 0.5
sleep 0.5
import -window root "$work/c.png"
sleep 1
import -window root "$work/d.png"
still=$(compare -metric AE "$work/c.png" "$work/d.png" /dev/null 2>&1 || true)
echo "pixels changed while paused: $still"
[ "${still%%.*}" -eq 0 ] || { echo "space did not pause the animation"; exit 1; }

# 4. It ends cleanly on SIGTERM.
kill -TERM "$app"
wait "$app" 2>/dev/null || true
! kill -0 "$app" 2>/dev/null
echo "1 passed, 0 failed"
