namespace GraphDL;

/// <summary>y = x repeated <see cref="Multiples"/>[i] times along each axis i.</summary>
public sealed class Tile : Op
{
    /// <summary>How many copies along each axis, one per axis of x.</summary>
    public required int[] Multiples { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"multiples=({string.Join(", ", Multiples)})";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (Multiples.Length != x[0].Rank || Multiples.Any(m => m < 0))
            throw new ShapeException($"Tile of shape {x[0]} needs {x[0].Rank} non-negative multiples, got ({string.Join(", ", Multiples)}).");
        var dims = new int[x[0].Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            long tiled = x[0][i] == Shape.Unknown ? Shape.Unknown : (long)x[0][i] * Multiples[i];
            if (tiled > int.MaxValue)
                throw new ShapeException($"Tile of shape {x[0]} by ({string.Join(", ", Multiples)}) makes axis {i} {tiled:N0} long, past the {int.MaxValue:N0} a dimension can hold.");
            dims[i] = (int)tiled;
        }
        return [new Shape(dims)];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Tile(x[0], y[0]);

    /// <summary>The sum of dout's tiles, in x's shape (one <see cref="TileGrad"/> node).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.AddOp(new TileGrad { Multiples = Multiples }, [dout, g.Input(0)])];
}

/// <summary>Tile's gradient: the sum of dout's tiles, in x's shape (second input, values not read).</summary>
public sealed class TileGrad : Op
{
    /// <summary>How many copies Tile made along each axis.</summary>
    public required int[] Multiples { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating([x[0]]);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[1]];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.TileGrad(x[0], y[0]);

    /// <summary>Linear in dout: its gradient tiles the incoming gradient again; the shape input gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.Tile(dout, Multiples), null];
}

public abstract partial class GraphBuilder
{
    /// <summary>x repeated <paramref name="multiples"/>[i] times along each axis i (tf.tile): (2, 3) tiled by [2, 1] is (4, 3).</summary>
    public Output Tile(Output x, int[] multiples, string? name = null) => AddOp(new Tile { Multiples = multiples }, [x], name);
}
