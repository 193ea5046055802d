#!/usr/bin/env bash
# Fetches a headless Chromium, Debian 12's chromium-headless-shell, from Debian's archive into a per-user cache, so
# that the browser tests (Tests/Browser) load the board in a real browser on a machine without root and without a
# browser. Nothing is installed system-wide. Every package is checked by SHA-256 before anything is taken from it.
# Idempotent: a complete cache is left alone, so a second run returns at once. A system Chromium (`chromium` on
# PATH, as CI has after .ci/run's apt-get) is preferred, and then nothing is fetched. Building the tests runs this
# script by itself (Tests/Browser/Chromium.targets); running it by hand retries at once after a failure.
#   bash scripts/fetch-chromium.sh  ->  ${GRAPHDL_CHROMIUM_DIR:-~/.graphdl/chromium}/chrome-wrapper
# The wrapper runs the browser with its own lib/ folder first on LD_LIBRARY_PATH; it takes Chromium's usual options.
# Exit status: 0 when a browser is there (the system's or the cache's), 3 when not (the reason is on stderr, and
# in the cache's .unreachable or .missing file, which the tests quote when they skip).
#   --from-build   after a failed download, do not try again for an hour (so an offline machine's builds stay fast)
set -uo pipefail
me=fetch-chromium.sh
consequence="the browser tests will be skipped"
retry_hint="install Chromium the system's way (Debian/Ubuntu: sudo apt-get install chromium)"
source "$(dirname "$0")/lib/debian-pool.sh"
pool_options "$@"
if command -v chromium >/dev/null; then
  echo "$me: using the system's $(command -v chromium); nothing to fetch"
  exit 0
fi
root="${GRAPHDL_CHROMIUM_DIR:-$HOME/.graphdl/chromium}"
version=150.0.7871.100
browser_dir="$root/headless-shell-$version"
wrapper="$root/chrome-wrapper"
complete() { [ -f "$browser_dir/.complete" ] && grep -qF "$browser_dir" "$wrapper" 2>/dev/null; }
complete && exit 0

# The browser itself: the headless shell (no X11 or Wayland window, the smallest Chromium Debian builds) and, from
# chromium-common, the data it cannot start without (ICU's tables, V8's start-up snapshots) and the software
# renderer it draws with where there is no GPU (ANGLE's libEGL/libGLESv2 over SwiftShader's Vulkan).
browser_packages=(
  "main/c/chromium/chromium-headless-shell_${version}-1~deb12u1_amd64.deb a6d195a93c6d4ee6ea17e99a183d52bd49599138f395a5c861a29ac592e081ee"
  "main/c/chromium/chromium-common_${version}-1~deb12u1_amd64.deb 31326f6b71ce20a52e7bea9792bf7135d4ff802e1cdbc250960b1b46729998d2"
)
browser_files=(chromium-headless-shell headless_command_resources.pak headless_lib_data.pak headless_lib_strings.pak
  icudtl.dat snapshot_blob.bin v8_context_snapshot.bin libEGL.so libGLESv2.so libvk_swiftshader.so
  vk_swiftshader_icd.json libvulkan.so.1)
