#!/usr/bin/env bash
# Runs the browser end-to-end tests of the web app (web/e2e/*.test.mjs):
# installs the npm packages if needed, then the tests start
# `deepquartet serve` and headless Chromium themselves.
# Needs build/deepquartet (or DQ_BIN), a model (DQ_MODEL, default
# models/bach.dqm; relative paths are from the repository root), chromium,
# node and npm. Screenshots and downloads land in web/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/playwright-core || ! -d node_modules/verovio ]]; then
  npm ci --no-audit --no-fund
fi
node --test --test-concurrency=1 e2e/*.test.mjs
