// Pooling over NHWC images x (N, H, W, C) into (N, OH, OW, C), channel by channel. The window of output pixel
// (oh, ow) covers rows oh * sh - pad_top .. + KH - 1 and columns ow * sw - pad_left .. + KW - 1, clipped to the
// image: padded cells take no part, neither in a maximum nor in an average's count.
//
// One thread per element of the result, channels fastest, so a warp reads and writes adjacent channels. The
// gradients are gathers rather than scatters: each dx element visits the windows that cover it, in output
// order, which is the order in which the CPU backend adds into it, so the sums agree to the bit and no atomics
// make them depend on scheduling.

// The geometry of a pooling (ConvWindow of CudaBackend.Conv.cs, field for field; out_channels = channels).
struct pool_window
{
    int batch, height, width, channels;
    int out_height, out_width, out_channels;
    int kernel_height, kernel_width;
    int stride_height, stride_width;
    int pad_top, pad_left;
};

// The cells under output pixel (oh, ow): rows [r0, r1) and columns [c0, c1) of the image.
__device__ __forceinline__ void pool_cells(const pool_window& g, int oh, int ow, int& r0, int& r1, int& c0, int& c1)
{
    int top = oh * g.stride_height - g.pad_top, left = ow * g.stride_width - g.pad_left;
    r0 = max(top, 0);
    r1 = min(top + g.kernel_height, g.height);
    c0 = max(left, 0);
    c1 = min(left + g.kernel_width, g.width);
}

// The windows that cover input cell (ih, iw), the inverse of pool_cells: outputs oh0..oh1 and ow0..ow1, inclusive
// (empty when oh0 > oh1), those with oh * sh - pad_top <= ih < oh * sh - pad_top + KH, within the output.
__device__ __forceinline__ void pool_windows_covering(const pool_window& g, int ih, int iw, int& oh0, int& oh1, int& ow0, int& ow1)
{
    int lo_h = ih + g.pad_top - g.kernel_height + 1, lo_w = iw + g.pad_left - g.kernel_width + 1;
    oh0 = lo_h > 0 ? (lo_h + g.stride_height - 1) / g.stride_height : 0;
    ow0 = lo_w > 0 ? (lo_w + g.stride_width - 1) / g.stride_width : 0;
    oh1 = min((ih + g.pad_top) / g.stride_height, g.out_height - 1);
    ow1 = min((iw + g.pad_left) / g.stride_width, g.out_width - 1);
}

// The cell (row * W + column) of the window's first maximum in scan order, rows then columns: a later cell wins
// only when strictly greater, so the first of tied maxima is chosen (and a NaN never displaces the first cell).
// `image` points at channel c of the image's first cell. -1 for a window with no cell inside the image.
__device__ __forceinline__ int pool_first_max(const float* image, const pool_window& g, int oh, int ow)
{
    int r0, r1, c0, c1;
    pool_cells(g, oh, ow, r0, r1, c0, c1);
    if (r0 >= r1 || c0 >= c1) return -1;
    int best_cell = r0 * g.width + c0;
    float best = image[best_cell * g.channels];
    for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c)
        {
            float v = image[(r * g.width + c) * g.channels];
            if (v > best)
            {
                best = v;
                best_cell = r * g.width + c;
            }
        }
    return best_cell;
}

// The maximum as the CPU's elementwise Max folds it: NaN wins, and +0 counts above -0.
__device__ __forceinline__ float pool_max(float a, float b)
{
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return __float_as_int(a) < 0 ? b : a;
    return a > b ? a : b;
}

// Splits an index of an (N, rows, columns, C) tensor into its image, row, column and channel.
__device__ __forceinline__ void pool_split(int i, int rows, int columns, int channels, int& n, int& r, int& c, int& ch)
{
    ch = i % channels;
    int pixel = i / channels;
    c = pixel % columns;
    pixel /= columns;
    r = pixel % rows;
    n = pixel / rows;
}

