namespace GraphDL;

/// <summary>y = the inputs joined along <see cref="Axis"/>; all other dims must agree.</summary>
public sealed class Concat : Op
{
    /// <summary>The axis to join along; negative counts from the end.</summary>
    public int Axis { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}";

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (x.Length == 0) throw new ArgumentException("Concat needs at least one input.");
        int axis = x[0].NormalizeAxis(Axis);
        var dims = x[0].ToArray();
        foreach (var s in x.Skip(1))
        {
            if (s.Rank != x[0].Rank) throw new ShapeException($"Concat needs inputs of one rank, got {x[0]} and {s}.");
            for (int i = 0; i < dims.Length; i++)
            {
                if (i == axis) dims[i] = dims[i] == Shape.Unknown || s[i] == Shape.Unknown ? Shape.Unknown : dims[i] + s[i];
                else if (dims[i] != s[i] && dims[i] != Shape.Unknown && s[i] != Shape.Unknown)
                    throw new ShapeException($"Concat along axis {axis} needs the other dims to agree, got {x[0]} and {s}.");
                else if (dims[i] == Shape.Unknown) dims[i] = s[i];
            }
        }
        return [new Shape(dims)];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Concat(x, x[0].Shape.NormalizeAxis(Axis), y[0]);

    /// <summary>Each input gets its own slice of dout back; the sizes along the axis must be known when building it.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var inputs = g.Node.Inputs;
        int axis = inputs[0].Shape.NormalizeAxis(Axis), offset = 0;
        var result = new Output?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            int width = inputs[i].Shape[axis];
            if (width == Shape.Unknown)
                throw new ShapeException($"The gradient of Concat '{g.Node.Name}' needs the size of input {i} along axis {axis}, but its shape is {inputs[i].Shape}.");
            var begin = new int[dout.Shape.Rank];
            var size = Enumerable.Repeat(-1, dout.Shape.Rank).ToArray();
            begin[axis] = offset;
            size[axis] = width;
            result[i] = g.Slice(dout, begin, size);
            offset += width;
        }
        return result;
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The tensors joined along <paramref name="axis"/> (tf.concat); every other dimension must agree.</summary>
    public Output Concat(IReadOnlyList<Output> values, int axis, string? name = null) => AddOp(new Concat { Axis = axis }, values, name);
}
