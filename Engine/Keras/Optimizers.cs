namespace GraphDL.Keras;

/// <summary>
/// Optimizers by name with Keras's defaults (<c>model.Compile(optimizer: "adam", ...)</c>). For other settings pass
/// an optimizer instance: <c>Compile(new MomentumOptimizer(0.01, 0.9, useNesterov: true), ...)</c>.
/// </summary>
public static class Optimizers
{
    /// <summary>The names this module knows.</summary>
    public static IEnumerable<string> Names => ["sgd", "momentum", "adam", "rmsprop", "adagrad"];

    /// <summary>
    /// A fresh optimizer: sgd (learning rate 0.01), momentum (SGD with momentum 0.9, learning rate 0.01),
    /// adam (0.001, β₁ 0.9, β₂ 0.999, ε 1e-7), rmsprop (0.001, ρ 0.9, ε 1e-7), adagrad (0.001, accumulators from 0.1).
    /// The update rules are TF1's; RMSprop's mean square starts at 1 there, at 0 in Keras, which only changes the first steps.
    /// </summary>
    public static Optimizer Get(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => new GradientDescentOptimizer(0.01),
        "momentum" => new MomentumOptimizer(0.01, 0.9),
        "adam" => new AdamOptimizer(0.001, 0.9, 0.999, 1e-7),
        "rmsprop" => new RmsPropOptimizer(0.001, decay: 0.9, epsilon: 1e-7),
        "adagrad" => new AdagradOptimizer(0.001, 0.1),
        _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