// y = the maximum of each window (0 for a window wholly in the padding). One thread per y element.
extern "C" __global__ void max_pool_f32(const float* __restrict__ x, float* __restrict__ y, pool_window g)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int count = g.batch * g.out_height * g.out_width * g.channels;
    if (i >= count) return;
    int n, oh, ow, ch;
    pool_split((int)i, g.out_height, g.out_width, g.channels, n, oh, ow, ch);
    const float* image = x + n * g.height * g.width * g.channels + ch;
    int r0, r1, c0, c1;
    pool_cells(g, oh, ow, r0, r1, c0, c1);
    float best = 0.0f;
    bool first = true;
    for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c)
        {
            float v = image[(r * g.width + c) * g.channels];
            best = first ? v : pool_max(best, v);
            first = false;
        }
    y[i] = best;
}

// dx = zeros with each dout added at its window's first maximum. One thread per dx element, which sums the
// dout of the windows that cover it and pick it.
extern "C" __global__ void max_pool_grad_f32(const float* __restrict__ x, const float* __restrict__ dout, float* __restrict__ dx,
                                             pool_window g)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int count = g.batch * g.height * g.width * g.channels;
    if (i >= count) return;
    int n, ih, iw, ch;
    pool_split((int)i, g.height, g.width, g.channels, n, ih, iw, ch);
    const float* image = x + n * g.height * g.width * g.channels + ch;
    const float* grads = dout + n * g.out_height * g.out_width * g.channels + ch;
    int oh0, oh1, ow0, ow1;
    pool_windows_covering(g, ih, iw, oh0, oh1, ow0, ow1);
    int cell = ih * g.width + iw;
    float sum = 0.0f;
    for (int oh = oh0; oh <= oh1; ++oh)
        for (int ow = ow0; ow <= ow1; ++ow)
            if (pool_first_max(image, g, oh, ow) == cell) sum += grads[(oh * g.out_width + ow) * g.channels];
    dx[i] = sum;
}

// y = d read at each window's first maximum in x (0 for a window wholly in the padding). One thread per y element.
extern "C" __global__ void max_pool_grad_grad_f32(const float* __restrict__ x, const float* __restrict__ d, float* __restrict__ y,
                                                  pool_window g)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int count = g.batch * g.out_height * g.out_width * g.channels;
    if (i >= count) return;
    int n, oh, ow, ch;
    pool_split((int)i, g.out_height, g.out_width, g.channels, n, oh, ow, ch);
    int offset = n * g.height * g.width * g.channels + ch;
    int cell = pool_first_max(x + offset, g, oh, ow);
    y[i] = cell < 0 ? 0.0f : d[offset + cell * g.channels];
}

// y = the mean of each window over its cells inside the image, summed in scan order as the CPU does.
extern "C" __global__ void avg_pool_f32(const float* __restrict__ x, float* __restrict__ y, pool_window g)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int count = g.batch * g.out_height * g.out_width * g.channels;
    if (i >= count) return;
    int n, oh, ow, ch;
    pool_split((int)i, g.out_height, g.out_width, g.channels, n, oh, ow, ch);
    const float* image = x + n * g.height * g.width * g.channels + ch;
    int r0, r1, c0, c1;
    pool_cells(g, oh, ow, r0, r1, c0, c1);
    float sum = 0.0f;
    for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c) sum += image[(r * g.width + c) * g.channels];
    y[i] = sum / (float)((r1 - r0) * (c1 - c0));
}

// dx = each dout shared evenly among the cells its window averaged: a dx element sums dout / count over the
// windows that cover it, in output order.
extern "C" __global__ void avg_pool_grad_f32(const float* __restrict__ dout, float* __restrict__ dx, pool_window g)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int count = g.batch * g.height * g.width * g.channels;
    if (i >= count) return;
    int n, ih, iw, ch;
    pool_split((int)i, g.height, g.width, g.channels, n, ih, iw, ch);
    const float* grads = dout + n * g.out_height * g.out_width * g.channels + ch;
    int oh0, oh1, ow0, ow1;
    pool_windows_covering(g, ih, iw, oh0, oh1, ow0, ow1);
    float sum = 0.0f;
    for (int oh = oh0; oh <= oh1; ++oh)
        for (int ow = ow0; ow <= ow1; ++ow)
        {
            int r0, r1, c0, c1;
            pool_cells(g, oh, ow, r0, r1, c0, c1);
            sum += grads[(oh * g.out_width + ow) * g.channels] / (float)((r1 - r0) * (c1 - c0));
        }
    dx[i] = sum;
}