# The shared libraries the headless shell links to that a Debian 12 base image (the project's machines and CI's)
# does not have, found with ldd on the unpacked binary, then on each library added, until nothing was "not found".
# The browser never plays media in the tests, but the dynamic loader needs every linked library to start it.
library_packages=(
  # H.264 decoding (WebRTC, <video>)
  "main/o/openh264/libopenh264-7_2.3.1+dfsg-3+deb12u2_amd64.deb d453c4d81b7b3ff14663da75471250a4894543ae5ab5e902e225aca56aec56e8"
  # number <-> text conversion, used by V8 and Blink's CSS parser
  "main/d/double-conversion/libdouble-conversion3_3.2.1-1_amd64.deb 802b880ed900e4a8d54bab77b7551a7f3408b04891c3e5650fdc2368cc1fbc0a"
  # Opus audio (WebRTC, <audio>)
  "main/o/opus/libopus0_1.3.1-3_amd64.deb c172e212f9039e741916aa8e12f3670d1e049dc0c16685325641288c2d83faa7"
  # font subsetting, for printing pages to PDF
  "main/h/harfbuzz/libharfbuzz-subset0_6.0.0+dfsg-3_amd64.deb 020de1eeba5fb56052a6ca71b259f8cbe3f6fce5038f4caca751c7e4867ca33f"
  # NVIDIA's X control library, linked for GPU detection
  "main/libx/libxnvctrl/libxnvctrl0_525.85.05-3~deb12u1_amd64.deb 6fc26e4b6069f4648692e0c225f580161e3b0c04e4bac1c616c8a418a9a9817d"
  # PulseAudio client (audio output); it brings the four below and, through libsndfile, the codecs after them
  "main/p/pulseaudio/libpulse0_16.1+dfsg1-2+b1_amd64.deb 7b2c5403cb726312219aad678becc6d6adcee1d8694fdffce0b6ec15ae010831"
  "main/liba/libasyncns/libasyncns0_0.8-6+b3_amd64.deb cadaff99f4178b1f580331045621b363abaaefc994e78eecba1857774a3cead2"
  "main/libs/libsndfile/libsndfile1_1.2.0-1+deb12u1_amd64.deb 02dc3f08fe8476e82e005f412e3b7289ff641180f33a9be8073f4bde61c85e8e"
  # FLAC audio (the browser's own decoder, and libsndfile's)
  "main/f/flac/libflac12_1.4.2+ds-2_amd64.deb 4d8431c274eef13ec9ee2c0bf988c34b4342367dec053b7f69a432525be5b1fe"
  # the Ogg container, for FLAC and Vorbis
  "main/libo/libogg/libogg0_1.3.5-3_amd64.deb f67acb0477aed0354f411172e37af338f3ac6bd4f3766134a2cf5539884b5a28"
  "main/libv/libvorbis/libvorbis0a_1.3.7-1_amd64.deb 01c14f9d1109650077a4c5c337c285476a6932d4d448f5a190c2b845724dbf21"
  "main/libv/libvorbis/libvorbisenc2_1.3.7-1_amd64.deb 75dd4d6f904c7db82f5112e60d8efea9e81dfedf94e970c5da7af2b3d81643c0"
  "main/m/mpg123/libmpg123-0_1.31.2-1+deb12u1_amd64.deb a10ad0d59995b859797a5f20d2833672051d0b2c7dab4c71f2e79258b2e3f631"
  "main/l/lame/libmp3lame0_3.100-6_amd64.deb b1292c749172e7623547ecf684da57d3ec6ca22109f08b11bbb9e6be6e6beb95"
  # zip reading, for extensions and the built-in resources
  "main/m/minizip/libminizip1_1.1-8+deb12u1_amd64.deb b2999b980cbb9e6dcaa2d5154c9d1f1b9d55f5a0ca8166699de7ab47afaf4a36"
)

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "$me: the archive's browser is for Linux on x86-64, not $(uname -s) on $(uname -m); $retry_hint" >&2
  exit 3
fi
# Several builds may start this at once: one fetches, the others wait and find it done.
pool_lock "$root" GRAPHDL_CHROMIUM_DIR
complete && exit 0
pool_start
missing_file="$root/.missing"

pool_unpack "$work/root" "${browser_packages[@]}" "${library_packages[@]}" || exit 3
staged="$work/out"
mkdir -p "$staged/lib"
for file in "${browser_files[@]}"; do
  cp "$work/root/usr/lib/chromium/$file" "$staged/" || exit 3
done
# -a keeps the libraries' version links (libogg.so.0 -> libogg.so.0.8.5). libpulse finds its private
# libpulsecommon through a RUNPATH into /usr, which is not there: lib/ on LD_LIBRARY_PATH serves it too.
cp -a "$work/root/usr/lib/x86_64-linux-gnu/"*.so.* "$work/root/usr/lib/x86_64-linux-gnu/pulseaudio/"*.so "$staged/lib/" || exit 3

# A machine that lacks more than the base image does (no libnss3, say) is told which libraries, rather than handed
# a browser that does not start.
not_found=$(LD_LIBRARY_PATH="$staged/lib" ldd "$staged/chromium-headless-shell" 2>&1 | awk '/not found/ {print $1}' | sort -u | paste -sd ' ')
if [ -n "$not_found" ]; then
  echo "libraries not found: $not_found" > "$missing_file"
  echo "$me: the browser needs libraries this machine lacks: $not_found; $consequence ($retry_hint)" >&2
  exit 3
fi

touch "$staged/.complete"
rm -rf "$browser_dir" && mv "$staged" "$browser_dir" || exit 3
# Written last, under a temporary name and renamed, so the tests never find a wrapper for half a browser. exec
# keeps the process id, so whoever launched the wrapper can stop the browser.
cat > "$wrapper.partial" <<EOF
#!/bin/sh
# Made by scripts/fetch-chromium.sh: Chromium $version's headless shell with the libraries it brought along.
LD_LIBRARY_PATH="$browser_dir/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$browser_dir/chromium-headless-shell" "\$@"
EOF
chmod +x "$wrapper.partial" && mv "$wrapper.partial" "$wrapper" || exit 3
rm -f "$missing_file"
pool_reached
echo "$me: Chromium $version (headless shell) in $browser_dir ($(du -sh "$browser_dir" | cut -f1)); run it with $wrapper"
