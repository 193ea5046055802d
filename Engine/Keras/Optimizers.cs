namespace GraphDL.Keras;

/// <summary>
/// Optimizers by name with Keras's defaults (<c>model.Compile(optimizer: "adam", ...)</c>), and by factory with
/// Keras's argument names and defaults (keras.optimizers.SGD, RMSprop, ...): the slide's
/// <c>SGD(lr=0.01, momentum=0.9, nesterov=True)</c> reads <c>Optimizers.SGD(learningRate: 0.01, momentum: 0.9, nesterov: true)</c>.
/// Each returns one of the engine's optimizers, so the update rules are TF1's (Nadam's is Keras's own).
/// </summary>
public static class Optimizers
{
    /// <summary>The names this module knows.</summary>
    public static IEnumerable<string> Names => ["sgd", "momentum", "adam", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"];

    /// <summary>
    /// A fresh optimizer: sgd (learning rate 0.01), momentum (SGD with momentum 0.9, learning rate 0.01),
    /// adam (0.001, β₁ 0.9, β₂ 0.999, ε 1e-7), rmsprop (0.001, ρ 0.9, ε 1e-7), adagrad (0.001, accumulators from 0.1),
    /// adadelta (0.001, ρ 0.95, ε 1e-7), adamax (0.001, β₁ 0.9, β₂ 0.999, ε 1e-7), nadam (0.001, β₁ 0.9, β₂ 0.999, ε 1e-7):
    /// the defaults of Keras 2.3 and later (Keras 2.2's Adadelta had learning rate 1, its Nadam 0.002).
    /// The update rules are TF1's; RMSprop's mean square starts at 1 there, at 0 in Keras, which only changes the first steps.
    /// </summary>
    public static Optimizer Get(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => SGD(),
        "momentum" => SGD(momentum: 0.9),
        "adam" => Adam(),
        "rmsprop" => RMSprop(),
        "adagrad" => Adagrad(),
        "adadelta" => Adadelta(),
        "adamax" => Adamax(),
        "nadam" => Nadam(),
        _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// keras.optimizers.SGD: plain gradient descent when <paramref name="momentum"/> is 0, otherwise TF1's
    /// <see cref="MomentumOptimizer"/> (with Nesterov's look-ahead when <paramref name="nesterov"/>). Keras keeps the
    /// velocity as -η·accum where TF1 keeps accum; the steps are the same while the learning rate does not change.
    /// </summary>
    public static Optimizer SGD(Hyperparameter? learningRate = null, double momentum = 0.0, bool nesterov = false)
    {
        if (momentum is < 0 or > 1 || double.IsNaN(momentum))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD's momentum must lie in [0, 1].");
        var rate = learningRate ?? 0.01;
        return momentum == 0 ? new GradientDescentOptimizer(rate) : new MomentumOptimizer(rate, momentum, nesterov);
    }

    /// <summary>keras.optimizers.RMSprop, as TF1's <see cref="RmsPropOptimizer"/> (its mean square starts at 1, Keras's at 0).</summary>
    public static Optimizer RMSprop(Hyperparameter? learningRate = null, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7,
                                    bool centered = false) =>
        new RmsPropOptimizer(learningRate ?? 0.001, rho, momentum, epsilon, centered);

    /// <summary>keras.optimizers.Adagrad, as TF1's <see cref="AdagradOptimizer"/> (which has no ε: the accumulators start above 0 instead).</summary>
    public static Optimizer Adagrad(Hyperparameter? learningRate = null, double initialAccumulatorValue = 0.1) =>
        new AdagradOptimizer(learningRate ?? 0.001, initialAccumulatorValue);

    /// <summary>keras.optimizers.Adadelta, as <see cref="AdadeltaOptimizer"/>.</summary>
    public static Optimizer Adadelta(Hyperparameter? learningRate = null, double rho = 0.95, double epsilon = 1e-7) =>
        new AdadeltaOptimizer(learningRate ?? 0.001, rho, epsilon);

    /// <summary>keras.optimizers.Adam, as TF1's <see cref="AdamOptimizer"/>.</summary>
    public static Optimizer Adam(Hyperparameter? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) =>
        new AdamOptimizer(learningRate ?? 0.001, beta1, beta2, epsilon);

    /// <summary>keras.optimizers.Adamax, as <see cref="AdamaxOptimizer"/>.</summary>
    public static Optimizer Adamax(Hyperparameter? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) =>
        new AdamaxOptimizer(learningRate ?? 0.001, beta1, beta2, epsilon);

    /// <summary>keras.optimizers.Nadam, as <see cref="NadamOptimizer"/>, Keras's rule with its momentum schedule.</summary>
    public static Optimizer Nadam(Hyperparameter? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) =>
        new NadamOptimizer(learningRate ?? 0.001, beta1, beta2, epsilon);
}
