#!/usr/bin/env bash
# Fetches a font with Hangul, NanumGothic (regular and bold), from Debian's archive into a cache, so that the
# plots' Korean titles and legends render as Hangul on machines that have no such font installed (and no root
# to install fonts-nanum or fonts-noto-cjk). GraphDL.Plots looks in this cache after the system's fonts; with
# neither it draws each label's English fallback. Nothing is installed system-wide. Idempotent; the package is
# checked by SHA-256 before use. A machine that cannot reach the archive still sets up: the plots fall back to
# English and the Hangul rendering test says why it was skipped.
#   bash scripts/fetch-fonts.sh        ->  ${GRAPHDL_FONTS_DIR:-~/.graphdl/fonts}/NanumGothic.ttf, NanumGothicBold.ttf
set -uo pipefail
dir="${GRAPHDL_FONTS_DIR:-$HOME/.graphdl/fonts}"
fonts=(NanumGothic.ttf NanumGothicBold.ttf)
have=1
for font in "${fonts[@]}"; do [ -f "$dir/$font" ] || have=0; done
[ "$have" = 1 ] && exit 0
pool=https://deb.debian.org/debian/pool/main/f/fonts-nanum
file=fonts-nanum_20200506-1_all.deb
sha=5e86c346e6485b694e1f0ebd27132892fcf014d1b975de4fd21d1654ddf37043
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! curl -fsL --retry 2 --max-time 120 -o "$work/$file" "$pool/$file"; then
  echo "fetch-fonts.sh: could not download $pool/$file; plots will use their English labels" >&2
  exit 0
fi
if ! echo "$sha  $work/$file" | sha256sum -c --quiet -; then
  echo "fetch-fonts.sh: $file does not have the expected SHA-256; not using it" >&2
  exit 0
fi
dpkg-deb -x "$work/$file" "$work/root"
mkdir -p "$dir"
for font in "${fonts[@]}"; do
  # Copy under a temporary name and rename, so a reader never sees half a font file.
  cp "$work/root/usr/share/fonts/truetype/nanum/$font" "$dir/$font.partial" && mv "$dir/$font.partial" "$dir/$font"
done
echo "fetch-fonts.sh: NanumGothic in $dir"
