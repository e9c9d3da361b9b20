# Shared by the end-to-end scripts: a private Xvfb display, a private config folder
# (so the app's "reopen where you left off" never leaks between runs), key presses
# held long enough for ImGui 1.86 (it samples key state once per frame), screenshots.
set -euo pipefail
exe=$(readlink -f "$exe")
work=$(mktemp -d)
export XDG_CONFIG_HOME="$work/config"
# A free display number (no lock file), and -noreset: by default Xvfb resets when its
# last client leaves, and an app started during the reset cannot connect.
for _ in $(seq 20); do
  n=$(( 100 + RANDOM % 400 ))
  [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
done
display=":$n"
Xvfb "$display" -screen 0 "${CONVSCOPE_E2E_SCREEN:-1280x800x24}" -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  # Wait for the app's exit (it saves its session on SIGTERM) before removing its folder.
  [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "Xvfb did not start on $display"; exit 1; }

# start_app ARGS...: launch convscope ($exe) and wait until it draws.
start_app() {
  # Under AddressSanitizer (the sanitizer build) leak checking is off for the app: the GL
  # driver is unloaded at exit, so what it keeps cannot be told apart from ours. Every
  # memory access is still checked, and the unit tests and fuzzers check leaks.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$exe" "$@" >"$work/app.log" 2>&1 &
  app=$!
  # Wait for the window to be mapped, then for a few frames to be drawn.
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name '^ConvScope: ' >/dev/null 2>&1 && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  # The first frame comes after the font atlas is rasterized, which takes seconds under
  # the sanitizers on a busy machine: wait until the screen is more than one flat colour
  # (at most 60 s), then for a few more frames.
  for _ in $(seq 300); do
    kill -0 "$app" 2>/dev/null || break
    import -window root "$work/first-frame.png" 2>/dev/null &&
      [ "$(convert "$work/first-frame.png" -format %k info: 2>/dev/null || echo 1)" -gt 1 ] && break
    sleep 0.2
  done
  sleep 0.5
  kill -0 "$app" || { echo "the app exited early:"; cat "$work/app.log"; exit 1; }
}
# window_title: the app window's title ("ConvScope: <session name>").
window_title() { xdotool getwindowname "$(xdotool search --onlyvisible --name '^ConvScope: ' | head -1)"; }
# key NAME...: press and release, held for a few frames (e.g. key space, key ctrl+e).
key() {
  for k in "$@"; do
    local parts; IFS=+ read -ra parts <<<"$k"
    for p in "${parts[@]}"; do xdotool keydown "$p"; done
    sleep 0.15
    for ((i=${#parts[@]}-1; i>=0; i--)); do xdotool keyup "${parts[$i]}"; done
    sleep 0.3
  done
}
click() { xdotool mousemove "$1" "$2"; sleep 0.1; xdotool mousedown 1; sleep 0.1; xdotool mouseup 1; sleep 0.3; }
drag() { xdotool mousemove "$1" "$2"; sleep 0.1; xdotool mousedown 1; sleep 0.1; xdotool mousemove "$3" "$4"; sleep 0.2; xdotool mouseup 1; sleep 0.3; }
shot() { import -window root "$work/$1.png"; }
# changes_within SECONDS NAME: pixels that change on screen in that time (shots NAME_a, NAME_b).
changes_within() { shot "$2_a"; sleep "$1"; shot "$2_b"; changed_pixels "$2_a" "$2_b"; }
# expect_pixels A B OP N WHAT WHY: the pixels that differ between screenshots A and B,
# printed as "WHAT: count"; the test fails with WHY unless the count OP N holds
# (OP: -gt, -lt, ... as for test).
expect_pixels() {
    local count
    count=$(changed_pixels "$1" "$2")
    echo "$5: ${count:-0}"
    [ "${count:-0}" "$3" "$4" ] || { echo "$6"; exit 1; }
}
changed_pixels() { compare -metric AE "$work/$1.png" "$work/$2.png" /dev/null 2>&1 | sed 's/[^0-9].*//' || true; }
# stop_app: SIGTERM, which must end the app cleanly (status 0) within 5 seconds.
stop_app() {
  kill -TERM "$app"
  for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app" 2>/dev/null; then echo "the app ignored SIGTERM"; exit 1; fi
  local status=0
  wait "$app" || status=$?
  app=""
  [ "$status" -eq 0 ] || { echo "the app exited with status $status on SIGTERM"; cat "$work/app.log"; exit 1; }
}

# stand_in_file_chooser: a `zenity` first on PATH that logs its arguments to
# $work/zenity-calls and answers with the contents of $work/answer (the path "chosen").
stand_in_file_chooser() {
  mkdir -p "$work/bin"
  cat > "$work/bin/zenity" <<SH
#!/bin/sh
echo "\$@" >> "$work/zenity-calls"
cat "$work/answer"
SH
  chmod +x "$work/bin/zenity"
  export PATH="$work/bin:$PATH"
}
