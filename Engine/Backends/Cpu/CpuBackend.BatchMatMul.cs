using System.Numerics;
using System.Runtime.CompilerServices;
using GraphDL.Backends.Cpu.Blas;
using MathNet.Numerics.Providers.LinearAlgebra;
using BlasTranspose = MathNet.Numerics.Providers.LinearAlgebra.Transpose;

namespace GraphDL.Backends.Cpu;

// MatMul over batches: one GEMM per matrix of y, straight on the tensors' buffers when the BLAS is native. The
// products run one after another: the BLAS threads each product large enough to pay for it, and splitting a batch
// of small products across the cores waits for a benchmark that shows it pays (the BLAS's thread count is one
// process-wide setting, which two threads' products would have to agree on).
public sealed partial class CpuBackend
{
    private static void BatchMatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: BatchMatMul<float>(a, b, transposeA, transposeB, y); break;
            case DType.Float64: BatchMatMul<double>(a, b, transposeA, transposeB, y); break;
            default: throw Unsupported(nameof(MatMul), y.DType);
        }
    }

    private static unsafe void BatchMatMul<T>(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y)
        where T : unmanaged, INumber<T>
    {
        var batch = new BatchGeometry(a.Shape, b.Shape, transposeA, transposeB, y.Shape);
        T[] xs = a.Buffer<T>(), ws = b.Buffer<T>(), ys = y.Buffer<T>();
        if (batch.Products == 0 || batch.M == 0 || batch.N == 0) return;
        if (BlasProvider.LinearAlgebra is CblasLinearAlgebraProvider native)
        {
            fixed (T* pa = xs, pb = ws, pc = ys)
                for (int i = 0; i < batch.Products; i++)
                {
                    var (aOffset, bOffset) = batch.Offsets(i);
                    NativeGemm(native.Blas, batch, pa + aOffset, pb + bOffset, pc + (long)i * batch.M * batch.N);
                }
            return;
        }
        // A managed provider takes whole arrays, so each matrix is copied out and its product copied back.
        T[] aMatrix = new T[batch.AMatrix], bMatrix = new T[batch.BMatrix], yMatrix = new T[batch.M * batch.N];
        for (int i = 0; i < batch.Products; i++)
        {
            var (aOffset, bOffset) = batch.Offsets(i);
            Array.Copy(xs, aOffset, aMatrix, 0, aMatrix.Length);
            Array.Copy(ws, bOffset, bMatrix, 0, bMatrix.Length);
            ManagedGemm(batch, aMatrix, bMatrix, yMatrix);
            Array.Copy(yMatrix, 0, ys, (long)i * yMatrix.Length, yMatrix.Length);
        }
    }

    /// <summary>
    /// One row-major product y = op(a) op(b) through the native CBLAS. As in <see cref="MatMul"/>, the column-major
    /// library computes yᵀ = op(b)ᵀ op(a)ᵀ on the same memory: the operands swap, the leading dimensions are the
    /// row-major row lengths.
    /// </summary>
    private static unsafe void NativeGemm<T>(NativeBlas blas, in BatchGeometry g, T* a, T* b, T* y) where T : unmanaged
    {
        int lda = Math.Max(1, g.TransposeA ? g.M : g.K), ldb = Math.Max(1, g.TransposeB ? g.K : g.N);
        if (typeof(T) == typeof(float))
            blas.Sgemm(g.TransposeB, g.TransposeA, g.N, g.M, g.K, 1f, (float*)b, ldb, (float*)a, lda, 0f, (float*)y, g.N);
        else
            blas.Dgemm(g.TransposeB, g.TransposeA, g.N, g.M, g.K, 1d, (double*)b, ldb, (double*)a, lda, 0d, (double*)y, g.N);
    }

    private static void ManagedGemm<T>(in BatchGeometry g, T[] a, T[] b, T[] y)
    {
        var provider = BlasProvider.LinearAlgebra;
        var ta = g.TransposeA ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        var tb = g.TransposeB ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        int aRows = g.TransposeA ? g.K : g.M, aColumns = g.TransposeA ? g.M : g.K;
        int bRows = g.TransposeB ? g.N : g.K, bColumns = g.TransposeB ? g.K : g.N;
        if (typeof(T) == typeof(float))
            provider.MatrixMultiplyWithUpdate(tb, ta, 1f, Unsafe.As<float[]>(b), bColumns, bRows,
                Unsafe.As<float[]>(a), aColumns, aRows, 0f, Unsafe.As<float[]>(y));
        else
            provider.MatrixMultiplyWithUpdate(tb, ta, 1d, Unsafe.As<double[]>(b), bColumns, bRows,
                Unsafe.As<double[]>(a), aColumns, aRows, 0d, Unsafe.As<double[]>(y));
    }

    /// <summary>
    /// The products of a batched MatMul: their sizes, and which matrix of a and of b the i-th matrix of y reads
    /// (the batch axes broadcast, so an operand with a size-1 or missing batch axis repeats its matrices).
    /// </summary>
    private readonly struct BatchGeometry
    {
        private readonly Shape _a, _b, _y;

        public int M => _y[-2];
        public int N => _y[-1];
        public int K { get; }
        public bool TransposeA { get; }
        public bool TransposeB { get; }
        public int Products => _y.SizeOf(0, _y.Rank - 2);
        public int AMatrix => M * K;
        public int BMatrix => K * N;

        /// <summary>Checks the shapes without building new ones, so that a steady training step allocates nothing.</summary>
        public BatchGeometry(Shape a, Shape b, bool transposeA, bool transposeB, Shape y)
        {
            (_a, _b, _y, TransposeA, TransposeB) = (a, b, y, transposeA, transposeB);
            K = transposeA ? a[-2] : a[-1];
            bool fits = a.Rank >= 2 && b.Rank >= 2 && y.Rank == Math.Max(a.Rank, b.Rank)
                && (transposeA ? a[-1] : a[-2]) == M && (transposeB ? b[-1] : b[-2]) == K && (transposeB ? b[-2] : b[-1]) == N;
            for (int axis = 0; fits && axis < y.Rank - 2; axis++)
                fits = BroadcastsInto(a, axis) && BroadcastsInto(b, axis);
            if (!fits)
                throw new ShapeException($"MatMul of {a}{(transposeA ? "ᵀ" : "")} and {b}{(transposeB ? "ᵀ" : "")} cannot fill a result of shape {y}.");
        }

        private bool BroadcastsInto(Shape operand, int axis)
        {
            int own = axis - (_y.Rank - operand.Rank);
            return own < 0 || operand[own] == 1 || operand[own] == _y[axis];
        }

        /// <summary>The element offsets of the matrices of a and b that product <paramref name="index"/> multiplies.</summary>
        public (long A, long B) Offsets(int index)
        {
            long aMatrix = 0, bMatrix = 0, aStride = 1, bStride = 1;
            for (int axis = _y.Rank - 3; axis >= 0; axis--)
            {
                int i = index % _y[axis];
                index /= _y[axis];
                // Batch axes align from the right, as in broadcasting; a size-1 axis of an operand stays at 0.
                int aAxis = axis - (_y.Rank - _a.Rank), bAxis = axis - (_y.Rank - _b.Rank);
                if (aAxis >= 0)
                {
                    if (_a[aAxis] != 1) aMatrix += i * aStride;
                    aStride *= _a[aAxis];
                }
                if (bAxis >= 0)
                {
                    if (_b[bAxis] != 1) bMatrix += i * bStride;
                    bStride *= _b[bAxis];
                }
            }
            return (aMatrix * M * K, bMatrix * K * N);
        }
    }
}
