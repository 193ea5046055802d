namespace GraphDL.Keras;

/// <summary>
/// A compiled model's optimizer (Keras's <c>model.optimizer</c>): <c>model.Optimizer.LearningRate = 0.001;</c> between
/// two fits changes the rate of the next step without rebuilding the graph, as the slide's <c>optimizer.lr = 0.001</c> does.
/// <para>
/// Why a handle rather than the engine <see cref="GraphDL.Optimizer"/> itself: the engine optimizer's
/// <see cref="GraphDL.Optimizer.LearningRate"/> says what its next build bakes in (TF1 semantics), so setting it on the
/// object given to Compile would leave the compiled step at the old rate. The compiled model instead keeps the rate in
/// a scalar variable "learning_rate" of its graph, which its training step reads; this handle reads and assigns that
/// variable in the model's session. The user's optimizer keeps its own number and no tensor of this model's graph,
/// so it can be given to another model's Compile.
/// </para>
/// </summary>
public sealed class CompiledOptimizer
{
    private readonly Model _model;

    internal CompiledOptimizer(Model model, Optimizer optimizer) => (_model, Optimizer) = (model, optimizer);

    /// <summary>The engine optimizer given to Compile: its update rule, hyperparameters and clipping.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>
    /// The rate the next training step uses (Keras's <c>optimizer.learning_rate</c>, once <c>optimizer.lr</c>). Reading a
    /// schedule's gives its value at the current <see cref="Iterations"/>. Setting assigns the model's rate variable, so it
    /// takes effect at the next step of this model; a rate given as a schedule or as a tensor cannot be set, as in Keras.
    /// </summary>
    public double LearningRate
    {
        get => _model.ReadLearningRate(Optimizer);
        set => _model.SetLearningRate(Optimizer, value);
    }

    /// <summary>The training steps taken so far by this compiled model (Keras's <c>optimizer.iterations</c>); schedules read it.</summary>
    public long Iterations => _model.ReadIterations();

    /// <summary>The optimizer's name and rate.</summary>
    public override string ToString() => $"{Optimizer.Name} (learning rate {Optimizer.LearningRate})";
}
