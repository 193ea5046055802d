using System.Collections;

namespace GraphDL.Keras;

/// <summary>
/// A plain stack of layers, each feeding the next (Keras's Sequential), made from a list or grown with
/// <see cref="Add"/>, as seed 000 shows both ways:
/// <code>
/// var model = new Sequential([
///     new Layers.Dense(5, activation: "relu", inputShape: [4]),
///     new Layers.Dense(10, activation: "relu"),
///     new Layers.Dense(3, activation: "softmax"),
/// ]);
/// </code>
/// The first layer's inputShape tells the model its input; without it the model learns the shape from
/// <see cref="Build"/> or from the first data it is given.
/// </summary>
public sealed class Sequential : Model, IEnumerable<Layer>
{
    /// <summary>An empty stack of layers; <see cref="Add"/> appends them.</summary>
    public Sequential(string name = "sequential") : base(name) { }

    /// <summary>A stack of <paramref name="layers"/>, each feeding the next (Keras's Sequential([...])).</summary>
    public Sequential(IEnumerable<Layer> layers, string name = "sequential") : this(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>
    /// Adds a layer on top. When the input shape is known (the first layer has one), the layer is built at once, so
    /// a layer that cannot take the previous one's output fails here, naming both; it then does not join the model.
    /// Adding after Compile is allowed: the next Fit trains the new output.
    /// </summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is Keras.Layers.InputLayer)
            throw new ArgumentException("A Sequential model makes its own input; give the first layer an inputShape instead of adding an InputLayer.", nameof(layer));
        if (Layers.Count > 0 && layer.InputShape is not null)
            throw new ArgumentException($"Only the first layer of a Sequential model takes an inputShape; layer '{layer.Name}' ({layer.TypeName}) is not first.", nameof(layer));
        if (CurrentOutput is { } outputs)
        {
            var t = layer.Apply(outputs);
            Adopt(layer);
            try
            {
                Extend(t);
            }
            catch
            {
                Disown(layer);
                throw;
            }
        }
        else
        {
            Adopt(layer);
            if (Layers.Count == 1 && layer.InputShape is not null)
            {
                try
                {
                    BuildFor(layer.InputShape);
                }
                catch
                {
                    Disown(layer);
                    throw;
                }
            }
        }
    }

    /// <summary>Tells a model whose first layer has no inputShape what its input is, without the batch (Keras's <c>build</c>).</summary>
    public override void Build(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (IsBuilt) throw new InvalidOperationException($"Model '{Name}' already knows its input shape, {Layer.Format(InputShape!)}.");
        if (Layers.Count == 0) throw new InvalidOperationException($"Model '{Name}' has no layers to build.");
        BuildFor(new Shape([Shape.Unknown, .. inputShape]));
    }

    /// <summary>The layers in order, so a collection initializer can build a model: <c>new Sequential { new Layers.Dense(10) }</c>.</summary>
    public IEnumerator<Layer> GetEnumerator() => Layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private protected override void KnowInputFrom(IReadOnlyList<Tensor> x)
    {
        if (!IsBuilt && Layers.Count > 0 && x.Count == 1 && x[0].Rank >= 2) Build(x[0].Shape.Dims[1..].ToArray());
    }

    private protected override Exception NotBuilt() => new InvalidOperationException(Layers.Count == 0
        ? $"Model '{Name}' has no layers yet."
        : $"Model '{Name}' has not been built yet: it does not know its input shape. Give the first layer an inputShape, call Build(...), or Fit or Predict on data.");

    /// <summary>
    /// Gives the model its input, named after the first layer as Keras does ("dense_input"; the summary does not
    /// list it), and builds every layer so far on it.
    /// </summary>
    private void BuildFor(Shape inputShape)
    {
        var first = Layers[0];
        var inputLayer = new Keras.Layers.InputLayer(inputShape.Dims[1..].ToArray(), first.InputDType, $"{first.Name}_input");
        var inputs = Keras.Layers.InputOf(inputLayer);
        var outputs = inputs;
        foreach (var layer in Layers) outputs = layer.Apply(outputs);
        SetGraph([inputs], [outputs], listInputLayers: false);
        try
        {
            BuildNow();
        }
        catch
        {
            ForgetGraph();
            throw;
        }
    }
}
