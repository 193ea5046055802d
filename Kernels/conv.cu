// Convolution over NHWC images: x (N, H, W, Cin), filter (KH, KW, Cin, Cout), y (N, OH, OW, Cout). Output pixel
// (oh, ow) reads the window whose top-left cell is (oh * sh - pad_top, ow * sw - pad_left); cells outside the
// image read as zero.
//
// All three products are implicit GEMMs on the tile engine of sgemm.cu: each block gathers its panels straight
// from the images, with nothing written to an im2col buffer in between.
//   forward   y (N*OH*OW x Cout)   = windows of x (N*OH*OW x KH*KW*Cin) . filter (KH*KW*Cin x Cout)
//   dx        dx (N*H*W x Cin)     = dout taps (N*H*W x KH*KW*Cout)   . filterT (KH*KW*Cout x Cin), per stride phase
//   dW        dW (KH*KW*Cin x Cout) = windows of xT (KH*KW*Cin x N*OH*OW) . dout (N*OH*OW x Cout), split-K
// dx is a gather (each dx element sums exactly the dout x filter pairs that touch it, in a fixed order), so it
// needs no atomics and is deterministic where windows overlap. dW's reduction runs over every output pixel of
// the batch while its output is small, so it is cut into slices (grid z) whose partial products
// sgemm_sum_splits_f32 adds in slice order.
//
// The window stepping (which reduction index is which tap and channel) advances incrementally from step to
// step, so the inner loads do no integer division.

// The geometry of a convolution, as CudaBackend.Conv.cs fills it (ConvWindow, field for field).
struct conv_window
{
    int batch, height, width, in_channels;     // x
    int out_height, out_width, out_channels;   // y
    int kernel_height, kernel_width;
    int stride_height, stride_width;
    int pad_top, pad_left;
};

// The tile engine is defined in sgemm.cu, which the unit compiles after this file. Function templates are
// instantiated at the end of the translation unit, by which point their definitions have been seen.
template <int EXTENT, int THREADS, bool DEEP>
__device__ __forceinline__ void sgemm_load_dense(const float* __restrict__ p, int ld, int extent, int start, int k0, int kEnd,
                                                 bool vec, float4* out);
template <int BM, int BN, class Tiles>
__device__ __forceinline__ void sgemm_block(Tiles& tiles, int steps, float* __restrict__ c, int m, int n, int row0, int col0, bool vecC);

#define CONV_BK 8

// Moves a reduction position (channel, then the inner counter, then the outer one) on by `by`, each counter
// wrapping at its size.
__device__ __forceinline__ void conv_step(int& channel, int& inner, int& outer, int by, int channels, int inners)
{
    channel += by;
    while (channel >= channels)
    {
        channel -= channels;
        if (++inner == inners)
        {
            inner = 0;
            ++outer;
        }
    }
}

// ---- forward -------------------------------------------------------------------------------------------------

// A panel (deep): output pixel rows, reduction index k = (kh * KW + kw) * Cin + ci, so four consecutive k are
// four adjacent channels of one input cell when Cin is a multiple of 4. B panel: the filter as a dense
// (KH*KW*Cin x Cout) matrix (wide).
template <int BM, int BN>
struct conv_forward_tiles
{
    static constexpr int THREADS = (BM / 8) * (BN / 8), CA = 2 * BM / THREADS;
    static constexpr bool a_deep = true, b_deep = false;

    const float* x;
    const float* filter;
    conv_window g;
    int vec, depth, k0, col0;
    // The tap and channel of this thread's first A element this step.
    int ci, kw, kh;
    // Per A chunk: the offset of its pixel's image in x (-1 past the last pixel), and its window's top-left cell.
    int image[CA], top[CA], left[CA];

