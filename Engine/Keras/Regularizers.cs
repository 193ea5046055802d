using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// A weight penalty that joins the training loss (Keras's <c>keras.regularizers.Regularizer</c>): a layer given one
/// as <c>kernelRegularizer</c> or <c>biasRegularizer</c> adds <see cref="Penalty"/> of that weight to its
/// <see cref="Layer.Losses"/>, and a compiled model minimises the data loss plus every layer's penalties.
/// </summary>
public abstract class Regularizer
{
    /// <summary>The scalar penalty of <paramref name="weight"/>, as graph nodes (so it is differentiable, to any order).</summary>
    public abstract Output Penalty(Graph g, Output weight);

    /// <summary>A regularizer by name, so a layer takes <c>kernelRegularizer: "l2"</c> as Keras takes <c>kernel_regularizer='l2'</c> (see <see cref="Regularizers.Get"/>).</summary>
    public static implicit operator Regularizer(string name) =>
        Regularizers.Get(name ?? throw new ArgumentNullException(nameof(name)))!;
}

/// <summary>
/// Keras's <c>keras.regularizers.L1L2</c>: penalty = l1·Σ|w| + l2·Σw². Keras's L2 term has no ½, so its gradient
/// is 2·l2·w; the L1 term's is l1·sign(w) (0 at w = 0, as TF's sign).
/// </summary>
public sealed class L1L2Regularizer : Regularizer
{
    /// <param name="l1">The factor of Σ|w|; zero or more.</param>
    /// <param name="l2">The factor of Σw²; zero or more.</param>
    public L1L2Regularizer(double l1 = 0, double l2 = 0)
    {
        if (!(l1 >= 0) || double.IsInfinity(l1)) throw new ArgumentOutOfRangeException(nameof(l1), l1, "The L1 factor must be a finite number, zero or more.");
        if (!(l2 >= 0) || double.IsInfinity(l2)) throw new ArgumentOutOfRangeException(nameof(l2), l2, "The L2 factor must be a finite number, zero or more.");
        L1 = l1;
        L2 = l2;
    }

    /// <summary>The factor of Σ|w|.</summary>
    public double L1 { get; }

    /// <summary>The factor of Σw².</summary>
    public double L2 { get; }

    /// <inheritdoc/>
    public override Output Penalty(Graph g, Output weight)
    {
        ArgumentNullException.ThrowIfNull(g);
        // A term whose factor is zero adds no nodes, so L1 alone has no Square and L2 alone no Abs, as in Keras.
        Output? penalty = null;
        if (L1 > 0) penalty = g.ReduceSum(g.Abs(weight)) * L1;
        if (L2 > 0)
        {
            var l2Term = g.ReduceSum(g.Square(weight)) * L2;
            penalty = penalty is null ? l2Term : penalty.Value + l2Term;
        }
        return penalty ?? g.ScalarLike(0, weight);
    }

    /// <summary>"L1L2(l1=0.01, l2=0)": the factors, for messages and summaries.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"L1L2(l1={L1}, l2={L2})");
}

/// <summary>The weight penalties Keras offers (<c>keras.regularizers</c>), as objects or by name.</summary>
public static class Regularizers
{
    /// <summary>Keras's <c>regularizers.l1(l1=0.01)</c>: l1·Σ|w|.</summary>
    public static L1L2Regularizer L1(double l1 = 0.01) => new(l1: l1);

    /// <summary>Keras's <c>regularizers.l2(l2=0.01)</c>: l2·Σw² (no ½).</summary>
    public static L1L2Regularizer L2(double l2 = 0.01) => new(l2: l2);

    /// <summary>Keras's <c>regularizers.l1_l2(l1=0.01, l2=0.01)</c>: l1·Σ|w| + l2·Σw².</summary>
    public static L1L2Regularizer L1L2(double l1 = 0.01, double l2 = 0.01) => new(l1, l2);

    private static readonly Dictionary<string, Func<Regularizer>> ByName = new(StringComparer.Ordinal)
    {
        ["l1"] = () => L1(),
        ["l2"] = () => L2(),
        ["l1_l2"] = () => L1L2(),
    };

    /// <summary>The names <see cref="Get"/> knows.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>A regularizer by Keras's name with Keras's default factors ("l1", "l2", "l1_l2"); null is none.</summary>
    public static Regularizer? Get(string? name) =>
        name is null ? null
        : ByName.TryGetValue(name.ToLowerInvariant(), out var make) ? make()
        : throw new ArgumentException($"Unknown regularizer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
}
