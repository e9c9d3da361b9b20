#!/usr/bin/env bash
# End to end: a user launches `convscope` on a display (Xvfb), sees the seed preset
# animating, presses space to pause, and closes it. Asserts on screenshots.
exe="$1"
close_window="$2"   # sends WM_DELETE_WINDOW, like a window manager's close button
source "$(dirname "$0")/lib.sh"
start_app

# 1. Something is drawn: the screenshot has many distinct colours (the viridis grids).
shot a
colours=$(convert "$work/a.png" -format %k info:)
echo "distinct colours on screen: $colours"
[ "$colours" -gt 100 ] || { echo "the window looks empty"; exit 1; }

# 2. It animates: two screenshots a second apart differ.
sleep 1
shot b
expect_pixels a b -gt 0 "pixels changed while playing" "nothing moved while playing"

# 3. Space pauses: after it, two screenshots are identical.
click 800 300
key space
sleep 0.5
still=$(changes_within 1 paused)
echo "pixels changed while paused: $still"
[ "$still" -eq 0 ] || { echo "space did not pause the animation"; exit 1; }

# 4. It ends cleanly on SIGTERM, keeping the session for next time.
stop_app
[ -s "$XDG_CONFIG_HOME/convscope/last-session.json" ] || { echo "no session kept for the next launch"; exit 1; }
# 5. Closing the window (the window manager's close button) also ends it with status 0.
start_app
"$close_window" "$(window_title)"
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then echo "closing the window did not end the app"; exit 1; fi
status=0; wait "$app" || status=$?; app=""
[ "$status" -eq 0 ] || { echo "closing the window: status $status"; exit 1; }
echo "1 passed, 0 failed"
