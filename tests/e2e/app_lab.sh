#!/usr/bin/env bash
# End to end: a user opens the upsampling lab on a picture from the command line, sees
# the models train (the loss curves move), pauses, and exports the lab headless.
# With SHOTS=folder, the screenshots are kept there.
exe="$1"
source "$(dirname "$0")/lib.sh"
picture="$(dirname "$0")/../../assets/landscape.png"
keep() { [ -n "${SHOTS:-}" ] && mkdir -p "$SHOTS" && cp "$work/$1.png" "$SHOTS/lab-$1.png" || true; }

# 1. The lab opens on the picture and trains (--train; it opens paused otherwise): the screen keeps changing.
start_app --preset lab-upsampling --image "$picture" --train
sleep 2
shot training_a
keep training_a
sleep 2
shot training_b
keep training_b
expect_pixels training_a training_b -gt 1000 "pixels changed while training" "the lab did not move while training"
colours=$(convert "$work/training_b.png" -format %k info:)
echo "distinct colours on screen: $colours"
[ "$colours" -gt 1000 ] || { echo "the lab's pictures are missing"; exit 1; }

# 2. Pause (the panel's first button, under the menu bar of the middle column): the screen stops.
click 392 62; sleep 1
still=$(changes_within 1 paused)
echo "pixels changed while paused: $still"
keep paused_b
[ "$still" -lt 200 ] || { echo "Pause did not stop training"; exit 1; }
stop_app

# 3. A picture that is not one: the app opens anyway and says why on stderr.
start_app --preset lab-upsampling --image "$work/app.log"
grep -q "^error: .*app.log" "$work/app.log" || { echo "no error for a refused picture"; cat "$work/app.log"; exit 1; }
stop_app

# 4. Export the training headless (no DISPLAY): an animation and the side-by-side.
DISPLAY= "$exe" export --preset lab-upsampling --image "$picture" --train-steps 20 --format gif --out "$work/lab.gif"
DISPLAY= "$exe" export --preset lab-upsampling --train-steps 20 --format png --out "$work/lab.png" --weights "$work/weights"
[ -s "$work/lab.gif" ] && [ -s "$work/lab.png" ] && [ -s "$work/weights/lab_models.py" ] || { echo "export wrote nothing"; exit 1; }
frames=$(identify "$work/lab.gif" | wc -l)
echo "frames in the GIF: $frames"
[ "$frames" -ge 10 ] || { echo "the animation has too few frames"; exit 1; }
[ -n "${SHOTS:-}" ] && cp "$work/lab.png" "$SHOTS/lab-export.png" || true
echo "1 passed, 0 failed"
