#!/usr/bin/env bash
# End to end: a teacher starts the lab with SGD at a learning rate of 10 (as typed into
# the lr field with Ctrl+click) and training at once. Some models diverge: the window
# stays open, the models that diverged say so in words (on screen, in red, and once on
# stderr as a note), and the app still ends cleanly. Before, the colour map cast the
# NaN loss's colour position to an int and the window disappeared.
# With SHOTS=folder, the screenshot is kept there.
exe="$1"
source "$(dirname "$0")/lib.sh"

# 1. Opens paused at step 0 without --train: the screen does not move.
start_app --preset lab-upsampling --optimizer sgd --lr 10
still=$(changes_within 2 paused)
echo "pixels changed in 2 s without --train: $still"
[ "$still" -lt 200 ] || { echo "the lab trained without --train"; exit 1; }
stop_app

# 2. With --train it diverges, and stays alive.
start_app --preset lab-upsampling --optimizer sgd --lr 10 --train
for _ in $(seq 60); do
  grep -q "^note: model '.*' diverged at step [0-9]* (loss [a-z]*): lower the learning rate" "$work/app.log" && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$app" 2>/dev/null || { echo "the window disappeared:"; cat "$work/app.log"; exit 1; }
grep "^note: model" "$work/app.log" || { echo "no divergence reported"; cat "$work/app.log"; exit 1; }
sleep 4  # some seconds more with diverged models on screen
kill -0 "$app" 2>/dev/null || { echo "the window disappeared after the divergence:"; cat "$work/app.log"; exit 1; }
shot diverged
[ -n "${SHOTS:-}" ] && mkdir -p "$SHOTS" && cp "$work/diverged.png" "$SHOTS/lab-diverged.png" || true
# The message in red on screen (the scene's red, 0.85/0.1/0.1, and the panel's).
red=$(convert "$work/diverged.png" -fuzz 8% -fill black +opaque "rgb(217,26,26)" -fill white -opaque "rgb(217,26,26)" -format "%[fx:int(mean*w*h)]" info:)
echo "pixels of the divergence message's red: $red"
[ "$red" -gt 50 ] || { echo "no divergence message on screen"; exit 1; }
! grep -q "runtime error" "$work/app.log" || { echo "the sanitizer found an error:"; cat "$work/app.log"; exit 1; }
stop_app

# 3. A learning rate the lab refuses is an error before any window.
status=0
"$exe" --preset lab-upsampling --lr 0 >"$work/refused.log" 2>&1 || status=$?
cat "$work/refused.log"
[ "$status" -ne 0 ] && grep -q "^error: --lr: learning rate 0 must be above 0 and at most 10" "$work/refused.log" || { echo "--lr 0 was not refused"; exit 1; }
echo "1 passed, 0 failed"