    __device__ __forceinline__ void init(const float* x_, const float* filter_, const conv_window& g_, int vec_, int row0, int col0_)
    {
        x = x_;
        filter = filter_;
        g = g_;
        vec = vec_;
        depth = g.kernel_height * g.kernel_width * g.in_channels;
        k0 = 0;
        col0 = col0_;
        // With no input channels the product is empty (y = 0) and the position unused; the max avoids a division by 0.
        int k = (threadIdx.x & 1) * 4, channels = max(g.in_channels, 1);
        ci = k % channels;
        kw = k / channels % g.kernel_width;
        kh = k / channels / g.kernel_width;
        int pixels = g.out_height * g.out_width, rows = g.batch * pixels;
#pragma unroll
        for (int c = 0; c < CA; ++c)
        {
            int row = row0 + (threadIdx.x >> 1) + c * (THREADS / 2);
            int n = row / pixels, p = row % pixels;
            image[c] = row < rows ? n * g.height * g.width * g.in_channels : -1;
            top[c] = p / g.out_width * g.stride_height - g.pad_top;
            left[c] = p % g.out_width * g.stride_width - g.pad_left;
        }
    }

    __device__ __forceinline__ float load(int c, int h, int w, int channel) const
    {
        int ih = top[c] + h, iw = left[c] + w;
        if (image[c] < 0 || h >= g.kernel_height || ih < 0 || ih >= g.height || iw < 0 || iw >= g.width) return 0.0f;
        return x[image[c] + (ih * g.width + iw) * g.in_channels + channel];
    }

    __device__ __forceinline__ void next(float4* ra, float4* rb)
    {
#pragma unroll
        for (int c = 0; c < CA; ++c)
        {
            if (vec & 1)
            {
                // Cin is a multiple of 4 and ci too, so the chunk is channels ci .. ci + 3 of one cell.
                int ih = top[c] + kh, iw = left[c] + kw;
                bool inside = image[c] >= 0 && kh < g.kernel_height && ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
                ra[c] = inside ? *reinterpret_cast<const float4*>(x + image[c] + (ih * g.width + iw) * g.in_channels + ci)
                               : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            }
            else
            {
                float v[4];
                int channel = ci, w = kw, h = kh;
#pragma unroll
                for (int j = 0; j < 4; ++j)
                {
                    v[j] = load(c, h, w, channel);
                    conv_step(channel, w, h, 1, g.in_channels, g.kernel_width);
                }
                ra[c] = make_float4(v[0], v[1], v[2], v[3]);
            }
        }
        conv_step(ci, kw, kh, CONV_BK, g.in_channels, g.kernel_width);
        sgemm_load_dense<BN, THREADS, false>(filter, g.out_channels, g.out_channels, col0, k0, depth, (vec & 2) != 0, rb);
        k0 += CONV_BK;
    }

    __device__ __forceinline__ int out_offset(int row) const { return row * g.out_channels; }
};

template <int BM, int BN>
__device__ __forceinline__ void conv_forward(const float* x, const float* filter, float* y, const conv_window& g, int vec)
{
    int row0 = blockIdx.x * BM, col0 = blockIdx.y * BN;
    conv_forward_tiles<BM, BN> tiles;
    tiles.init(x, filter, g, vec, row0, col0);
    int rows = g.batch * g.out_height * g.out_width;
    sgemm_block<BM, BN>(tiles, (tiles.depth + CONV_BK - 1) / CONV_BK, y, rows, g.out_channels, row0, col0, (vec & 4) != 0);
}

// y = x convolved with filter. Grid (ceil(N*OH*OW / 128), ceil(Cout / 128)), 256 threads. vec: bit 0 x (Cin a
// multiple of 4), bit 1 filter, bit 2 y (Cout a multiple of 4) may be read or written as aligned float4s.
extern "C" __global__ void __launch_bounds__(256, 2) conv2d_f32(const float* __restrict__ x, const float* __restrict__ filter, float* __restrict__ y,
                                      conv_window g, int vec)
{
    conv_forward<128, 128>(x, filter, y, g, vec);
}

