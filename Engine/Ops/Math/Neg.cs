namespace GraphDL;

/// <summary>y = -x.</summary>
public sealed class Neg : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Neg;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout];
}

public abstract partial class GraphBuilder
{
    public Output Neg(Output x, string? name = null) => AddOp(new Neg(), [x], name);
}
