// Kernels that test the emulator itself (Tests/Gpu/EmulatorTests.cs). They are compiled into
// libgraphdl_emu.so only, never embedded in the engine, and follow the rules of Kernels/common.cuh unless a
// test is about breaking one.

// Writes one float past the end of `out` (n floats): the device's guard check must catch it.
extern "C" __global__ void emu_test_write_past_end(float* out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i <= n) out[i] = 1.0f;
}

// Copies n floats, whatever they hold: reading a fresh allocation shows what the device filled it with.
extern "C" __global__ void emu_test_copy(const float* __restrict__ in, float* __restrict__ out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = in[i];
}

// Threads at or past `active` return before two barriers the others still reach; CUDA counts a returned
// thread as arrived, so the block must not deadlock. out[block] = sum of the active threads' indexes.
extern "C" __global__ void emu_test_early_return_barrier(int* out, int active)
{
    __shared__ int emu_test_slots[1024];
    unsigned t = threadIdx.x;
    if ((int)t >= active) return;
    emu_test_slots[t] = (int)t;
    __syncthreads();
    if (t == 0)
    {
        int sum = 0;
        for (int i = 0; i < active; ++i) sum += emu_test_slots[i];
        emu_test_slots[0] = sum;
    }
    __syncthreads();
    if (t == 0) out[blockIdx.x] = emu_test_slots[0];
}

// A shared-memory tree reduction per block over a 2D grid of 1D blocks (blockDim.x a power of two):
// sums[block] = sum of in[] over that block's slice, total += everything (atomically).
extern "C" __global__ void emu_test_block_sum(const float* __restrict__ in, float* __restrict__ sums, float* total, int n)
{
    __shared__ float emu_test_partial[1024];
    unsigned block = blockIdx.y * gridDim.x + blockIdx.x;
    int i = (int)(block * blockDim.x + threadIdx.x);
    emu_test_partial[threadIdx.x] = i < n ? in[i] : 0.0f;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2)
    {
        if (threadIdx.x < stride) emu_test_partial[threadIdx.x] += emu_test_partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0)
    {
        sums[block] = emu_test_partial[0];
        atomicAdd(total, emu_test_partial[0]);
    }
}

// Counts the threads of the whole grid, and records each thread's (x, y, z) in a 3D block: checks the
// coordinates a 3D launch hands out. coords[3 * t + d] for the linear thread t of block 0.
extern "C" __global__ void emu_test_coords(int* count, int* coords)
{
    atomicAdd(count, 1);
    if (blockIdx.x == 0 && blockIdx.y == 0 && blockIdx.z == 0)
    {
        unsigned t = (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
        coords[3 * t] = (int)threadIdx.x;
        coords[3 * t + 1] = (int)threadIdx.y;
        coords[3 * t + 2] = (int)threadIdx.z;
    }
}

// Shared memory in a template helper, as the sgemm tiles use it: the emulator must refill it too.
template <int N>
__device__ __forceinline__ float emu_test_stale_helper(unsigned t, bool write)
{
    __shared__ float emu_test_stale_tile[N];
    if (write) emu_test_stale_tile[t] = 2.0f;
    __syncthreads();
    return emu_test_stale_tile[t];
}

// Reads shared memory that no thread of this block wrote: the emulator refills shared memory with NaN
// bytes before every block, so out[] must be NaN in the second block, after the first wrote it.
// out[2 * i] comes from the kernel's own array, out[2 * i + 1] from the template helper's.
extern "C" __global__ void emu_test_stale_shared(float* out)
{
    __shared__ float emu_test_stale[32];
    if (blockIdx.x == 0) emu_test_stale[threadIdx.x] = 1.0f;
    __syncthreads();
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    out[2 * i] = emu_test_stale[threadIdx.x];
    out[2 * i + 1] = emu_test_stale_helper<32>(threadIdx.x, blockIdx.x == 0);
}

// Even and odd threads meet at different barriers, which CUDA leaves undefined: the launch must fail.
extern "C" __global__ void emu_test_divergent_barrier(float* out)
{
    if (threadIdx.x % 2 == 0)
    {
        __syncthreads();
    }
    else
    {
        __syncthreads();
    }
    out[threadIdx.x] = 0.0f;
}

// One parameter of every kind a kernel may take, to check the trampoline reads each at its C type.
struct emu_test_shape
{
    int rank;
    int dims[6];
};

extern "C" __global__ void emu_test_params(float* out, int a, float b, emu_test_shape shape, const float* in)
{
    int sum = 0;
    for (int d = 0; d < shape.rank; ++d) sum += shape.dims[d];
    out[0] = (float)a;
    out[1] = b;
    out[2] = (float)sum;
    out[3] = in[0];
}

// Does nothing: measures what a launch itself costs.
extern "C" __global__ void emu_test_empty(int n)
{
    if (n < 0) __syncthreads();
}