// The same with 128 x 64 tiles and 128 threads, for Cout <= 64: grid (ceil(N*OH*OW / 128), 1).
extern "C" __global__ void __launch_bounds__(128, 4) conv2d_n64_f32(const float* __restrict__ x, const float* __restrict__ filter, float* __restrict__ y,
                                          conv_window g, int vec)
{
    conv_forward<128, 64>(x, filter, y, g, vec);
}

// ---- gradient for the input ----------------------------------------------------------------------------------

// dx[n, ih, iw, ci] = sum over taps (kh, kw) and co of dout[n, oh, ow, co] * filter[kh, kw, ci, co], where
// oh * sh = ih + pad_top - kh and ow * sw = iw + pad_left - kw. Only taps with kh = ih + pad_top (mod sh) can
// contribute, so the input pixels are split by stride phase (ih mod sh, iw mod sw), one phase per grid z: within a
// phase every pixel uses the same taps, kh = kh0 + a * sh and kw = kw0 + b * sw, and the GEMM runs over those
// alone, skipping the taps that strides larger than 1 would make zero. For pixel (ph + i * sh, pw + j * sw),
// tap (a, b) reads dout at (oh0 + i - a, ow0 + j - b), where oh0 = (ph + pad_top) / sh: no division per element.
// The reduction index is k = (a * taps_w + b) * Cout + co; both panels are deep (co adjacent in dout and filter).
template <int BM, int BN>
struct conv_input_grad_tiles
{
    static constexpr int THREADS = (BM / 8) * (BN / 8), CA = 2 * BM / THREADS, CB = 2 * BN / THREADS;
    static constexpr bool a_deep = true, b_deep = true;

    const float* dout;
    const float* filter;
    conv_window g;
    int vec;
    // This phase: its first input row and column, pixels per image row and column, taps and their first kh, kw.
    int ph, pw, rows_h, rows_w, taps_h, taps_w, kh0, kw0;
    // The reduction position of this thread's first element this step: channel co of tap (a, b).
    int co, b, a;
    // Per A chunk: its dout image's offset (-1 past the last pixel) and (oh0 + i, ow0 + j).
    int image[CA], oh[CA], ow[CA];
    // Per B chunk: its input channel.
    int cin[CB];

    __device__ __forceinline__ float load_a(int c, int ta, int tb, int channel) const
    {
        int h = oh[c] - ta, w = ow[c] - tb;
        if (image[c] < 0 || ta >= taps_h || h < 0 || h >= g.out_height || w < 0 || w >= g.out_width) return 0.0f;
        return dout[image[c] + (h * g.out_width + w) * g.out_channels + channel];
    }

    __device__ __forceinline__ float load_b(int c, int ta, int tb, int channel) const
    {
        if (cin[c] >= g.in_channels || ta >= taps_h) return 0.0f;
        int kh = kh0 + ta * g.stride_height, kw = kw0 + tb * g.stride_width;
        return filter[((kh * g.kernel_width + kw) * g.in_channels + cin[c]) * g.out_channels + channel];
    }

