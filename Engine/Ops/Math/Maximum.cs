namespace GraphDL;

/// <summary>y = max(a, b), broadcasting. Where a = b, the gradient goes to a.</summary>
public sealed class Maximum : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Maximum;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>dout goes to whichever operand is larger (to a on ties), summed back to its shape; the other gets zeros.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        GradientToWinner(g, dout, aWins: g.GreaterEqual(g.Input(0), g.Input(1)));
}

public abstract partial class GraphBuilder
{
    /// <summary>The elementwise larger of a and b with broadcasting (tf.maximum).</summary>
    public Output Maximum(Output a, Output b, string? name = null) => AddOp(new Maximum(), [a, b], name);
}
