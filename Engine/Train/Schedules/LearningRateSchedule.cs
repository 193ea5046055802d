namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// The global step in the learning rate's dtype, as TF1's decay functions cast it before dividing: an Int32 step
    /// would otherwise divide as an integer and staircase on its own. The arguments are checked here, before any node
    /// is added, so a mistake leaves the graph as it was.
    /// </summary>
    private Output ScheduleStep(Output learningRate, Output globalStep, double decaySteps, string schedule)
    {
        foreach (var (value, role) in new[] { (learningRate, "learning rate"), (globalStep, "global step") })
        {
            if (value.Graph != this)
                throw new ArgumentException($"{schedule}: the {role} '{value.Name}' belongs to another graph.");
            if (!value.Shape.IsCompatibleWith(Shape.Scalar))
                throw new ShapeException($"{schedule}: the {role} must be a scalar; '{value.Name}' has shape {value.Shape}.");
        }
        if (!learningRate.DType.IsFloating())
            throw new ArgumentException($"{schedule}: the learning rate must be a float scalar; '{learningRate.Name}' is {learningRate.DType}.");
        if (globalStep.DType == DType.Bool)
            throw new ArgumentException($"{schedule}: the global step must be a number; '{globalStep.Name}' is Bool.");
        if (!(decaySteps > 0) || double.IsInfinity(decaySteps))
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"{schedule} needs a positive, finite number of decay steps.");
        return Cast(globalStep, learningRate.DType);
    }

    /// <summary>A rate given as a number, as the Float32 scalar the optimizers take.</summary>
    private Output LearningRateConstant(double learningRate) => Constant(Tensor.Scalar((float)learningRate), "learning_rate");
}