    __device__ __forceinline__ void next(float4* ra, float4* rb)
    {
        if (vec & 1)
        {
            // Cout is a multiple of 4 and co too: each chunk is channels co .. co + 3 of one dout pixel or filter tap.
#pragma unroll
            for (int c = 0; c < CA; ++c)
            {
                int h = oh[c] - a, w = ow[c] - b;
                bool inside = image[c] >= 0 && a < taps_h && h >= 0 && h < g.out_height && w >= 0 && w < g.out_width;
                ra[c] = inside ? *reinterpret_cast<const float4*>(dout + image[c] + (h * g.out_width + w) * g.out_channels + co)
                               : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            }
            int kh = kh0 + a * g.stride_height, kw = kw0 + b * g.stride_width;
#pragma unroll
            for (int c = 0; c < CB; ++c)
            {
                bool inside = cin[c] < g.in_channels && a < taps_h;
                rb[c] = inside ? *reinterpret_cast<const float4*>(
                                     filter + ((kh * g.kernel_width + kw) * g.in_channels + cin[c]) * g.out_channels + co)
                               : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            }
        }
        else
        {
            float va[CA][4], vb[CB][4];
            int channel = co, tb = b, ta = a;
#pragma unroll
            for (int j = 0; j < 4; ++j)
            {
#pragma unroll
                for (int c = 0; c < CA; ++c) va[c][j] = load_a(c, ta, tb, channel);
#pragma unroll
                for (int c = 0; c < CB; ++c) vb[c][j] = load_b(c, ta, tb, channel);
                conv_step(channel, tb, ta, 1, g.out_channels, taps_w);
            }
#pragma unroll
            for (int c = 0; c < CA; ++c) ra[c] = make_float4(va[c][0], va[c][1], va[c][2], va[c][3]);
#pragma unroll
            for (int c = 0; c < CB; ++c) rb[c] = make_float4(vb[c][0], vb[c][1], vb[c][2], vb[c][3]);
        }
        conv_step(co, b, a, CONV_BK, g.out_channels, taps_w);
    }

    // Row r of this phase's product is input pixel (n, ph + i * sh, pw + j * sw).
    __device__ __forceinline__ int out_offset(int row) const
    {
        int per_image = rows_h * rows_w, n = row / per_image, p = row % per_image;
        int ih = ph + p / rows_w * g.stride_height, iw = pw + p % rows_w * g.stride_width;
        return ((n * g.height + ih) * g.width + iw) * g.in_channels;
    }
};

template <int BM, int BN>
__device__ __forceinline__ void conv_input_grad(const float* dout, const float* filter, float* dx, const conv_window& g, int vec)
{
    conv_input_grad_tiles<BM, BN> t;
    t.dout = dout;
    t.filter = filter;
    t.g = g;
    t.vec = vec;
    int sh = g.stride_height, sw = g.stride_width;
    t.ph = blockIdx.z / sw;
    t.pw = blockIdx.z % sw;
    t.rows_h = t.ph < g.height ? (g.height - t.ph + sh - 1) / sh : 0;
    t.rows_w = t.pw < g.width ? (g.width - t.pw + sw - 1) / sw : 0;
    t.kh0 = (t.ph + g.pad_top) % sh;
    t.kw0 = (t.pw + g.pad_left) % sw;
    t.taps_h = t.kh0 < g.kernel_height ? (g.kernel_height - t.kh0 + sh - 1) / sh : 0;
    t.taps_w = t.kw0 < g.kernel_width ? (g.kernel_width - t.kw0 + sw - 1) / sw : 0;
    int oh0 = (t.ph + g.pad_top) / sh, ow0 = (t.pw + g.pad_left) / sw;
    int depth = t.taps_h * t.taps_w * g.out_channels;

    // The reduction position: a phase without taps (a stride wider than the filter) has depth 0.
    int k = (threadIdx.x & 1) * 4;
    t.co = g.out_channels > 0 ? k % g.out_channels : 0;
    t.b = g.out_channels > 0 && t.taps_w > 0 ? k / g.out_channels % t.taps_w : 0;
    t.a = g.out_channels > 0 && t.taps_w > 0 ? k / g.out_channels / t.taps_w : t.taps_h;

    int per_image = t.rows_h * t.rows_w, rows = g.batch * per_image;
    int row0 = blockIdx.x * BM, col0 = blockIdx.y * BN;
#pragma unroll
    for (int c = 0; c < t.CA; ++c)
    {
        int row = row0 + (threadIdx.x >> 1) + c * (t.THREADS / 2);
        if (row < rows)
        {
            int n = row / per_image, p = row % per_image;
            t.image[c] = n * g.out_height * g.out_width * g.out_channels;
            t.oh[c] = oh0 + p / t.rows_w;
            t.ow[c] = ow0 + p % t.rows_w;
        }
        else
        {
            t.image[c] = -1;
            t.oh[c] = 0;
            t.ow[c] = 0;
        }
    }
#pragma unroll
    for (int c = 0; c < t.CB; ++c) t.cin[c] = col0 + (threadIdx.x >> 1) + c * (t.THREADS / 2);

    // Blocks past this phase's pixels (the grid fits the largest phase) skip the reduction and store nothing.
    int steps = row0 < rows ? (depth + CONV_BK - 1) / CONV_BK : 0;
    sgemm_block<BM, BN>(t, steps, dx, rows, g.in_channels, row0, col0, (vec & 4) != 0);
}

