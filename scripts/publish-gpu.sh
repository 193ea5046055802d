#!/usr/bin/env bash
# Publishes the benchmark as one self-contained executable for a linux-x64 GPU machine without .NET:
# out/gpu/GraphDL.Bench (the runtime, the engine, the kernel sources and the parity checks, compressed in one
# file) and beside it peers/ (the Python peers) and data/ (the Iris CSV). NVRTC compiles the kernels on that
# machine at the first launch. Not trimmed: trimming turns off the JSON serializer's reflection, and MathNet.Numerics
# is not annotated for it.
#   bash scripts/publish-gpu.sh                 the runner alone (about 40 MB)
#   bash scripts/publish-gpu.sh --with-mnist    and MNIST, gzip-compressed, in out/gpu/mnist (11 MB more), for a
#                                               machine that cannot download it: GraphDL.Bench --data out/gpu/mnist
# Bench/README.md says how to run it there.
set -euo pipefail
cd "$(dirname "$0")/.."
with_mnist=false
for arg in "$@"; do
  case "$arg" in
    --with-mnist) with_mnist=true ;;
    *) echo "publish-gpu.sh: unknown option $arg (known: --with-mnist)" >&2; exit 2 ;;
  esac
done

out=out/gpu
rm -rf "$out"
dotnet publish Bench -c Release -r linux-x64 --self-contained --nologo -v quiet -o "$out" \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true
# The symbols stay behind (a property like DebugType=none would reach the engine's own build output too).
rm -f "$out"/*.pdb

if $with_mnist; then
  mnist="${GRAPHDL_DATA:-$HOME/.graphdl/data}/mnist"
  mkdir -p "$out/mnist"
  for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [ -f "$mnist/$name" ]; then gzip -9 -c "$mnist/$name" > "$out/mnist/$name.gz"
    elif [ -f "$mnist/$name.gz" ]; then cp "$mnist/$name.gz" "$out/mnist/"
    else echo "publish-gpu.sh: $mnist/$name is missing; run a MNIST lesson once to fetch it" >&2; exit 1
    fi
  done
fi

echo "publish-gpu.sh: $out, $(du -sh "$out" | cut -f1) in all:"
find "$out" -type f -printf '  %P  %s bytes\n' | sort
