namespace GraphDL.Keras;

/// <summary>
/// A symbolic tensor of Keras's functional API: what <see cref="Layers.Input(int[], DType, string?)"/> returns
/// and what applying a layer to one gives. It records its shape and where it came from (the layer and that
/// layer's input); <see cref="Model"/> turns the chain into graph nodes.
/// </summary>
public sealed class KerasTensor
{
    internal KerasTensor(Shape shape, DType dtype, Layer layer, KerasTensor? input)
    {
        Shape = shape;
        DType = dtype;
        Layer = layer;
        Input = input;
    }

    /// <summary>The shape, batch dimension (None) first.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The layer whose output this is (an <see cref="Layers.InputLayer"/> for a model's input).</summary>
    public Layer Layer { get; }

    /// <summary>The tensor the layer was applied to; null for an input.</summary>
    public KerasTensor? Input { get; }

    /// <summary>Keras's own notation: "KerasTensor(shape=(None, 784), dtype=Float32, layer 'dense')".</summary>
    public override string ToString() => $"KerasTensor(shape={Layer.Format(Shape)}, dtype={DType}, layer '{Layer.Name}')";
}
