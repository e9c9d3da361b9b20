#!/usr/bin/env bash
# Installs what is missing, builds ConvScope and runs every test, twice:
#   1. the release build (gcc): unit, golden, command line, end-to-end under Xvfb, export;
#   2. the same suite built with clang under AddressSanitizer + UndefinedBehaviorSanitizer,
#      plus each libFuzzer target for a bounded time (CONVSCOPE_FUZZ_SECONDS, default 30).
# Exit status 0 only if everything passed. SANITIZE=0 ./test.sh skips the second pass.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
jobs=$(nproc)
started=$(date +%s)
# phase NAME: a heading with the minutes spent so far, so a slow CI run says where it went.
phase() { echo "== $1 (at $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s) =="; }

phase "release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
phase "release tests"
(cd build && ctest --output-on-failure -j "$jobs")

if [ "${SANITIZE:-1}" != 0 ]; then
  phase "sanitizer build (clang, ASan + UBSan, fuzzers)"
  # Line tables are all a sanitizer's stack trace needs; full debug info only slows the link.
  cmake -S . -B build-sanitize -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
        -DCONVSCOPE_SANITIZE=ON -DCONVSCOPE_FUZZ=ON -DCONVSCOPE_FUZZ_SECONDS="${CONVSCOPE_FUZZ_SECONDS:-30}" >/dev/null
  cmake --build build-sanitize -j "$jobs"
  export ASAN_OPTIONS="abort_on_error=0:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  phase "sanitizer tests"
  (cd build-sanitize && ctest --output-on-failure -j "$jobs")
fi
phase "all passed"
