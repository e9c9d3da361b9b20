#!/usr/bin/env bash
# Installs what is missing, builds ConvScope and opens the app on its default preset.
# Arguments are passed on: ./run.sh --preset seed-upconv
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
exec build/convscope "$@"
