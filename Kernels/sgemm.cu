// Single-precision matrix products, row-major: C (m x n) = op(A) op(B), and the tile engine that the implicit-GEMM
// convolutions of conv.cu run on.
//
// The engine (sgemm_block) computes one BM x BN tile of C per block. Each thread keeps an 8 x 8 micro-tile of
// C in registers, so one value read from shared memory feeds 8 multiply-adds: 128 x 128 tiles take 256 threads,
// and 128 x 64 tiles (products at most 64 columns wide, where a 128-wide tile would compute half zeros) take 128.
// The reduction runs in steps of SGEMM_BK = 8. Per step the block holds a BM x 8 panel of op(A) and an 8 x BN
// panel of op(B) in shared memory, both stored k-major (A transposed), so that the inner loop reads a row of
// each panel as float4s. The panels are double-buffered: while the block multiplies one step's panels, each
// thread has already issued the global loads of the next step into registers, and stores them into the other
// buffer afterwards, so one barrier per step suffices and the loads' latency hides behind the arithmetic.
//
// Where a thread's micro-tile sits: as four 4 x 4 blocks, rows ty*4 and BM/2 + ty*4, columns tx*4 and
// BN/2 + tx*4, with each warp spanning 8 values of tx and 4 of ty. Then the eight lanes of a quarter-warp read
// eight consecutive float4s of the B panel (128 contiguous bytes: one conflict-free wavefront) and the A panel
// reads broadcast; a contiguous 8 x 8 micro-tile would read float4s 32 bytes apart, two lanes per bank group.
//
// How a panel gets to shared memory: the producer (a Tiles object, below) hands each thread CHUNKS = 2*EXTENT/
// THREADS float4s per panel per step, and sgemm_stage writes them. Chunk c of a thread is q = threadIdx.x +
// c * THREADS, in one of two shapes, whichever matches the operand's layout in global memory:
//   deep: four consecutive k of one row,   row q / 2,              k (q % 2) * 4 .. + 3
//   wide: one k of four consecutive rows,  rows (q % (EXTENT/4))*4 .. + 3,   k q / (EXTENT/4)
// A deep chunk is stored as four scalars down a column of the k-major panel; padding every panel row by four
// floats (EXTENT + 4) puts the two k-halves of a warp's stores 16 banks apart, so those stores do not conflict.
//
// Tiles is any type with
//   static constexpr bool a_deep, b_deep;                    the chunk shapes of the A and B panels
//   void next(float4* a, float4* b);                         this thread's chunks of the next step's panels,
//                                                            zeros outside the operands
//   int out_offset(int row) const;                           where row `row` of C starts, in floats
// so the convolutions gather their panels from the images on the fly while sharing the arithmetic here.
//
// The kernels' launch bounds hold a thread to 128 registers (64 accumulators, 16 fragment values, the prefetched
// chunks, a few addresses), so that two 256-thread blocks, or four 128-thread ones, share an SM: with fewer
// warps resident, nothing would cover the latency of the global loads.

#define SGEMM_BK 8

// Loads this thread's chunks of one step's EXTENT x SGEMM_BK panel of a dense operand: element (i, k) at
// p[i * ld + k] (deep) or p[k * ld + i] (wide), for i in [start, start + EXTENT) below `extent` and k in
// [k0, k0 + SGEMM_BK) below kEnd; zeros elsewhere. `vec`: p is 16-byte aligned and ld a multiple of 4, so
// a chunk that lies wholly inside is one float4 load.
template <int EXTENT, int THREADS, bool DEEP>
__device__ __forceinline__ void sgemm_load_dense(const float* __restrict__ p, int ld, int extent, int start, int k0, int kEnd,
                                                 bool vec, float4* out)
{
    constexpr int CHUNKS = 2 * EXTENT / THREADS;
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c)
    {
        int q = threadIdx.x + c * THREADS;
        float v[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        if (DEEP)
        {
            int i = start + (q >> 1), k = k0 + (q & 1) * 4;
            if (i < extent && k < kEnd)
            {
                const float* at = p + (long long)i * ld + k;
                if (vec && k + 3 < kEnd)
                {
                    out[c] = *reinterpret_cast<const float4*>(at);
                    continue;
                }
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (k + j < kEnd) v[j] = at[j];
            }
        }
        else
        {
            int i = start + (q % (EXTENT / 4)) * 4, k = k0 + q / (EXTENT / 4);
            if (i < extent && k < kEnd)
            {
                const float* at = p + (long long)k * ld + i;
                if (vec && i + 3 < extent)
                {
                    out[c] = *reinterpret_cast<const float4*>(at);
                    continue;
                }
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (i + j < extent) v[j] = at[j];
            }
        }
        out[c] = make_float4(v[0], v[1], v[2], v[3]);
    }
}

