# What the fetch-*.sh scripts share: taking packages from Debian's archive into a per-user cache, each checked by
# SHA-256 before anything is taken out of it, one fetch at a time per cache folder, and an hour's pause after a
# failed download when a build asks (so an offline machine's builds stay fast). Sourced, not run.
# The script sets, before sourcing:
#   me           its name, which starts every message
#   consequence  what goes without when the fetch fails ("the NVRTC compile tests will be skipped")
#   retry_hint   what a user can do instead ("install fonts-nanum"), after "run bash scripts/<me> to retry now"
# Exit status of a script that uses it: 0 when the cache is complete, 2 for a wrong option, 3 when something could
# not be fetched (the reason is on stderr).
pool=https://deb.debian.org/debian/pool

# Reads the options every fetch script takes: --from-build.
pool_options() {
  from_build=false
  for arg in "$@"; do
    case "$arg" in
      --from-build) from_build=true ;;
      *) echo "$me: unknown option '$arg' (known: --from-build)" >&2; exit 2 ;;
    esac
  done
}

# Checks the tools, creates the cache folder and takes its lock: builds started side by side wait here, and the
# caller then checks again whether another one finished the job.
pool_lock() {
  local dir=$1 variable=$2 tool
  for tool in curl sha256sum dpkg-deb flock; do
    command -v "$tool" >/dev/null || { echo "$me: $tool is missing, so nothing can be fetched; $consequence ($retry_hint)" >&2; exit 3; }
  done
  mkdir -p "$dir" || { echo "$me: cannot create $dir; set $variable to a writable folder" >&2; exit 3; }
  exec 9>"$dir/.lock"
  flock 9
  unreachable="$dir/.unreachable"
}

# Gives up at once during a build when the last download failed less than an hour ago; otherwise makes the
# scratch folder $work, removed on exit.
pool_start() {
  if $from_build && [ -n "$(find "$unreachable" -mmin -60 2>/dev/null)" ]; then
    echo "$me: the last download failed less than an hour ago ($(cat "$unreachable")); not retrying during a build;" \
      "$consequence. Run bash scripts/$me to retry now, or $retry_hint" >&2
    exit 3
  fi
  work=$(mktemp -d "$(dirname "$unreachable")/.fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
}

# Downloads the packages ("<path under the pool> <sha256>" each), checks each and unpacks it into the folder given
# first; prints why and fails if one cannot be had.
pool_unpack() {
  local into=$1 entry path sha file; shift
  mkdir -p "$into"
  for entry in "$@"; do
    read -r path sha <<<"$entry"
    file=$(basename "$path")
    if ! curl -fsSL --retry 2 --connect-timeout 15 --max-time 300 -o "$work/$file" "$pool/$path"; then
      echo "could not download $pool/$path" > "$unreachable"
      echo "$me: could not download $pool/$path; $consequence" >&2
      return 1
    fi
    if ! echo "$sha  $work/$file" | sha256sum -c --quiet - >/dev/null 2>&1; then
      echo "$me: $file does not have the expected SHA-256 ($sha); not using it" >&2
      return 1
    fi
    dpkg-deb -x "$work/$file" "$into" && rm -f "$work/$file" || return 1
  done
}

# After a complete fetch: the next build need not wait for the hour.
pool_reached() { rm -f "$unreachable"; }
