namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.global_norm</c>: √(Σ over the tensors of Σ t²), the L2 norm of all of them laid end to end,
    /// a scalar of their dtype. Null entries (variables without a gradient) are skipped, as TF1 skips None.
    /// </summary>
    /// <param name="tensors">Floating-point tensors of one dtype, gradients say; at least one not null.</param>
    /// <param name="name">The name of the result; "GlobalNorm" when null.</param>
    public Output GlobalNorm(IReadOnlyList<Output?> tensors, string? name = null)
    {
        var present = tensors.Where(t => t is not null).Select(t => t!.Value).ToArray();
        if (present.Length == 0) throw new ArgumentException("GlobalNorm needs at least one tensor that is not null.");
        foreach (var t in present)
        {
            if (!t.DType.IsFloating())
                throw new ArgumentException($"GlobalNorm takes floating-point tensors; '{t.Name}' is {t.DType}.");
            if (t.DType != present[0].DType)
                throw new ArgumentException($"GlobalNorm takes tensors of one dtype; '{present[0].Name}' is {present[0].DType} but '{t.Name}' is {t.DType}.");
        }
        var sums = present.Select(t => ReduceSum(t * t)).ToArray();
        return Sqrt(sums.Length == 1 ? sums[0] : AddN(sums), name ?? nameof(GlobalNorm));
    }
}
