#!/usr/bin/env bash
# Fetches a font with Hangul, NanumGothic (regular and bold), from Debian's archive into a cache, so that the
# plots' Korean titles and legends render as Hangul on machines that have no such font installed (and no root
# to install fonts-nanum or fonts-noto-cjk). GraphDL.Plots looks in this cache after the system's fonts; with
# neither it draws each label's English fallback. Nothing is installed system-wide. Idempotent; the package is
# checked by SHA-256 before use. The build runs it by itself (Engine/NativeDependencies.targets). A machine that
# cannot reach the archive still builds: the plots fall back to English and the Hangul test says why it skipped.
#   bash scripts/fetch-fonts.sh        ->  ${GRAPHDL_FONTS_DIR:-~/.graphdl/fonts}/NanumGothic.ttf, NanumGothicBold.ttf
# Exit status: 0 when the fonts are in the cache, 3 when they could not be fetched (the reason is on stderr).
#   --from-build   after a failed download, do not try again for an hour (so an offline machine's builds stay fast)
set -uo pipefail
dir="${GRAPHDL_FONTS_DIR:-$HOME/.graphdl/fonts}"
from_build=false
for arg in "$@"; do
  case "$arg" in
    --from-build) from_build=true ;;
    *) echo "fetch-fonts.sh: unknown option '$arg' (known: --from-build)" >&2; exit 2 ;;
  esac
done
fonts=(NanumGothic.ttf NanumGothicBold.ttf)
complete() { for font in "${fonts[@]}"; do [ -f "$dir/$font" ] || return 1; done; }
complete && exit 0
pool=https://deb.debian.org/debian/pool/main/f/fonts-nanum
file=fonts-nanum_20200506-1_all.deb
sha=5e86c346e6485b694e1f0ebd27132892fcf014d1b975de4fd21d1654ddf37043
for tool in curl sha256sum dpkg-deb flock; do
  command -v "$tool" >/dev/null || { echo "fetch-fonts.sh: $tool is missing, so NanumGothic cannot be fetched; plots will use their English labels (or install fonts-nanum)" >&2; exit 3; }
done
mkdir -p "$dir" || { echo "fetch-fonts.sh: cannot create $dir; set GRAPHDL_FONTS_DIR to a writable folder" >&2; exit 3; }
# Builds started side by side: one fetches, the others wait and find it done.
exec 9>"$dir/.lock"
flock 9
complete && exit 0
unreachable="$dir/.unreachable"
if $from_build && [ -n "$(find "$unreachable" -mmin -60 2>/dev/null)" ]; then
  echo "fetch-fonts.sh: the last download failed less than an hour ago ($(cat "$unreachable")); not retrying during a build;" \
    "plots will use their English labels. Run bash scripts/fetch-fonts.sh to retry now, or install fonts-nanum" >&2
  exit 3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! curl -fsSL --retry 2 --connect-timeout 15 --max-time 300 -o "$work/$file" "$pool/$file"; then
  echo "could not download $pool/$file" > "$unreachable"
  echo "fetch-fonts.sh: could not download $pool/$file; plots will use their English labels (or install fonts-nanum)" >&2
  exit 3
fi
if ! echo "$sha  $work/$file" | sha256sum -c --quiet -; then
  echo "fetch-fonts.sh: $file does not have the expected SHA-256; not using it" >&2
  exit 3
fi
dpkg-deb -x "$work/$file" "$work/root"
for font in "${fonts[@]}"; do
  # Copy under a temporary name and rename, so a reader never sees half a font file.
  cp "$work/root/usr/share/fonts/truetype/nanum/$font" "$dir/$font.partial" && mv "$dir/$font.partial" "$dir/$font"
done
rm -f "$unreachable"
echo "fetch-fonts.sh: NanumGothic in $dir"
