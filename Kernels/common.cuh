// Definitions every kernel file may use. GraphDL compiles Kernels/common.cuh followed by every Kernels/*.cu
// (in name order) as one translation unit: by NVRTC for the GPU, by g++ with Kernels/emu/cuda_emu.h for the
// host emulation. So no file includes another, and a helper that is not a kernel carries its file's prefix.
//
// Rules that keep the two compilers and the emulator in agreement:
// - kernels are extern "C" __global__ functions with C parameter types (pointers, int, float, the structs
//   below), mirrored exactly by the C# launch in Engine/Backends/Cuda/CudaBackend.*.cs;
// - shared memory is static (__shared__ float tile[64][65]), never extern __shared__;
// - every thread of a block reaches every __syncthreads() (no return before a barrier);
// - no warp intrinsics (__shfl_*, __ballot_*): reductions go through shared memory.

#define GRAPHDL_MAX_RANK 6

// The largest finite float and infinity without <cfloat> or <cmath>, which NVRTC does not provide.
#define GRAPHDL_FLT_MAX 3.402823466e+38f
#define GRAPHDL_INFINITY __int_as_float(0x7f800000)
