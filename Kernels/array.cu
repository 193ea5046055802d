// Ops that move elements without arithmetic (transpose, slice, concat, gather, one-hot, tile) and the sums their
// gradients need. Moving kernels come by element size, not by dtype: *_b32 moves 4-byte elements (Float32 and
// Int32), *_b8 moves 1-byte ones (Bool), each pair a one-line kernel over a template of the element type.
// Kernels that add are Float32 (*_f32).
//
// Most kernels run one thread per element of the tensor they write and work out where that element comes from,
// so no two threads write one place: the gradients below sum their repeats in a fixed order, the CPU's, and
// come out bit for bit the same (GatherGrad's scatter form for many indices is the one exception).

// y[i] = x[offset + sum_a index_a(i) strides[a]], index(i) the row-major index of i in dims: a transpose
// (strides = x's stride for each axis of y) or a slice (offset = where the block starts).
struct array_strided
{
    int rank;
    int offset;
    int dims[GRAPHDL_MAX_RANK];
    int strides[GRAPHDL_MAX_RANK];
};

// A block of shape block[] that starts at begin[] inside a tensor of shape dims[].
struct array_block
{
    int rank;
    int dims[GRAPHDL_MAX_RANK];
    int begin[GRAPHDL_MAX_RANK];
    int block[GRAPHDL_MAX_RANK];
};

// A tensor of shape source[] repeated into one of shape tiled[] (each tiled[a] a multiple of source[a]).
struct array_tiling
{
    int rank;
    int source[GRAPHDL_MAX_RANK];
    int tiled[GRAPHDL_MAX_RANK];
};

__device__ __forceinline__ int array_strided_offset(const array_strided& s, int i)
{
    int offset = s.offset;
    for (int a = s.rank - 1; a >= 0; a--)
    {
        int d = s.dims[a];
        offset += (i % d) * s.strides[a];
        i /= d;
    }
    return offset;
}

// The row-major offset in the block of element i of the large tensor, or -1 when i lies outside the block.
__device__ __forceinline__ int array_block_offset(const array_block& b, int i)
{
    int offset = 0, scale = 1;
    for (int a = b.rank - 1; a >= 0; a--)
    {
        int d = b.dims[a];
        int inBlock = i % d - b.begin[a];
        i /= d;
        if (inBlock < 0 || inBlock >= b.block[a]) return -1;
        offset += inBlock * scale;
        scale *= b.block[a];
    }
    return offset;
}

// The offset in the source of element i of the tiled tensor.
__device__ __forceinline__ int array_tile_source(const array_tiling& t, int i)
{
    int offset = 0, scale = 1;
    for (int a = t.rank - 1; a >= 0; a--)
    {
        int d = t.tiled[a];
        offset += (i % d) % t.source[a] * scale;
        i /= d;
        scale *= t.source[a];
    }
    return offset;
}

// Transpose and Slice alike: element i of y is read from x at the offset the layout gives.
template <typename T>
__device__ __forceinline__ void array_strided_copy(const T* __restrict__ x, T* __restrict__ y, int n, const array_strided& layout)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    y[i] = x[array_strided_offset(layout, (int)i)];
}

// y = x with its axes permuted, layout.dims being y's. The backend first drops axes of length 1 and merges axes
// that stay neighbours in the same order, so the kernel divides by as few dims as describe the move.
extern "C" __global__ void transpose_b32(const int* __restrict__ x, int* __restrict__ y, int n, array_strided layout) { array_strided_copy(x, y, n, layout); }
extern "C" __global__ void transpose_b8(const unsigned char* __restrict__ x, unsigned char* __restrict__ y, int n, array_strided layout) { array_strided_copy(x, y, n, layout); }

#define ARRAY_TILE 32
#define ARRAY_TILE_ROWS 8

