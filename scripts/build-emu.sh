#!/usr/bin/env bash
# Builds the host emulation of the CUDA kernels, Kernels/emu/build/libgraphdl_emu.so, and (when clang-14 is
# installed) compiles the same kernels for the device, so that code NVRTC would reject fails here too.
# Idempotent and quick when nothing changed. Needs g++ and cmake. The build runs it by itself whenever a kernel or
# the emulator's sources change (Engine/NativeDependencies.targets); by hand it is
#   bash scripts/build-emu.sh
# Exit status: 0 when the library is built, 3 when g++ or cmake is missing (what to install is on stderr), other
# codes when the build itself failed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=Kernels/emu/build
missing=()
for tool in cmake g++; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-emu.sh: ${missing[*]} missing, so the kernel emulator (--device emulated, the GPU tests) is not built;" \
    "install them (Debian/Ubuntu: sudo apt-get install g++ cmake)" >&2
  exit 3
fi
command -v clang-14 >/dev/null || echo "build-emu.sh: clang-14 not found, skipping the device compile check" >&2
mkdir -p "$build"
# Two builds started side by side would configure and compile into one folder at once; the second waits.
exec 9>"$build/.lock"
command -v flock >/dev/null && flock 9
# Configured every time (a fraction of a second): a failed earlier configure must not leave stale build files.
cmake -S Kernels/emu -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ >/dev/null
cmake --build "$build" -j "$(nproc)" -- --no-print-directory
