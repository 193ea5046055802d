namespace GraphDL;

public abstract partial class GraphBuilder
{
    // TF1's tf.range is an op whose start, limit and delta may be tensors. Here they are numbers, so the length and
    // every value are known when the graph is built: the result is a Const, whose static shape tells the ops
    // after it its length, and no op, kernel or gradient of its own is needed (a constant has no inputs to
    // differentiate).

    /// <summary>TF1's <c>tf.range(limit)</c>: the Int32 vector 0, 1, ..., limit - 1: empty when limit is 0, an error when it is negative (as in TF).</summary>
    /// <param name="limit">One past the last value; non-negative.</param>
    /// <param name="name">The name of the constant; "Range" when null.</param>
    public Output Range(int limit, string? name = null) => Range(0, limit, 1, DType.Int32, name);

    /// <summary>
    /// TF1's <c>tf.range(start, limit, delta)</c> with whole numbers: start, start + delta, ... up to but not
    /// including <paramref name="limit"/>, ⌈(limit - start) / delta⌉ values, Int32 unless
    /// <paramref name="dtype"/> asks for Float32 or Float64. A constant, built now.
    /// </summary>
    /// <param name="start">The first value.</param>
    /// <param name="limit">The bound the values stop short of; not below start when delta is positive, not above it when negative.</param>
    /// <param name="delta">The step; not zero, and negative to count down.</param>
    /// <param name="dtype">Int32, Float32 or Float64.</param>
    /// <param name="name">The name of the constant; "Range" when null.</param>
    public Output Range(int start, int limit, int delta = 1, DType dtype = DType.Int32, string? name = null)
    {
        CheckRange(start, limit, delta);
        long count = (Math.Abs((long)limit - start) + Math.Abs((long)delta) - 1) / Math.Abs((long)delta);
        return dtype switch
        {
            DType.Int32 => RangeConstant(count, i => (int)(start + i * delta), name),
            DType.Float32 => RangeConstant(count, i => (float)(start + i * delta), name),
            DType.Float64 => RangeConstant(count, i => (double)(start + i * delta), name),
            _ => throw new ArgumentException($"Range makes Int32, Float32 or Float64 values, not {dtype}.", nameof(dtype)),
        };
    }

    /// <summary>
    /// TF1's <c>tf.range(start, limit, delta)</c> with fractions: start + i·delta for i = 0, 1, ... while short
    /// of <paramref name="limit"/>, ⌈(limit - start) / delta⌉ values, each worked out in double and rounded to
    /// <paramref name="dtype"/> (Float32 by default, as TF1 gives for Python floats). A constant, built now.
    /// </summary>
    /// <param name="start">The first value.</param>
    /// <param name="limit">The bound the values stop short of; not below start when delta is positive, not above it when negative.</param>
    /// <param name="delta">The step; not zero, and negative to count down.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    /// <param name="name">The name of the constant; "Range" when null.</param>
    public Output Range(double start, double limit, double delta = 1, DType dtype = DType.Float32, string? name = null)
    {
        if (!double.IsFinite(start) || !double.IsFinite(limit) || !double.IsFinite(delta))
            throw new ArgumentException($"Range needs finite numbers, got start {start}, limit {limit}, delta {delta}.");
        CheckRange(start, limit, delta);
        double length = Math.Ceiling(Math.Abs((limit - start) / delta));
        long count = length > int.MaxValue ? long.MaxValue : (long)length;
        return dtype switch
        {
            DType.Float32 => RangeConstant(count, i => (float)(start + i * delta), name),
            DType.Float64 => RangeConstant(count, i => start + i * delta, name),
            _ => throw new ArgumentException($"Range with fractions makes Float32 or Float64 values, not {dtype}.", nameof(dtype)),
        };
    }

    /// <summary>TF's rules: a step of zero never ends, and one that points away from the limit is refused rather than giving nothing.</summary>
    private static void CheckRange(double start, double limit, double delta)
    {
        if (delta == 0)
            throw new ArgumentException($"Range({start}, {limit}, {delta}) needs a non-zero delta.", nameof(delta));
        if (delta > 0 ? start > limit : start < limit)
            throw new ArgumentException($"Range({start}, {limit}, {delta}) needs start {(delta > 0 ? "<=" : ">=")} limit when delta is {(delta > 0 ? "positive" : "negative")}.");
    }

    private Output RangeConstant<T>(long count, Func<long, T> value, string? name)
    {
        if (count > Array.MaxLength)
            throw new ArgumentException($"Range would hold {count} values, more than a tensor can.");
        var values = new T[count];
        for (long i = 0; i < count; i++) values[i] = value(i);
        return Composite(nameof(Range), name, [], () => Constant(Tensor.FromFlat(values, new Shape((int)count)), name ?? nameof(Range)));
    }
}