// y (batches, cols, rows) = x (batches, rows, cols) with the last two axes swapped, through a 32x32 tile in shared
// memory so that both the reads and the writes are coalesced. Block (32, 8); grid.x = tiles across x times
// tiles down x times batches, the batch being what is left of the block index (grid.x, unlike y and z, has room
// for any tensor that fits in an int).
extern "C" __global__ void transpose_tiled_b32(const int* __restrict__ x, int* __restrict__ y, int rows, int cols)
{
    __shared__ int tile[ARRAY_TILE][ARRAY_TILE + 1];   // the +1 staggers the column reads across banks
    int tilesAcross = (cols + ARRAY_TILE - 1) / ARRAY_TILE, tilesDown = (rows + ARRAY_TILE - 1) / ARRAY_TILE;
    int t = blockIdx.x;
    int firstCol = t % tilesAcross * ARRAY_TILE;
    t /= tilesAcross;
    int firstRow = t % tilesDown * ARRAY_TILE;
    int batch = t / tilesDown;
    long long base = (long long)batch * rows * cols;
    int col = firstCol + threadIdx.x;
    for (int r = threadIdx.y; r < ARRAY_TILE; r += ARRAY_TILE_ROWS)
    {
        int row = firstRow + r;
        if (row < rows && col < cols) tile[r][threadIdx.x] = x[base + (long long)row * cols + col];
    }
    __syncthreads();
    int row = firstRow + threadIdx.x;
    for (int c = threadIdx.y; c < ARRAY_TILE; c += ARRAY_TILE_ROWS)
    {
        int outRow = firstCol + c;
        if (outRow < cols && row < rows) y[base + (long long)outRow * rows + row] = tile[threadIdx.x][c];
    }
}

extern "C" __global__ void slice_b32(const int* __restrict__ x, int* __restrict__ y, int n, array_strided layout) { array_strided_copy(x, y, n, layout); }
extern "C" __global__ void slice_b8(const unsigned char* __restrict__ x, unsigned char* __restrict__ y, int n, array_strided layout) { array_strided_copy(x, y, n, layout); }

// dx = zeros with dout written at the block: every element of dx is written once, as dout's or as zero bits.
template <typename T>
__device__ __forceinline__ void array_slice_grad(const T* __restrict__ dout, T* __restrict__ dx, int n, array_block layout)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int from = array_block_offset(layout, (int)i);
    dx[i] = from < 0 ? 0 : dout[from];
}

extern "C" __global__ void slice_grad_b32(const int* __restrict__ dout, int* __restrict__ dx, int n, array_block layout) { array_slice_grad(dout, dx, n, layout); }
extern "C" __global__ void slice_grad_b8(const unsigned char* __restrict__ dout, unsigned char* __restrict__ dx, int n, array_block layout) { array_slice_grad(dout, dx, n, layout); }

// One input of a concatenation: x, viewed as (outer, partRow), goes to columns [column, column + partRow) of y
// viewed as (outer, rowLength). One launch per input; n = outer * partRow.
template <typename T>
__device__ __forceinline__ void array_concat(const T* __restrict__ x, T* __restrict__ y, int n, int partRow, int rowLength, int column)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int o = (int)i / partRow;
    y[(long long)o * rowLength + column + ((int)i - o * partRow)] = x[i];
}

extern "C" __global__ void concat_b32(const int* __restrict__ x, int* __restrict__ y, int n, int partRow, int rowLength, int column) { array_concat(x, y, n, partRow, rowLength, column); }
extern "C" __global__ void concat_b8(const unsigned char* __restrict__ x, unsigned char* __restrict__ y, int n, int partRow, int rowLength, int column) { array_concat(x, y, n, partRow, rowLength, column); }

// x viewed as (outer, rows, inner), y as (outer, k, inner), k = count of indices: y[o, j, :] = x[o, indices[j], :].
// The backend checks the indices before launching; one outside [0, rows) still reads nothing and gives zero bits.
template <typename T>
__device__ __forceinline__ void array_gather(const T* __restrict__ x, const int* __restrict__ indices, T* __restrict__ y,
                                      int n, int rows, int k, int inner)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int in = (int)i % inner, oj = (int)i / inner;
    int j = oj % k, o = oj / k;
    int row = indices[j];
    y[i] = (unsigned)row < (unsigned)rows ? x[((long long)o * rows + row) * inner + in] : 0;
}

extern "C" __global__ void gather_b32(const int* __restrict__ x, const int* __restrict__ indices, int* __restrict__ y,
                                      int n, int rows, int k, int inner) { array_gather(x, indices, y, n, rows, k, inner); }
extern "C" __global__ void gather_b8(const unsigned char* __restrict__ x, const int* __restrict__ indices, unsigned char* __restrict__ y,
                                     int n, int rows, int k, int inner) { array_gather(x, indices, y, n, rows, k, inner); }