// Writes this thread's chunks into a k-major panel of SGEMM_BK rows of EXTENT + 4 floats (see the header).
template <int EXTENT, int THREADS, bool DEEP>
__device__ __forceinline__ void sgemm_stage(float* panel, const float4* chunks)
{
    constexpr int CHUNKS = 2 * EXTENT / THREADS, STRIDE = EXTENT + 4;
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c)
    {
        int q = threadIdx.x + c * THREADS;
        if (DEEP)
        {
            float* at = panel + (q & 1) * 4 * STRIDE + (q >> 1);
            at[0] = chunks[c].x;
            at[STRIDE] = chunks[c].y;
            at[2 * STRIDE] = chunks[c].z;
            at[3 * STRIDE] = chunks[c].w;
        }
        else
        {
            *reinterpret_cast<float4*>(panel + (q / (EXTENT / 4)) * STRIDE + (q % (EXTENT / 4)) * 4) = chunks[c];
        }
    }
}

// One block's BM x BN tile of C = the sum of `steps` panel products that `tiles` produces, stored at
// c + tiles.out_offset(row) + column for rows [row0, row0 + BM) below m and columns [col0, col0 + BN) below n.
// vecC: every row start is 16-byte aligned and n a multiple of 4, so the stores go out as float4s.
template <int BM, int BN, class Tiles>
__device__ __forceinline__ void sgemm_block(Tiles& tiles, int steps, float* __restrict__ c, int m, int n, int row0, int col0, bool vecC)
{
    constexpr int THREADS = (BM / 8) * (BN / 8);
    constexpr int SA = BM + 4, SB = BN + 4;
    constexpr int CA = 2 * BM / THREADS, CB = 2 * BN / THREADS;
    // float4 arrays, so that the float4 reads and writes of the panels are aligned by construction.
    __shared__ float4 sgemm_a[2][SGEMM_BK * SA / 4];
    __shared__ float4 sgemm_b[2][SGEMM_BK * SB / 4];

    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int tx = (warp % (BN / 64)) * 8 + (lane & 7);
    int ty = (warp / (BN / 64)) * 4 + (lane >> 3);

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = 0.0f;

    // Zeroed only to keep the host compiler's may-be-uninitialised analysis quiet; next() writes every chunk.
    float4 ra[CA], rb[CB];
#pragma unroll
    for (int i = 0; i < CA; ++i) ra[i] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
#pragma unroll
    for (int i = 0; i < CB; ++i) rb[i] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    if (steps > 0)
    {
        tiles.next(ra, rb);
        sgemm_stage<BM, THREADS, Tiles::a_deep>(reinterpret_cast<float*>(sgemm_a[0]), ra);
        sgemm_stage<BN, THREADS, Tiles::b_deep>(reinterpret_cast<float*>(sgemm_b[0]), rb);
    }
    __syncthreads();

    for (int step = 0; step < steps; ++step)
    {
        int cur = step & 1;
        bool more = step + 1 < steps;
        if (more) tiles.next(ra, rb);
        const float* as = reinterpret_cast<const float*>(sgemm_a[cur]);
        const float* bs = reinterpret_cast<const float*>(sgemm_b[cur]);
#pragma unroll
        for (int k = 0; k < SGEMM_BK; ++k)
        {
            float4 a0 = *reinterpret_cast<const float4*>(as + k * SA + ty * 4);
            float4 a1 = *reinterpret_cast<const float4*>(as + k * SA + BM / 2 + ty * 4);
            float4 b0 = *reinterpret_cast<const float4*>(bs + k * SB + tx * 4);
            float4 b1 = *reinterpret_cast<const float4*>(bs + k * SB + BN / 2 + tx * 4);
            float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; ++i)
#pragma unroll
                for (int j = 0; j < 8; ++j) acc[i][j] += a[i] * b[j];
        }
        if (more)
        {
            // The other buffer was last read in the previous step, before the barrier that ended it.
            sgemm_stage<BM, THREADS, Tiles::a_deep>(reinterpret_cast<float*>(sgemm_a[cur ^ 1]), ra);
            sgemm_stage<BN, THREADS, Tiles::b_deep>(reinterpret_cast<float*>(sgemm_b[cur ^ 1]), rb);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; ++i)
    {
        int row = row0 + (i >> 2) * (BM / 2) + ty * 4 + (i & 3);
        if (row >= m) continue;
        float* out = c + tiles.out_offset(row);
#pragma unroll
        for (int h = 0; h < 2; ++h)
        {
            int col = col0 + h * (BN / 2) + tx * 4;
            const float* v = acc[i] + h * 4;
            if (vecC && col + 3 < n)
            {
                *reinterpret_cast<float4*>(out + col) = make_float4(v[0], v[1], v[2], v[3]);
                continue;
            }
#pragma unroll
            for (int j = 0; j < 4; ++j)
                if (col + j < n) out[col + j] = v[j];
        }
    }
}

