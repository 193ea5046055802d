namespace GraphDL.Keras;

public partial class Model
{
    /// <summary>
    /// Every layer's penalty terms (Keras's <c>model.losses</c>), each once however often its layer is called: what
    /// Compile adds to the data loss. Reading it builds the model's graph, where the penalties are made; a model that
    /// does not know its input shape yet has none. Named apart from the <see cref="Keras.Losses"/> module of loss functions.
    /// </summary>
    public IReadOnlyList<Output> RegularizationLosses
    {
        get
        {
            if (!IsBuilt) return [];
            _ = Built();
            return LayerPenalties;
        }
    }

    /// <summary>The penalties of the layers built so far, without building anything (a nested model's, read by the model holding it).</summary>
    private IReadOnlyList<Output> LayerPenalties => [.. _layers.SelectMany(l => l.Losses).Distinct()];
}
