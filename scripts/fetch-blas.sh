#!/usr/bin/env bash
# Fetches the two native BLAS libraries the CPU backend runs its matrix products on, Intel MKL 2020.4 (the first
# choice) and OpenBLAS 0.3.21 (the second, and what Bench compares MKL with), from Debian's archive into a per-user
# cache, so that a machine without root and without either library still multiplies at native speed. Nothing is
# installed system-wide. Every package is checked by SHA-256 before anything is taken from it. Idempotent: a
# folder that is complete is left alone, so a second run returns at once. The build runs this script by itself
# (Engine/NativeDependencies.targets); running it by hand retries at once after a failure.
#   bash scripts/fetch-blas.sh  ->  ${GRAPHDL_BLAS_DIR:-~/.graphdl/blas}/mkl-2020.4/libmkl_rt.so
#                                   ${GRAPHDL_BLAS_DIR:-~/.graphdl/blas}/openblas-0.3.21/libopenblas.so.0
# Exit status: 0 when both are in the cache, 3 when one could not be fetched (the reason is on stderr).
#   --from-build   after a failed download, do not try again for an hour (so an offline machine's builds stay fast)
set -uo pipefail
cd "$(dirname "$0")/.."
me=fetch-blas.sh
consequence="matrix products run on the system's BLAS if it has one, else on managed code (about 40x slower)"
retry_hint="install a BLAS the system's way (Debian/Ubuntu: sudo apt-get install libopenblas0-pthread, or intel-mkl from non-free)"
source scripts/lib/debian-pool.sh
pool_options "$@"
root="${GRAPHDL_BLAS_DIR:-$HOME/.graphdl/blas}"
mkl_dir="$root/mkl-2020.4"
openblas_dir="$root/openblas-0.3.21"
[ -f "$mkl_dir/.complete" ] && [ -f "$openblas_dir/.complete" ] && exit 0

# Intel MKL 2020.4 from non-free (source package intel-mkl 2020.4.304-4). libmkl_rt is the single entry point;
# it loads the rest from its own folder: the LP64 interface, the GNU OpenMP threading layer (libgomp, which
# comes with gcc; Intel's libiomp5 is not fetched) and the kernels for the CPU found, here the generic ones plus
# the AVX2 and AVX-512 builds (a CPU between the two, AVX without AVX2, gets the generic ones). The vml
# packages hold the vector-math kernels libmkl_core loads at start-up. libgomp1 is taken along for machines
# without gcc; the engine uses the system's when there is one.
mkl_packages=(
  "non-free/i/intel-mkl/libmkl-rt_2020.4.304-4_amd64.deb c26275a1962e37a27ff71f21fb9f376fe82b6acc1dcd16cfedee59bfe17ee99e"
  "non-free/i/intel-mkl/libmkl-core_2020.4.304-4_amd64.deb 4098f183ecfc544e75fbfd19f8db625a2a869becb362495494cca2bdf6a8ba56"
  "non-free/i/intel-mkl/libmkl-intel-lp64_2020.4.304-4_amd64.deb 88f0d212ae6d0319c3421976fe93790fd1f48822142a5c81d3491f4a108e0286"
  "non-free/i/intel-mkl/libmkl-gnu-thread_2020.4.304-4_amd64.deb b28f655db001da53698698384908474a100aaa5ba8a070f66d52a86655ae38a2"
  "non-free/i/intel-mkl/libmkl-def_2020.4.304-4_amd64.deb 8f992946b2df44cfd863eb23e0886144bebca54d29ab563abafaa8fa1eba7ff7"
  "non-free/i/intel-mkl/libmkl-avx2_2020.4.304-4_amd64.deb 9854f8198661daaab69725765215e6ffab0be977d2ebb268c25ef514fc064290"
  "non-free/i/intel-mkl/libmkl-avx512_2020.4.304-4_amd64.deb dad856d8a58382c0cbbeb73b1eb325c4966576a508a01baf2bc90982f637e7bc"
  "non-free/i/intel-mkl/libmkl-vml-def_2020.4.304-4_amd64.deb a8c494c72bffa7762d68635a79d5b83f212260a240a0395ae7f82bcd9ddb7a9f"
  "non-free/i/intel-mkl/libmkl-vml-avx2_2020.4.304-4_amd64.deb ee470b035d6aca50e6a64127f44116931bc90b3755a37be8074755b8865285c0"
  "non-free/i/intel-mkl/libmkl-vml-avx512_2020.4.304-4_amd64.deb 9be5644e1b55ae00bdb9ae01a9b32e149c53265e3c8d137485e062da10191c4b"
  "main/g/gcc-12/libgomp1_12.2.0-14+deb12u1_amd64.deb 48fec46bda7f5b1638b9e959889bfbc20491247d402d120bb152687eb48143d7"
)
# OpenBLAS 0.3.21 as Debian 12 builds it (pthreads, every x86-64 kernel chosen at run time). It needs the Fortran
# runtime, which a machine with gcc but no gfortran lacks; the engine loads these copies only where the system
# has none.
openblas_packages=(
  "main/o/openblas/libopenblas0-pthread_0.3.21+ds-4_amd64.deb 4f7e4561dbfa9286c671c91350204fbda7afad675500e59cd4a56f84604844f8"
  "main/g/gcc-12/libgfortran5_12.2.0-14+deb12u1_amd64.deb 63d38775d20c425c1f00914b52167ae0e3b4639facdb0aa734877279fb716fbb"
  "main/g/gcc-12/libquadmath0_12.2.0-14+deb12u1_amd64.deb 3f0c9a4c730da2fdab001cae596625438598fd2996d29d888feeb4c1cdc9011f"
)

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-blas.sh: the archive's libraries are for Linux on x86-64, not $(uname -s) on $(uname -m);" \
    "install OpenBLAS (or MKL) the system's way and GraphDL finds it" >&2
  exit 3
