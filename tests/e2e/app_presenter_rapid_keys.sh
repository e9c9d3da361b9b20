#!/usr/bin/env bash
# End to end: a presenter's remote sends each key's press and release a few milliseconds
# apart, faster than a frame under a software renderer. Taps of PageDown, Right and Space
# (xdotool key, no hold), Home and End each move the transposed deck exactly once: the
# window title says where the lecture is ("ConvScope: transposed, slide 13 / 13").
exe="$1"
deck="$2"
source "$(dirname "$0")/lib.sh"

start_app present "$deck" --slide 10
# expect TITLE_END: the title ends so within 20 s (frames are slow on a loaded machine),
# and still does a second later (no press seen twice).
expect() {
  for _ in $(seq 200); do [[ "$(window_title)" == *"$1" ]] && break; sleep 0.1; done
  sleep 1
  [[ "$(window_title)" == *"$1" ]] || { echo "expected the title to end '$1', it is '$(window_title)'"; cat "$work/app.log"; exit 1; }
  echo "ok: $(window_title)"
}
expect "slide 10 / 13"
# Three taps 5 ms apart (xdotool's --delay 0 sends presses within one millisecond, which
# GLFW's X11 code drops as an input method's duplicates before the app sees them).
xdotool key --delay 5 Next Right space
expect "slide 13 / 13"
xdotool key --delay 5 Home
expect "slide 1 / 13"
xdotool key --delay 5 End
expect "slide 13 / 13"
xdotool key --delay 5 Home Next Next Next
expect "slide 2 / 13, answer shown"   # slide 1's answer, slide 2, its answer
xdotool key --delay 5 Prior Prior
expect "slide 1 / 13"                 # slide 2's answer hidden, then back to slide 1
# Ten taps in a burst: ten steps (1's answer, 2, 2's answer, ... 5's answer, 6).
xdotool key --delay 5 Next Next Next Next Next Next Next Next Next Next
expect "slide 6 / 13"
echo "1 passed, 0 failed"
