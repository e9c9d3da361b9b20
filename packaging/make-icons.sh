#!/usr/bin/env bash
# Rasterizes packaging/convscope.svg into the hicolor PNG sizes committed in packaging/icons/.
# Run after editing the SVG (needs rsvg-convert, Debian's librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 32 48 64 128 256; do
  rsvg-convert -w "$size" -h "$size" convscope.svg -o "icons/convscope-$size.png"
done
