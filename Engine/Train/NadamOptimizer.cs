namespace GraphDL;

/// <summary>
/// Nadam, Adam with Nesterov momentum, by Keras's rule (keras.optimizers.Nadam of Keras 2, which tf.keras keeps;
/// not tf.contrib.opt.NadamOptimizer, which is Adam with a Nesterov-style first moment and no momentum schedule).
/// With t the step number (1 on the first step) and d the schedule decay (0.004):
/// <code>
/// μₜ = β₁ (1 - ½ · 0.96^(d t)),   μₜ₊₁ = β₁ (1 - ½ · 0.96^(d (t + 1)))
/// Πₜ = μ₁ μ₂ ⋯ μₜ                  (the momentum schedule, a variable; Π₀ = 1)
/// ĝ = g / (1 - Πₜ)
/// m ← β₁ m + (1 - β₁) g,           m̂ = m / (1 - Πₜ μₜ₊₁)
/// v ← β₂ v + (1 - β₂) g²,          v̂ = v / (1 - β₂ᵗ)
/// m̄ = (1 - μₜ) ĝ + μₜ₊₁ m̂
/// W ← W - η m̄ / (√v̂ + ε)
/// </code>
/// t, Πₜ₋₁ and β₂ᵗ are variables advanced after each step; μₜ and μₜ₊₁ are computed from t in the graph, once
/// per step, and handed to every update as scalar tensors.
/// η is 0.001 unless given.
/// </summary>
public sealed class NadamOptimizer(Hyperparameter? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, Hyperparameter? epsilon = null,
                                   double scheduleDecay = 0.004)
    : Optimizer("Nadam", learningRate ?? 0.001)
{
    /// <summary>A number, not a tensor: the momentum schedule μₜ is built from it when the graph is.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>A number, not a tensor: the β₂ᵗ variable starts at it and is multiplied by it every step.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>ε, 1e-7 unless given (Keras's default).</summary>
    public Hyperparameter Epsilon { get; } = epsilon ?? 1e-7;

    /// <summary>d in μₜ = β₁ (1 - ½ · 0.96^(d t)): how fast the momentum warms up to β₁ (Keras's schedule_decay).</summary>
    public double ScheduleDecay { get; } = scheduleDecay;

    private Output _step, _momentumSchedule, _beta2Power, _momentum, _nextMomentum;

    /// <summary>The step counter and the products, and this step's μₜ and μₜ₊₁, shared by every variable's update.</summary>
    protected override void Prepare(Graph g, DType dtype)
    {
        _step = g.Variable(GraphBuilder.ScalarOf(1, dtype), "step", trainable: false);
        _momentumSchedule = g.Variable(GraphBuilder.ScalarOf(1, dtype), "momentum_schedule", trainable: false);
        _beta2Power = g.Variable(GraphBuilder.ScalarOf(Beta2, dtype), "beta2_power", trainable: false);
        _momentum = MomentumAt(g, _step, "momentum");
        _nextMomentum = MomentumAt(g, _step + 1, "next_momentum");
    }

    /// <summary>μ at step <paramref name="t"/>: β₁ (1 - ½ · 0.96^(d t)).</summary>
    private Output MomentumAt(Graph g, Output t, string name) =>
        g.Mul(g.ScalarLike(Beta1, t), 1 - 0.5 * g.Pow(g.ScalarLike(0.96, t), t * ScheduleDecay), name);

    /// <inheritdoc/>
    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var m = Slot(g, variable, "m", 0);
        var v = Slot(g, variable, "v", 0);
        return g.AddOp(new ApplyNadam(), [
            variable, m, v, _momentumSchedule, _momentum, _nextMomentum, _beta2Power, Hyper(g, LearningRate, variable, "learning_rate"),
            Hyper(g, Beta1, variable, "beta1"), Hyper(g, Beta2, variable, "beta2"), Hyper(g, Epsilon, variable, "epsilon"), grad]);
    }

    /// <summary>
    /// After every variable's update: Π takes this step's μₜ, β₂ᵗ its next factor, and t advances. μₜ was computed
    /// before these assignments (nodes run in the order they were built), so it is still this step's.
    /// </summary>
    protected override Node[] Finish(Graph g, Node[] updates)
    {
        using (g.ControlDependencies(updates))
            return [
                g.Assign(_momentumSchedule, _momentumSchedule * _momentum, "update_momentum_schedule").Node,
                g.Assign(_beta2Power, _beta2Power * Beta2, "update_beta2_power").Node,
                g.Assign(_step, _step + 1, "update_step").Node];
    }
}

/// <summary>Inputs: var, m, v, Πₜ₋₁ (the momentum schedule before this step), μₜ, μₜ₊₁, β₂ᵗ, lr, β₁, β₂, ε, grad.</summary>
public sealed class ApplyNadam : ApplyOp
{
    /// <inheritdoc/>
    protected override int[] ScalarInputs => [3, 4, 5, 6, 7, 8, 9, 10];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) =>
        be.ApplyNadam(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11]);
}
