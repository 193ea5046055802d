namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// TF1's <c>tf.train.piecewise_constant</c>: values[0] while x ≤ boundaries[0], values[i] while
    /// boundaries[i-1] &lt; x ≤ boundaries[i], and the last value once x &gt; the last boundary. A Float32 scalar
    /// recomputed at every run; with the global step as <paramref name="x"/> it is a learning rate that drops at
    /// chosen steps: <c>g.PiecewiseConstant(step, [100, 200], [1.0, 0.5, 0.1])</c>.
    /// </summary>
    /// <param name="x">A scalar Int32 or float tensor, usually the global step.</param>
    /// <param name="boundaries">Strictly increasing; one fewer than <paramref name="values"/>.</param>
    /// <param name="values">The value on each interval.</param>
    /// <param name="name">The name scope of the nodes; "PiecewiseConstant" when null.</param>
    public Output PiecewiseConstant(Output x, IReadOnlyList<double> boundaries, IReadOnlyList<double> values, string? name = null)
    {
        if (x.Graph != this)
            throw new ArgumentException($"PiecewiseConstant: '{x.Name}' belongs to another graph.");
        if (!x.Shape.IsCompatibleWith(Shape.Scalar))
            throw new ShapeException($"PiecewiseConstant needs a scalar; '{x.Name}' has shape {x.Shape}.");
        if (x.DType == DType.Bool)
            throw new ArgumentException($"PiecewiseConstant needs a number; '{x.Name}' is Bool.");
        if (values.Count != boundaries.Count + 1)
            throw new ArgumentException($"PiecewiseConstant needs one more value than boundaries, got {values.Count} values and {boundaries.Count} boundaries.");
        for (int i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] > boundaries[i - 1]))
                throw new ArgumentException($"PiecewiseConstant's boundaries must increase, but {boundaries[i]} follows {boundaries[i - 1]}.");
        using (NameScope(name ?? nameof(PiecewiseConstant)))
        {
            // Float64 holds every Int32 step exactly, so a boundary at step 16,777,217 is not rounded as Float32 would.
            var at = Cast(x, DType.Float64);
            var result = Constant(Tensor.Scalar((float)values[0]));
            // Boundaries increase, so each later interval that x has passed overrides the one before.
            for (int i = 0; i < boundaries.Count; i++)
                result = Where(Greater(at, ScalarLike(boundaries[i], at)), Constant(Tensor.Scalar((float)values[i + 1])), result);
            return result;
        }
    }
}
