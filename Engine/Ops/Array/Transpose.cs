namespace GraphDL;

/// <summary>y = x with its axes permuted: y's axis i is x's axis Perm[i] (reversed when Perm is null).</summary>
public sealed class Transpose : Op
{
    /// <summary>The permutation: the output's axis i is x's axis Perm[i]; null reverses the axes.</summary>
    public int[]? Perm { get; init; }

    /// <inheritdoc/>
    public override string Attributes => Perm is null ? "" : $"perm=({string.Join(", ", Perm)})";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var perm = PermFor(x[0].Rank);
        return [new Shape(perm.Select(p => x[0][p]).ToArray())];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Transpose(x[0], PermFor(x[0].Rank), y[0]);

    /// <summary>The inverse permutation undoes it.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var perm = PermFor(g.Input(0).Shape.Rank);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [g.Transpose(dout, inverse)];
    }

    private int[] PermFor(int rank)
    {
        var perm = Perm ?? Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || perm.Order().Where((p, i) => p != i).Any())
            throw new ShapeException($"perm ({string.Join(", ", perm)}) is not a permutation of the {rank} axes.");
        return perm;
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>x with its axes permuted (tf.transpose): the output's axis i is x's axis perm[i]; without perm the axes are reversed, so a matrix is transposed.</summary>
    public Output Transpose(Output x, int[]? perm = null, string? name = null) => AddOp(new Transpose { Perm = perm }, [x], name);
}
