#!/usr/bin/env bash
# Optional extras with apt, for machines where you are root. Nothing in the README's two commands needs this: the
# build makes the kernel emulator and fetches MKL, OpenBLAS and NVRTC into ~/.graphdl by itself.
#   bash scripts/setup.sh           g++, cmake and clang-14 when missing (the kernel emulator and its device check)
#                                   and the system's OpenBLAS (for programs outside GraphDL's build that use it)
#   bash scripts/setup.sh --bench   also the benchmark's peers: PyTorch and NumPy (Bench --compare)
# Idempotent: packages are installed only when missing.
set -euo pipefail
packages=(libopenblas0-pthread)
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
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
else
  echo "setup.sh: please install ${need[*]} (sudo apt-get install ${need[*]})" >&2
  exit 1
fi
