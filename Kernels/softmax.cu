// Softmax, log-softmax and the cross entropies built on them, along the last axis of a (rows, classes) view.
// Every row is shifted by its maximum before exponentiating, so logits of any size stay finite.
//
// Two layouts of the same arithmetic, picked by the row length (CudaBackend.NN.cs):
// - *_short_f32: one thread per row, for rows of at most SOFTMAX_THREAD_ROW_MAX classes (MNIST's 10 classes over
//   a batch of thousands: a block per row would leave most of its threads idle);
// - the plain names: one block per row, reducing the maximum and then the sums through shared memory, for rows
//   of any length. The block size is a power of two up to SOFTMAX_BLOCK.
// The CPU reference writes log-softmax as (x - max) - log(sum) for rows shorter than SOFTMAX_SHORT_ROW and as
// x - (max + log(sum)) otherwise; both layouts follow it, so the roundings agree.

#define SOFTMAX_BLOCK 256
#define SOFTMAX_SHORT_ROW 16
#define SOFTMAX_THREAD_ROW_MAX 32

// The block's maximum (or sum) of every thread's v, handed to every thread. The trailing barrier lets the
// caller reuse scratch for the next reduction at once.
__device__ __forceinline__ float softmax_block_max(float v, float* scratch)
{
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1)
    {
        if ((int)threadIdx.x < s) scratch[threadIdx.x] = fmaxf(scratch[threadIdx.x], scratch[threadIdx.x + s]);
        __syncthreads();
    }
    float result = scratch[0];
    __syncthreads();
    return result;
}

__device__ __forceinline__ float softmax_block_sum(float v, float* scratch)
{
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1)
    {
        if ((int)threadIdx.x < s) scratch[threadIdx.x] += scratch[threadIdx.x + s];
        __syncthreads();
    }
    float result = scratch[0];
    __syncthreads();
    return result;
}

__device__ __forceinline__ float softmax_row_max(const float* row, int classes)
{
    float m = row[0];
    for (int k = 1; k < classes; k++) m = fmaxf(m, row[k]);
    return m;
}

// log sum_k exp(row_k), as max + log sum exp(row - max), summed in order as the CPU does.
__device__ __forceinline__ float softmax_row_log_sum_exp(const float* row, int classes)
{
    float m = softmax_row_max(row, classes), sum = 0.0f;
    for (int k = 0; k < classes; k++) sum += expf(row[k] - m);
    return m + logf(sum);
}

template <bool Log>
__device__ __forceinline__ void softmax_thread_row(const float* __restrict__ x, float* __restrict__ y, int rows, int classes)
{
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= rows) return;
    const float* xr = x + (long long)row * classes;
    float* yr = y + (long long)row * classes;
    float m = softmax_row_max(xr, classes);
    if (Log)
    {
        float sum = 0.0f;
        for (int k = 0; k < classes; k++) sum += expf(xr[k] - m);
        float logSum = logf(sum);
        if (classes < SOFTMAX_SHORT_ROW) for (int k = 0; k < classes; k++) yr[k] = (xr[k] - m) - logSum;
        else
        {
            float shift = m + logSum;
            for (int k = 0; k < classes; k++) yr[k] = xr[k] - shift;
        }
    }
    else
    {
        float sum = 0.0f;
        for (int k = 0; k < classes; k++)
        {
            float e = expf(xr[k] - m);
            yr[k] = e;
            sum += e;
        }
        for (int k = 0; k < classes; k++) yr[k] /= sum;
    }
}

template <bool Log>
__device__ __forceinline__ void softmax_block_row(const float* __restrict__ x, float* __restrict__ y, int classes, float* scratch)
{
    const float* xr = x + (long long)blockIdx.x * classes;
    float* yr = y + (long long)blockIdx.x * classes;
    float m = -GRAPHDL_INFINITY;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) m = fmaxf(m, xr[k]);
    m = softmax_block_max(m, scratch);
    float sum = 0.0f;
    for (int k = threadIdx.x; k < classes; k += blockDim.x)
    {
        float e = expf(xr[k] - m);
        if (!Log) yr[k] = e;
        sum += e;
    }
    sum = softmax_block_sum(sum, scratch);
    if (Log)
    {
        float shift = m + logf(sum);
        for (int k = threadIdx.x; k < classes; k += blockDim.x) yr[k] = xr[k] - shift;
    }
    else
    {
        // Each thread divides the elements it wrote itself, so no barrier is needed between the passes.
        for (int k = threadIdx.x; k < classes; k += blockDim.x) yr[k] /= sum;
    }
}

