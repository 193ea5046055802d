namespace GraphDL;

/// <summary>y = min(a, b), broadcasting. Where a = b, the gradient goes to a.</summary>
public sealed class Minimum : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Minimum;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>dout goes to whichever operand is smaller (to a on ties), summed back to its shape; the other gets zeros.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        GradientToWinner(g, dout, aWins: g.LessEqual(g.Input(0), g.Input(1)));
}

public abstract partial class GraphBuilder
{
    /// <summary>The elementwise smaller of a and b with broadcasting (tf.minimum).</summary>
    public Output Minimum(Output a, Output b, string? name = null) => AddOp(new Minimum(), [a, b], name);
}