// Gather's gradient in gather form: one thread per element of dx (outer, rows, inner) adds the dout rows whose
// index names its row, in index order from zero, as the CPU does; so repeats add up in the same order and no two
// threads write one place. Its work grows with rows times k, so the backend uses it for a few indices only.
extern "C" __global__ void gather_grad_f32(const float* __restrict__ dout, const int* __restrict__ indices, float* __restrict__ dx,
                                           int n, int rows, int k, int inner)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int in = (int)i % inner, orow = (int)i / inner;
    int row = orow % rows, o = orow / rows;
    const float* from = dout + (long long)o * k * inner + in;
    float sum = 0.0f;
    for (int j = 0; j < k; j++)
        if (indices[j] == row) sum += from[(long long)j * inner];
    dx[i] = sum;
}

// The scatter form for many indices: dx is cleared by gather_grad_zero_f32, then one thread per element of dout
// adds it at its index. Repeats meet in atomicAdd in no fixed order, so their sum may differ in the last bits.
extern "C" __global__ void gather_grad_zero_f32(float* __restrict__ dx, int n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < (unsigned)n) dx[i] = 0.0f;
}

extern "C" __global__ void gather_grad_scatter_f32(const float* __restrict__ dout, const int* __restrict__ indices, float* __restrict__ dx,
                                                   int n, int rows, int k, int inner)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int in = (int)i % inner, oj = (int)i / inner;
    int j = oj % k, o = oj / k;
    int row = indices[j];
    if ((unsigned)row < (unsigned)rows) atomicAdd(dx + ((long long)o * rows + row) * inner + in, dout[i]);
}

// y (count, depth) = on where the class is the index, off elsewhere; an index outside [0, depth) gives a row of
// off. on and off arrive as the bits of the output's dtype.
template <typename T>
__device__ __forceinline__ void array_one_hot(const int* __restrict__ indices, T* __restrict__ y, int n, int depth, int on, int off)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int row = (int)i / depth;
    y[i] = (T)(indices[row] == (int)i - row * depth ? on : off);
}

extern "C" __global__ void one_hot_b32(const int* __restrict__ indices, int* __restrict__ y, int n, int depth, int on, int off) { array_one_hot(indices, y, n, depth, on, off); }
extern "C" __global__ void one_hot_b8(const int* __restrict__ indices, unsigned char* __restrict__ y, int n, int depth, int on, int off) { array_one_hot(indices, y, n, depth, on, off); }

// y = x repeated along every axis; n = y's size.
template <typename T>
__device__ __forceinline__ void array_tile(const T* __restrict__ x, T* __restrict__ y, int n, array_tiling layout)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    y[i] = x[array_tile_source(layout, (int)i)];
}

extern "C" __global__ void tile_b32(const int* __restrict__ x, int* __restrict__ y, int n, array_tiling layout) { array_tile(x, y, n, layout); }
extern "C" __global__ void tile_b8(const unsigned char* __restrict__ x, unsigned char* __restrict__ y, int n, array_tiling layout) { array_tile(x, y, n, layout); }

// dx = the sum of dout's tiles: one thread per element of dx (n = its size) visits its copies in row-major order
// of the copies, which is the order of their offsets in dout and so the order the CPU adds them in.
extern "C" __global__ void tile_grad_f32(const float* __restrict__ dout, float* __restrict__ dx, int n, array_tiling layout)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int rank = layout.rank;
    int position[GRAPHDL_MAX_RANK];   // this element's index in dx
    int copy[GRAPHDL_MAX_RANK];       // which copy along each axis
    int rest = (int)i, copies = 1;
    for (int a = rank - 1; a >= 0; a--)
    {
        position[a] = rest % layout.source[a];
        rest /= layout.source[a];
        copy[a] = 0;
        copies *= layout.tiled[a] / layout.source[a];
    }
    float sum = 0.0f;
    for (int c = 0; c < copies; c++)
    {
        int offset = 0;
        for (int a = 0; a < rank; a++) offset = offset * layout.tiled[a] + copy[a] * layout.source[a] + position[a];
        sum += dout[offset];
        for (int a = rank - 1; a >= 0; a--)
        {
            if (++copy[a] < layout.tiled[a] / layout.source[a]) break;
            copy[a] = 0;
        }
    }
    dx[i] = sum;
}

