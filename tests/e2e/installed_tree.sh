#!/usr/bin/env bash
# End to end: `cmake --install` into a temporary prefix gives the tree a desktop expects
# (bin/convscope, its assets, the .desktop entry, the hicolor icons), and the installed
# copy, moved elsewhere and run from another folder with $CONVSCOPE_ASSETS unset, works
# and reads its own assets, not the build machine's source tree: a picture swapped in the
# installed assets changes its export, and only its export.
#   installed_tree.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(readlink -f "$1")
src=$(readlink -f "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset CONVSCOPE_ASSETS DISPLAY WAYLAND_DISPLAY
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
share=$work/prefix/share
for f in bin/convscope \
         share/convscope/assets/DejaVuSans.ttf share/convscope/assets/DejaVuSansMono.ttf \
         share/convscope/assets/DejaVu.LICENSE share/convscope/assets/landscape.png \
         share/convscope/assets/landscape.LICENSE share/convscope/assets/picture.pgm \
         share/applications/convscope.desktop share/icons/hicolor/scalable/apps/convscope.svg; do
  [ -s "$work/prefix/$f" ] || fail "$f is not installed"
done
[ -x "$work/prefix/bin/convscope" ] || fail "bin/convscope is not executable"
for size in 16 32 48 64 128 256; do
  icon=$share/icons/hicolor/${size}x${size}/apps/convscope.png
  [ -s "$icon" ] || fail "the ${size}x${size} icon is not installed"
  [ "$(identify -format '%wx%h' "$icon")" = "${size}x${size}" ] || fail "$icon is not ${size}x${size}"
done
echo "installed: $(cd "$work/prefix" && find . -type f | wc -l) files"

desktop=$share/applications/convscope.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate refuses the .desktop entry"
grep -qx 'Exec=convscope %f' "$desktop" || fail "the .desktop entry does not run 'convscope %f'"
grep -qx 'Icon=convscope' "$desktop" || fail "the .desktop entry does not name the installed icon"
grep -qx 'MimeType=application/json;' "$desktop" || fail "the .desktop entry does not open .json sessions"

# Unpacked somewhere else (a .deb, a tarball): the tree is relocatable.
mkdir -p "$work/elsewhere/opt" "$work/cwd"
mv "$work/prefix" "$work/elsewhere/opt/convscope"
installed=$work/elsewhere/opt/convscope/bin/convscope
assets=$work/elsewhere/opt/convscope/share/convscope/assets
cd "$work/cwd"
"$installed" presets >presets.txt
grep -q '^seed-dilated	' presets.txt || fail "the installed convscope lists no seed-dilated"
"$installed" export --preset seed-dilated --format png --out installed.png >/dev/null
"$build/convscope" export --preset seed-dilated --format png --out built.png >/dev/null
cmp -s installed.png built.png || fail "the installed and the built convscope export different seed-dilated PNGs"

# Which assets: dilation-context draws assets/landscape.png, which the source tree has too.
[ -s "$src/assets/landscape.png" ] || fail "the source tree has no assets/landscape.png to tell apart"
"$installed" export --preset dilation-context --format png --out context.png >/dev/null
"$build/convscope" export --preset dilation-context --format png --out context-built.png >/dev/null
cmp -s context.png context-built.png || fail "the same landscape.png gives two different dilation-context figures"
cp installed.png "$assets/landscape.png"   # another picture, in the installed copy only
"$installed" export --preset dilation-context --format png --out context-swapped.png >/dev/null
! cmp -s context-swapped.png context.png \
  || fail "the installed convscope ignored its own assets/landscape.png (it read the source tree's)"
"$build/convscope" export --preset dilation-context --format png --out context-built-again.png >/dev/null
cmp -s context-built-again.png context-built.png || fail "the build tree's convscope read the installed copy's picture"
echo "the installed convscope reads $assets; the build tree's reads $src/assets"
