namespace GraphDL.Keras;

// The compiled model's learning rate and step counter, which model.Optimizer reads and sets between fits.
public partial class Model
{
    // Made with the training nodes, valid while _trainingNodes is: the tensor the update reads as its rate, the
    // variable holding it when the rate was a number, and the step counter.
    private Output _learningRate, _iterations;
    private Output? _learningRateVariable;

    // A rate set on a model that cannot build its training step yet (its input shape unknown): the build starts there.
    private (Optimizer For, double Rate)? _rateBeforeBuild;

    /// <summary>
    /// The optimizer of the last Compile, as Keras's <c>model.optimizer</c>: <c>model.Optimizer.LearningRate = 0.001</c>
    /// changes the rate of the next step without rebuilding the graph (see <see cref="CompiledOptimizer"/>).
    /// </summary>
    public CompiledOptimizer Optimizer => _settings is { } s ? new CompiledOptimizer(this, s.Optimizer)
        : throw new InvalidOperationException($"Model '{Name}' has no optimizer: call Compile(optimizer, loss) first.");

    /// <summary>
    /// The optimizer's update of <paramref name="loss"/>, reading its rate from a variable "learning_rate" of this graph
    /// when the rate is a number, and counting steps in "iterations" (the global step, which schedules read).
    /// </summary>
    private Node MinimizeAtModelRate(Graph g, Optimizer optimizer, Output loss)
    {
        var userRate = optimizer.LearningRate;
        Output iterations, rate;
        Output? variable = null;
        using (g.NameScope("optimizer"))
        {
            iterations = g.Variable(GraphBuilder.ScalarOf(0, DType.Int32), "iterations", trainable: false);
            if (userRate.Schedule is { } schedule)
            {
                using (g.NameScope("learning_rate")) rate = schedule.Rate(iterations);
            }
            else if (userRate.Tensor is { } tensor) rate = tensor;
            else
            {
                double initial = _rateBeforeBuild is { } set && set.For == optimizer ? set.Rate : userRate.Value ?? 0;
                rate = (variable = g.Variable(Tensor.Scalar((float)initial), "learning_rate", trainable: false)).Value;
            }
        }
        // The optimizer builds with this graph's rate and gets the user's back at once, so it holds no tensor of
        // this graph and can compile another model.
        optimizer.LearningRate = rate;
        Node update;
        try
        {
            update = optimizer.Minimize(loss, TrainableWeights, globalStep: iterations);
        }
        finally
        {
            optimizer.LearningRate = userRate;
        }
        (_learningRate, _iterations, _learningRateVariable) = (rate, iterations, variable);
        _rateBeforeBuild = null;
        return update;
    }

    /// <summary>Builds the training nodes if the model can; false while it does not know its input shape.</summary>
    private bool HasTrainingNodes()
    {
        if (_trainingNodes is null && IsBuilt) CompiledTrainingNodes();
        return _trainingNodes is not null;
    }

    internal double ReadLearningRate(Optimizer optimizer)
    {
        if (HasTrainingNodes()) return Session.Run(_learningRate).GetDouble(0);
        if (_rateBeforeBuild is { } set && set.For == optimizer) return set.Rate;
        return optimizer.LearningRate.Value ?? throw new InvalidOperationException(
            $"Model '{Name}' has not built its training step (it does not know its input shape), so its learning rate {optimizer.LearningRate} has no value yet.");
    }

    internal void SetLearningRate(Optimizer optimizer, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The learning rate of model '{Name}' must be a finite number ≥ 0.");
        var rate = optimizer.LearningRate;
        if (rate.Schedule is { } schedule)
            throw new InvalidOperationException($"Model '{Name}' takes its learning rate from the schedule {schedule}, so the rate is not settable; compile with a number to change it between fits.");
        if (rate.Tensor is { } tensor)
            throw new InvalidOperationException($"Model '{Name}' takes its learning rate from the tensor '{tensor.Name}'; assign or feed that tensor instead.");
        if (!HasTrainingNodes())
        {
            _rateBeforeBuild = (optimizer, value);
            return;
        }
        Session.SetValue(_learningRateVariable!.Value, Tensor.Scalar((float)value));
    }

    internal long ReadIterations() => HasTrainingNodes() ? (long)Session.Run(_iterations).GetDouble(0) : 0;
}
