#!/usr/bin/env bash
# End to end, rough input: the app is opened on every preset and pelted with seeded
# random clicks, drags, wheel turns and key presses over the whole window (menus,
# sliders, typed fields, the canvas, dialogs), then must still be alive and drawing;
# it must end cleanly on SIGTERM and on Quit (Ctrl+Q, the window's own way out).
exe="$1"
per_preset="${2:-16}"   # random actions per preset
final="${3:-200}"       # random actions in the last, long run
shard="${4:-0/1}"       # I/N: this run takes every Nth preset from the Ith; shard 0 also does the long run
shard_index=${shard%/*} shard_count=${shard#*/}
source "$(dirname "$0")/lib.sh"
cd "$work"              # whatever the app saves or exports lands here
RANDOM=20261125         # seeded: a failure replays exactly

keys=(space Left Right Home End Tab Escape Return BackSpace Delete Up Down r h question
      0 1 2 5 9 minus period a z ctrl+e ctrl+o ctrl+s shift+Tab)
actions=0
random_action() {
  local x=$((RANDOM % 1280)) y=$((24 + RANDOM % 776))  # below the menu bar (File > Quit would end the run)
  case $((RANDOM % 10)) in
    0|1|2|3) xdotool mousemove $x $y click 1 ;;
    4|5) xdotool mousemove $x $y mousedown 1; sleep 0.05
         xdotool mousemove $((RANDOM % 1280)) $((24 + RANDOM % 776)); sleep 0.05; xdotool mouseup 1 ;;
    6) xdotool mousemove $x $y click $((4 + RANDOM % 2)) ;;      # wheel up / down
    7) xdotool mousemove $x $y click --repeat 2 1 ;;             # double click (types into sliders)
    *) local k=${keys[$((RANDOM % ${#keys[@]}))]}
       local parts; IFS=+ read -ra parts <<<"$k"
       for p in "${parts[@]}"; do xdotool keydown "$p"; done; sleep 0.05
       for ((i=${#parts[@]}-1; i>=0; i--)); do xdotool keyup "${parts[$i]}"; done ;;
  esac
  sleep 0.04
  actions=$((actions + 1))
}
alive_and_drawing() {
  kill -0 "$app" 2>/dev/null || { echo "the app died after $actions actions ($1):"; tail -20 "$work/app.log"; exit 1; }
  shot "$2"
  local colours; colours=$(convert "$work/$2.png" -format %k info:)
  [ "$colours" -gt 20 ] || { echo "the window stopped drawing ($1): $colours colours"; exit 1; }
}

# Shards share no display or files, so ctest runs them side by side (the run is mostly
# waiting for the app to start and for key presses to be sampled, not computing).
presets=$("$exe" presets | cut -f1 | awk -v i="$shard_index" -v n="$shard_count" '(NR - 1) % n == i')
for preset in $presets; do
  start_app --preset "$preset"
  for _ in $(seq "$per_preset"); do random_action; done
  alive_and_drawing "$preset" "p_$preset"
  stop_app
done

if [ "$shard_index" != 0 ]; then
  echo "survived $actions random actions over $(echo "$presets" | wc -w) presets (shard $shard)"
  exit 0
fi
start_app --preset seed-dilated
for _ in $(seq "$final"); do random_action; done
alive_and_drawing "long run" final
key Escape Escape
xdotool mousemove 150 790 click 1   # focus the window (the timeline's hint, not a text field) before the shortcut
key ctrl+q
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then echo "Ctrl+Q did not quit"; stop_app; exit 1; fi
status=0; wait "$app" || status=$?; app=""
[ "$status" -eq 0 ] || { echo "quit with status $status"; tail -20 "$work/app.log"; exit 1; }
echo "survived $actions random actions over $(echo "$presets" | wc -w) presets; SIGTERM and Ctrl+Q end it cleanly"
