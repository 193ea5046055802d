using System.Globalization;
using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public abstract partial class Layer
{
    /// <summary>
    /// The layer's constructor arguments as JSON (Keras's <c>layer.get_config()</c>): what a model file keeps so that
    /// <see cref="Models.LoadModel"/> can make the same layer again through the factory <see cref="LayerConfig"/>
    /// holds for its class. Start from <see cref="BaseConfig"/> and add one entry per argument. The weights are
    /// not part of it; the file keeps them beside the config.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer's class has no config (a layer written outside GraphDL that does not override this).</exception>
    public virtual JsonObject GetConfig() =>
        throw new NotSupportedException($"Layer '{Name}' ({TypeName}) cannot be described in a model file: its class does not override GetConfig. Override it and register a factory with LayerConfig.Register, or save the weights alone with SaveWeights.");

    /// <summary>The entries every layer's config starts with: its name, whether it is trainable, and the input shape it was given (without the batch), if any.</summary>
    protected JsonObject BaseConfig()
    {
        var config = new JsonObject { ["name"] = Name, ["trainable"] = Trainable };
        if (InputShape is not null) config["input_shape"] = LayerConfig.Ints(InputShape.Dims[1..]);
        return config;
    }

    /// <summary>Sets <see cref="Trainable"/> from a config, before the layer builds; the property is init-only for everyone else.</summary>
    internal void RestoreTrainable(bool trainable) => _trainable = trainable;
}

