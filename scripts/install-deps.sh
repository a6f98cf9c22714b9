#!/usr/bin/env bash
# Installs every system dependency of deepquartet from Debian 12 packages.
# This is the one list used by the README, CI and developers.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git clang libclang-rt-14-dev clang-format
  # neural network (OpenBLAS: LibTorch otherwise falls back to the ~6x slower reference BLAS)
  libtorch-dev libopenblas0-pthread
  # distributed training: c10d's ProcessGroupGloo (its symbols are in libtorch_cpu; the headers need Gloo's)
  libgloo-dev
  # file formats, command line, server
  libpugixml-dev libzip-dev zlib1g-dev libcli11-dev nlohmann-json3-dev libcpp-httplib-dev
  # audio and score rendering
  libfluidsynth-dev timgm6mb-soundfont musescore3 librsvg2-bin
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev sox
  # web app: browser end-to-end tests (npm packages in web/package.json)
  chromium nodejs
)

# Debian's npm conflicts with a nodejs that bundles its own npm (NodeSource).
if ! command -v npm >/dev/null; then packages+=(npm); fi

sudo_cmd=""
if [[ $(id -u) -ne 0 ]]; then sudo_cmd="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -q
$sudo_cmd apt-get install -y -q --no-install-recommends "${packages[@]}"