// The panels of op(A) and op(B) for dense row-major operands. A is stored m x k (deep: a row's k are adjacent)
// or, transposed, k x m (wide); B is stored k x n (wide) or, transposed, n x k (deep).
template <int BM, int BN, bool TA, bool TB>
struct sgemm_dense_tiles
{
    static constexpr int THREADS = (BM / 8) * (BN / 8);
    static constexpr bool a_deep = !TA, b_deep = TB;

    const float* a;
    const float* b;
    int m, n, k0, kEnd, lda, ldb, ldc, vec;

    __device__ __forceinline__ void next(float4* ra, float4* rb)
    {
        sgemm_load_dense<BM, THREADS, !TA>(a, lda, m, blockIdx.x * BM, k0, kEnd, (vec & 1) != 0, ra);
        sgemm_load_dense<BN, THREADS, TB>(b, ldb, n, blockIdx.y * BN, k0, kEnd, (vec & 2) != 0, rb);
        k0 += SGEMM_BK;
    }

    __device__ __forceinline__ int out_offset(int row) const { return row * ldc; }
};

// Block (x, y, z) computes tile (x, y) of C over the z-th slice of the reduction, k in [z * kChunk, (z + 1) *
// kChunk), into c + z * m * n: with one slice that is the product itself; with several (a product too small
// to fill the device, with a long reduction) it is a partial product that sgemm_sum_splits_f32 adds up.
// vec: bit 0 A, bit 1 B, bit 2 C may be read or written as float4s (16-byte aligned, leading dimension a
// multiple of 4).
template <int BM, int BN, bool TA, bool TB>
__device__ __forceinline__ void sgemm_run(const float* a, const float* b, float* c, int m, int n, int k, int kChunk, int vec)
{
    sgemm_dense_tiles<BM, BN, TA, TB> tiles;
    tiles.a = a;
    tiles.b = b;
    tiles.m = m;
    tiles.n = n;
    tiles.k0 = blockIdx.z * kChunk;
    tiles.kEnd = min(k, tiles.k0 + kChunk);
    tiles.lda = TA ? m : k;
    tiles.ldb = TB ? k : n;
    tiles.ldc = n;
    tiles.vec = vec;
    int steps = tiles.kEnd > tiles.k0 ? (tiles.kEnd - tiles.k0 + SGEMM_BK - 1) / SGEMM_BK : 0;
    sgemm_block<BM, BN>(tiles, steps, c + (long long)blockIdx.z * m * n, m, n, blockIdx.x * BM, blockIdx.y * BN, (vec & 4) != 0);
}

// 128 x 128 tiles, 256 threads; grid (ceil(m / 128), ceil(n / 128), slices).
extern "C" __global__ void __launch_bounds__(256, 2) sgemm_nn_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                        int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 128, false, false>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_nt_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                        int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 128, false, true>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_tn_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                        int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 128, true, false>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_tt_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                        int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 128, true, true>(a, b, c, m, n, k, kChunk, vec);
}

