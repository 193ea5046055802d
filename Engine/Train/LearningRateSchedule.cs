namespace GraphDL;

/// <summary>
/// A learning rate as a function of the training step, not yet built into any graph (Keras's
/// <c>keras.optimizers.schedules.LearningRateSchedule</c>). An optimizer given one as its learning rate builds
/// <see cref="Rate"/> over its step counter in <see cref="Optimizer.ApplyGradients"/>, so the rate moves as the steps
/// go by and the same schedule object can serve another graph. The Keras schedules (ExponentialDecay, ...) are in
/// GraphDL.Keras; the graph functions they build on are Graph.ExponentialDecay and its siblings (TF1's tf.train.*_decay).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate at <paramref name="step"/> (a scalar Int32 or float tensor): a float scalar node of the step's graph.</summary>
    public abstract Output Rate(Output step);
}
