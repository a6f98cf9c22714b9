#!/usr/bin/env bash
# Runs every test: the format check, builds, then the unit and integration
# tests (ctest), the fuzz targets for a bounded time on their seed corpora,
# and the browser end-to-end tests of the web app.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/format.sh --check
scripts/build.sh
(cd build && ctest --output-on-failure -j2)
scripts/fuzz.sh "${DQ_FUZZ_SECONDS:-30}"
if [[ -x web/e2e/run.sh ]]; then
  web/e2e/run.sh
fi
