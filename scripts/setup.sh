#!/usr/bin/env bash
# Installs what GraphDL needs on a fresh Debian machine and restores the NuGet packages. Idempotent:
# apt packages are installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "GraphDL set-up: please install ${need[*]}" >&2
  fi
fi
dotnet restore GraphDL.slnx
