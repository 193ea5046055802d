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
me=fetch-fonts.sh
consequence="plots will use their English labels"
retry_hint="install fonts-nanum"
source "$(dirname "$0")/lib/debian-pool.sh"
pool_options "$@"
dir="${GRAPHDL_FONTS_DIR:-$HOME/.graphdl/fonts}"
fonts=(NanumGothic.ttf NanumGothicBold.ttf)
complete() { for font in "${fonts[@]}"; do [ -f "$dir/$font" ] || return 1; done; }
complete && exit 0
package="main/f/fonts-nanum/fonts-nanum_20200506-1_all.deb 5e86c346e6485b694e1f0ebd27132892fcf014d1b975de4fd21d1654ddf37043"
pool_lock "$dir" GRAPHDL_FONTS_DIR
complete && exit 0
pool_start
pool_unpack "$work/root" "$package" || exit 3
for font in "${fonts[@]}"; do
  # Copy under a temporary name and rename, so a reader never sees half a font file.
  cp "$work/root/usr/share/fonts/truetype/nanum/$font" "$dir/$font.partial" && mv "$dir/$font.partial" "$dir/$font"
done
pool_reached
echo "$me: NanumGothic in $dir"
