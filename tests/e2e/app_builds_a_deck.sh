#!/usr/bin/env bash
# End to end: a teacher builds a three-slide deck in the app (File > New deck; the view
# on screen added three times, with titles, a question and the shape hidden), moves the
# last slide up, saves it through the desktop's file chooser (a stand-in zenity), and
# the saved file is what `convscope export --deck` turns into a PDF of one page a slide
# and one an answer. Slide 1 dragged onto slide 3 moves there. A hostile deck opened next is refused in words in the panel and
# the deck being built stays (Save writes it again).
exe="$1"
source "$(dirname "$0")/lib.sh"
# CONVSCOPE_E2E_SHOTS=DIR keeps the screenshots there, to look at.
shot() { import -window root "$work/$1.png"; [ -z "${CONVSCOPE_E2E_SHOTS:-}" ] || cp "$work/$1.png" "$CONVSCOPE_E2E_SHOTS/"; }
cd "$work"
stand_in_file_chooser
start_app --preset seed-dilated
click 32 561            # Pause: the slides keep the step on screen
click 24 10             # File
click 44 162            # New deck: the Deck panel opens on the right
shot deck_empty

# The Deck panel is docked in the right column (x from 866 at 1280x800). Its message
# takes two lines before the first slide and one after: the form moves up 16 px then.
title_field() { click 1035 "$1"; key ctrl+a; xdotool type --delay 15 "$2"; sleep 0.2; }
question() { click 1020 309; sleep 0.3; click 900 "$1"; }   # the question list: 356 shape
add_slide() { click 945 "$1"; }

# 1. The canvas as it is.
title_field 247 "The course's layer"
add_slide 377
shot deck_one
# 2. The receptive field (R), asking its size. The one-key shortcuts wait while the Deck
# panel has the focus: a click on the canvas's title bar gives it back.
click 500 30
key r                   # the receptive field's column: the Deck panel under it, 428 px lower
title_field 659 "Its receptive field"
click 1020 737          # the question list opens upwards there
click 980 690           # receptive field size
add_slide 789
shot before_r
key r                   # the Deck panel has the focus: R is text meant for a field, not a shortcut
sleep 0.3
shot after_r
expect_pixels before_r after_r -lt 2000 "pixels changed by R with the Deck panel focused" "R toggled a view while the Deck panel had the focus"
click 500 30
key r
sleep 0.5               # the column closes: the Deck panel takes all of it again
# 3. The canvas again, its output and shape hidden, asking the shape.
title_field 231 "What shape comes out"
question 356
click 1022 335          # hide its shape too
add_slide 361
shot deck_three
# The third slide moved up: 1, 3, 2.
click 1200 462          # row 3's up arrow
shot deck_moved

# Save as, through the chooser.
echo "$work/lecture.json" > answer
click 957 115           # Save as...
for _ in $(seq 50); do [ -s lecture.json ] && break; sleep 0.1; done
[ -s lecture.json ] || { echo "Save as wrote nothing"; cat zenity-calls 2>/dev/null; cat "$work/app.log"; exit 1; }
grep -q -- "--save" zenity-calls || { echo "the chooser was not asked for a file to write"; exit 1; }
titles=$(python3 -c 'import json,sys; d=json.load(open("lecture.json")); print("|".join(s["title"] for s in d["slides"]))')
echo "slides saved: $titles"
[ "$titles" = "The course's layer|What shape comes out|Its receptive field" ] || { echo "the saved slides are not the ones built, in order"; exit 1; }
python3 - <<'PY'
import json
d = json.load(open("lecture.json"))
s = d["slides"]
assert d["format"] == "convscope-deck" and d["version"] == 1, d
assert all(x.get("preset") == "seed-dilated" for x in s), s
assert s[2]["view"] == "receptive-field" and s[2]["question"] == {"kind": "rf_size"}, s[2]
assert s[1]["hide"] == ["shape"] and s[1]["question"] == {"kind": "output_shape"}, s[1]
assert "view" not in s[0] and "question" not in s[0], s[0]
PY

# The saved file, exported by the command line: 3 slides + 2 answers = 5 pages.
"$exe" export --deck lecture.json --format pdf --out deck.pdf
pages=$(pdfinfo deck.pdf | awk '/^Pages:/ {print $2}')
echo "pages: $pages"
[ "$pages" = 5 ] || { echo "expected 5 pages (3 slides, 2 answers)"; exit 1; }
pdftotext deck.pdf deck.txt
for t in "The course's layer" "What shape comes out" "Its receptive field"; do
  grep -qF "$t" deck.txt || { echo "the PDF lacks the title '$t'"; exit 1; }
done

# Slide 1 dragged onto slide 3 moves it there: 2, 3, 1; Save writes the new order.
xdotool mousemove 950 408; sleep 0.1; xdotool mousedown 1; sleep 0.2
for y in 415 430 445 460; do xdotool mousemove 950 "$y"; sleep 0.15; done
sleep 0.2; xdotool mouseup 1; sleep 0.4
shot deck_dragged
click 893 115            # Save
for _ in $(seq 50); do
  [ "$(python3 -c 'import json; print(json.load(open("lecture.json"))["slides"][2]["title"])')" = "The course's layer" ] && break
  sleep 0.1
done
titles=$(python3 -c 'import json,sys; d=json.load(open("lecture.json")); print("|".join(s["title"] for s in d["slides"]))')
echo "slides after the drag: $titles"
[ "$titles" = "What shape comes out|Its receptive field|The course's layer" ] || { echo "dragging slide 1 onto slide 3 did not move it"; exit 1; }

# A hostile deck: refused in the panel, the deck being built kept.
printf '{"format": "convscope-deck", "version": 1, "slides": [{"title": "x", "session": "../../etc/passwd"}]}' > bad.json
echo "$work/bad.json" > answer
click 1030 115          # Open...
sleep 0.5
shot deck_refused
rm lecture.json
click 893 115           # Save: still the three slides, to the same file
for _ in $(seq 50); do [ -s lecture.json ] && break; sleep 0.1; done
[ "$(python3 -c 'import json; print(len(json.load(open("lecture.json"))["slides"]))')" = 3 ] || { echo "the refused deck replaced the one being built"; exit 1; }
kill -0 "$app" || { echo "the app died"; exit 1; }
stop_app
echo "ok"
