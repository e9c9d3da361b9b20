#!/usr/bin/env bash
# End to end: a student opens View > Quiz, draws a fresh output-shape exercise (seed 1,
# the same exercise `convscope worksheet --seed 1 --count 1 --kinds output_shape` puts
# on paper), answers it wrong (the explanation shows in red), then right (in green),
# then types words (a hint in orange, no crash), and finally asks the same kind of
# question about the figure on screen, seed-dilated, and answers it right.
exe="$1"
source "$(dirname "$0")/lib.sh"
# CONVSCOPE_E2E_SHOTS=DIR keeps the screenshots there, to look at.
shot() { import -window root "$work/$1.png"; [ -z "${CONVSCOPE_E2E_SHOTS:-}" ] || cp "$work/$1.png" "$CONVSCOPE_E2E_SHOTS/"; }
# pixels NAME R,G,B: how many pixels of the Quiz panel (docked in the right column) have that colour.
pixels() {
  convert "$work/$1.png" -crop 414x778+866+22 +repage -format %c histogram:info:- |
    awk -v c="($2)" 'index($0, c) {n += $1} END {print n + 0}'
}
red=255,89,89 green=51,179,77 orange=242,153,26
cd "$work"
"$exe" worksheet --seed 1 --count 1 --kinds output_shape --out sheet.pdf --answers key.json >/dev/null
right=$(python3 -c 'import json; a = json.load(open("key.json"))["questions"][0]["answer"]; print(", ".join(map(str, a)))')
wrong=$(python3 -c 'import json; a = json.load(open("key.json"))["questions"][0]["answer"]; a[2] += 1; print(", ".join(map(str, a)))')
echo "the exercise's shape: $right (typing $wrong first)"

start_app --preset seed-dilated
click 32 561            # Pause
click 67 10             # View
click 140 158           # Quiz
click 922 115            # New question: exercise 1 of seed 1, output shape by default
answer() { click 1010 221; key ctrl+a; xdotool type --delay 15 "$1"; sleep 0.2; click 898 247; sleep 0.3; }

answer "$wrong"
shot quiz_wrong
echo "wrong: red $(pixels quiz_wrong $red), green $(pixels quiz_wrong $green)"
[ "$(pixels quiz_wrong $red)" -gt 100 ] || { echo "a wrong answer was not explained in red"; exit 1; }
[ "$(pixels quiz_wrong $green)" -lt 20 ] || { echo "a wrong answer showed green"; exit 1; }

answer "$right"
shot quiz_right
echo "right: red $(pixels quiz_right $red), green $(pixels quiz_right $green)"
[ "$(pixels quiz_right $green)" -gt 100 ] || { echo "the right answer was not confirmed in green"; exit 1; }
[ "$(pixels quiz_right $red)" -lt 20 ] || { echo "the right answer showed red"; exit 1; }

answer "three by five"
shot quiz_words
echo "words: orange $(pixels quiz_words $orange)"
[ "$(pixels quiz_words $orange)" -gt 40 ] || { echo "malformed text got no hint"; exit 1; }

# The figure on screen: seed-dilated's nn.Conv2d(3, 16, 3, dilation=2, padding=2) on 1x3x64x64.
click 1073 89          # the figure on screen
click 922 115            # New question
answer "1, 16, 64, 64"
shot quiz_figure
echo "figure: green $(pixels quiz_figure $green)"
[ "$(pixels quiz_figure $green)" -gt 100 ] || { echo "the figure's shape, answered right, was not confirmed"; exit 1; }
kill -0 "$app" || { echo "the app died"; exit 1; }
stop_app
echo "ok"
