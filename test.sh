#!/usr/bin/env bash
# Installs what is missing, builds ConvScope and runs every test, twice:
#   1. the release build (gcc): unit, golden, command line, end-to-end under Xvfb, export;
#   2. the same suite built with clang under AddressSanitizer + UndefinedBehaviorSanitizer,
#      plus each libFuzzer target for a bounded time (CONVSCOPE_FUZZ_SECONDS, default 30).
#      It runs every unit, golden, command-line, export and fuzz test and the GUI tests that
#      drive the most code (the rough-input shards over every preset, the first launch, the
#      session/export round trip, the help/code/file chooser walk, the lab); the GUI
#      walkthroughs of one feature each (label gui_walkthrough: channels view, zoom and
#      tiling, diverging lab, deck building, quiz, presenter) run in the release pass only,
#      and the rough-input shards (label rough_input) in the sanitizer pass only.
# Exit status 0 only if everything passed. SANITIZE=0 ./test.sh skips the second pass.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
jobs=$(nproc)
started=$(date +%s)
# phase NAME: a heading with the minutes spent so far, so a slow CI run says where it went.
phase() { echo "== $1 (at $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s) =="; }

# Both builds are unity builds (CMake glues each target's sources into batches of 10): the
# headers and the json/xtensor templates every file instantiates are compiled once per batch,
# not once per file, which takes about half the compile time off a build from scratch. A
# name defined at file scope (even in an anonymous namespace) must therefore be unique
# within its folder. Incremental builds (run.sh, a developer's build/) compile file by file.
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=10)
# generator DIR: Ninja for a new build folder (it compiles a library's files while the
# libraries below it are still compiling; make waits for each in turn), else the one the
# folder was configured with (CMake refuses to switch).
generator() {
  if [ -f "$1/CMakeCache.txt" ]; then sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$1/CMakeCache.txt"; else echo Ninja; fi
}

phase "release build"
cmake -S . -B build -G "$(generator build)" -DCMAKE_BUILD_TYPE=Release "${unity[@]}" >/dev/null
cmake --build build -j "$jobs"
phase "release tests"
# The rough-input shards (ctest label rough_input, about 4.5 min of a core) run once: under
# the sanitizers, where a bad access they provoke is caught, unless that pass is skipped.
release_exclude=()
[ "${SANITIZE:-1}" = 0 ] || release_exclude=(--label-exclude rough_input)
(cd build && ctest --output-on-failure -j "$jobs" "${release_exclude[@]}")

if [ "${SANITIZE:-1}" != 0 ]; then
  phase "sanitizer build (clang, ASan + UBSan, fuzzers)"
  # Line tables are all a sanitizer's stack trace needs; full debug info only slows the link.
  # -O1 compiles no faster than -O2 here (the time goes to instrumentation and to
  # instantiating templates) and runs the tests slower.
  cmake -S . -B build-sanitize -G "$(generator build-sanitize)" "${unity[@]}" \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
        -DCONVSCOPE_SANITIZE=ON -DCONVSCOPE_FUZZ=ON -DCONVSCOPE_FUZZ_SECONDS="${CONVSCOPE_FUZZ_SECONDS:-30}" >/dev/null
  cmake --build build-sanitize -j "$jobs"
  export ASAN_OPTIONS="abort_on_error=0:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  phase "sanitizer tests"
  (cd build-sanitize && ctest --output-on-failure -j "$jobs" --label-exclude gui_walkthrough)
fi
phase "all passed"
