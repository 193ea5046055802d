// Reductions. The host describes the input by two walks (common.cuh): `kept` over the output elements and
// `over` over the reduced elements of one output, each giving x's offsets. A contiguous run of reduced axes
// is the view (outer, reduced, inner) and arrives as walks of rank 1 or 2; axes that are not adjacent arrive
// as walks with their strides taken apart, so one kernel serves every sorted set of axes.
//
// Two shapes of launch (the host picks, CudaBackend.Reduce.cs):
// - a block of REDUCE_THREADS per output: its threads stride along the row, then halve their partial results
//   in shared memory; for long rows;
// - a thread per output that walks its row alone, in order; for short rows, and for many outputs whose rows
//   are strided, where neighbouring threads then read neighbouring addresses.

#define REDUCE_THREADS 256

__device__ __forceinline__ float reduce_add(float a, float b)
{
    return a + b;
}

__device__ __forceinline__ float reduce_mul(float a, float b)
{
    return a * b;
}

__device__ __forceinline__ bool reduce_or(bool a, bool b)
{
    return a || b;
}

__device__ __forceinline__ bool reduce_and(bool a, bool b)
{
    return a && b;
}

// The CPU's Max and Min of a row: a NaN anywhere gives NaN, and +0 counts as larger than -0.
__device__ __forceinline__ float reduce_max(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return __float_as_int(a) < 0 ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ float reduce_min(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return __float_as_int(a) < 0 ? a : b;
    return a < b ? a : b;
}

// The kernels' bodies, stamped per function (each kernel is still declared on its own line, where a text scan
// for kernels finds it): T is the element type, init the identity of combine, finish the output from the
// combined value v.
#define REDUCE_BLOCK_PARAMS(T) const T* x, T* y, int reduced, Broadcast kept, Broadcast over
#define REDUCE_BLOCK(T, init, combine, finish)                                                              \
    {                                                                                                        \
        __shared__ T partial[REDUCE_THREADS];                                                                \
        int t = threadIdx.x;                                                                                 \
        int base = broadcast_offset(kept, blockIdx.x);                                                       \
        T acc = init;                                                                                        \
        for (int r = t; r < reduced; r += REDUCE_THREADS) acc = combine(acc, x[base + broadcast_offset(over, r)]); \
        partial[t] = acc;                                                                                    \
        __syncthreads();                                                                                     \
        for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1)                                                     \
        {                                                                                                    \
            if (t < s) partial[t] = combine(partial[t], partial[t + s]);                                     \
            __syncthreads();                                                                                 \
        }                                                                                                    \
        if (t == 0)                                                                                          \
        {                                                                                                    \
            T v = partial[0];                                                                                \
            y[blockIdx.x] = (finish);                                                                        \
        }                                                                                                    \
    }

#define REDUCE_THREAD_PARAMS(T) const T* x, T* y, int outputs, int reduced, Broadcast kept, Broadcast over
#define REDUCE_THREAD(T, init, combine, finish)                                                             \
    {                                                                                                        \
        unsigned o = blockIdx.x * blockDim.x + threadIdx.x;                                                  \
        if (o >= (unsigned)outputs) return;                                                                  \
        int base = broadcast_offset(kept, (int)o);                                                           \
        T v = init;                                                                                          \
        for (int r = 0; r < reduced; r++) v = combine(v, x[base + broadcast_offset(over, r)]);               \
        y[o] = (finish);                                                                                     \
    }

// Mean divides once at the end, by the count as a float, as the CPU does; over no elements that is 0 / 0 = NaN.
extern "C" __global__ void reduce_sum_f32(REDUCE_BLOCK_PARAMS(float)) REDUCE_BLOCK(float, 0.0f, reduce_add, v)
extern "C" __global__ void reduce_mean_f32(REDUCE_BLOCK_PARAMS(float)) REDUCE_BLOCK(float, 0.0f, reduce_add, v / (float)reduced)
extern "C" __global__ void reduce_max_f32(REDUCE_BLOCK_PARAMS(float)) REDUCE_BLOCK(float, -GRAPHDL_INFINITY, reduce_max, v)
extern "C" __global__ void reduce_min_f32(REDUCE_BLOCK_PARAMS(float)) REDUCE_BLOCK(float, GRAPHDL_INFINITY, reduce_min, v)
extern "C" __global__ void reduce_sum_thread_f32(REDUCE_THREAD_PARAMS(float)) REDUCE_THREAD(float, 0.0f, reduce_add, v)
extern "C" __global__ void reduce_mean_thread_f32(REDUCE_THREAD_PARAMS(float)) REDUCE_THREAD(float, 0.0f, reduce_add, v / (float)reduced)
extern "C" __global__ void reduce_max_thread_f32(REDUCE_THREAD_PARAMS(float)) REDUCE_THREAD(float, -GRAPHDL_INFINITY, reduce_max, v)
extern "C" __global__ void reduce_min_thread_f32(REDUCE_THREAD_PARAMS(float)) REDUCE_THREAD(float, GRAPHDL_INFINITY, reduce_min, v)

// The block's tree multiplies in another order than the CPU's row walk, so products agree to rounding, not bits.
extern "C" __global__ void reduce_prod_f32(REDUCE_BLOCK_PARAMS(float)) REDUCE_BLOCK(float, 1.0f, reduce_mul, v)
extern "C" __global__ void reduce_prod_thread_f32(REDUCE_THREAD_PARAMS(float)) REDUCE_THREAD(float, 1.0f, reduce_mul, v)

