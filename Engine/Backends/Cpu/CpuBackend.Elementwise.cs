using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Unary(UnaryFn fn, Tensor x, Tensor y, double alpha = 0)
    {
        switch (y.DType)
        {
            case DType.Float32: CpuParallel.Run(new UnaryJob<float>(fn, x.Buffer<float>(), y.Buffer<float>(), (float)alpha), y.Size); break;
            case DType.Float64: CpuParallel.Run(new UnaryJob<double>(fn, x.Buffer<double>(), y.Buffer<double>(), alpha), y.Size); break;
            case DType.Int32: UnaryInt(fn, x.ReadOnlySpan<int>(), y.Span<int>()); break;
            default: throw Unsupported(fn.ToString(), y.DType);
        }
    }

    private readonly record struct UnaryJob<T>(UnaryFn Fn, T[] X, T[] Y, T Alpha) : IRangeJob where T : IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) => Unary(Fn, X.AsSpan(start..end), Y.AsSpan(start..end), Alpha);
    }

    private static void Unary<T>(UnaryFn fn, ReadOnlySpan<T> x, Span<T> y, T alpha) where T : IFloatingPointIeee754<T>
    {
        switch (fn)
        {
            case UnaryFn.Identity: x.CopyTo(y); break;
            case UnaryFn.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryFn.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryFn.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryFn.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryFn.Rsqrt: TensorPrimitives.ReciprocalSqrt(x, y); break;
            case UnaryFn.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryFn.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryFn.Log: TensorPrimitives.Log(x, y); break;
            case UnaryFn.Sin: TensorPrimitives.Sin(x, y); break;
            case UnaryFn.Cos: TensorPrimitives.Cos(x, y); break;
            case UnaryFn.Floor: TensorPrimitives.Floor(x, y); break;
            case UnaryFn.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryFn.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryFn.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryFn.Sign:
                for (int i = 0; i < y.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : T.CreateTruncating(T.Sign(x[i]));
                break;
            case UnaryFn.Step:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] >= T.Zero ? T.One : T.Zero;
                break;
            case UnaryFn.Softplus:
                // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): never overflows.
                for (int i = 0; i < y.Length; i++) y[i] = T.Max(x[i], T.Zero) + T.LogP1(T.Exp(-T.Abs(x[i])));
                break;
            case UnaryFn.LeakyRelu:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > T.Zero ? x[i] : alpha * x[i];
                break;
            case UnaryFn.Elu:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > T.Zero ? x[i] : alpha * (T.Exp(x[i]) - T.One);
                break;
            case UnaryFn.Tan: TensorPrimitives.Tan(x, y); break;
            case UnaryFn.Atan: TensorPrimitives.Atan(x, y); break;
            case UnaryFn.Round: TensorPrimitives.Round(x, y); break;   // MidpointRounding.ToEven, as tf.round
            // Not TensorPrimitives.LogP1/ExpM1: they compute ln(x + 1) and eˣ - 1 as written, which loses x near 0.
            case UnaryFn.Log1p:
                for (int i = 0; i < y.Length; i++) y[i] = NearZero.Log1p(x[i]);
                break;
            case UnaryFn.Expm1:
                for (int i = 0; i < y.Length; i++) y[i] = NearZero.Expm1(x[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fn), fn, null);
        }
    }

    private static void UnaryInt(UnaryFn fn, ReadOnlySpan<int> x, Span<int> y)
    {
        switch (fn)
        {
            case UnaryFn.Identity: x.CopyTo(y); break;
            case UnaryFn.Neg: TensorPrimitives.Negate(x, y); break;
            // TensorPrimitives.Abs throws on int.MinValue; like C's abs on the GPU and NumPy, it stays int.MinValue.
            case UnaryFn.Abs: for (int i = 0; i < y.Length; i++) y[i] = x[i] < 0 ? unchecked(-x[i]) : x[i]; break;
            case UnaryFn.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryFn.Sign: for (int i = 0; i < y.Length; i++) y[i] = Math.Sign(x[i]); break;
            default: throw Unsupported(fn.ToString(), DType.Int32);
        }
    }

    /// <inheritdoc/>
    public void Binary(BinaryFn fn, Tensor a, Tensor b, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: BinaryFloating<float>(fn, a, b, y); break;
            case DType.Float64: BinaryFloating<double>(fn, a, b, y); break;
            case DType.Int32:
                switch (fn)
                {
                    case BinaryFn.Add: Broadcast<int, AddKernel<int>>(a, b, y); break;
                    case BinaryFn.Sub: Broadcast<int, SubKernel<int>>(a, b, y); break;
                    case BinaryFn.Mul: Broadcast<int, MulKernel<int>>(a, b, y); break;
                    case BinaryFn.Maximum: Broadcast<int, MaximumKernel<int>>(a, b, y); break;
                    case BinaryFn.Minimum: Broadcast<int, MinimumKernel<int>>(a, b, y); break;
                    default: throw Unsupported(fn.ToString(), DType.Int32);
                }
                break;
            default: throw Unsupported(fn.ToString(), y.DType);
        }
    }

    private static void BinaryFloating<T>(BinaryFn fn, Tensor a, Tensor b, Tensor y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (fn)
        {
            case BinaryFn.Add: Broadcast<T, AddKernel<T>>(a, b, y); break;
            case BinaryFn.Sub: Broadcast<T, SubKernel<T>>(a, b, y); break;
            case BinaryFn.Mul: Broadcast<T, MulKernel<T>>(a, b, y); break;
            case BinaryFn.Div: Broadcast<T, DivKernel<T>>(a, b, y); break;
            case BinaryFn.Pow: Broadcast<T, PowKernel<T>>(a, b, y); break;
            case BinaryFn.Maximum: Broadcast<T, MaximumKernel<T>>(a, b, y); break;
            case BinaryFn.Minimum: Broadcast<T, MinimumKernel<T>>(a, b, y); break;
            case BinaryFn.SquaredDifference: Broadcast<T, SquaredDifferenceKernel<T>>(a, b, y); break;
            case BinaryFn.ReluGrad: Broadcast<T, ReluGradKernel<T>>(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(fn), fn, null);
        }
    }

    private readonly record struct BinaryJob<T, TKernel>(T[] A, T[] B, T[] Y) : IRangeJob where TKernel : IBinaryKernel<T>
    {
        public void Run(int start, int end) => TKernel.Apply(A.AsSpan(start..end), B.AsSpan(start..end), Y.AsSpan(start..end));
    }

    /// <summary>The broadcasting driver shared by every binary function: equal shapes take one vectorised call.</summary>
    private static void Broadcast<T, TKernel>(Tensor a, Tensor b, Tensor y) where T : unmanaged where TKernel : IBinaryKernel<T>
    {
        ReadOnlySpan<T> sa = a.ReadOnlySpan<T>(), sb = b.ReadOnlySpan<T>();
        Span<T> sy = y.Span<T>();
        if (sa.Length == sy.Length && sb.Length == sy.Length && a.Shape == b.Shape)
        {
            CpuParallel.Run(new BinaryJob<T, TKernel>(a.Buffer<T>(), b.Buffer<T>(), y.Buffer<T>()), sy.Length);
            return;
        }
        var plan = BroadcastPlan.Of(y.Shape, a.Shape, b.Shape);
        int n = plan.RowLength;
        if (n < ShortRow)
        {
            if (plan.HasOneOuterAxis) ShortRows.Binary<T, TKernel>(sa, sb, sy, plan);
            else BroadcastShortRows<T, TKernel>(sa, sb, sy, plan);
            return;
        }
        if (n <= RepeatedRowMaxLength && !CpuTuning.EarlierPaths && RepeatedRowJob<T, TKernel>.Of(a, b, y, plan) is { } repeated)
        {
            CpuParallel.Run(repeated, sy.Length);
            return;
        }
        var rows = new BroadcastRowsJob<T, TKernel>(a.Buffer<T>(), b.Buffer<T>(), y.Buffer<T>(), plan);
        if (CpuTuning.EarlierPaths) rows.Run(0, sy.Length);
        else CpuParallel.Run(rows, sy.Length);
    }

    /// <summary>
    /// Rows up to this long that repeat over a whole operand (a bias over a batch, or over a convolution's pixels) take
    /// <see cref="RepeatedRowJob{T, TKernel}"/>: one kernel call per row would cost more in dispatch than a row's arithmetic.
    /// </summary>
    private const int RepeatedRowMaxLength = 256;

    /// <summary>
    /// One operand is a row repeated over every row of the other, which is contiguous (x + b with b of shape (C,) and x of
    /// (…, C)). The row is written out several times into a tile of about <see cref="RepeatedRowTile"/> elements, once per
    /// call, and the kernel runs over tile-long stretches instead of a row at a time: the convolution's bias over (100, 28,
    /// 28, 16) made 78,400 calls of 16 elements. The values are the same bits: the same kernel meets the same pairs.
    /// </summary>
    private readonly record struct RepeatedRowJob<T, TKernel>(T[] Full, T[] Tile, int TileLength, int RowLength, bool RowIsSecond, T[] Y)
        : IRangeJob where TKernel : IBinaryKernel<T>
    {
        [ThreadStatic] private static T[]? t_tile;

        /// <summary>The job when one of a, b is a repeated row over the other, else null; the tile is the calling thread's.</summary>
        public static RepeatedRowJob<T, TKernel>? Of(Tensor a, Tensor b, Tensor y, BroadcastPlan plan)
        {
            if (!plan.HasOneOuterAxis || plan.Rows < 2) return null;
            int n = plan.RowLength;
            bool IsContiguous(int operand) => plan.InnerStride[operand] == 1 && plan.RowStride(operand) == n;
            bool IsRepeatedRow(int operand) => plan.InnerStride[operand] == 1 && plan.RowStride(operand) == 0;
            bool rowIsSecond;
            if (IsContiguous(0) && IsRepeatedRow(1)) rowIsSecond = true;
            else if (IsRepeatedRow(0) && IsContiguous(1)) rowIsSecond = false;
            else return null;
            var row = (rowIsSecond ? b : a).ReadOnlySpan<T>()[..n];
            // Whole rows, one more than a stretch uses: a stretch that starts inside a row reads the tile from that phase.
            int rowsPerStretch = Math.Max(1, RepeatedRowTile / n), tileLength = (rowsPerStretch + 1) * n;
            var tile = t_tile is { } kept && kept.Length >= tileLength ? kept : t_tile = new T[Math.Max(tileLength, 2 * RepeatedRowTile)];
            for (int at = 0; at < tileLength; at += n) row.CopyTo(tile.AsSpan(at, n));
            return new RepeatedRowJob<T, TKernel>((rowIsSecond ? a : b).Buffer<T>(), tile, tileLength, n, rowIsSecond, y.Buffer<T>());
        }

        public void Run(int start, int end)
        {
            int stretch = TileLength - RowLength;
            for (int i = start; i < end;)
            {
                int length = Math.Min(stretch, end - i);
                ReadOnlySpan<T> row = Tile.AsSpan(i % RowLength, length), full = Full.AsSpan(i, length);
                if (RowIsSecond) TKernel.Apply(full, row, Y.AsSpan(i, length));
                else TKernel.Apply(row, full, Y.AsSpan(i, length));
                i += length;
            }
        }
    }

    /// <summary>Elements of a <see cref="RepeatedRowJob{T, TKernel}"/>'s stretch: long enough to make a kernel call's dispatch negligible, short enough to stay in L1.</summary>
    private const int RepeatedRowTile = 1024;

    /// <summary>
    /// The broadcast rows over a range of the output's elements; a range may start or end inside a row, so that large
    /// outputs are split between the cores as the same-shape ops are. A bias added to (256, 4096) activations took 0.47
    /// ms on one core and 0.41 ms split on the quiet machine, 0.43 and 0.31 ms under load (<c>Bench --mlp-ab</c>).
    /// The column sums of its gradient stay on one core: split into column blocks they measured 0.17 ms against 0.08.
    /// </summary>
    private readonly record struct BroadcastRowsJob<T, TKernel>(T[] A, T[] B, T[] Y, BroadcastPlan Plan) : IRangeJob where TKernel : IBinaryKernel<T>
    {
        public void Run(int start, int end)
        {
            int n = Plan.RowLength, strideA = Plan.InnerStride[0], strideB = Plan.InnerStride[1];
            for (int i = start; i < end;)
            {
                int row = i / n, within = i - row * n, length = Math.Min(n - within, end - i);
                int oa = Plan.Offset(0, row) + within * strideA, ob = Plan.Offset(1, row) + within * strideB;
                var yPart = Y.AsSpan(i, length);
                switch (strideA, strideB)
                {
                    case (1, 1): TKernel.Apply(A.AsSpan(oa, length), B.AsSpan(ob, length), yPart); break;
                    case (1, 0): TKernel.Apply(A.AsSpan(oa, length), B[ob], yPart); break;
                    case (0, 1): TKernel.Apply(A[oa], B.AsSpan(ob, length), yPart); break;
                    default: yPart.Fill(TKernel.Apply(A[oa], B[ob])); break;
                }
                i += length;
            }
        }
    }

    /// <summary>
    /// Rows shorter than this are walked element by element: a vectorised call per row of three (a softmax
    /// over three classes plus its bias) costs more in dispatch than the arithmetic. Measured on the Iris
    /// step: (150, 3) + (3,) took 2.4 us through per-row calls. That add is part of Bench's iris_step_us step
    /// (<c>dotnet run --project Bench -c Release -- --only iris_step_us</c>), whose time moves with it.
    /// </summary>
    private const int ShortRow = 16;

    private static void BroadcastShortRows<T, TKernel>(ReadOnlySpan<T> sa, ReadOnlySpan<T> sb, Span<T> sy, BroadcastPlan plan) where TKernel : IBinaryKernel<T>
    {
        int n = plan.RowLength, stepA = plan.InnerStride[0], stepB = plan.InnerStride[1];
        for (int row = 0, iy = 0; row < plan.Rows; row++)
        {
            int ia = plan.Offset(0, row), ib = plan.Offset(1, row);
            for (int k = 0; k < n; k++, ia += stepA, ib += stepB) sy[iy++] = TKernel.Apply(sa[ia], sb[ib]);
        }
    }

    /// <inheritdoc/>
    public void Compare(CompareFn fn, Tensor a, Tensor b, Tensor y)
    {
        switch (a.DType)
        {
            case DType.Float32: Compare<float>(fn, a, b, y); break;
            case DType.Float64: Compare<double>(fn, a, b, y); break;
            case DType.Int32: Compare<int>(fn, a, b, y); break;
            case DType.Bool when fn is CompareFn.Equal: Compare<bool, SameBool>(a, b, y); break;
            case DType.Bool when fn is CompareFn.NotEqual: Compare<bool, DifferentBool>(a, b, y); break;
            default: throw Unsupported(fn.ToString(), a.DType);
        }
    }

    private static void Compare<T>(CompareFn fn, Tensor a, Tensor b, Tensor y) where T : INumber<T>
    {
        switch (fn)
        {
            case CompareFn.Equal: Compare<T, IsEqual<T>>(a, b, y); break;
            case CompareFn.NotEqual: Compare<T, IsNotEqual<T>>(a, b, y); break;
            case CompareFn.Less: Compare<T, IsLess<T>>(a, b, y); break;
            case CompareFn.LessEqual: Compare<T, IsLessEqual<T>>(a, b, y); break;
            case CompareFn.Greater: Compare<T, IsGreater<T>>(a, b, y); break;
            default: Compare<T, IsGreaterEqual<T>>(a, b, y); break;
        }
    }

    // One loop for every comparison; the test is a static method of a struct, so the JIT inlines it.
    private static void Compare<T, TTest>(Tensor a, Tensor b, Tensor y) where TTest : IComparison<T>
    {
        ReadOnlySpan<T> sa = a.ReadOnlySpan<T>(), sb = b.ReadOnlySpan<T>();
        var sy = y.Span<bool>();
        var plan = BroadcastPlan.Of(y.Shape, a.Shape, b.Shape);
        int n = plan.RowLength, stepA = plan.InnerStride[0], stepB = plan.InnerStride[1];
        for (int row = 0; row < plan.Rows; row++)
        {
            int ia = plan.Offset(0, row), ib = plan.Offset(1, row);
            var yRow = sy.Slice(row * n, n);
            for (int k = 0; k < yRow.Length; k++, ia += stepA, ib += stepB)
                yRow[k] = TTest.Test(sa[ia], sb[ib]);
        }
    }

    /// <inheritdoc/>
    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: Where<float>(condition, a, b, y); break;
            case DType.Float64: Where<double>(condition, a, b, y); break;
            case DType.Int32: Where<int>(condition, a, b, y); break;
            case DType.Bool: Where<bool>(condition, a, b, y); break;
            default: throw Unsupported(nameof(Where), y.DType);
        }
    }

    private static void Where<T>(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        var c = condition.ReadOnlySpan<bool>();
        ReadOnlySpan<T> sa = a.ReadOnlySpan<T>(), sb = b.ReadOnlySpan<T>();
        var sy = y.Span<T>();
        var plan = BroadcastPlan.Of(y.Shape, condition.Shape, a.Shape, b.Shape);
        int n = plan.RowLength, stepC = plan.InnerStride[0], stepA = plan.InnerStride[1], stepB = plan.InnerStride[2];
        for (int row = 0; row < plan.Rows; row++)
        {
            int ic = plan.Offset(0, row), ia = plan.Offset(1, row), ib = plan.Offset(2, row), iy = row * n;
            for (int k = 0; k < n; k++, ic += stepC, ia += stepA, ib += stepB)
                sy[iy + k] = c[ic] ? sa[ia] : sb[ib];
        }
    }

    /// <inheritdoc/>
    public void Cast(Tensor x, Tensor y)
    {
        if (x.DType == y.DType) { y.CopyFrom(x); return; }
        switch (x.DType, y.DType)
        {
            case (DType.Float32, DType.Float64): Convert<float, double>(x, y); break;
            case (DType.Float32, DType.Int32): Convert<float, int>(x, y); break;
            case (DType.Float64, DType.Float32): Convert<double, float>(x, y); break;
            case (DType.Float64, DType.Int32): Convert<double, int>(x, y); break;
            case (DType.Int32, DType.Float32): Convert<int, float>(x, y); break;
            case (DType.Int32, DType.Float64): Convert<int, double>(x, y); break;
            case (DType.Bool, _):
                var b = x.ReadOnlySpan<bool>();
                for (int i = 0; i < b.Length; i++) y.SetDouble(i, b[i] ? 1 : 0);
                break;
            case (_, DType.Bool):
                var yb = y.Span<bool>();
                for (int i = 0; i < yb.Length; i++) yb[i] = x.GetDouble(i) != 0;
                break;
            default: throw Unsupported($"{nameof(Cast)} from {x.DType}", y.DType);
        }
    }

    /// <summary>Float to int truncates toward zero, as C and TF do.</summary>
    private static void Convert<TFrom, TTo>(Tensor x, Tensor y) where TFrom : INumberBase<TFrom> where TTo : INumberBase<TTo> =>
        TensorPrimitives.ConvertTruncating(x.ReadOnlySpan<TFrom>(), y.Span<TTo>());

    /// <inheritdoc/>
    public void AddN(IReadOnlyList<Tensor> x, Tensor y)
    {
        y.CopyFrom(x[0]);
        for (int i = 1; i < x.Count; i++)
        {
            switch (y.DType)
            {
                case DType.Float32: TensorPrimitives.Add(y.Span<float>(), x[i].ReadOnlySpan<float>(), y.Span<float>()); break;
                case DType.Float64: TensorPrimitives.Add(y.Span<double>(), x[i].ReadOnlySpan<double>(), y.Span<double>()); break;
                case DType.Int32: TensorPrimitives.Add(y.Span<int>(), x[i].ReadOnlySpan<int>(), y.Span<int>()); break;
                default: throw Unsupported("AddN", y.DType);
            }
        }
    }
}