// 128 x 64 tiles, 128 threads, for n <= 64; grid (ceil(m / 128), ceil(n / 64), slices).
extern "C" __global__ void __launch_bounds__(128, 4) sgemm_nn_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                            int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 64, false, false>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(128, 4) sgemm_nt_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                            int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 64, false, true>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(128, 4) sgemm_tn_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                            int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 64, true, false>(a, b, c, m, n, k, kChunk, vec);
}

extern "C" __global__ void __launch_bounds__(128, 4) sgemm_tt_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                            int m, int n, int k, int kChunk, int vec)
{
    sgemm_run<128, 64, true, true>(a, b, c, m, n, k, kChunk, vec);
}

// y = the sum of `splits` partial products of `count` elements each, stored one after another, added in slice
// order so that the result does not depend on scheduling. One thread per element.
extern "C" __global__ void sgemm_sum_splits_f32(const float* __restrict__ partials, int splits, int count, float* __restrict__ y)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= count) return;
    float sum = partials[i];
    for (int s = 1; s < splits; ++s) sum += partials[(long long)s * count + i];
    y[i] = sum;
}

// Batched products, C_z = op(A_z) op(B_z) for every matrix z of the result (MatMul of rank 3 and more): block (x, y, z)
// computes tile (x, y) of product z. `batches` walks the result's batch axes in units of whole matrices and gives,
// for product z, the index of the matrix of A and of B it reads; an operand broadcast along a batch axis has stride
// 0 there, so its matrices repeat without being copied. The reduction is never split, since grid z is the batch.
template <int BM, int BN, bool TA, bool TB>
__device__ __forceinline__ void sgemm_batched_run(const float* a, const float* b, float* c, int m, int n, int k, const Broadcast& batches, int vec)
{
    int aMatrix, bMatrix, unused;
    broadcast_offsets(batches, blockIdx.z, aMatrix, bMatrix, unused);
    sgemm_dense_tiles<BM, BN, TA, TB> tiles;
    tiles.a = a + (long long)aMatrix * m * k;
    tiles.b = b + (long long)bMatrix * k * n;
    tiles.m = m;
    tiles.n = n;
    tiles.k0 = 0;
    tiles.kEnd = k;
    tiles.lda = TA ? m : k;
    tiles.ldb = TB ? k : n;
    tiles.ldc = n;
    tiles.vec = vec;
    int steps = (k + SGEMM_BK - 1) / SGEMM_BK;
    sgemm_block<BM, BN>(tiles, steps, c + (long long)blockIdx.z * m * n, m, n, blockIdx.x * BM, blockIdx.y * BN, (vec & 4) != 0);
}

// 128 x 128 tiles, 256 threads; grid (ceil(m / 128), ceil(n / 128), products).
extern "C" __global__ void __launch_bounds__(256, 2) sgemm_batched_nn_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 128, false, false>(a, b, c, m, n, k, batches, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_batched_nt_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 128, false, true>(a, b, c, m, n, k, batches, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_batched_tn_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 128, true, false>(a, b, c, m, n, k, batches, vec);
}

extern "C" __global__ void __launch_bounds__(256, 2) sgemm_batched_tt_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 128, true, true>(a, b, c, m, n, k, batches, vec);
}

// 128 x 64 tiles, 128 threads, for n <= 64; grid (ceil(m / 128), ceil(n / 64), products).
extern "C" __global__ void __launch_bounds__(128, 4) sgemm_batched_nn_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                    int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 64, false, false>(a, b, c, m, n, k, batches, vec);
}

extern "C" __global__ void __launch_bounds__(128, 4) sgemm_batched_nt_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                    int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 64, false, true>(a, b, c, m, n, k, batches, vec);
}

// Three blocks per SM, not four: the batch's own a and b pointers live in registers where the plain kernel reads
// its operands' bases from parameter memory, and with both panels loaded wide ptxas 11.8 spilled 72 bytes of this
// variant at the 128-register bound (NvrtcCompileTests); the three others fit.
extern "C" __global__ void __launch_bounds__(128, 3) sgemm_batched_tn_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                    int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 64, true, false>(a, b, c, m, n, k, batches, vec);
}

extern "C" __global__ void __launch_bounds__(128, 4) sgemm_batched_tt_n64_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                                                    int m, int n, int k, Broadcast batches, int vec)
{
    sgemm_batched_run<128, 64, true, true>(a, b, c, m, n, k, batches, vec);
}
