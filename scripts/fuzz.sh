#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for
# SECONDS (default 30) on its seed corpus. A crash fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
CXX=clang++ cmake -S . -B build-fuzz -DDQ_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build-fuzz -j"$(nproc)"
for reader in midi kern musicxml; do
  corpus=$(mktemp -d)
  cp fuzz/seeds/"$reader"/* "$corpus"/
  echo "fuzzing the $reader reader for ${seconds}s"
  build-fuzz/fuzz/fuzz_"$reader" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus" 2>&1 | tail -n 3
  rm -rf "$corpus"
done
