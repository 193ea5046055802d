namespace GraphDL;

/// <summary>The index of the smallest element along an axis (TF's argmin); ties give the first.</summary>
public sealed class ArgMin : ArgReduceOp
{
    /// <inheritdoc/>
    protected override bool Max => false;
}

public abstract partial class GraphBuilder
{
    /// <summary>The Int32 index of the smallest element along <paramref name="axis"/>, which disappears (tf.argmin): the nearest of (N, K) distances is <c>g.ArgMin(distances, 1)</c>, shape (N,). Not differentiable.</summary>
    public Output ArgMin(Output x, int axis, string? name = null) => AddOp(new ArgMin { Axis = axis }, [x], name);
}
