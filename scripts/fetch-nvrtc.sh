#!/usr/bin/env bash
# Fetches NVIDIA's runtime compiler, NVRTC 11.8, from Debian's non-free archive into a cache, so that the tests
# compile Kernels/*.cu with the real CUDA compiler on machines without a GPU or a CUDA toolkit: the clang check
# of build-emu.sh catches most CUDA-side mistakes, NVRTC catches what only NVRTC rejects and reports register
# spills. Nothing is installed system-wide. Idempotent; the packages are checked by SHA-256 before use. The build
# runs it by itself (Engine/NativeDependencies.targets). A machine that cannot reach the archive still builds and
# tests: the NVRTC tests then say why they were skipped.
#   bash scripts/fetch-nvrtc.sh        ->  ${GRAPHDL_NVRTC_DIR:-~/.graphdl/nvrtc-11.8}/libnvrtc.so.11.2
# Exit status: 0 when NVRTC is in the cache, 3 when it could not be fetched (the reason is on stderr).
#   --from-build   after a failed download, do not try again for an hour (so an offline machine's builds stay fast)
set -uo pipefail
me=fetch-nvrtc.sh
consequence="the NVRTC compile tests will be skipped"
retry_hint="put a CUDA toolkit's NVRTC 11.8 into the cache folder yourself"
source "$(dirname "$0")/lib/debian-pool.sh"
pool_options "$@"
dir="${GRAPHDL_NVRTC_DIR:-$HOME/.graphdl/nvrtc-11.8}"
complete() { [ -f "$dir/libnvrtc.so.11.2" ] && [ -f "$dir/libnvrtc-builtins.so.11.8" ]; }
complete && exit 0
packages=(
  "non-free/n/nvidia-cuda-toolkit/libnvrtc11.2_11.8.89~11.8.0-5~deb12u1_amd64.deb 051b70a3d8737eae470b4158e234cf112c803f631b2c77ae60a24a1146309c22"
  "non-free/n/nvidia-cuda-toolkit/libnvrtc-builtins11.8_11.8.89~11.8.0-5~deb12u1_amd64.deb e446e112c304b86a35925bea6a3991a866a29736fac261adb218ec29efb49bb8"
)
pool_lock "$dir" GRAPHDL_NVRTC_DIR
complete && exit 0
pool_start
pool_unpack "$work/root" "${packages[@]}" || exit 3
# The builtins first: the cache counts as complete once libnvrtc.so.11.2 is there.
cp -P "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc-builtins* "$dir/"
cp -P "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc.* "$dir/"
pool_reached
echo "$me: NVRTC 11.8 in $dir"
