#!/usr/bin/env bash
# Builds the host emulation of the CUDA kernels, Kernels/emu/build/libgraphdl_emu.so, and (when clang-14 is
# installed) compiles the same kernels for the device, so that code NVRTC would reject fails here too.
# Idempotent and quick when nothing changed. Needs g++ and cmake (bash scripts/setup.sh installs them).
#   bash scripts/build-emu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=Kernels/emu/build
for tool in cmake g++; do
  command -v "$tool" >/dev/null || { echo "build-emu.sh: $tool is missing; run bash scripts/setup.sh" >&2; exit 1; }
done
command -v clang-14 >/dev/null || echo "build-emu.sh: clang-14 not found, skipping the device compile check" >&2
# Configured every time (a fraction of a second): a failed earlier configure must not leave stale build files.
cmake -S Kernels/emu -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ >/dev/null
cmake --build "$build" -j "$(nproc)" -- --no-print-directory
