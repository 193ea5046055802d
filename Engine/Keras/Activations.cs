namespace GraphDL.Keras;

/// <summary>Activation functions by the names Keras gives them: <c>Dense(64, activation: "relu")</c>.</summary>
public static class Activations
{
    private static readonly Dictionary<string, Func<Graph, Output, Output>> ByName = new(StringComparer.Ordinal)
    {
        ["linear"] = (_, x) => x,
        ["relu"] = (g, x) => g.Relu(x),
        ["sigmoid"] = (g, x) => g.Sigmoid(x),
        ["tanh"] = (g, x) => g.Tanh(x),
        ["softmax"] = (g, x) => g.Softmax(x),
        ["leaky_relu"] = (g, x) => g.LeakyRelu(x, 0.2),
        ["elu"] = (g, x) => g.Elu(x),
        ["softplus"] = (g, x) => g.Softplus(x),
        ["exponential"] = (g, x) => g.Exp(x),
    };

    /// <summary>The names this module knows.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The activation called <paramref name="name"/>; null or "linear" is the identity.</summary>
    public static Func<Graph, Output, Output> Get(string? name) =>
        name is null ? ByName["linear"]
        : ByName.TryGetValue(name.ToLowerInvariant(), out var f) ? f
        : throw new ArgumentException($"Unknown activation '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
}
