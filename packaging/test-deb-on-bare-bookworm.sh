#!/bin/bash
# The Debian package on a teacher's machine: builds convscope_*.deb here, then on a bare
# Debian bookworm (debootstrap minbase: no compiler, no X, nothing of this project's)
# installs it with `apt-get install ./convscope_*.deb` (Depends only, no Recommends)
# and uses the installed `convscope` as a user would: presets, eval of a golden case,
# a PNG and a GIF export (ffmpeg), the menu entry and icons, and the window under Xvfb
# (a screenshot in $OUT). Needs root (debootstrap, chroot, mounts) and the network.
#   packaging/test-deb-on-bare-bookworm.sh [BUILD_DIR]     (default: build)
# Prints each step, the verdict and the time taken; exit 0 when everything held.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd) || { echo "no build folder: configure with cmake first"; exit 1; }
out=${OUT:-/tmp/convscope-deb-test}
mkdir -p "$out"
start=$(date +%s)
fail() { echo "FAIL: $*"; echo "bare bookworm, .deb: FAILED in $(( $(date +%s) - start )) s"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, chroot and mounts need it)"

echo "== building the package"
cmake --build "$build" --target convscope >/dev/null || fail "the build failed"
rm -f "$build"/convscope_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack -G DEB failed"
deb=$(ls "$build"/convscope_*.deb) || fail "cpack made no .deb"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Depends Recommends

# The same bare root as the project's fresh-machine check (made once, copied per run).
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null || fail "cannot install debootstrap"
base=/tmp/fresh-machine-base
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
if [ ! -f "$base/.ok" ]; then
  echo "== debootstrap minbase bookworm into $base (once)"
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >/tmp/fresh-machine-debootstrap.log 2>&1 \
    || fail "debootstrap failed: /tmp/fresh-machine-debootstrap.log"
  cp /etc/apt/sources.list.d/debian.sources "$base/etc/apt/sources.list.d/" && rm -f "$base/etc/apt/sources.list"
  touch "$base/.ok"
fi
run=$(mktemp -d /tmp/convscope-deb-run.XXXX)
root=$run/root
# /dev inside the root is the host's /dev (rbind): never delete through it. Stop what
# still runs in the root (by pid), unmount, and remove the copy only when nothing is
# mounted under it, and then without crossing into another filesystem.
cleanup() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  sleep 1
  umount -R "$root/dev" 2>/dev/null; umount -R "$root/proc" 2>/dev/null; umount -R "$root/sys" 2>/dev/null
  if grep -q " $run/" /proc/mounts; then
    echo "left $run in place: something is still mounted under it"
  else
    rm -rf --one-file-system "$run"
  fi
}
trap cleanup EXIT
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount --rbind /sys "$root/sys" \
  || fail "cannot mount inside the bare root"
cp "$deb" "$root/root/"
cp "$src/tests/data/golden/conv/conv2d_000.json" "$root/root/case.json"
inside() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1"; }

echo "== apt-get install ./$(basename "$deb") --no-install-recommends"
t=$(date +%s)
inside 'cd /root && apt-get update -qq && apt-get install -y -qq --no-install-recommends ./convscope_*.deb' \
  >"$out/apt.log" 2>&1 || { tail -20 "$out/apt.log"; fail "apt-get install failed"; }
echo "installed in $(( $(date +%s) - t )) s; $(grep -c '^Setting up' "$out/apt.log") packages set up; the rest of the log in $out/apt.log"

echo "== the installed convscope, from /tmp, as a user"
inside 'command -v convscope' || fail "convscope is not on the PATH"
inside 'cd /tmp && convscope presets' >"$out/presets.txt" || fail "convscope presets"
echo "presets: $(wc -l <"$out/presets.txt") lines, first: $(head -1 "$out/presets.txt")"
grep -q '^seed-dilated	' "$out/presets.txt" || fail "seed-dilated is not among the presets"
inside 'cd /tmp && convscope eval /root/case.json' >"$out/eval.json" || fail "convscope eval"
python3 - "$src/tests/data/golden/conv/conv2d_000.json" "$out/eval.json" <<'EOF' || fail "eval differs from the golden case"
import json, sys
expected = json.load(open(sys.argv[1]))["expected"]
got = json.load(open(sys.argv[2]))
assert got["shape"] == expected["shape"], (got["shape"], expected["shape"])
worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(got["data"], expected["data"]))
assert len(got["data"]) == len(expected["data"]) and worst <= 1e-9, worst
print(f"eval conv2d_000 (dilation 2): shape {got['shape']}, {len(got['data'])} values, worst relative error {worst:.1e}")
EOF
inside 'cd /tmp && convscope export --preset seed-dilated --format png --out /tmp/a.png && convscope export --preset seed-dilated --format gif --out /tmp/a.gif && convscope export --preset dilation-context --format png --out /tmp/context.png' \
  || fail "an export failed"
for f in a.png a.gif context.png; do cp "$root/tmp/$f" "$out/$f"; echo "export $f: $(stat -c %s "$out/$f") bytes, $(file -b "$out/$f" | cut -d, -f1-2)"; done
[ "$(head -c 6 "$out/a.gif")" = "GIF89a" ] || fail "the GIF is not a GIF"

echo "== the menu entry and the icons"
inside 'ls /usr/share/applications/convscope.desktop /usr/share/icons/hicolor/scalable/apps/convscope.svg /usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/convscope.png /usr/share/convscope/assets/' \
  || fail "a packaged file is missing"
inside 'apt-get install -y -qq --no-install-recommends desktop-file-utils >/dev/null 2>&1 && desktop-file-validate /usr/share/applications/convscope.desktop && echo "desktop-file-validate: no complaint"' \
  || fail "desktop-file-validate"

echo "== the window under Xvfb (the installed app, its shipped fonts)"
inside 'apt-get install -y -qq --no-install-recommends xvfb xauth libgl1-mesa-dri x11-apps >/dev/null 2>&1' || fail "cannot install Xvfb"
display=$(( 150 + RANDOM % 100 ))  # the chroot shares the host's abstract X sockets
inside "cd /tmp
  Xvfb :$display -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 & xvfb=\$!
  sleep 2
  DISPLAY=:$display convscope --preset seed-dilated >/tmp/app.log 2>&1 & app=\$!
  sleep 8
  kill -0 \$app && DISPLAY=:$display xwd -root -silent >/tmp/shot.xwd; rc=\$?
  kill \$app \$xvfb 2>/dev/null; wait
  exit \$rc" || { cat "$root/tmp/app.log"; fail "the app did not stay open under Xvfb"; }
convert "xwd:$root/tmp/shot.xwd" "$out/window.png" && echo "screenshot: $out/window.png"

echo "bare bookworm, apt-get install ./$(basename "$deb"): everything held in $(( $(date +%s) - start )) s"
