using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// The fully connected layer of the slides: y = activation(x W + b), with W (inputs, units) Glorot-uniform and
    /// b zeros, as Keras starts them. Its parameters: inputs × units + units (784 × 32 + 32 = 25,120).
    /// On an input of rank above 2, (batch, ..., inputs), it acts on the last axis, as Keras's Dense does.
    /// </summary>
    public sealed class Dense : Layer
    {
        private readonly Func<Graph, Output, Output> _activation;
        private Output _kernel, _bias;

        /// <param name="units">The number of outputs.</param>
        /// <param name="activation">An activation by name ("relu", "sigmoid", "softmax", ...); null is linear.</param>
        /// <param name="useBias">Whether to add b.</param>
        /// <param name="inputShape">The input's shape without the batch, for a first layer: <c>inputShape: [784]</c>.</param>
        /// <param name="inputDim">Old Keras's shortcut for <c>inputShape: [inputDim]</c>.</param>
        /// <param name="name">The layer's name; by default dense, dense_1, ...</param>
        /// <param name="kernelRegularizer">A penalty on the kernel that joins the loss (Keras's kernel_regularizer): <c>Regularizers.L2(0.01)</c> or a name, "l2".</param>
        /// <param name="biasRegularizer">A penalty on the bias that joins the loss (Keras's bias_regularizer).</param>
        public Dense(int units, string? activation = null, bool useBias = true, int[]? inputShape = null, int? inputDim = null, string? name = null,
            Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
            : base(name, inputShape ?? (inputDim is { } n ? [n] : null))
        {
            if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, "A Dense layer needs at least one unit.");
            Units = units;
            Activation = activation ?? "linear";
            _activation = Activations.Get(activation);
            UseBias = useBias;
            KernelRegularizer = kernelRegularizer;
            BiasRegularizer = biasRegularizer;
        }

        /// <summary>The kernel's penalty (Keras's kernel_regularizer); null when none.</summary>
        public Regularizer? KernelRegularizer { get; }

        /// <summary>The bias's penalty (Keras's bias_regularizer); null when none.</summary>
        public Regularizer? BiasRegularizer { get; }

        /// <summary>The number of outputs: the width of the layer.</summary>
        public int Units { get; }

        /// <summary>The activation's name ("relu", "softmax", "linear" when none was given).</summary>
        public string Activation { get; }

        /// <summary>Whether the bias b is added (y = activation(x W + b)).</summary>
        public bool UseBias { get; }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();
            config["units"] = Units;
            config["activation"] = Activation;
            config["use_bias"] = UseBias;
            config["kernel_regularizer"] = LayerConfig.Describe(KernelRegularizer);
            config["bias_regularizer"] = LayerConfig.Describe(BiasRegularizer);
            return config;
        }

        /// <summary>W, (inputs, units); available once built.</summary>
        public Output Kernel => IsBuilt ? _kernel : throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

        /// <summary>b, (units); available once built, when the layer has a bias.</summary>
        public Output Bias => IsBuilt && UseBias ? _bias : throw new InvalidOperationException($"Layer '{Name}' has no bias (not built yet, or useBias: false).");

        /// <inheritdoc/>
        public override Shape ComputeOutputShape(Shape inputShape)
        {
            RequireMinRank(inputShape, 2, "(batch, ..., features)");
            if (inputShape.Rank > 2 && !new Shape(inputShape.Dims[1..]).IsFullyDefined)
                throw new ShapeException($"Layer '{Name}' (Dense) on an input of rank {inputShape.Rank} needs every axis but the batch known, got {Format(inputShape)}.");
            return inputShape.WithDim(-1, Units);
        }

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape)
        {
            int inputs = RequireKnown(inputShape, -1, "number of features (its last axis)");
            _kernel = AddWeight(g, "kernel", Init.GlorotUniform([inputs, Units]), regularizer: KernelRegularizer);
            if (UseBias) _bias = AddWeight(g, "bias", Init.Zeros(Units), regularizer: BiasRegularizer);
        }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training)
        {
            var shape = x.Shape;
            // MatMul takes matrices: fold every axis but the last into the rows, then unfold again.
            var rows = shape.Rank == 2 ? x : g.Reshape(x, [-1, shape[-1]]);
            var z = g.MatMul(rows, _kernel);
            if (UseBias) z += _bias;
            if (shape.Rank > 2) z = g.Reshape(z, [-1, .. shape.Dims[1..^1], Units]);
            return _activation(g, z);
        }
    }
}