extern "C" __global__ void softmax_short_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int classes)
{
    softmax_thread_row<false>(x, y, rows, classes);
}

extern "C" __global__ void log_softmax_short_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int classes)
{
    softmax_thread_row<true>(x, y, rows, classes);
}

// One block per row: grid = rows.
extern "C" __global__ void softmax_f32(const float* __restrict__ x, float* __restrict__ y, int classes)
{
    __shared__ float scratch[SOFTMAX_BLOCK];
    softmax_block_row<false>(x, y, classes, scratch);
}

extern "C" __global__ void log_softmax_f32(const float* __restrict__ x, float* __restrict__ y, int classes)
{
    __shared__ float scratch[SOFTMAX_BLOCK];
    softmax_block_row<true>(x, y, classes, scratch);
}

// loss = lse(x) sum_k t_k - t.x, which is -sum_k t_k log softmax(x)_k without forming a log of a softmax.
extern "C" __global__ void softmax_cross_entropy_short_f32(const float* __restrict__ logits, const float* __restrict__ labels,
                                                          float* __restrict__ loss, int rows, int classes)
{
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= rows) return;
    const float* xr = logits + (long long)row * classes;
    const float* tr = labels + (long long)row * classes;
    float labelSum = 0.0f, dot = 0.0f;
    for (int k = 0; k < classes; k++)
    {
        labelSum += tr[k];
        dot += tr[k] * xr[k];
    }
    loss[row] = softmax_row_log_sum_exp(xr, classes) * labelSum - dot;
}

extern "C" __global__ void softmax_cross_entropy_f32(const float* __restrict__ logits, const float* __restrict__ labels,
                                                    float* __restrict__ loss, int classes)
{
    __shared__ float scratch[SOFTMAX_BLOCK];
    const float* xr = logits + (long long)blockIdx.x * classes;
    const float* tr = labels + (long long)blockIdx.x * classes;
    float m = -GRAPHDL_INFINITY, labelSum = 0.0f, dot = 0.0f;
    for (int k = threadIdx.x; k < classes; k += blockDim.x)
    {
        m = fmaxf(m, xr[k]);
        labelSum += tr[k];
        dot += tr[k] * xr[k];
    }
    m = softmax_block_max(m, scratch);
    labelSum = softmax_block_sum(labelSum, scratch);
    dot = softmax_block_sum(dot, scratch);
    float sum = 0.0f;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) sum += expf(xr[k] - m);
    sum = softmax_block_sum(sum, scratch);
    if (threadIdx.x == 0) loss[blockIdx.x] = (m + logf(sum)) * labelSum - dot;
}

// loss = lse(x) - x[label]. The backend checks the labels against [0, classes) before launching; a label
// outside still gives NaN here rather than a read outside the row.
extern "C" __global__ void sparse_softmax_cross_entropy_short_f32(const float* __restrict__ logits, const int* __restrict__ labels,
                                                                 float* __restrict__ loss, int rows, int classes)
{
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= rows) return;
    const float* xr = logits + (long long)row * classes;
    int label = labels[row];
    loss[row] = (unsigned)label < (unsigned)classes ? softmax_row_log_sum_exp(xr, classes) - xr[label] : __int_as_float(0x7fc00000);
}

extern "C" __global__ void sparse_softmax_cross_entropy_f32(const float* __restrict__ logits, const int* __restrict__ labels,
                                                           float* __restrict__ loss, int classes)
{
    __shared__ float scratch[SOFTMAX_BLOCK];
    const float* xr = logits + (long long)blockIdx.x * classes;
    float m = -GRAPHDL_INFINITY;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) m = fmaxf(m, xr[k]);
    m = softmax_block_max(m, scratch);
    float sum = 0.0f;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) sum += expf(xr[k] - m);
    sum = softmax_block_sum(sum, scratch);
    if (threadIdx.x == 0)
    {
        int label = labels[blockIdx.x];
        loss[blockIdx.x] = (unsigned)label < (unsigned)classes ? (m + logf(sum)) - xr[label] : __int_as_float(0x7fc00000);
    }
}

// y = max(x, 0) - x z + log(1 + exp(-|x|)): never exponentiates a positive number.
extern "C" __global__ void sigmoid_cross_entropy_f32(const float* __restrict__ logits, const float* __restrict__ labels,
                                                    float* __restrict__ y, int n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    float x = logits[i];
    y[i] = fmaxf(x, 0.0f) - x * labels[i] + log1pf(expf(-fabsf(x)));
}
