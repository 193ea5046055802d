#!/usr/bin/env bash
# Installs what GraphDL needs on a fresh Debian machine and restores the NuGet packages. Idempotent:
# apt packages are installed only when missing.
#   bash scripts/setup.sh           OpenBLAS (the CPU backend's matrix products) + NuGet restore
#   bash scripts/setup.sh --bench   also the benchmark's peers: PyTorch and NumPy
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libopenblas0-pthread)
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
    echo "GraphDL set-up: please install ${need[*]} (GraphDL falls back to slower managed code without OpenBLAS)" >&2
  fi
fi
dotnet restore GraphDL.slnx
