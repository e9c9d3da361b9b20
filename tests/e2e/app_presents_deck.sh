#!/usr/bin/env bash
# End to end: a teacher presents the shipped transposed-convolution deck full screen on a
# 1920x1080 projector (Xvfb), steps through every slide (a question, then its answer),
# jumps with a number and Enter, blanks the screen with B, and leaves with Escape (the
# app quits with status 0). Asserts on screenshots.
exe="$1"
deck="$2"
export CONVSCOPE_E2E_SCREEN=1920x1080x24
source "$(dirname "$0")/lib.sh"

# A refused deck opens no window: one error line, a non-zero status.
echo '{"format": "convscope-deck", "version": 1, "slides": [{"preset": "seed-dilated", "colour": 1}]}' >"$work/bad.json"
status=0; "$exe" present "$work/bad.json" 2>"$work/bad.log" || status=$?
[ "$status" -ne 0 ] && grep -q "^error: .*slide 1.*colour" "$work/bad.log" || { echo "a hostile deck was not refused: status $status"; cat "$work/bad.log"; exit 1; }
status=0; "$exe" present "$deck" --monitor 3 2>"$work/monitor.log" || status=$?
[ "$status" -ge 1 ] && [ "$status" -le 127 ] && grep -q "^error: --monitor 3: there is 1 monitor" "$work/monitor.log" ||
  { echo "--monitor 3 on one monitor: status $status"; cat "$work/monitor.log"; exit 1; }

start_app present "$deck"
alive() { kill -0 "$app" 2>/dev/null || { echo "the presenter died: $1"; cat "$work/app.log"; exit 1; }; }
# The screen is full: the page fills the 1080 rows (the counter is in the bottom-right corner).
shot first
size=$(identify -format %wx%h "$work/first.png")
[ "$size" = 1920x1080 ] || { echo "screen is $size"; exit 1; }
# Every slide (n_slide: lib.sh's key() uses i): the question, then its answer (the page changes), then on.
slides=$(python3 -c "import json; print(' '.join('1' if 'question' in s else '0' for s in json.load(open('$deck'))['slides']))")
n_slide=0
for q in $slides; do
  n_slide=$((n_slide+1))
  sleep 0.8
  shot "q$n_slide"
  alive "slide $n_slide"
  if [ "$q" = 1 ]; then
    key Next
    sleep 0.8
    shot "a$n_slide"
    d=$(changed_pixels "q$n_slide" "a$n_slide")
    echo "slide $n_slide: question -> answer changed $d pixels"
    [ "$d" -gt 2000 ] || { echo "slide $n_slide: the answer did not show"; exit 1; }
  fi
  if [ "$n_slide" -gt 1 ]; then
    d=$(changed_pixels "q$((n_slide-1))" "q$n_slide")
    [ "$d" -gt 2000 ] || { echo "slide $n_slide looks like slide $((n_slide-1))"; exit 1; }
  fi
  key Next
done
count=$n_slide
# The last slide stays the last.
sleep 0.8; shot past_end
d=$(changed_pixels "q$count" past_end)
echo "past the end vs the last slide: $d pixels"
# 3 and Enter jump to slide 3: its question page again (it plays, so compare its title band).
key 3 Return
sleep 1
shot jumped
band() { convert "$work/$1.png" -crop 1920x200+0+0 +repage "$work/$1_band.png"; }
band jumped; band q3; band q5
d3=$(compare -metric AE "$work/jumped_band.png" "$work/q3_band.png" /dev/null 2>&1 | sed 's/[^0-9].*//' || true)
d5=$(compare -metric AE "$work/jumped_band.png" "$work/q5_band.png" /dev/null 2>&1 | sed 's/[^0-9].*//' || true)
echo "after 3 Enter: title band differs from slide 3 by $d3, from slide 5 by $d5"
[ "$d3" -lt "$d5" ] || { echo "3 and Enter did not jump to slide 3"; exit 1; }
# B blanks: black everywhere; B again brings the slide back.
key b
sleep 0.6
shot blank
mean=$(convert "$work/blank.png" -colorspace Gray -format '%[fx:mean]' info:)
echo "blank screen mean: $mean"
awk "BEGIN{exit !($mean < 0.01)}" || { echo "B did not blank the screen"; exit 1; }
key b
sleep 0.6
shot back
mean=$(convert "$work/back.png" -colorspace Gray -format '%[fx:mean]' info:)
awk "BEGIN{exit !($mean > 0.3)}" || { echo "B again did not bring the slide back ($mean)"; exit 1; }
alive "after blanking"
# Escape leaves: the app quits with status 0.
key Escape
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then echo "Escape did not end the presenter"; exit 1; fi
status=0; wait "$app" || status=$?; app=""
[ "$status" -eq 0 ] || { echo "Escape: status $status"; cat "$work/app.log"; exit 1; }
[ ! -e "$XDG_CONFIG_HOME/convscope/last-session.json" ] || { echo "presenting overwrote the last session"; exit 1; }
echo "1 passed, 0 failed"
