#!/usr/bin/env bash
# Fetches NVIDIA's runtime compiler, NVRTC 11.8, from Debian's non-free archive into a cache, so that the tests
# compile Kernels/*.cu with the real CUDA compiler on machines without a GPU or a CUDA toolkit: the clang check
# of build-emu.sh catches most CUDA-side mistakes, NVRTC catches what only NVRTC rejects and reports register
# spills. Nothing is installed system-wide. Idempotent; the packages are checked by SHA-256 before use.
# A machine that cannot reach the archive still sets up: the NVRTC tests then say why they were skipped.
#   bash scripts/fetch-nvrtc.sh        ->  ${GRAPHDL_NVRTC_DIR:-~/.graphdl/nvrtc-11.8}/libnvrtc.so.11.2
set -uo pipefail
dir="${GRAPHDL_NVRTC_DIR:-$HOME/.graphdl/nvrtc-11.8}"
[ -f "$dir/libnvrtc.so.11.2" ] && [ -f "$dir/libnvrtc-builtins.so.11.8" ] && exit 0
pool=https://deb.debian.org/debian/pool/non-free/n/nvidia-cuda-toolkit
packages=(
  "libnvrtc11.2_11.8.89~11.8.0-5~deb12u1_amd64.deb 051b70a3d8737eae470b4158e234cf112c803f631b2c77ae60a24a1146309c22"
  "libnvrtc-builtins11.8_11.8.89~11.8.0-5~deb12u1_amd64.deb e446e112c304b86a35925bea6a3991a866a29736fac261adb218ec29efb49bb8"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${packages[@]}"; do
  read -r file sha <<<"$entry"
  if ! curl -fsSL --retry 2 --max-time 120 -o "$work/$file" "$pool/$file"; then
    echo "fetch-nvrtc.sh: could not download $pool/$file; the NVRTC compile tests will be skipped" >&2
    exit 0
  fi
  if ! echo "$sha  $work/$file" | sha256sum -c --quiet -; then
    echo "fetch-nvrtc.sh: $file does not have the expected SHA-256; not using it" >&2
    exit 0
  fi
  dpkg-deb -x "$work/$file" "$work/root"
done
mkdir -p "$dir"
cp -P "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc* "$dir/"
echo "fetch-nvrtc.sh: NVRTC 11.8 in $dir"