// dx = the gradient of conv2d for x. Grid (ceil(N * ceil(H/sh) * ceil(W/sw) / 128), ceil(Cin / 128), sh * sw),
// 256 threads. vec: bit 0 dout and filter (Cout a multiple of 4), bit 2 dx (Cin a multiple of 4) as float4s.
extern "C" __global__ void __launch_bounds__(256, 2) conv2d_backprop_input_f32(const float* __restrict__ dout, const float* __restrict__ filter,
                                                     float* __restrict__ dx, conv_window g, int vec)
{
    conv_input_grad<128, 128>(dout, filter, dx, g, vec);
}

// The same with 128 x 64 tiles and 128 threads, for Cin <= 64.
extern "C" __global__ void __launch_bounds__(128, 4) conv2d_backprop_input_n64_f32(const float* __restrict__ dout, const float* __restrict__ filter,
                                                         float* __restrict__ dx, conv_window g, int vec)
{
    conv_input_grad<128, 64>(dout, filter, dx, g, vec);
}

// ---- gradient for the filter ---------------------------------------------------------------------------------

// dW[(kh, kw, ci), co] = sum over output pixels p = (n, oh, ow) of x[n, oh*sh - pad_top + kh, ow*sw - pad_left + kw, ci]
// * dout[p, co]. A panel (wide): rows are (kh, kw, ci), fixed per thread, four adjacent channels of a cell when
// Cin is a multiple of 4; the reduction walks the output pixels. B panel: dout as a dense (N*OH*OW x Cout) matrix.
template <int BM, int BN>
struct conv_filter_grad_tiles
{
    static constexpr int THREADS = (BM / 8) * (BN / 8), CA = 2 * BM / THREADS;
    static constexpr bool a_deep = false, b_deep = false;

    const float* x;
    const float* dout;
    conv_window g;
    int vec, k0, kEnd, col0;
    // This thread's first A row: tap (kh, kw), channel ci.
    int ci, kw, kh;
    // Per A chunk: its output pixel (n, oh, ow) this step, as the reduction index p and its coordinates.
    int p[CA], n[CA], oh[CA], ow[CA];

    __device__ __forceinline__ float load(int c, int h, int w, int channel) const
    {
        int ih = oh[c] * g.stride_height - g.pad_top + h, iw = ow[c] * g.stride_width - g.pad_left + w;
        if (p[c] >= kEnd || h >= g.kernel_height || ih < 0 || ih >= g.height || iw < 0 || iw >= g.width) return 0.0f;
        return x[((n[c] * g.height + ih) * g.width + iw) * g.in_channels + channel];
    }

