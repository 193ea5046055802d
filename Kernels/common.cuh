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

// How operands broadcast into an output of n elements, as the host works it out (CudaBackend.Broadcast.cs):
// the output's index space as `rank` dims (row-major, size-1 dims dropped and adjacent dims merged where every
// operand steps over them as one), and each operand's element stride along each dim, 0 where it is broadcast.
// Equal shapes collapse to rank 1 with strides 1, a scalar operand to stride 0, a bias (n, k) + (k,) to rank 2.
// Reductions use the same walk for the kept and the reduced axes of their input (only `a` is read then).
struct Broadcast
{
    int rank;
    int dims[GRAPHDL_MAX_RANK];
    int a[GRAPHDL_MAX_RANK];
    int b[GRAPHDL_MAX_RANK];
    int c[GRAPHDL_MAX_RANK];
};

// The operands' offsets of output element i. The loop is unrolled over the fixed maximum so that the struct's
// arrays are indexed by constants (they stay in parameter memory); only rank - 1 divisions run, none at rank 1.
__device__ __forceinline__ void broadcast_offsets(const Broadcast& w, int i, int& a, int& b, int& c)
{
    a = 0;
    b = 0;
    c = 0;
#pragma unroll
    for (int k = GRAPHDL_MAX_RANK - 1; k > 0; k--)
    {
        if (k < w.rank)
        {
            int q = i / w.dims[k];
            int r = i - q * w.dims[k];
            a += r * w.a[k];
            b += r * w.b[k];
            c += r * w.c[k];
            i = q;
        }
    }
    a += i * w.a[0];
    b += i * w.b[0];
    c += i * w.c[0];
}

// Operand a's offset alone (broadcast copies, reductions).
__device__ __forceinline__ int broadcast_offset(const Broadcast& w, int i)
{
    int a, b, c;
    broadcast_offsets(w, i, a, b, c);
    return a;
}
