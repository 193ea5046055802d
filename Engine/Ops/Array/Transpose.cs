namespace GraphDL;

/// <summary>y = x with its axes permuted: y's axis i is x's axis Perm[i] (reversed when Perm is null).</summary>
public sealed class Transpose : Op
{
    public int[]? Perm { get; init; }

    public override string Attributes => Perm is null ? "" : $"perm=({string.Join(", ", Perm)})";

    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x)
    {
        var perm = PermFor(x[0].Rank);
        return [new Shape(perm.Select(p => x[0][p]).ToArray())];
    }

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
    public Output Transpose(Output x, int[]? perm = null, string? name = null) => AddOp(new Transpose { Perm = perm }, [x], name);
}
