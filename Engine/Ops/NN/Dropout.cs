namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// Inverted dropout, composed from graph ops as TF1 does: each element is kept with probability
    /// <paramref name="keepProb"/> and scaled by 1/keepProb, so the expectation is unchanged. keepProb is a
    /// tensor (usually a placeholder), so one graph trains with 0.5 and evaluates with 1.0.
    /// </summary>
    public Output Dropout(Output x, Output keepProb, int? seed = null, string? name = null)
    {
        if (keepProb.Shape.Rank != 0)
            throw new ShapeException($"Dropout's keepProb must be a scalar, '{keepProb.Name}' has shape {keepProb.Shape}.");
        // floor(keepProb + u) is 1 with probability keepProb for u ~ U[0, 1).
        return Composite(nameof(Dropout), name, [x, keepProb], () =>
        {
            var mask = Floor(keepProb + RandomUniformLike(x, seed: seed));
            return Mul(x / keepProb, mask, name ?? "dropout");
        });
    }
}