/// <summary>
/// Layers by class name, for model files (Keras's <c>keras.layers.deserialize</c>): <see cref="Describe(Layer)"/>
/// writes a layer as <c>{"class_name": "Dense", "config": {...}}</c> from its <see cref="Layer.GetConfig"/>, and
/// <see cref="Create"/> makes a new one from that through the factory registered for the class name.
/// </summary>
/// <remarks>
/// A new layer class plugs in with two pieces: an override of <see cref="Layer.GetConfig"/> in its own file,
/// <code>
/// public override JsonObject GetConfig()
/// {
///     var config = BaseConfig();
///     config["units"] = Units;
///     config["merge_mode"] = MergeMode;
///     return config;
/// }
/// </code>
/// and one line in the table below (or a call of <see cref="Register"/> from outside the engine) that calls the
/// constructor with the same entries, read through <see cref="ConfigReader"/>:
/// <c>["Bidirectional"] = c => new Layers.Bidirectional(Recurrent(c, "layer"), c.StringOrNull("merge_mode"), c.InputShape, c.Name)</c>.
/// The key is the layer's <see cref="Layer.TypeName"/>. Name and trainable are restored for every class; the
/// weights are set afterwards, so the initializers need no entry (Keras's layers here take none as arguments).
/// </remarks>
public static class LayerConfig
{
    private static readonly Dictionary<string, Func<ConfigReader, Layer>> Factories = new(StringComparer.Ordinal)
    {
        ["InputLayer"] = c => new Layers.InputLayer(c.Ints("shape"), c.DType("dtype"), c.Name),
        ["Dense"] = c => new Layers.Dense(c.Int("units"), c.String("activation"), c.Bool("use_bias"), c.InputShape, name: c.Name,
            kernelRegularizer: c.Regularizer("kernel_regularizer"), biasRegularizer: c.Regularizer("bias_regularizer")),
        ["Dropout"] = c => new Layers.Dropout(c.Double("rate"), c.OptionalInt("seed"), c.InputShape, c.Name),
        ["Flatten"] = c => new Layers.Flatten(c.InputShape, c.Name),
        ["Activation"] = c => new Layers.Activation(c.String("activation"), c.InputShape, c.Name),
        ["Reshape"] = c => new Layers.Reshape(c.Ints("target_shape"), c.InputShape, c.Name),
        ["RepeatVector"] = c => new Layers.RepeatVector(c.Int("n"), c.Name),
        ["Embedding"] = c => new Layers.Embedding(c.Int("input_dim"), c.Int("output_dim"), c.OptionalInt("input_length"), c.Name),
        ["Conv1D"] = c => new Layers.Conv1D(c.Int("filters"), c.Int("kernel_size"), c.Int("strides"), c.String("padding"), c.String("activation"),
            c.Bool("use_bias"), c.InputShape, c.Name, c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer")),
        ["Conv2D"] = c => new Layers.Conv2D(c.Int("filters"), c.Pair("kernel_size"), c.Pair("strides"), c.String("padding"), c.String("activation"),
            c.Bool("use_bias"), c.InputShape, c.Name, c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer")),
        ["MaxPooling2D"] = c => new Layers.MaxPooling2D(c.Pair("pool_size"), c.Pair("strides"), c.String("padding"), c.Name),
        ["AveragePooling2D"] = c => new Layers.AveragePooling2D(c.Pair("pool_size"), c.Pair("strides"), c.String("padding"), c.Name),
        ["SimpleRNN"] = c => new Layers.SimpleRNN(c.Int("units"), c.String("activation"), c.Bool("return_sequences"), c.InputShape, c.Name, c.Bool("return_state"))
        {
            KernelRegularizer = c.Regularizer("kernel_regularizer"), RecurrentRegularizer = c.Regularizer("recurrent_regularizer"), BiasRegularizer = c.Regularizer("bias_regularizer"),
            GoBackwards = c.OptionalBool("go_backwards") ?? false,
        },
        ["LSTM"] = c => new Layers.LSTM(c.Int("units"), c.Bool("return_sequences"), c.Bool("unit_forget_bias"), c.InputShape, c.Name, c.Bool("return_state"))
        {
            KernelRegularizer = c.Regularizer("kernel_regularizer"), RecurrentRegularizer = c.Regularizer("recurrent_regularizer"), BiasRegularizer = c.Regularizer("bias_regularizer"),
            GoBackwards = c.OptionalBool("go_backwards") ?? false,
        },
        ["GRU"] = c => new Layers.GRU(c.Int("units"), c.Bool("return_sequences"), c.Bool("reset_after"), c.InputShape, c.Name, c.Bool("return_state"))
        {
            KernelRegularizer = c.Regularizer("kernel_regularizer"), RecurrentRegularizer = c.Regularizer("recurrent_regularizer"), BiasRegularizer = c.Regularizer("bias_regularizer"),
            GoBackwards = c.OptionalBool("go_backwards") ?? false,
        },
        ["TimeDistributed"] = c => new Layers.TimeDistributed(c.Layer("layer"), c.InputShape, c.Name),
        ["Add"] = c => new Layers.Add(c.Name),
        ["Subtract"] = c => new Layers.Subtract(c.Name),
        ["Multiply"] = c => new Layers.Multiply(c.Name),
        ["Average"] = c => new Layers.Average(c.Name),
        ["Maximum"] = c => new Layers.Maximum(c.Name),
        ["Minimum"] = c => new Layers.Minimum(c.Name),
        ["Concatenate"] = c => new Layers.Concatenate(c.Int("axis"), c.Name),
        ["BatchNormalization"] = c => new Layers.BatchNormalization(c.Int("axis"), c.Double("momentum"), c.Double("epsilon"), c.Bool("center"), c.Bool("scale"),
            c.InputShape, c.Name),
        ["Bidirectional"] = c => new Layers.Bidirectional(Recurrent(c, "layer"), c.StringOrNull("merge_mode"), c.InputShape, c.Name),
        // A model used as a layer: the whole nested model, rebuilt from its own config.
        ["Functional"] = c => Model.FromConfig("Functional", c).AsLayer,
        ["Sequential"] = c => Model.FromConfig("Sequential", c).AsLayer,
    };

    /// <summary>The class names <see cref="Create"/> knows.</summary>
    public static IEnumerable<string> ClassNames => Factories.Keys;

    /// <summary>A nested layer that must be a SimpleRNN, LSTM or GRU (what Bidirectional wraps).</summary>
    private static Layers.RecurrentLayer Recurrent(ConfigReader c, string key) => c.Layer(key) as Layers.RecurrentLayer
        ?? throw c.Invalid($"'{key}' must be a recurrent layer (SimpleRNN, LSTM or GRU), but is a {c.Json[key]?["class_name"]?.ToJsonString() ?? "?"}");

    /// <summary>
    /// Teaches <see cref="Create"/> (and so <see cref="Models.LoadModel"/>) a layer class: <paramref name="factory"/> makes
    /// the layer from the config its <see cref="Layer.GetConfig"/> wrote (Keras's <c>custom_objects</c>).
    /// </summary>
    public static void Register(string className, Func<ConfigReader, Layer> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories) Factories[className] = factory;
    }

    /// <summary>A layer as a model file writes it: <c>{"class_name": "Dense", "config": {...}}</c> (Keras's <c>keras.layers.serialize</c>).</summary>
    public static JsonObject Describe(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new JsonObject { ["class_name"] = layer.TypeName, ["config"] = layer.GetConfig() };
    }

    /// <summary>A penalty as a config entry, <c>{"class_name": "L1L2", "config": {"l1": 0, "l2": 0.01}}</c>; null when none.</summary>
    /// <exception cref="NotSupportedException">A regularizer class other than <see cref="L1L2Regularizer"/>.</exception>
    public static JsonObject? Describe(Regularizer? regularizer) => regularizer switch
    {
        null => null,
        L1L2Regularizer r => new JsonObject { ["class_name"] = "L1L2", ["config"] = new JsonObject { ["l1"] = r.L1, ["l2"] = r.L2 } },
        _ => throw new NotSupportedException($"The regularizer {regularizer} ({regularizer.GetType().Name}) cannot be described in a model file; only L1L2 can."),
    };

    /// <summary>
    /// A new layer from <c>{"class_name", "config"}</c> (Keras's <c>keras.layers.deserialize</c>), unbuilt: its weights are
    /// made when a model builds it. <paramref name="where"/> names the place in the file for messages.
    /// </summary>
    /// <exception cref="InvalidDataException">An unknown class, a missing or ill-typed entry, or a value the layer's constructor refuses.</exception>
    public static Layer Create(JsonObject description, string where)
    {
        ArgumentNullException.ThrowIfNull(description);
        var entry = new ConfigReader(description, where);
        string className = entry.String("class_name");
        Func<ConfigReader, Layer>? factory;
        lock (Factories) Factories.TryGetValue(className, out factory);
        if (factory is null)
            throw entry.Invalid($"the layer class '{className}' is unknown (known: {string.Join(", ", ClassNames)}); a layer of another program is taught with LayerConfig.Register");
        var config = entry.Object("config", where);
        string name = config.Name;
        var reader = new ConfigReader(config.Json, $"layer '{name}' ({className})");
        Layer layer;
        try
        {
            layer = factory(reader);
        }
        catch (Exception e) when (e is ArgumentException or ShapeException)
        {
            throw reader.Invalid($"its constructor refuses the config: {e.Message}", e);
        }
        if (config.Has("trainable")) layer.RestoreTrainable(reader.Bool("trainable"));
        return layer;
    }

    /// <summary>Integers as a JSON array: a shape, a kernel size.</summary>
    internal static JsonArray Ints(IEnumerable<int> values) => [.. values.Select(v => (JsonNode)v)];

    /// <summary>A shape's dimensions as a JSON array.</summary>
    internal static JsonArray Ints(ReadOnlySpan<int> values)
    {
        var array = new JsonArray();
        foreach (int v in values) array.Add(v);
        return array;
    }

    /// <summary>A (height, width) pair as [height, width].</summary>
    internal static JsonArray Pair((int Height, int Width) pair) => [pair.Height, pair.Width];

    /// <summary>Keras's spelling of a padding: "valid" or "same".</summary>
    internal static string PaddingName(Padding padding) => padding.Kind == PaddingKind.Same ? "same" : "valid";

    /// <summary>A dtype's name in a config: "float32", "int32".</summary>
    internal static string DTypeName(DType dtype) => dtype.ToString().ToLower(CultureInfo.InvariantCulture);
}
