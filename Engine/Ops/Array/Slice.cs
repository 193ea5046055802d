namespace GraphDL;

/// <summary>y = the block of x that starts at <see cref="Begin"/> and has <see cref="Size"/> (-1: to the end of that axis).</summary>
public sealed class Slice : Op
{
    /// <summary>Where the block starts, one index per axis.</summary>
    public required int[] Begin { get; init; }

    /// <summary>The block's size along each axis; -1 takes the rest of that axis.</summary>
    public required int[] Size { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"begin=({string.Join(", ", Begin)}), size=({string.Join(", ", Size)})";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Resolve(x[0], Begin, Size)];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Slice(x[0], Begin, y[0]);

    /// <summary>dout written back where the block came from in a zero tensor of x's shape (one <see cref="SliceGrad"/> node).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.AddOp(new SliceGrad { Begin = Begin, Size = Size }, [dout, g.Input(0)])];

    internal static Shape Resolve(Shape x, int[] begin, int[] size)
    {
        if (begin.Length != x.Rank || size.Length != x.Rank)
            throw new ShapeException($"Slice of a tensor of shape {x} needs {x.Rank} begin and size values, got ({string.Join(", ", begin)}) and ({string.Join(", ", size)}).");
        var dims = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            dims[i] = size[i] == -1 ? (x[i] == Shape.Unknown ? Shape.Unknown : x[i] - begin[i]) : size[i];
            bool fits = begin[i] >= 0 && dims[i] >= -1 && (x[i] == Shape.Unknown || dims[i] == Shape.Unknown || begin[i] + dims[i] <= x[i]);
            if (!fits)
                throw new ShapeException($"Slice begin ({string.Join(", ", begin)}) size ({string.Join(", ", size)}) does not fit in shape {x} at axis {i}.");
        }
        return new Shape(dims);
    }
}

/// <summary>
/// Slice's gradient: a zero tensor of x's shape (the second input, whose values are not read) with dout written
/// where the slice came from. Its own gradient is the same slice again.
/// </summary>
public sealed class SliceGrad : Op
{
    /// <summary>Where the slice started, one index per axis.</summary>
    public required int[] Begin { get; init; }

    /// <summary>The slice's size along each axis, -1 for the rest of the axis.</summary>
    public required int[] Size { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var sliced = Slice.Resolve(x[1], Begin, Size);
        if (!sliced.IsCompatibleWith(x[0])) throw new ShapeException($"dout {x[0]} does not match the slice {sliced} of {x[1]}.");
        return [x[1]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.SliceGrad(x[0], Begin, y[0]);

    /// <summary>Linear in dout: its gradient is the same slice of the incoming gradient; the shape input gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.Slice(dout, Begin, Size), null];
}

public abstract partial class GraphBuilder
{
    /// <summary>The block of x starting at <paramref name="begin"/> with <paramref name="size"/> (tf.slice); a size of -1 runs to the end of that axis.</summary>
    public Output Slice(Output x, int[] begin, int[] size, string? name = null) =>
        AddOp(new Slice { Begin = begin, Size = size }, [x], name);
}
