namespace GraphDL.Keras;

/// <summary>
/// A symbolic tensor of Keras's functional API: what <see cref="Layers.Input(int[], DType, string?)"/> returns
/// and what applying a layer to one (or, for a merge layer, to several) gives. It records its shape and where it
/// came from: the layer and the tensors that layer was applied to. A <see cref="Model"/> turns the graph of these
/// tensors into graph nodes.
/// </summary>
/// <remarks>
/// Once a model that computes it has built its graph, the tensor stands for its node there, so it converts to an
/// <see cref="GraphDL.Output"/>: <c>session.Run(model.Output, feed)</c>, <c>feed[model.Input] = x</c>. All the
/// models that share a layer share one graph (the first of them to build makes it), so that node is unique.
/// </remarks>
public sealed class KerasTensor
{
    private KerasTensor(Shape shape, DType dtype, Layer layer, IReadOnlyList<KerasTensor> inputs, int index)
    {
        Shape = shape;
        DType = dtype;
        Layer = layer;
        Inputs = inputs;
        Index = index;
        Siblings = [this];
    }

    internal KerasTensor(Shape shape, DType dtype, Layer layer, KerasTensor? input)
        : this(shape, dtype, layer, input is null ? [] : [input], 0) { }

    /// <summary>The outputs of one call of <paramref name="layer"/> on <paramref name="inputs"/>: one tensor per shape, all from the same call.</summary>
    internal static KerasTensor[] Outputs(Layer layer, IReadOnlyList<KerasTensor> inputs, IReadOnlyList<Shape> shapes, IReadOnlyList<DType> dtypes)
    {
        var outputs = new KerasTensor[shapes.Count];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = new KerasTensor(shapes[i], dtypes[i], layer, [.. inputs], i);
        foreach (var t in outputs) t.Siblings = outputs;
        return outputs;
    }

    /// <summary>The shape, batch dimension (None) first.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The layer whose output this is (an <see cref="Layers.InputLayer"/> for a model's input).</summary>
    public Layer Layer { get; }

    /// <summary>Every tensor the layer was applied to (two or more for a merge layer); empty for an input.</summary>
    public IReadOnlyList<KerasTensor> Inputs { get; }

    /// <summary>The tensor the layer was applied to; null for an input, and for a layer applied to several (see <see cref="Inputs"/>).</summary>
    public KerasTensor? Input => Inputs.Count == 1 ? Inputs[0] : null;

    /// <summary>Which output of the layer's call this is (0 but for a model with several outputs used as a layer).</summary>
    public int Index { get; }

    /// <summary>Every output of the same call, this one among them.</summary>
    internal IReadOnlyList<KerasTensor> Siblings { get; private set; }

    /// <summary>The tensor's node in the graph of the models that compute it, once one of them has built it.</summary>
    internal Output? Node { get; set; }

    /// <summary>The tensor's graph node: a model that computes it must have built its graph (Fit, Predict, Summary, <c>model.Graph</c>).</summary>
    public static implicit operator Output(KerasTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Node ?? throw new InvalidOperationException($"{tensor} has no graph node yet: no model computing it has built its graph.");
    }

    /// <summary>Keras's own notation: "KerasTensor(shape=(None, 784), dtype=Float32, layer 'dense')".</summary>
    public override string ToString() => $"KerasTensor(shape={Layer.Format(Shape)}, dtype={DType}, layer '{Layer.Name}')";
}
