#!/usr/bin/env bash
# Installs what is missing, builds ConvScope and runs every test (unit, golden, command
# line, end-to-end under Xvfb, export). Exit status 0 only if everything passed.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
cd build && ctest --output-on-failure -j "$(nproc)"
