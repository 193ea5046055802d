using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cuda;

/// <summary>
/// The C struct <c>Broadcast</c> of Kernels/common.cuh, passed to kernels by value: an index space of
/// <see cref="Rank"/> dims (row-major) and, per operand, its element stride along each dim, 0 where the
/// operand is broadcast. Built here from shapes, with output dims of size 1 dropped and adjacent dims merged
/// wherever every operand steps over them as one, so that equal shapes are a flat rank-1 walk, a bias
/// (n, k) + (k,) is rank 2, and only unusual patterns pay for more divisions in the kernel.
/// Reductions use the same struct for the kept and the reduced axes of their input (operand A only).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Broadcast
{
    /// <summary>GRAPHDL_MAX_RANK in common.cuh: the most dims a walk can have after merging.</summary>
    public const int MaxRank = 6;

    public int Rank;
    public fixed int Dims[MaxRank];
    public fixed int A[MaxRank];
    public fixed int B[MaxRank];
    public fixed int C[MaxRank];

    /// <summary>True when the walk is one run of consecutive elements of operand A.</summary>
    public bool IsContiguous => Rank == 1 && A[0] == 1;

    /// <summary>Every operand read at the output's own index: the plain flat walk.</summary>
    public static Broadcast Flat(int count)
    {
        var w = new Broadcast { Rank = 1 };
        w.Dims[0] = count;
        w.A[0] = w.B[0] = w.C[0] = 1;
        return w;
    }

    /// <summary>The walk that broadcasts one to three operands (NumPy rules) into <paramref name="output"/>.</summary>
    /// <exception cref="ShapeException">An operand does not broadcast into the output.</exception>
    /// <exception cref="MissingKernelException">More than <see cref="MaxRank"/> dims remain after merging.</exception>
    public static Broadcast Of(string primitive, Shape output, Shape a, Shape? b = null, Shape? c = null)
    {
        Validate(a, output);
        if (b is not null) Validate(b, output);
        if (c is not null) Validate(c, output);
        int rank = output.Rank;
        Span<int> dims = stackalloc int[Math.Max(rank, 1)];
        Span<int> strides = stackalloc int[3 * Math.Max(rank, 1)];
        int count = 0;
        for (int axis = 0; axis < rank; axis++)
        {
            if (output[axis] == 1) continue;   // a size-1 output dim moves no operand
            dims[count] = output[axis];
            strides[count] = AlignedStride(a, output, axis);
            strides[rank + count] = b is null ? 0 : AlignedStride(b, output, axis);
            strides[2 * rank + count] = c is null ? 0 : AlignedStride(c, output, axis);
            count++;
        }
        return Merge(primitive, dims[..count], strides, rank, 3);
    }

    /// <summary>
    /// The two walks of a reduction of x over the axes marked in <paramref name="reduce"/>: <c>kept</c> over
    /// the output elements in order, <c>over</c> over one output's reduced elements, both giving x's offsets.
    /// </summary>
    public static (Broadcast Kept, Broadcast Over, int Outputs, int Reduced) ForReduction(
        string primitive, Shape x, ReadOnlySpan<bool> reduce)
    {
        int rank = x.Rank;
        Span<int> keptDims = stackalloc int[Math.Max(rank, 1)], keptStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> overDims = stackalloc int[Math.Max(rank, 1)], overStrides = stackalloc int[Math.Max(rank, 1)];
        int kept = 0, over = 0, outputs = 1, reduced = 1, stride = 1;
        for (int axis = rank - 1; axis >= 0; stride *= x[axis], axis--)
        {
            int d = x[axis];
            if (reduce[axis]) reduced *= d;
            else outputs *= d;
            if (d == 1) continue;
            if (reduce[axis]) { overDims[over] = d; overStrides[over++] = stride; }
            else { keptDims[kept] = d; keptStrides[kept++] = stride; }
        }
        // Collected from the last axis backwards; the walks want the first axis first.
        keptDims[..kept].Reverse();
        keptStrides[..kept].Reverse();
        overDims[..over].Reverse();
        overStrides[..over].Reverse();
        return (Merge(primitive, keptDims[..kept], keptStrides, rank, 1),
                Merge(primitive, overDims[..over], overStrides, rank, 1), outputs, reduced);
    }

    /// <summary>
    /// Packs dims and per-operand strides (operand p's at strides[p * pitch ..]) into a walk, merging dim k
    /// into k - 1 whenever every operand's stride over k - 1 is its stride over k times dim k.
    /// </summary>
    private static Broadcast Merge(string primitive, Span<int> dims, Span<int> strides, int pitch, int operands)
    {
        int m = 0;
        for (int k = 0; k < dims.Length; k++)
        {
            bool merge = m > 0;
            for (int p = 0; p < operands && merge; p++)
                merge = strides[p * pitch + m - 1] == strides[p * pitch + k] * dims[k];
            if (merge)
            {
                dims[m - 1] *= dims[k];
                for (int p = 0; p < operands; p++) strides[p * pitch + m - 1] = strides[p * pitch + k];
                continue;
            }
            dims[m] = dims[k];
            for (int p = 0; p < operands; p++) strides[p * pitch + m] = strides[p * pitch + k];
            m++;
        }
        if (m > MaxRank)
            throw new MissingKernelException(primitive, $"its kernels walk at most {MaxRank} dims, and this broadcast needs {m}");

        var w = new Broadcast { Rank = Math.Max(m, 1) };
        w.Dims[0] = 1;   // a single element: rank 1, every stride 0
        for (int k = 0; k < m; k++)
        {
            w.Dims[k] = dims[k];
            w.A[k] = strides[k];
            if (operands > 1) w.B[k] = strides[pitch + k];
            if (operands > 2) w.C[k] = strides[2 * pitch + k];
        }
        return w;
    }

    private static void Validate(Shape s, Shape output)
    {
        bool fits = s.Rank <= output.Rank;
        for (int k = 0; k < s.Rank && fits; k++)
            fits = s[k] == 1 || s[k] == output[k + output.Rank - s.Rank];
        if (!fits) throw new ShapeException($"Shape {s} does not broadcast into {output}.");
    }

    /// <summary>The stride, in elements, of operand <paramref name="s"/> along output axis <paramref name="axis"/>; 0 where it is broadcast.</summary>
    private static int AlignedStride(Shape s, Shape output, int axis)
    {
        int k = axis - (output.Rank - s.Rank);
        return k < 0 || s[k] == 1 ? 0 : s.SizeOf(k + 1, s.Rank);
    }
}
