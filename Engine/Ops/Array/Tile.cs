namespace GraphDL;

/// <summary>y = x repeated <see cref="Multiples"/>[i] times along each axis i.</summary>
public sealed class Tile : Op
{
    public required int[] Multiples { get; init; }

    public override string Attributes => $"multiples=({string.Join(", ", Multiples)})";

    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x)
    {
        if (Multiples.Length != x[0].Rank || Multiples.Any(m => m < 0))
            throw new ShapeException($"Tile of shape {x[0]} needs {x[0].Rank} non-negative multiples, got ({string.Join(", ", Multiples)}).");
        return [new Shape(x[0].Dims.ToArray().Select((d, i) => d == Shape.Unknown ? d : d * Multiples[i]).ToArray())];
    }

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Tile(x[0], y[0]);

    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.AddOp(new TileGrad { Multiples = Multiples }, [dout, g.Input(0)])];
}

/// <summary>Tile's gradient: the sum of dout's tiles, in x's shape (second input, values not read).</summary>
public sealed class TileGrad : Op
{
    public required int[] Multiples { get; init; }

    public override DType[] InferDTypes(DType[] x) => RequireFloating([x[0]]);

    public override Shape[] InferShapes(Shape[] x) => [x[1]];

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.TileGrad(x[0], y[0]);

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.Tile(dout, Multiples), null];
}

public abstract partial class GraphBuilder
{
    public Output Tile(Output x, int[] multiples, string? name = null) => AddOp(new Tile { Multiples = multiples }, [x], name);
}
