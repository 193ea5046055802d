using System.Text.Json.Nodes;

namespace GraphDL.Keras;

/// <summary>
/// The layers, as nested types so that code reads like Keras's <c>keras.layers.Dense(...)</c>:
/// <c>new Layers.Dense(32, activation: "relu", inputShape: [784])</c>. Each layer (or family) has its own file.
/// </summary>
public static partial class Layers
{
    /// <summary>
    /// A model's input (Keras's <c>Input(shape=(4,))</c>): the start of a functional model. The shape excludes the
    /// batch dimension.
    /// </summary>
    public static KerasTensor Input(int[] shape, DType dtype = DType.Float32, string? name = null)
    {
        return InputOf(new InputLayer(shape, dtype, name));
    }

    /// <summary>The symbolic input of an existing input layer.</summary>
    internal static KerasTensor InputOf(InputLayer layer) => new(layer.InputShape!, layer.DType, layer, null);

    /// <summary>Where data enters a model: the graph's placeholder. It has no weights; a functional model's summary lists it first.</summary>
    public sealed class InputLayer : Layer
    {
        /// <summary>An input of <paramref name="shape"/> without the batch axis (Keras's Input(shape=...)); the model's placeholder gets (None, ...shape).</summary>
        public InputLayer(int[] shape, DType dtype = DType.Float32, string? name = null) : base(name, shape) => DType = dtype;

        /// <summary>The dtype fed data must have (Float32 by default; Int32 for word indices).</summary>
        public DType DType { get; }

        /// <inheritdoc/>
        public override DType InputDType => DType;

        /// <inheritdoc/>
        public override DType OutputDType => DType;

        /// <summary>The input's shape without the batch, its dtype and name; Keras's InputLayer config, which needs no base entries.</summary>
        public override JsonObject GetConfig() => new()
        {
            ["name"] = Name,
            ["shape"] = LayerConfig.Ints(InputShape!.Dims[1..]),
            ["dtype"] = LayerConfig.DTypeName(DType),
        };

        /// <summary>Keras numbers inputs from 1: input_1, input_2, ...</summary>
        public override string DefaultName => "input_1";

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape) => inputShape;

        /// <summary>The model's input placeholder, named after the layer.</summary>
        internal Output CreatePlaceholder(Graph g)
        {
            var x = g.Placeholder(DType, InputShape!, Name);
            MarkBuilt(g, InputShape!);
            return x;
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => x;
    }
}