fi
# Several builds may start this at once (two projects, two terminals): one fetches, the others wait and find it done.
pool_lock "$root" GRAPHDL_BLAS_DIR
[ -f "$mkl_dir/.complete" ] && [ -f "$openblas_dir/.complete" ] && exit 0
pool_start

# Moves a finished folder into place in one step, so that the engine never sees half a library.
install_dir() {
  local staged=$1 target=$2
  touch "$staged/.complete"
  rm -rf "$target" && mv "$staged" "$target"
}

status=0
lib=usr/lib/x86_64-linux-gnu
if [ ! -f "$mkl_dir/.complete" ]; then
  if pool_unpack "$work/mkl/root" "${mkl_packages[@]}"; then
    staged="$work/mkl/out"
    mkdir -p "$staged"
    cp "$work/mkl/root/$lib"/libmkl_*.so "$staged/"
    cp -L "$work/mkl/root/$lib/libgomp.so.1" "$staged/"
    # MKL 2020 runs its generic kernels on every CPU that is not Intel's; this small library lets it choose by
    # the instruction sets instead (Engine/Backends/Cpu/Blas/Native/mkl_cpu_vendor.c says how and why).
    cc=$(command -v cc || command -v gcc || command -v clang || true)
    if [ -n "$cc" ]; then
      "$cc" -O2 -shared -fPIC -o "$staged/libgraphdl_mkl_cpu_vendor.so" Engine/Backends/Cpu/Blas/Native/mkl_cpu_vendor.c ||
        echo "fetch-blas.sh: could not compile the MKL CPU-vendor shim; on AMD CPUs MKL will run its generic kernels" >&2
    else
      echo "fetch-blas.sh: no C compiler, so no MKL CPU-vendor shim; on AMD CPUs MKL will run its generic kernels" >&2
    fi
    install_dir "$staged" "$mkl_dir"
    echo "fetch-blas.sh: Intel MKL 2020.4 in $mkl_dir ($(du -sh "$mkl_dir" | cut -f1))"
  else
    status=3
  fi
fi
if [ ! -f "$openblas_dir/.complete" ]; then
  if pool_unpack "$work/openblas/root" "${openblas_packages[@]}"; then
    staged="$work/openblas/out"
    mkdir -p "$staged"
    cp -L "$work/openblas/root/$lib/openblas-pthread/libopenblas.so.0" "$staged/"
    cp -L "$work/openblas/root/$lib/libgfortran.so.5" "$work/openblas/root/$lib/libquadmath.so.0" "$staged/"
    install_dir "$staged" "$openblas_dir"
    echo "fetch-blas.sh: OpenBLAS 0.3.21 in $openblas_dir ($(du -sh "$openblas_dir" | cut -f1))"
  else
    status=3
  fi
fi
if [ "$status" -ne 0 ]; then
  echo "$me: run it again once deb.debian.org is reachable, or $retry_hint" >&2
else
  pool_reached
fi
exit "$status"
