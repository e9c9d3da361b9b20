#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEED_CORPUS SECONDS ARTIFACT_DIR
# Runs one libFuzzer target for a bounded time on a scratch copy of its seed corpus
# (the repository is never modified). A crash leaves its input in ARTIFACT_DIR, to be
# turned into a regression test, and fails the run.
set -euo pipefail
fuzzer="$1"; seeds="$2"; seconds="$3"; artifacts="$4"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$seeds"/. "$work/"
mkdir -p "$artifacts"
# Leak checks are off for the fuzz runs (ASan still catches every memory error): the
# readers' throws unwind through nlohmann's parser, which is fine but slow to verify.
status=0
ASAN_OPTIONS=detect_leaks=0 "$fuzzer" "$work" -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=20 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 >"$work.log" 2>&1 || status=$?
grep -E "DONE|stat::number_of_executed_units|SUMMARY|ERROR|Test unit written|panic|deadly" "$work.log" || true
[ "$status" -eq 0 ] || tail -40 "$work.log"
rm -f "$work.log"
exit "$status"