// A tensor of shape source[] padded into one of shape padded[], before[a] cells ahead of it along each axis a.
// mode is PadMode's value: 0 Constant, 1 Reflect (mirrored about the edge cell), 2 Symmetric (about the edge).
struct array_padding
{
    int rank;
    int mode;
    int source[GRAPHDL_MAX_RANK];
    int padded[GRAPHDL_MAX_RANK];
    int before[GRAPHDL_MAX_RANK];
};

// The cell of an axis of length cells that position i reads, i counted from the first cell of the source
// (negative: in the padding before it), or -1 for a constant cell. Paddings are no wider than one mirror image.
__device__ __forceinline__ int array_pad_source(int i, int length, int mode)
{
    if (i >= 0 && i < length) return i;
    if (mode == 1) return i < 0 ? -i : 2 * (length - 1) - i;
    if (mode == 2) return i < 0 ? -i - 1 : 2 * length - 1 - i;
    return -1;
}

// The offset in the source of element i of the padded tensor, or -1 when it is a constant cell.
__device__ __forceinline__ int array_padded_offset(const array_padding& p, int i)
{
    int offset = 0, scale = 1;
    for (int a = p.rank - 1; a >= 0; a--)
    {
        int d = p.padded[a];
        int from = array_pad_source(i % d - p.before[a], p.source[a], p.mode);
        i /= d;
        if (from < 0) return -1;
        offset += from * scale;
        scale *= p.source[a];
    }
    return offset;
}

// y = x padded; n = y's size. The constant arrives as the bits of the dtype, as one_hot's values do.
template <typename T>
__device__ __forceinline__ void array_pad(const T* __restrict__ x, T* __restrict__ y, int n, const array_padding& layout, int constant)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int from = array_padded_offset(layout, (int)i);
    y[i] = from < 0 ? (T)constant : x[from];
}

extern "C" __global__ void pad_b32(const int* __restrict__ x, int* __restrict__ y, int n, array_padding layout, int constant) { array_pad(x, y, n, layout, constant); }
extern "C" __global__ void pad_b8(const unsigned char* __restrict__ x, unsigned char* __restrict__ y, int n, array_padding layout, int constant) { array_pad(x, y, n, layout, constant); }

// Pad's gradient in the mirror modes: one thread per element of dx (n = its size) sums the cells of dout that
// read it. Along each axis at most three positions read a cell (the cell itself and its mirror images before and
// after), and visiting their combinations with axis 0 slowest is dout's row-major order, the order in which the
// CPU adds them, so the sum comes out the same bits.
extern "C" __global__ void pad_grad_f32(const float* __restrict__ dout, float* __restrict__ dx, int n, array_padding layout)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (unsigned)n) return;
    int rank = layout.rank;
    int readers[GRAPHDL_MAX_RANK][3];   // along each axis, the padded positions that read this cell, ascending
    int count[GRAPHDL_MAX_RANK];
    int pick[GRAPHDL_MAX_RANK];         // which reader along each axis the current combination takes
    int rest = (int)i;
    bool anyReader = true;
    for (int a = rank - 1; a >= 0; a--)
    {
        int length = layout.source[a], ahead = layout.before[a];
        int cell = rest % length;
        rest /= length;
        // Every position that could mirror onto the cell, ascending; the ones that really read it are kept.
        int candidates[5] = { ahead - cell - 1, ahead - cell, ahead + cell, ahead + 2 * length - 2 - cell, ahead + 2 * length - 1 - cell };
        count[a] = 0;
        pick[a] = 0;
        for (int c = 0; c < 5; c++)
        {
            int p = candidates[c];
            if (p < 0 || p >= layout.padded[a] || (count[a] > 0 && readers[a][count[a] - 1] == p)) continue;
            if (count[a] < 3 && array_pad_source(p - ahead, length, layout.mode) == cell) readers[a][count[a]++] = p;
        }
        if (count[a] == 0) anyReader = false;
    }
    float sum = 0.0f;
    while (anyReader)
    {
        int offset = 0;
        for (int a = 0; a < rank; a++) offset = offset * layout.padded[a] + readers[a][pick[a]];
        sum += dout[offset];
        int a = rank - 1;
        for (; a >= 0; a--)
        {
            if (++pick[a] < count[a]) break;
            pick[a] = 0;
        }
        if (a < 0) break;
    }
    dx[i] = sum;
}
