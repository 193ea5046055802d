/*
 * Lets Intel MKL 2020 pick its kernels by what the CPU can do rather than by who made it.
 *
 * MKL 2020 asks this internal function whether the CPU is Intel's; on any other CPU it answers no and MKL runs
 * its generic kernels, whatever instruction sets the CPU has (MKL_DEBUG_CPU_TYPE, the old way round it, is
 * ignored since 2020 Update 1). The engine loads this library into the global symbol scope before MKL, on
 * non-Intel CPUs only, so MKL's call lands here and MKL chooses among its AVX2 and AVX-512 kernels by CPUID as it
 * does on Intel's CPUs. Measured on a 2-core AMD EPYC (Zen 5, AVX-512) through the engine (Bench, idle machine): sgemm
 * n=1024 at 146-161 GFLOP/s in the generic kernels, 357-370 with the AVX-512 ones; n=256 122-133 and 332-346. The results are
 * checked against managed code by Tests/Engine/BlasTests.
 * scripts/fetch-blas.sh compiles it next to the fetched MKL: cc -O2 -shared -fPIC -o libgraphdl_mkl_cpu_vendor.so
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
