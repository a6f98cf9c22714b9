#!/usr/bin/env bash
# Configures and builds deepquartet (Release) into build/; the program is build/deepquartet.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
