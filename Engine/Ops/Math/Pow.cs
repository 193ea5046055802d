namespace GraphDL;

/// <summary>y = aᵇ, broadcasting.</summary>
public sealed class Pow : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Pow;

    /// <summary>da = dout · b · aᵇ⁻¹ and db = dout · ln(a) · y (0 where a ≤ 0, as TF), each summed back to its operand's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        var dA = dout * b * g.Pow(a, b - 1.0);
        // d(aᵇ)/db = ln(a) aᵇ, defined for a > 0; TF takes it as 0 elsewhere.
        var logA = g.Where(g.Greater(a, g.ScalarLike(0, a)), g.Log(a), g.ZerosLike(a));
        return [g.SumToShape(dA, a), g.SumToShape(dout * logA * g.Y, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>aᵇ elementwise with broadcasting (tf.pow).</summary>
    public Output Pow(Output a, Output b, string? name = null) => AddOp(new Pow(), [a, b], name);
}
