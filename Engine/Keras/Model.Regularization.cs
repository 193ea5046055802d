namespace GraphDL.Keras;

public partial class Model
{
    /// <summary>
    /// Every layer's penalty terms (Keras's <c>model.losses</c>), each once however often its layer is called: what
    /// Compile adds to the data loss. Named apart from the <see cref="Keras.Losses"/> module of loss functions.
    /// </summary>
    public IReadOnlyList<Output> RegularizationLosses => [.. _layers.SelectMany(l => l.Losses).Distinct()];
}
