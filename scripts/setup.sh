#!/usr/bin/env bash
# Installs what GraphDL needs on a fresh Debian machine, builds the host emulation of the CUDA kernels and
# restores the NuGet packages. Idempotent: apt packages are installed only when missing.
#   bash scripts/setup.sh           OpenBLAS (the CPU backend's matrix products), g++/cmake/clang-14 and the
#                                   kernel emulator (scripts/build-emu.sh), NuGet restore
#   bash scripts/setup.sh --bench   also the benchmark's peers: PyTorch and NumPy
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libopenblas0-pthread)
# The kernel emulator: g++ and cmake build it; clang-14 compiles the kernels for the device as a check.
command -v g++ >/dev/null || packages+=(g++)
command -v cmake >/dev/null || packages+=(cmake)
command -v clang-14 >/dev/null || packages+=(clang-14)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(python3-torch python3-numpy) ;;
    *) echo "setup.sh: unknown option '$arg' (known: --bench)" >&2; exit 2 ;;
  esac
done
need=()
for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "GraphDL set-up: please install ${need[*]} (GraphDL falls back to slower managed code without OpenBLAS;" \
      "the kernel emulator needs g++ and cmake)" >&2
  fi
fi
if command -v g++ >/dev/null && command -v cmake >/dev/null; then
  bash scripts/build-emu.sh
else
  echo "GraphDL set-up: skipping the kernel emulator (g++ or cmake missing); the emulated GPU tests will fail" >&2
fi
bash scripts/fetch-nvrtc.sh
dotnet restore GraphDL.sln