// Any and All of Bools (one byte each); over no elements, the identities false and true, as in TF.
extern "C" __global__ void reduce_any_b8(REDUCE_BLOCK_PARAMS(bool)) REDUCE_BLOCK(bool, false, reduce_or, v)
extern "C" __global__ void reduce_all_b8(REDUCE_BLOCK_PARAMS(bool)) REDUCE_BLOCK(bool, true, reduce_and, v)
extern "C" __global__ void reduce_any_thread_b8(REDUCE_THREAD_PARAMS(bool)) REDUCE_THREAD(bool, false, reduce_or, v)
extern "C" __global__ void reduce_all_thread_b8(REDUCE_THREAD_PARAMS(bool)) REDUCE_THREAD(bool, true, reduce_and, v)

// ---- ArgMax / ArgMin along one axis of x viewed as (outer, n, inner); y (outer, inner) gets Int32 indices ----
//
// The CPU walks a row keeping the first strictly better value, so a NaN never replaces the best, and a NaN
// at index 0 is never replaced. As a total order, which the parallel tree needs: a NaN at index 0 beats
// everything, numbers beat later NaNs, a larger (smaller) number wins, and an equal one at a lower index wins.
// Index -1 marks a thread that saw no element.

__device__ __forceinline__ int reduce_arg_class(float v, int k)
{
    return k < 0 ? 3 : v == v ? 1 : k == 0 ? 0 : 2;
}

__device__ __forceinline__ bool reduce_arg_better(bool max, float v, int k, float best, int bestK)
{
    int cv = reduce_arg_class(v, k), cb = reduce_arg_class(best, bestK);
    if (cv != cb) return cv < cb;
    if (cv == 1 && v != best) return max ? v > best : v < best;
    return k < bestK;
}

#define ARG_REDUCE_BLOCK(max)                                                                                \
    {                                                                                                        \
        __shared__ float bestValue[REDUCE_THREADS];                                                          \
        __shared__ int bestIndex[REDUCE_THREADS];                                                            \
        int t = threadIdx.x;                                                                                 \
        int outer = blockIdx.x / inner;                                                                      \
        const float* row = x + outer * n * inner + (blockIdx.x - outer * inner);                            \
        float best = 0.0f;                                                                                   \
        int bestK = -1;                                                                                      \
        for (int k = t; k < n; k += REDUCE_THREADS)                                                          \
        {                                                                                                    \
            float v = row[k * inner];                                                                        \
            if (reduce_arg_better(max, v, k, best, bestK)) { best = v; bestK = k; }                          \
        }                                                                                                    \
        bestValue[t] = best;                                                                                 \
        bestIndex[t] = bestK;                                                                                \
        __syncthreads();                                                                                     \
        for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1)                                                     \
        {                                                                                                    \
            if (t < s && reduce_arg_better(max, bestValue[t + s], bestIndex[t + s], bestValue[t], bestIndex[t])) \
            {                                                                                                \
                bestValue[t] = bestValue[t + s];                                                             \
                bestIndex[t] = bestIndex[t + s];                                                             \
            }                                                                                                \
            __syncthreads();                                                                                 \
        }                                                                                                    \
        if (t == 0) y[blockIdx.x] = bestIndex[0];                                                            \
    }

// A thread alone walks the row exactly as the CPU does.
#define ARG_REDUCE_THREAD(max)                                                                               \
    {                                                                                                        \
        unsigned o = blockIdx.x * blockDim.x + threadIdx.x;                                                  \
        if (o >= (unsigned)outputs) return;                                                                  \
        int outer = (int)o / inner;                                                                          \
        const float* row = x + outer * n * inner + ((int)o - outer * inner);                                \
        float best = row[0];                                                                                 \
        int bestK = 0;                                                                                       \
        for (int k = 1; k < n; k++)                                                                          \
        {                                                                                                    \
            float v = row[k * inner];                                                                        \
            if (max ? v > best : v < best) { best = v; bestK = k; }                                          \
        }                                                                                                    \
        y[o] = bestK;                                                                                        \
    }

extern "C" __global__ void argmax_f32(const float* x, int* y, int n, int inner) ARG_REDUCE_BLOCK(true)
extern "C" __global__ void argmin_f32(const float* x, int* y, int n, int inner) ARG_REDUCE_BLOCK(false)
extern "C" __global__ void argmax_thread_f32(const float* x, int* y, int outputs, int n, int inner) ARG_REDUCE_THREAD(true)
extern "C" __global__ void argmin_thread_f32(const float* x, int* y, int outputs, int n, int inner) ARG_REDUCE_THREAD(false)

// ---- BroadcastTo: y = x repeated along its broadcast axes; values are moved, so by element size ----

extern "C" __global__ void broadcast_to_b32(const int* xs, int* ys, int n, Broadcast w)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < (unsigned)n) ys[i] = xs[broadcast_offset(w, (int)i)];
}

extern "C" __global__ void broadcast_to_b8(const bool* xs, bool* ys, int n, Broadcast w)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < (unsigned)n) ys[i] = xs[broadcast_offset(w, (int)i)];
}

#undef REDUCE_BLOCK_PARAMS
#undef REDUCE_BLOCK
#undef REDUCE_THREAD_PARAMS
#undef REDUCE_THREAD
#undef ARG_REDUCE_BLOCK
#undef ARG_REDUCE_THREAD
