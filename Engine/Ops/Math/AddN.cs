namespace GraphDL;

/// <summary>y = x₀ + x₁ + ... for inputs of one shape: how the gradient builder sums the paths into one tensor.</summary>
public sealed class AddN : Op
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (x.Length == 0) throw new ArgumentException("AddN needs at least one input.");
        foreach (var s in x)
            if (!s.IsCompatibleWith(x[0]))
                throw new ShapeException($"AddN needs inputs of one shape, got {string.Join(" and ", x.Distinct())}.");
        return [x.FirstOrDefault(s => s.IsFullyDefined) ?? x[0]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.AddN(x, y[0]);

    /// <summary>Every input gets dout unchanged.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        g.Node.Inputs.Select(_ => (Output?)dout).ToArray();
}

public abstract partial class GraphBuilder
{
    /// <summary>The sum of several tensors of one shape in one node (tf.add_n); a single input is returned as it is.</summary>
    public Output AddN(IReadOnlyList<Output> inputs, string? name = null) =>
        inputs.Count == 1 ? inputs[0] : AddOp(new AddN(), inputs, name);
}
