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
dir="${GRAPHDL_NVRTC_DIR:-$HOME/.graphdl/nvrtc-11.8}"
from_build=false
for arg in "$@"; do
  case "$arg" in
    --from-build) from_build=true ;;
    *) echo "fetch-nvrtc.sh: unknown option '$arg' (known: --from-build)" >&2; exit 2 ;;
  esac
done
complete() { [ -f "$dir/libnvrtc.so.11.2" ] && [ -f "$dir/libnvrtc-builtins.so.11.8" ]; }
complete && exit 0
pool=https://deb.debian.org/debian/pool/non-free/n/nvidia-cuda-toolkit
packages=(
  "libnvrtc11.2_11.8.89~11.8.0-5~deb12u1_amd64.deb 051b70a3d8737eae470b4158e234cf112c803f631b2c77ae60a24a1146309c22"
  "libnvrtc-builtins11.8_11.8.89~11.8.0-5~deb12u1_amd64.deb e446e112c304b86a35925bea6a3991a866a29736fac261adb218ec29efb49bb8"
)
for tool in curl sha256sum dpkg-deb flock; do
  command -v "$tool" >/dev/null || { echo "fetch-nvrtc.sh: $tool is missing, so NVRTC cannot be fetched; the NVRTC compile tests will be skipped" >&2; exit 3; }
done
mkdir -p "$dir" || { echo "fetch-nvrtc.sh: cannot create $dir; set GRAPHDL_NVRTC_DIR to a writable folder" >&2; exit 3; }
# Builds started side by side: one fetches, the others wait and find it done.
exec 9>"$dir/.lock"
flock 9
complete && exit 0
unreachable="$dir/.unreachable"
if $from_build && [ -n "$(find "$unreachable" -mmin -60 2>/dev/null)" ]; then
  echo "fetch-nvrtc.sh: the last download failed less than an hour ago ($(cat "$unreachable")); not retrying during a build;" \
    "the NVRTC compile tests will be skipped. Run bash scripts/fetch-nvrtc.sh to retry now" >&2
  exit 3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${packages[@]}"; do
  read -r file sha <<<"$entry"
  if ! curl -fsSL --retry 2 --connect-timeout 15 --max-time 300 -o "$work/$file" "$pool/$file"; then
    echo "could not download $pool/$file" > "$unreachable"
    echo "fetch-nvrtc.sh: could not download $pool/$file; the NVRTC compile tests will be skipped" >&2
    exit 3
  fi
  if ! echo "$sha  $work/$file" | sha256sum -c --quiet -; then
    echo "fetch-nvrtc.sh: $file does not have the expected SHA-256; not using it" >&2
    exit 3
  fi
  dpkg-deb -x "$work/$file" "$work/root"
done
# The builtins first: the cache counts as complete once libnvrtc.so.11.2 is there.
cp -P "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc-builtins* "$dir/"
cp -P "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc.* "$dir/"
rm -f "$unreachable"
echo "fetch-nvrtc.sh: NVRTC 11.8 in $dir"
