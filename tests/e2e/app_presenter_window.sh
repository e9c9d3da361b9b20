#!/usr/bin/env bash
# End to end: `present DECK --presenter-window` on one monitor (Xvfb has one) opens the
# presenter window over the full-screen deck. The presenter's keys pressed in either
# window move the lecture (both titles say where it is), other keys in the presenter
# window (Ctrl+Q) do nothing; the presenter window shows this slide, the next
# page, the notes and the clock; B blanks the audience's screen only and the presenter
# window says so; Escape closes both and the app exits with status 0.
exe="$1"
deck="$2"
export CONVSCOPE_E2E_SCREEN=1920x1080x24
source "$(dirname "$0")/lib.sh"

# Both flags at once is refused before any window opens.
status=0; "$exe" present "$deck" --presenter-window --no-presenter-window 2>"$work/both.log" || status=$?
[ "$status" -ge 1 ] && [ "$status" -le 127 ] && grep -q "^error: .*excludes" "$work/both.log" ||
  { echo "both flags: status $status"; cat "$work/both.log"; exit 1; }

start_app present "$deck" --presenter-window
for _ in $(seq 100); do xdotool search --onlyvisible --name '^ConvScope presenter: ' >/dev/null 2>&1 && break; sleep 0.1; done
audience=$(xdotool search --onlyvisible --name '^ConvScope: ' | head -1)
presenter=$(xdotool search --onlyvisible --name '^ConvScope presenter: ' | head -1)
[ -n "$audience" ] && [ -n "$presenter" ] && [ "$audience" != "$presenter" ] ||
  { echo "expected two windows, audience '$audience' presenter '$presenter'"; cat "$work/app.log"; exit 1; }
echo "ok: two windows: $(xdotool getwindowname "$audience") | $(xdotool getwindowname "$presenter")"

# expect TITLE_END: both windows' titles end so within 20 s.
expect() {
  for _ in $(seq 200); do
    [[ "$(xdotool getwindowname "$audience")" == *"$1" && "$(xdotool getwindowname "$presenter")" == *"$1" ]] && break
    sleep 0.1
  done
  local a p
  a=$(xdotool getwindowname "$audience"); p=$(xdotool getwindowname "$presenter")
  [[ "$a" == *"$1" && "$p" == *"$1" ]] || { echo "expected both titles to end '$1': '$a' and '$p'"; cat "$work/app.log"; exit 1; }
  echo "ok: $a | $p"
}
# in_window ID X Y: the pointer (and the keyboard's focus) into that window.
in_window() { xdotool mousemove --window "$1" "$2" "$3"; xdotool windowfocus "$1"; sleep 0.3; }

expect "slide 1 / 13"
in_window "$presenter" 600 20     # the presenter window's header: no button there
key Next
expect "slide 1 / 13, answer shown"
key Next
expect "slide 2 / 13"
key 5 Return
expect "slide 5 / 13"
# Only the presenter's keys go on to the audience's window: Ctrl+Q, Ctrl+S, Tab, a
# letter, and a presenter's key with Control (a shortcut, not the remote's button)
# pressed in the presenter window do nothing there (the app keeps running, the deck
# stays on its slide), and Right alone still goes on after them.
key ctrl+q ctrl+s Tab c ctrl+Right alt+Next
sleep 1
kill -0 "$app" 2>/dev/null || { echo "Ctrl+Q in the presenter window quit the app"; cat "$work/app.log"; exit 1; }
expect "slide 5 / 13"
key Right
expect "slide 5 / 13, answer shown"
key Left
expect "slide 5 / 13"
in_window "$audience" 100 1000    # the audience's screen, left of the presenter window
key Prior
expect "slide 4 / 13"
key Next
expect "slide 4 / 13, answer shown"
key Next
expect "slide 5 / 13"

# Screenshots: the presenter window at its size, not blank, with light text on dark.
in_window "$presenter" 600 20
sleep 1
import -window "$presenter" "$work/presenter.png"
import -window "$audience" "$work/audience.png"
psize=$(identify -format %wx%h "$work/presenter.png"); asize=$(identify -format %wx%h "$work/audience.png")
echo "presenter window $psize, audience $asize"
[ "$asize" = 1920x1080 ] || { echo "the audience's window is $asize, not the screen"; exit 1; }
[ "$psize" = 1280x800 ] || { echo "the presenter window is $psize"; exit 1; }
mean=$(convert "$work/presenter.png" -colorspace Gray -format '%[fx:mean]' info:)
light=$(convert "$work/presenter.png" -colorspace Gray -threshold 85% -format '%[fx:mean]' info:)
echo "presenter window: mean grey $mean, light pixels $light"
awk "BEGIN{exit !($mean > 0.08 && $mean < 0.6 && $light > 0.005)}" || { echo "the presenter window looks empty"; exit 1; }
# The page on it follows the audience: next slide, the presenter window changes.
key Next
expect "slide 5 / 13, answer shown"
sleep 1
import -window "$presenter" "$work/presenter_answer.png"
d=$(changed_pixels presenter presenter_answer)
echo "presenter window, slide 5 question -> answer: $d pixels changed"
[ "$d" -gt 5000 ] || { echo "the presenter window did not follow the slide"; exit 1; }

# B: the audience's screen goes black (left of the presenter window), the presenter
# window stays lit and shows its red "blanked" bar.
key b
sleep 1
import -window root "$work/blank.png"
left=$(convert "$work/blank.png" -crop 600x1080+0+0 +repage -colorspace Gray -format '%[fx:mean]' info:)
import -window "$presenter" "$work/presenter_blank.png"
red=$(convert "$work/presenter_blank.png" -fx 'r>0.7 && g<0.3 && b<0.3 ? 1 : 0' -colorspace Gray -format '%[fx:mean]' info:)
pmean=$(convert "$work/presenter_blank.png" -colorspace Gray -format '%[fx:mean]' info:)
echo "blank: audience mean $left, presenter window mean $pmean, red bar $red"
awk "BEGIN{exit !($left < 0.01)}" || { echo "B did not blank the audience's screen"; exit 1; }
awk "BEGIN{exit !($pmean > 0.05 && $red > 0.005)}" || { echo "the presenter window does not say the audience's screen is blanked"; exit 1; }
key b
sleep 1
import -window root "$work/unblank.png"
left=$(convert "$work/unblank.png" -crop 600x1080+0+0 +repage -colorspace Gray -format '%[fx:mean]' info:)
awk "BEGIN{exit !($left > 0.3)}" || { echo "B again did not bring the slide back ($left)"; exit 1; }

# Escape in the presenter window closes both windows; the app exits with status 0.
key Escape
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then echo "Escape did not end the presenter"; exit 1; fi
status=0; wait "$app" || status=$?; app=""
[ "$status" -eq 0 ] || { echo "Escape: status $status"; cat "$work/app.log"; exit 1; }
if xdotool search --name '^ConvScope' >/dev/null 2>&1; then echo "a window outlived the app"; exit 1; fi
grep -i "error\|warning" "$work/app.log" && { echo "the app complained"; exit 1; }
echo "1 passed, 0 failed"