    __device__ __forceinline__ void next(float4* ra, float4* rb)
    {
#pragma unroll
        for (int c = 0; c < CA; ++c)
        {
            if (vec & 1)
            {
                int ih = oh[c] * g.stride_height - g.pad_top + kh, iw = ow[c] * g.stride_width - g.pad_left + kw;
                bool inside = p[c] < kEnd && kh < g.kernel_height && ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
                ra[c] = inside ? *reinterpret_cast<const float4*>(x + ((n[c] * g.height + ih) * g.width + iw) * g.in_channels + ci)
                               : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            }
            else
            {
                float v[4];
                int channel = ci, w = kw, h = kh;
#pragma unroll
                for (int j = 0; j < 4; ++j)
                {
                    v[j] = load(c, h, w, channel);
                    conv_step(channel, w, h, 1, g.in_channels, g.kernel_width);
                }
                ra[c] = make_float4(v[0], v[1], v[2], v[3]);
            }
            p[c] += CONV_BK;
            conv_step(ow[c], oh[c], n[c], CONV_BK, g.out_width, g.out_height);
        }
        sgemm_load_dense<BN, THREADS, false>(dout, g.out_channels, g.out_channels, col0, k0, kEnd, (vec & 2) != 0, rb);
        k0 += CONV_BK;
    }

    __device__ __forceinline__ int out_offset(int row) const { return row * g.out_channels; }
};

template <int BM, int BN>
__device__ __forceinline__ void conv_filter_grad(const float* x, const float* dout, float* dw, const conv_window& g, int kChunk, int vec)
{
    conv_filter_grad_tiles<BM, BN> t;
    t.x = x;
    t.dout = dout;
    t.g = g;
    t.vec = vec;
    int pixels = g.batch * g.out_height * g.out_width;
    t.k0 = blockIdx.z * kChunk;
    t.kEnd = min(pixels, t.k0 + kChunk);
    int row0 = blockIdx.x * BM;
    t.col0 = blockIdx.y * BN;
    int row = row0 + (threadIdx.x % (BM / 4)) * 4;
    t.ci = row % g.in_channels;
    t.kw = row / g.in_channels % g.kernel_width;
    t.kh = row / g.in_channels / g.kernel_width;
    // An empty output image leaves no pixels to walk (dW = 0); the max avoids a division by 0.
    int per_image = max(g.out_height * g.out_width, 1);
#pragma unroll
    for (int c = 0; c < t.CA; ++c)
    {
        int q = threadIdx.x + c * t.THREADS;
        t.p[c] = t.k0 + q / (BM / 4);
        t.n[c] = t.p[c] / per_image;
        t.oh[c] = t.p[c] % per_image / max(g.out_width, 1);
        t.ow[c] = t.p[c] % max(g.out_width, 1);
    }
    int rows = g.kernel_height * g.kernel_width * g.in_channels;
    int steps = t.kEnd > t.k0 ? (t.kEnd - t.k0 + CONV_BK - 1) / CONV_BK : 0;
    sgemm_block<BM, BN>(t, steps, dw + (long long)blockIdx.z * rows * g.out_channels, rows, g.out_channels, row0, t.col0,
                        (vec & 4) != 0);
}

// dW = the gradient of conv2d for the filter, or with several slices their partial sums, slice z into
// dw + z * KH*KW*Cin*Cout over output pixels [z * kChunk, (z + 1) * kChunk). Grid (ceil(KH*KW*Cin / 128),
// ceil(Cout / 128), slices), 256 threads. vec: bit 0 x (Cin a multiple of 4), bit 1 dout, bit 2 dw (Cout a
// multiple of 4) as float4s.
extern "C" __global__ void __launch_bounds__(256, 2) conv2d_backprop_filter_f32(const float* __restrict__ x, const float* __restrict__ dout,
                                                      float* __restrict__ dw, conv_window g, int kChunk, int vec)
{
    conv_filter_grad<128, 128>(x, dout, dw, g, kChunk, vec);
}

// The same with 128 x 64 tiles and 128 threads, for Cout <= 64.
extern "C" __global__ void __launch_bounds__(128, 4) conv2d_backprop_filter_n64_f32(const float* __restrict__ x, const float* __restrict__ dout,
                                                          float* __restrict__ dw, conv_window g, int kChunk, int vec)
{
    conv_filter_grad<128, 64>(x, dout, dw, g, kChunk, vec);
}
