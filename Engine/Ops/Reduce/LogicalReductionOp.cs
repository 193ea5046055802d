namespace GraphDL;

/// <summary>A reduction of Bools to a Bool (<see cref="ReduceAny"/>, <see cref="ReduceAll"/>): a Bool carries no gradient, so neither has one.</summary>
public abstract class LogicalReductionOp : ReductionOp
{
    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Bool
        ? [DType.Bool]
        : throw new ArgumentException($"{TypeName} is defined for Bool, not {x[0]}; compare first (g.Greater(x, 0)).");
}
