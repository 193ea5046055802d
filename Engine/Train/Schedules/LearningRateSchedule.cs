namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// The global step as a Float32 scalar, as TF1's decay functions cast it to the learning rate's dtype before
    /// dividing: an Int32 step would otherwise divide as an integer and staircase on its own. The arguments are
    /// checked here, before any node is added, so a mistake leaves the graph as it was.
    /// </summary>
    private Output ScheduleStep(Output globalStep, double decaySteps, string schedule)
    {
        if (globalStep.Graph != this)
            throw new ArgumentException($"{schedule}: the global step '{globalStep.Name}' belongs to another graph.");
        if (!globalStep.Shape.IsCompatibleWith(Shape.Scalar))
            throw new ShapeException($"{schedule}: the global step must be a scalar; '{globalStep.Name}' has shape {globalStep.Shape}.");
        if (globalStep.DType == DType.Bool)
            throw new ArgumentException($"{schedule}: the global step must be a number; '{globalStep.Name}' is Bool.");
        if (!(decaySteps > 0) || double.IsInfinity(decaySteps))
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"{schedule} needs a positive, finite number of decay steps.");
        return Cast(globalStep, DType.Float32);
    }
}
